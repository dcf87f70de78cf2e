"""The rules of a price list (收费价格公示): kinds, code shapes, row keys, pinyin, differences.

Pure functions over plain values, so the import, the review's diff, the public query and the API
share one definition of what a valid code is, what identifies a row across two versions, and
how a name is spelled in pinyin initials.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin, pinyin


class PriceKind(models.TextChoices):
    SERVICE = "service", _("Medical service prices")  # 医疗服务项目价格
    DRUG = "drug", _("Drug prices")  # 药品价格
    CONSUMABLE = "consumable", _("Medical consumable prices")  # 医用耗材价格


#: A national medical service item code (全国医疗服务价格项目规范): nine digits, and a sub-item
#: after a hyphen where the item is priced in parts (110200002-2).
SERVICE_CODE = re.compile(r"^\d{9}(?:-\d{1,3})?$")

#: The chapters of the national service codes (the code's first digit), the category a service
#: row falls under when its file names none.
SERVICE_CHAPTERS = {
    "1": _("General medical services"),  # 综合医疗服务类
    "2": _("Medical technology services"),  # 医技诊疗类
    "3": _("Clinical services"),  # 临床诊疗类
    "4": _("Traditional Chinese medicine services"),  # 中医及民族医诊疗类
}

#: At most this many spellings of one name are kept for its polyphonic characters; past it
#: only the reading in context is searched (a name of many polyphonic characters is rare).
MAX_READINGS = 32


#: How far ahead a list may take effect: prices are announced weeks, not years, ahead.
MAX_DAYS_AHEAD = 366


def effective_date_problem(
    effective_date: dt.date, *, live_effective_date: dt.date | None, today: dt.date
) -> str | None:
    """Why a new version of a list may not take effect on ``effective_date`` (``None``: it
    may). Never before the live version's: the price on a date is read by effective date, and a
    list dated back would answer for days its rows were never public. Never more than a year
    ahead."""
    if live_effective_date is not None and effective_date < live_effective_date:
        return str(
            _(
                "The effective date is before the live list's (%(date)s): a new list takes "
                "effect on or after it."
            )
            % {"date": live_effective_date.isoformat()}
        )
    if effective_date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        return str(_("The effective date is more than a year ahead."))
    return None


def is_service_code(code: str) -> bool:
    return bool(SERVICE_CODE.match(code))


def service_chapter(code: str) -> str:
    """The chapter a national service code belongs to ("" for a code of another shape)."""
    return str(SERVICE_CHAPTERS.get(code[:1], "")) if is_service_code(code) else ""


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), trimmed, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def row_key(kind: str, values: Mapping[str, str]) -> str:
    """What identifies a row across two versions of a list.

    A service is its code. A drug or consumable is its code where the file gives one, else its
    name, form, specification, package and maker together (a hospital's list names one
    product per line, and a new maker or package is a new line)."""
    code = normalise(values.get("code", ""))
    if kind == PriceKind.SERVICE or code:
        return code.upper()
    parts = (
        "name",
        "dosage_form",
        "specification",
        "package",
        "manufacturer",
        "registration_number",
    )
    return "|".join(normalise(values.get(part, "")).lower() for part in parts)


@lru_cache(maxsize=4096)
def _initials_of(character_run: str) -> tuple[str, tuple[str, ...]]:
    main = "".join(lazy_pinyin(character_run, style=Style.FIRST_LETTER, errors="default"))
    choices = pinyin(character_run, style=Style.FIRST_LETTER, heteronym=True, errors="default")
    count = 1
    for options in choices:
        count *= len(set(options))
    if count > MAX_READINGS:
        return main.lower(), ()
    spellings = {"".join(combo).lower() for combo in itertools.product(*choices)}
    spellings.discard(main.lower())
    return main.lower(), tuple(sorted(spellings))


def pinyin_initials(name: str) -> tuple[str, str]:
    """The name's pinyin initials as read in context, and its other readings.

    血常规 → ("xcg", ""); 调强放射治疗 → the reading in context and, space-separated, the others
    (调 is tiao or diao), so that a visitor who types either finds it. Latin letters and digits
    are kept as they are written (B超 → "bc"); punctuation and spaces are dropped."""
    text = "".join(ch for ch in normalise(name).lower() if ch.isalnum())
    if not text:
        return "", ""
    main, others = _initials_of(text)
    return main, " ".join(others)


def initials_query(text: str) -> str | None:
    """A query typed as pinyin initials ("xcg", "XCG"), lower-cased; ``None`` for any other
    query (Chinese characters, a code)."""
    text = normalise(text).lower().replace(" ", "")
    return text if text and text.isascii() and text.isalpha() else None


@dataclass(frozen=True)
class PriceLine:
    """The part of a row that a difference compares."""

    key: str
    code: str
    name: str
    unit: str
    price: Decimal
    grade_prices: tuple[tuple[str, str], ...] = ()
    #: The row's other public columns, ``(field, value)``: a change to any of them (what a
    #: service includes or excludes, its insurance class…) is a change the reviewers see.
    details: tuple[tuple[str, str], ...] = ()


#: The columns of a row compared besides its price and unit (``PriceRow`` fields).
DETAIL_FIELDS = (
    "name",
    "content",
    "exclusions",
    "note",
    "insurance_class",
    "category",
    "dosage_form",
    "specification",
    "package",
    "manufacturer",
    "registration_number",
    "volume_procurement",
)


@dataclass(frozen=True)
class RowChange:
    change: str  # ChangeKind's value: "added", "removed" or "changed"
    key: str
    code: str
    name: str
    unit: str
    old_price: Decimal | None
    new_price: Decimal | None
    #: For a changed row, the columns that changed besides its price (``PriceRow`` fields).
    changed_fields: tuple[str, ...] = ()


def price_differences(old: Iterable[PriceLine], new: Iterable[PriceLine]) -> list[RowChange]:
    """What a new version changes against an old one, row by row (by key).

    A row is changed when its price, a grade's price, its unit or any other public column
    differs (``changed_fields`` names the others). Ordered: changed, added, removed; each by
    code, then key."""
    before = {line.key: line for line in old}
    after = {line.key: line for line in new}
    changed, added, removed = [], [], []
    for key, line in after.items():
        previous = before.get(key)
        if previous is None:
            added.append(_change("added", line, None, line.price))
        elif (previous.price, previous.unit, previous.grade_prices, previous.details) != (
            line.price,
            line.unit,
            line.grade_prices,
            line.details,
        ):
            before_details = dict(previous.details)
            fields = tuple(
                name for name, value in line.details if before_details.get(name) != value
            )
            changed.append(_change("changed", line, previous.price, line.price, fields))
    for key, line in before.items():
        if key not in after:
            removed.append(_change("removed", line, line.price, None))

    def order(change: RowChange) -> tuple[str, str]:
        return (change.code, change.key)

    return [*sorted(changed, key=order), *sorted(added, key=order), *sorted(removed, key=order)]


def _change(
    kind: str,
    line: PriceLine,
    old: Decimal | None,
    new: Decimal | None,
    fields: tuple[str, ...] = (),
) -> RowChange:
    return RowChange(
        changed_fields=fields,
        change=kind,
        key=line.key,
        code=line.code,
        name=line.name,
        unit=line.unit,
        old_price=old,
        new_price=new,
    )
