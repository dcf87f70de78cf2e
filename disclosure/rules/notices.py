"""The notices of the 《政府信息公开条例》 a request gives rise to, and how their text is filled in.

* 补正告知书 (第三十条): everything the applicant must correct, listed at once;
* 延期答复告知书 (第三十三条): the extension and the new due date;
* 答复书 (第三十六条): the reply, in the form that fits its outcome (one template per result
  group of table 三);
* 第三方意见征询函 (第三十二条): the letter asking a third party for its opinion.

Each notice has a number of its own series (补正, 延期, 答复, 征询), counted per institution and
year. A template is plain text with placeholders in braces (``{申请人}``); the placeholders are
listed in :data:`PLACEHOLDERS`, and one the text does not know is left as it is written.
Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import CaseAction, OutcomeGroup, outcome_group


class NoticeSeries(models.TextChoices):
    """The numbering series: one counter per institution, year and series."""

    CORRECTION = "correction", _("Correction notice")
    EXTENSION = "extension", _("Extension notice")
    REPLY = "reply", _("Reply")
    THIRD_PARTY = "third_party", _("Third-party consultation letter")


class NoticeKind(models.TextChoices):
    """The notices' forms, each with its own template."""

    CORRECTION = "correction", _("Correction notice (Article 30)")
    EXTENSION = "extension", _("Extension notice (Article 33)")
    THIRD_PARTY = "third_party", _("Third-party consultation letter (Article 32)")
    REPLY_DISCLOSED = "reply.disclosed", _("Reply: disclosed")
    REPLY_PARTIAL = "reply.partial", _("Reply: partly disclosed")
    REPLY_WITHHELD = "reply.withheld", _("Reply: not disclosed")
    REPLY_UNAVAILABLE = "reply.unavailable", _("Reply: cannot be provided")
    REPLY_NOT_PROCESSED = "reply.not_processed", _("Reply: not processed")
    REPLY_OTHER = "reply.other", _("Reply: other handling")


def series_of(kind: str) -> NoticeSeries:
    """The numbering series of a notice of ``kind`` (every form of reply shares 答复)."""
    return NoticeSeries(NoticeKind(kind).value.split(".", 1)[0])


def reply_kind(outcome: str) -> NoticeKind:
    """The form of reply that fits ``outcome`` (its group of table 三)."""
    return NoticeKind(f"reply.{OutcomeGroup(outcome_group(outcome)).value}")


#: The notice each action issues when it is taken (the reply's form is read from the outcome).
NOTICE_OF_ACTION = {
    CaseAction.REQUEST_CORRECTION: NoticeKind.CORRECTION,
    CaseAction.EXTEND: NoticeKind.EXTENSION,
    CaseAction.CONSULT_THIRD_PARTY: NoticeKind.THIRD_PARTY,
}

# The word of each series in a notice's number (“补正〔2026〕3号”): Chinese document numbers,
# the same in every language of the admin.
SERIES_WORDS = {
    NoticeSeries.CORRECTION: "补正",
    NoticeSeries.EXTENSION: "延期",
    NoticeSeries.REPLY: "答复",
    NoticeSeries.THIRD_PARTY: "征询",
}


def notice_number(*, series: str, year: int, sequence: int) -> str:
    """A notice's document number: the series, the year in 〔〕 and the sequence
    (“补正〔2026〕3号”); the institution's name heads the document."""
    return f"{SERIES_WORDS[NoticeSeries(series)]}〔{year}〕{sequence}号"


#: Every placeholder a template may use, with what it stands for (shown beside the editor).
PLACEHOLDERS = {
    "机构名称": _("The institution's name"),
    "文书编号": _("The notice's number"),
    "申请人": _("The applicant's name"),
    "查询编号": _("The request's tracking number"),
    "收到日期": _("The day the request was received"),
    "申请内容": _("The information sought"),
    "补正内容": _("Everything the applicant must correct"),
    "补正期限": _("The day by which the correction must arrive"),
    "延长天数": _("The extension in working days"),
    "原答复期限": _("The due date before the extension"),
    "答复期限": _("The due date"),
    "处理结果": _("The outcome, as table 三 names it"),
    "答复内容": _("The reply written by the office"),
    "获取方式": _("The way the applicant chose to receive it"),
    "第三方": _("The third party consulted (left blank to fill in by hand)"),
    "征询期限": _("The day by which the third party should answer (15 working days)"),
    "日期": _("The day the notice is issued"),
}

_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value; unknown ones stay as written,
    so that a typing mistake shows on the document instead of failing."""
    return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders in ``text`` that :data:`PLACEHOLDERS` does not know, in order."""
    seen: list[str] = []
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen
