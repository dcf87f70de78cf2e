"""The update rule (公开时限) of a catalog item: its kinds, its words, and the catalog phrasing.

A rule is a small value object. The catalog page stores its fields; the deadline engine, the
import and the public label all go through :class:`UpdateRule`, so one phrase means one rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_WORKING_DAYS = 20
DEFAULT_REVIEW_MONTHS = 12


class RuleKind(models.TextChoices):
    ON_CHANGE = "on_change", _("Within N working days of a change")
    PERIODIC = "periodic", _("Periodic")
    REVIEW = "review", _("Long-standing, reviewed at an interval")
    REAL_TIME = "real_time", _("Real time")


class Period(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class RuleParseError(ValueError):
    """The 公开时限 text is not a phrasing the catalog format knows."""


# The catalog format is Chinese by definition: these phrases are data, not interface text.
_PERIOD_WORDS = {
    Period.MONTH: ("每月", "按月", "月度"),
    Period.QUARTER: ("每季度", "每季", "按季度", "季度"),
    Period.HALF_YEAR: ("每半年", "半年度", "按半年"),
    Period.YEAR: ("每年", "每年度", "按年", "年度"),
}
_PERIOD_TEXT = {
    Period.MONTH: "每月",
    Period.QUARTER: "每季度",
    Period.HALF_YEAR: "每半年",
    Period.YEAR: "每年",
}
_REAL_TIME_WORDS = ("实时", "即时", "随时")
_REVIEW_WORDS = ("长期", "常年")
_WORKING_DAYS = re.compile(r"([0-9０-９]+|[一二三四五六七八九十]+)\s*个?\s*工作日")
_REVIEW_MONTHS = re.compile(r"每\s*([0-9０-９]+|[一二三四五六七八九十]+)\s*个?\s*月\s*复核")
_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
# A yearly rule with a fixed date: "每年1月31日前", "次年1月31日前" (in the rule or its notes).
_NUMBER = r"([0-9０-９]+|[一二三四五六七八九十]+)"
_FIXED_DATE = re.compile(rf"(?:次年|每年)?{_NUMBER}月{_NUMBER}日(?:前|之前|以前)")

ACCEPTED_PHRASINGS = (
    "信息形成或变更之日起20个工作日内",
    "10个工作日内",
    "每月",
    "每季度",
    "每半年",
    "每年",
    "每年1月31日前",
    "实时",
    "长期",
)


def _number(text: str) -> int:
    """Parse Arabic, full-width or small Chinese numerals (up to 99)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        return _CHINESE_DIGITS.get(tens, 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)
    return _CHINESE_DIGITS[text]


_KINDS = frozenset(RuleKind.values)
_PERIODS = frozenset(Period.values)


@dataclass(frozen=True)
class UpdateRule:
    """How often a catalog item must be brought up to date.

    ``working_days`` is the limit after a change (on-change rules) or after the end of a period
    (periodic rules); ``None`` means the institution's default. ``review_months`` is the interval
    at which a long-standing item is checked; ``None`` means :data:`DEFAULT_REVIEW_MONTHS`.
    ``due_month`` and ``due_day`` make a yearly rule due on a fixed date of the next year
    (年度报告: 每年1月31日前) instead of a number of working days after the year ends.
    """

    kind: str
    period: str = ""
    working_days: int | None = None
    review_months: int | None = None
    due_month: int | None = None
    due_day: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown rule kind {self.kind!r}")
        if (self.kind == RuleKind.PERIODIC) != bool(self.period):
            raise ValueError("a periodic rule needs a period, and only a periodic rule has one")
        if self.period and self.period not in _PERIODS:
            raise ValueError(f"unknown period {self.period!r}")
        for value in (self.working_days, self.review_months):
            if value is not None and not 0 < value <= 366:
                raise ValueError("working days and review months must be between 1 and 366")
        if (self.due_month is None) != (self.due_day is None):
            raise ValueError("a fixed date needs both its month and its day")
        if self.due_month is not None:
            if self.period != Period.YEAR or self.working_days is not None:
                raise ValueError("only a yearly rule without working days has a fixed date")
            try:
                dt.date(2001, self.due_month, self.due_day)  # a year without 29 February
            except ValueError as error:
                raise ValueError(f"no such date: {self.due_month}-{self.due_day}") from error

    @property
    def fixed_date(self) -> tuple[int, int] | None:
        """(month, day) of the next year by which each year is due, for a fixed-date rule."""
        return (self.due_month, self.due_day) if self.due_month is not None else None

    def fixed_due(self, period_end: dt.date) -> dt.date | None:
        """When the period ending on ``period_end`` is due, for a fixed-date rule."""
        if self.due_month is None:
            return None
        return dt.date(period_end.year + 1, self.due_month, self.due_day)

    # Reading the catalog format ---------------------------------------------------------

    @classmethod
    def parse(cls, text: str, notes: str = "") -> UpdateRule:
        """Read a 公开时限 cell (and the 备注 cell, which may carry a review interval)."""
        phrase = re.sub(r"\s+", "", text or "")
        if not phrase:
            raise RuleParseError(gettext("The update rule is empty."))
        days_match = _WORKING_DAYS.search(phrase)
        days = _number(days_match.group(1)) if days_match else None
        fixed = _FIXED_DATE.search(phrase) or (
            _FIXED_DATE.search(re.sub(r"\s+", "", notes))
            if notes and phrase in _PERIOD_WORDS[Period.YEAR]
            else None
        )
        if fixed is not None and days is None:
            month, day = _number(fixed.group(1)), _number(fixed.group(2))
            try:
                return cls(kind=RuleKind.PERIODIC, period=Period.YEAR, due_month=month, due_day=day)
            except ValueError as error:
                raise RuleParseError(
                    gettext("“%(text)s” names no date of the year.") % {"text": text}
                ) from error
        for period, words in _PERIOD_WORDS.items():
            if any(phrase.startswith(word) for word in words):
                return cls(kind=RuleKind.PERIODIC, period=period, working_days=days)
        if any(word in phrase for word in _REAL_TIME_WORDS):
            return cls(kind=RuleKind.REAL_TIME)
        if any(word in phrase for word in _REVIEW_WORDS) or _REVIEW_MONTHS.search(phrase):
            months_match = _REVIEW_MONTHS.search(phrase) or _REVIEW_MONTHS.search(notes or "")
            months = _number(months_match.group(1)) if months_match else None
            return cls(kind=RuleKind.REVIEW, review_months=months)
        if days is not None:
            return cls(kind=RuleKind.ON_CHANGE, working_days=days)
        raise RuleParseError(
            gettext("Unknown update rule “%(text)s”; use a phrasing such as %(examples)s.")
            % {"text": text, "examples": "、".join(ACCEPTED_PHRASINGS)}
        )

    def to_catalog_text(self, *, notes: str = "", default_working_days: int) -> str:
        """The canonical 公开时限 phrase; :meth:`parse` reads it back to the same rule."""
        if self.kind == RuleKind.ON_CHANGE:
            days = self.working_days or default_working_days
            return f"信息形成或变更之日起{days}个工作日内"
        if self.fixed_date is not None:
            date_in_notes = _FIXED_DATE.search(re.sub(r"\s+", "", notes or ""))
            if date_in_notes and self.fixed_date == (
                _number(date_in_notes.group(1)),
                _number(date_in_notes.group(2)),
            ):
                return "每年"  # 备注 says when, as the catalog had it
            return f"每年（次年{self.due_month}月{self.due_day}日前）"
        if self.kind == RuleKind.PERIODIC:
            text = _PERIOD_TEXT[Period(self.period)]
            return f"{text}（期满后{self.working_days}个工作日内）" if self.working_days else text
        if self.kind == RuleKind.REAL_TIME:
            return "实时"
        months_in_notes = _REVIEW_MONTHS.search(notes or "")
        if self.review_months is None or (
            months_in_notes and _number(months_in_notes.group(1)) == self.review_months
        ):
            return "长期"
        return f"长期（每{self.review_months}个月复核）"

    # Words for people ---------------------------------------------------------------------

    def describe(self, *, default_working_days: int = DEFAULT_WORKING_DAYS) -> str:
        """The rule in a sentence, for the public site and the admin."""
        if self.kind == RuleKind.ON_CHANGE:
            return gettext("Updated within %(days)s working days of a change") % {
                "days": self.working_days or default_working_days
            }
        if self.fixed_date is not None:
            return gettext("Published every year, by %(month)s/%(day)s of the next year") % {
                "month": self.due_month,
                "day": self.due_day,
            }
        if self.kind == RuleKind.PERIODIC:
            sentence = {
                Period.MONTH: gettext("Published every month"),
                Period.QUARTER: gettext("Published every quarter"),
                Period.HALF_YEAR: gettext("Published every half year"),
                Period.YEAR: gettext("Published every year"),
            }[Period(self.period)]
            if self.working_days:
                return gettext("%(sentence)s, within %(days)s working days of the period end") % {
                    "sentence": sentence,
                    "days": self.working_days,
                }
            return sentence
        if self.kind == RuleKind.REAL_TIME:
            return gettext("Updated in real time")
        return gettext("Long-standing; reviewed every %(months)s months") % {
            "months": self.review_months or DEFAULT_REVIEW_MONTHS
        }
