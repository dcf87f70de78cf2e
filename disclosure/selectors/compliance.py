"""Where every catalog item stands against its update rule: one query, then the engine."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from operator import itemgetter

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateField, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from wagtail.models import Page
from wagtail.query import PageQuerySet

from ..models import (
    CatalogItemPage,
    Department,
    Placement,
    PriceListPage,
    PriceListVersion,
    PublicationPage,
)
from ..models.compliance import Attestation, ChangeEvent
from ..models.institutions import institution_name
from ..request_memo import memoized
from ..rules.deadlines import (
    ComplianceStatus,
    Deadline,
    catalog_on_time_rate,
    change_record,
    compute_deadline,
    period_history,
)
from ..rules.update_rules import DEFAULT_WORKING_DAYS
from . import workdays
from .catalog import (
    default_working_days_for,
    institution_settings_by_site,
    latest_publication_date,
    site_of,
    site_roots,
)


@dataclass(frozen=True)
class ItemSummary:
    """The columns of a catalog item that the overdue report, the dashboards and the counts
    use, taken from one row of values: building a Wagtail page object for each of 3,000 items
    took longer than the report's whole query."""

    pk: int
    title: str
    path: str
    audience: str
    rule_kind: str
    rule_period: str
    rule_working_days: int | None
    rule_review_months: int | None
    rule_due_month: int | None
    rule_due_day: int | None
    department_id: int | None
    department: Department | None
    last_published_on: dt.date | None
    last_attested_on: dt.date | None
    pending_change_on: dt.date | None

    #: The same rule as ``CatalogItemPage.update_rule``.
    update_rule = CatalogItemPage.update_rule


#: The columns an ``ItemSummary`` is read from (its department comes by its id).
_SUMMARY_COLUMNS = tuple(f.name for f in fields(ItemSummary) if f.name != "department")


@dataclass
class ItemCompliance:
    item: CatalogItemPage | ItemSummary
    deadline: Deadline
    institution: str
    category: str
    default_working_days: int
    institution_id: int | None = None
    category_id: int | None = None

    @property
    def rule_words(self) -> str:
        return self.item.update_rule.describe(default_working_days=self.default_working_days)

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.deadline.status).label)


def _oldest_pending_change(last_published) -> Subquery:
    """The oldest change of the item that no live publication followed (on or after its day),
    ``last_published`` being the day of the item's newest live publication (an expression on
    the outer row, or a date): the one whose publication is due first."""
    since = Coalesce(last_published, Value(dt.date.min), output_field=DateField())
    rows = ChangeEvent.objects.filter(item=OuterRef("pk"), changed_on__gt=since).values("item")
    return Subquery(rows.annotate(oldest=Min("changed_on")).values("oldest")[:1])


def _latest_recorded(model) -> Subquery:
    """The day the item's latest ``model`` row was recorded: an attestation counts from then,
    whatever day it says the check was made."""
    rows = model.objects.filter(item=OuterRef("pk")).values("item")
    return Subquery(rows.annotate(latest=Max(TruncDate("recorded_at"))).values("latest")[:1])


def annotated_items(items: PageQuerySet) -> PageQuerySet:
    """Items with the dates the engine needs, annotated in SQL."""
    return items.select_related("department").annotate(
        last_published_on=latest_publication_date(),
        last_attested_on=_latest_recorded(Attestation),
        pending_change_on=_oldest_pending_change(OuterRef("last_published_on")),
    )


def _institutions() -> dict[int, tuple[str, int]]:
    """(institution name, default working days) of every institution, by site id."""
    return memoized("compliance-institutions", _read_institutions)


def _read_institutions() -> dict[int, tuple[str, int]]:
    settings_by_site = institution_settings_by_site()
    terms = {}
    for _root, site in site_roots():
        institution = settings_by_site.get(site.pk)
        terms[site.pk] = (
            institution_name(site, institution),
            institution.default_update_working_days if institution else DEFAULT_WORKING_DAYS,
        )
    return terms


def _summaries(items: PageQuerySet) -> list[ItemSummary]:
    # Sorted here, not in SQL: ordered by path, PostgreSQL read the page table's path index
    # whole (53,000 pages) to find the 3,000 items, where the items' own table is the short way.
    rows = sorted(
        annotated_items(items).order_by().values(*_SUMMARY_COLUMNS), key=itemgetter("path")
    )
    ids = {row["department_id"] for row in rows} - {None}
    departments = Department.objects.in_bulk(ids) if ids else {}
    return [ItemSummary(**row, department=departments.get(row["department_id"])) for row in rows]


def item_compliance(
    *, items: PageQuerySet, today: dt.date | None = None, summaries: bool = False
) -> list[ItemCompliance]:
    """Every item of ``items`` with its deadline today. A fixed number of queries.

    With ``summaries``, each row's ``item`` is an ``ItemSummary`` (title, path, rule,
    department and dates) rather than the page itself: for lists and counts over a whole
    catalog.
    """
    today = today or timezone.localdate()
    calendar = workdays.calendar()
    roots = site_roots()
    institutions = _institutions()
    items = _summaries(items) if summaries else list(annotated_items(items).order_by("path"))
    category_paths = {item.path[: -Page.steplen] for item in items}
    categories = {
        path: (title, pk)
        for path, title, pk in Page.objects.filter(path__in=category_paths).values_list(
            "path", "title", "pk"
        )
    }
    results = []
    for item in items:
        site = site_of(item.path, roots)
        site_id = site.pk if site is not None else None
        name, days = institutions[site_id] if site_id is not None else ("", DEFAULT_WORKING_DAYS)
        category_title, category_id = categories.get(item.path[: -Page.steplen], ("", None))
        deadline = compute_deadline(
            rule=item.update_rule,
            today=today,
            calendar=calendar,
            default_working_days=days,
            last_published=item.last_published_on,
            last_attested=item.last_attested_on,
            pending_change=item.pending_change_on,
        )
        results.append(
            ItemCompliance(
                item=item,
                deadline=deadline,
                institution=name,
                category=category_title,
                category_id=category_id,
                default_working_days=days,
                institution_id=site_id,
            )
        )
    return results


def standings_by_item(item_ids: Iterable[int], *, today: dt.date | None = None) -> dict:
    """``{item id: ItemCompliance}`` for the catalog items among ``item_ids`` (summaries: their
    department and deadline), in the same fixed number of queries as ``item_compliance``."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = item_compliance(
        items=CatalogItemPage.objects.filter(pk__in=ids), today=today, summaries=True
    )
    return {row.item.pk: row for row in rows}


@dataclass
class ComplianceCounts:
    """How many items of a department (or an institution) stand where."""

    name: str
    department_id: int | None = None
    institution_id: int | None = None
    overdue: int = 0
    missing: int = 0
    due_soon: int = 0
    on_time: int = 0
    no_schedule: int = 0
    total: int = 0
    sort_key: tuple = ()
    departments: list[ComplianceCounts] = field(default_factory=list)

    def add(self, status: str) -> None:
        self.total += 1
        if status == ComplianceStatus.OVERDUE:
            self.overdue += 1
        elif status == ComplianceStatus.MISSING:
            self.missing += 1
        elif status == ComplianceStatus.DUE_SOON:
            self.due_soon += 1
        elif status == ComplianceStatus.ON_TIME:
            self.on_time += 1
        else:
            self.no_schedule += 1

    @property
    def late(self) -> int:
        return self.overdue + self.missing

    @property
    def on_time_rate(self) -> int | None:
        """Percentage of scheduled items (real-time ones have no schedule) that are not late.

        Rounded down, so that a catalog with one late item never shows 100%.
        """
        return catalog_on_time_rate(total=self.total, no_schedule=self.no_schedule, late=self.late)


def counts_by_institution(
    rows: Iterable[ItemCompliance], *, counts_class: type[ComplianceCounts] = ComplianceCounts
) -> list[ComplianceCounts]:
    """Each institution's counts (by name), with its departments' (in the departments' order)."""
    institutions: dict[int | None, ComplianceCounts] = {}
    departments: dict[tuple[int | None, int | None], ComplianceCounts] = {}
    for row in rows:
        department = row.item.department
        key = (row.institution_id, row.item.department_id)
        if key not in departments:
            departments[key] = counts_class(
                name=department.name if department else "",
                department_id=row.item.department_id,
                institution_id=row.institution_id,
                sort_key=(department.sort_order, department.name) if department else (),
            )
            institution = institutions.setdefault(
                row.institution_id,
                counts_class(name=row.institution, institution_id=row.institution_id),
            )
            institution.departments.append(departments[key])
        departments[key].add(row.deadline.status)
        institutions[row.institution_id].add(row.deadline.status)
    for institution in institutions.values():
        institution.departments.sort(key=lambda counts: counts.sort_key)
    return sorted(institutions.values(), key=lambda institution: institution.name)


def deadline_for_item(item: CatalogItemPage, *, today: dt.date | None = None) -> ItemCompliance:
    """One item's standing (for its public label and the API)."""
    return item_compliance(items=CatalogItemPage.objects.filter(pk=item.pk), today=today)[0]


def _live_publication_dates(item: CatalogItemPage) -> list[dt.date]:
    return live_publication_dates_by_item([item]).get(item.pk, [])


def live_publication_dates_by_item(items) -> dict[int, list[dt.date]]:
    """The days the items' live publications went live there, by item id: when they first
    went live, or, for those moved in from another item, when they were moved in, and the
    days a live price list's later versions went live (two queries, however many items; a
    third where there are price lists)."""
    parents = {item.path: item.pk for item in items}
    if not parents:
        return {}
    # Below the items' common ancestor, one level below an item; the rest is sorted out here.
    live = PublicationPage.objects.live().filter(
        path__startswith=os.path.commonprefix(list(parents)),  # noqa: RUF071 (treebeard paths)
        depth__in={len(path) // Page.steplen + 1 for path in parents},
    )
    price_list_type = ContentType.objects.get_for_model(PriceListPage).pk
    rows, price_lists = [], {}
    for pk, path, went_live, content_type in live.values_list(
        "pk", "path", "first_published_at", "content_type_id"
    ):
        if path[: -Page.steplen] in parents:
            rows.append((pk, parents[path[: -Page.steplen]], went_live))
            if content_type == price_list_type:
                price_lists[pk] = parents[path[: -Page.steplen]]
    moved_in = {
        (page, parent): last
        for page, parent, last in Placement.objects.filter(
            parent__in=parents.values(),
            cause=Placement.Cause.MOVED,
            page__in=[pk for pk, _item, _went_live in rows],
        )
        .values("page", "parent")
        .annotate(last=Max("recorded_at"))
        .values_list("page", "parent", "last")
    }
    dates: dict[int, list[dt.date]] = {}
    since = {}
    for pk, item_id, went_live in rows:
        moments = [m for m in (went_live, moved_in.get((pk, item_id))) if m is not None]
        if moments:
            since[pk] = max(moments)
            dates.setdefault(item_id, []).append(timezone.localtime(max(moments)).date())
    # A price list's later versions are publications too (its first is the page's own).
    if price_lists:
        versions = PriceListVersion.objects.filter(
            page__in=list(price_lists), published_at__isnull=False
        ).values_list("page_id", "published_at")
        for page_id, published_at in versions:
            day = timezone.localtime(published_at).date()
            # Not the list's first version (the page's own day), nor one that went live
            # before the list was moved under this item.
            if page_id in since and day > timezone.localtime(since[page_id]).date():
                dates[price_lists[page_id]].append(day)
    return dates


def _period_history(item, *, dates, today, default_working_days: int, count: int):
    return period_history(
        rule=item.update_rule,
        publication_dates=dates,
        today=today,
        calendar=workdays.calendar(),
        default_working_days=default_working_days,
        count=count,
    )


def period_records(item: CatalogItemPage, *, today: dt.date | None = None, count: int = 8):
    """A periodic item's last ``count`` periods: on time, late, missing or not due yet."""
    return _period_history(
        item,
        dates=_live_publication_dates(item),
        today=today or timezone.localdate(),
        default_working_days=default_working_days_for(site_of(item.path)),
        count=count,
    )


@dataclass(frozen=True)
class ItemStanding:
    """What an item's public page shows of its standing: its last publication, its next due
    date and its recent periods."""

    last_published_on: dt.date | None
    deadline: Deadline
    periods: list


def item_standing(
    item: CatalogItemPage,
    *,
    default_working_days: int,
    today: dt.date | None = None,
    count: int = 8,
) -> ItemStanding:
    """The standing of one item whose institution is known (the page being served), in two
    queries: its live publications' dates, and its latest attestation and change. The same
    engine and the same dates as ``deadline_for_item`` and ``period_records``."""
    today = today or timezone.localdate()
    dates = _live_publication_dates(item)
    last_published = max(dates, default=None)
    marks = (
        CatalogItemPage.objects.filter(pk=item.pk)
        .values(
            last_attested_on=_latest_recorded(Attestation),
            pending_change_on=_oldest_pending_change(Value(last_published)),
        )
        .first()
        or {}
    )
    deadline = compute_deadline(
        rule=item.update_rule,
        today=today,
        calendar=workdays.calendar(),
        default_working_days=default_working_days,
        last_published=last_published,
        last_attested=marks.get("last_attested_on"),
        pending_change=marks.get("pending_change_on"),
    )
    periods = _period_history(
        item,
        dates=dates,
        today=today,
        default_working_days=default_working_days,
        count=count,
    )
    return ItemStanding(last_published_on=last_published, deadline=deadline, periods=periods)


def change_outcomes(
    item: CatalogItemPage,
) -> list[tuple[ChangeEvent, dt.date, dt.date | None, bool]]:
    """Each recorded change with its due date, the first publication after it, and whether that
    publication was late (or, when none yet, whether the change is now overdue)."""
    default_working_days = default_working_days_for(site_of(item.path))
    dates = _live_publication_dates(item)
    calendar, today = workdays.calendar(), timezone.localdate()
    outcomes = []
    for event in item.change_events.select_related("recorded_by"):
        record = change_record(
            rule=item.update_rule,
            changed_on=event.changed_on,
            publication_dates=dates,
            today=today,
            calendar=calendar,
            default_working_days=default_working_days,
        )
        outcomes.append((event, record.due, record.published_on, record.late))
    return outcomes
