"""Reads of a price list's history: the draft's difference from the live list, the recorded
price changes, and the price in force on a past date.

The rows are read with ``values()`` (a list of 20,000 rows is two queries and no model
objects), and the comparison itself is the rules' (``rules.prices.price_differences``), so the
review's dialog, the full diff view, its export and the changes recorded on publication all
agree row for row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ..models.prices import ChangeKind, PriceChange, PriceListPage, PriceListVersion, PriceRow
from ..rules.prices import DETAIL_FIELDS, PriceLine, RowChange, normalise, price_differences

_LINE_COLUMNS = ("key", "code", "name", "unit", "price", "grade_prices", *DETAIL_FIELDS)


def _lines(version_id: int | None) -> list[PriceLine]:
    if version_id is None:
        return []
    rows = PriceRow.objects.filter(version_id=version_id).values_list(*_LINE_COLUMNS)
    return [
        PriceLine(
            key=key,
            code=code,
            name=name,
            unit=unit,
            price=price,
            grade_prices=tuple(sorted((str(g), str(p)) for g, p in (grades or {}).items())),
            details=tuple(zip(DETAIL_FIELDS, (str(value) for value in details), strict=True)),
        )
        for key, code, name, unit, price, grades, *details in rows.iterator(chunk_size=5000)
    ]


def differences_between(old_version_id: int | None, new_version_id: int | None) -> list[RowChange]:
    """What version ``new_version_id`` changes against ``old_version_id`` (two queries)."""
    if old_version_id == new_version_id:
        return []
    return price_differences(_lines(old_version_id), _lines(new_version_id))


def live_version_id(page: PriceListPage) -> int | None:
    """The version the live page shows (``None``: the list has never gone live with rows).
    Read from the page row, whatever revision ``page`` was built from."""
    return (
        PriceListPage.objects.filter(pk=page.pk, live=True)
        .values_list("rows_version_id", flat=True)
        .first()
    )


def draft_version_id(page: PriceListPage) -> int | None:
    """The version the latest revision names: the list under review (or being edited)."""
    revision = page.get_latest_revision()
    if revision is None:
        return page.rows_version_id
    return revision.content.get("rows_version")


@dataclass
class PriceDiff:
    """The draft's rows against the live list's, with both versions and the counts."""

    live: PriceListVersion | None
    draft: PriceListVersion | None
    changes: list[RowChange] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(change.change for change in self.changes)

    @property
    def added(self) -> int:
        return self.counts[ChangeKind.ADDED]

    @property
    def removed(self) -> int:
        return self.counts[ChangeKind.REMOVED]

    @property
    def changed(self) -> int:
        return self.counts[ChangeKind.CHANGED]

    @property
    def first_list(self) -> bool:
        """No live list to compare with: every row of the draft is new."""
        return self.live is None

    @property
    def new_rows(self) -> bool:
        """Does the draft name other rows than the live list (a new import)?"""
        return self.draft is not None and (self.live is None or self.live.pk != self.draft.pk)


def price_list_diff(page: PriceListPage) -> list[RowChange]:
    """The draft's (the latest revision's) rows against the live list's, row by row: changed,
    added, removed, each by code. Empty when the draft names the live version."""
    return differences_between(live_version_id(page), draft_version_id(page))


def review_diff(page: PriceListPage) -> PriceDiff:
    """``price_list_diff`` with the two versions it compares, for the reviewers' screens."""
    live_id, draft_id = live_version_id(page), draft_version_id(page)
    versions = PriceListVersion.objects.in_bulk({live_id, draft_id} - {None})
    return PriceDiff(
        live=versions.get(live_id),
        draft=versions.get(draft_id),
        changes=differences_between(live_id, draft_id),
    )


def changes_for(
    page: PriceListPage, *, since: dt.date | None = None, change: str | None = None
) -> QuerySet[PriceChange]:
    """The price changes recorded on the list's publications, newest first (by effective date,
    then the later import), each day's by code."""
    changes = PriceChange.objects.filter(page_id=page.pk)
    if since is not None:
        changes = changes.filter(effective_date__gte=since)
    if change:
        changes = changes.filter(change=change)
    return changes.order_by("-effective_date", "-version_id", "code", "key")


def version_on(page: PriceListPage, on: dt.date) -> PriceListVersion | None:
    """The version in force on ``on``: of the versions that went live, the latest effective on
    or before that day (of two with the same date, the one published last)."""
    return (
        PriceListVersion.objects.filter(
            page_id=page.pk, published_at__isnull=False, effective_date__lte=on
        )
        .order_by("-effective_date", "-published_at")
        .first()
    )


def price_on(
    page: PriceListPage, *, code: str = "", name: str = "", on: dt.date
) -> PriceRow | None:
    """The row in force on ``on`` (``row.version`` says since when and by which basis), found by
    its code (a drug's or consumable's key where it has none) or else by its name: the exact
    name first, otherwise the first row whose name contains it. ``None`` when the list had no
    such row then, or no list was in force yet. One query (two for a name not found as typed)."""
    versions = PriceListVersion.objects.filter(
        page_id=page.pk, published_at__isnull=False, effective_date__lte=on
    ).order_by("-effective_date", "-published_at")
    rows = (
        PriceRow.objects.filter(version=versions.values("pk")[:1])
        .select_related("version")
        .order_by("position")
    )
    code, name = normalise(code), normalise(name)
    if code:
        return rows.filter(Q(code__iexact=code) | Q(key=code.upper()) | Q(key=code.lower())).first()
    if not name:
        return None
    return rows.filter(name=name).first() or rows.filter(name__contains=name).first()


def find_price_on(page: PriceListPage, *, query: str, on: dt.date) -> PriceRow | None:
    """The row in force on ``on`` for what a visitor typed: a code (as one word of letters,
    digits and hyphens), else a name or part of one."""
    text = normalise(query)
    if not text:
        return None
    row = None
    if " " not in text and text[:1].isascii() and text[:1].isalnum():
        row = price_on(page, code=text, on=on)
    return row or price_on(page, name=text, on=on)


#: The changed rows a reviewer's dialog shows; the full diff view has them all.
DIALOG_ROWS = 20


def dialog_diff(page) -> PriceDiff | None:
    """What a reviewer's dialog shows of a price list under review: the diff against the live
    list (its first ``DIALOG_ROWS`` rows are shown); ``None`` for a page of another type."""
    page = getattr(page, "specific", page)
    if not isinstance(page, PriceListPage):
        return None
    return review_diff(page)
