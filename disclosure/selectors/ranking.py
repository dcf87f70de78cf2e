"""A health commission's ranking of the institutions in its area, their trends by quarter,
and each institution's standing on a day as a compliance snapshot records it.

A standing is computed by the selectors that the institution's own reports use (the overdue
report's :func:`~.compliance.item_compliance`, the ledger's :func:`~.rectification.finding_rows`,
the inspections' :func:`~.inspections.latest_scores`, the requests' deadlines), across every
institution at once, so that the number of queries does not grow with the area. The ranking
reads the daily snapshots stored for the day asked, so a past ranking stays what it was.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..models import (
    AnnualReportPage,
    CatalogItemPage,
    ComplianceSnapshot,
    DisclosureRequest,
    Finding,
    Inspection,
)
from ..rules.deadlines import ComplianceStatus, catalog_on_time_rate, urgency
from ..rules.inspections import InspectionKind
from ..rules.rectification import UNFINISHED
from ..rules.request_clock import ClockStatus
from ..rules.requests import OPEN_STATES
from .catalog import institution_names, site_of, site_roots
from .compliance import ComplianceCounts, ItemCompliance, counts_by_institution, item_compliance
from .inspections import ANNUAL_REPORT_DUE, inspections_visible_to, latest_scores, site_items
from .rectification import FindingRow, finding_rows
from .requests import case_deadline, rules_by_site

# Standings ----------------------------------------------------------------------------------


@dataclass
class RequestCounts:
    """An institution's disclosure requests in the year up to a day: counts only, never a
    person."""

    received: int = 0
    answered: int = 0
    answered_late: int = 0
    open: int = 0
    overdue: int = 0


def request_counts(site_ids: Iterable[int], *, today: dt.date) -> dict[int, RequestCounts]:
    """Each institution's requests received and answered from 1 January to ``today``, those
    answered late, and those open (and overdue) on ``today``. Three queries, whatever the
    number of institutions."""
    ids = set(site_ids)
    year_start = dt.date(today.year, 1, 1)
    counts = {site_id: RequestCounts() for site_id in ids}
    cases = DisclosureRequest.objects.filter(site_id__in=ids, received_on__lte=today).filter(
        Q(received_on__gte=year_start)
        | Q(answered_on__range=(year_start, today))
        | Q(state__in=OPEN_STATES)
    )
    rules = rules_by_site(ids)
    for case in cases:
        figures = counts[case.site_id]
        deadline = case_deadline(case, rules=rules[case.site_id], today=today)
        if case.received_on >= year_start:
            figures.received += 1
        if case.answered_on is not None and year_start <= case.answered_on <= today:
            figures.answered += 1
            figures.answered_late += deadline.status == ClockStatus.ANSWERED_LATE
        elif case.state in OPEN_STATES:
            figures.open += 1
            figures.overdue += deadline.status == ClockStatus.OVERDUE
    return counts


def annual_reports_on_time(
    site_ids: Iterable[int], *, today: dt.date
) -> tuple[int, dict[int, bool | None]]:
    """(the year whose annual report is due this year, and for each institution whether it
    went live by its due day: True, False once late, None while not yet due). As
    :func:`~.inspections.annual_report_standing`, for every institution in one query."""
    year = today.year - 1
    due = dt.date(year + 1, *ANNUAL_REPORT_DUE)
    roots = site_roots()
    first: dict[int, dt.date] = {}
    for path, went_live in (
        AnnualReportPage.objects.live()
        .filter(year=year, first_published_at__isnull=False)
        .values_list("path", "first_published_at")
    ):
        site = site_of(path, roots)
        day = timezone.localdate(went_live)
        if site is not None and day <= today:
            first[site.pk] = min(day, first.get(site.pk, day))
    standing = {}
    for site_id in site_ids:
        published = first.get(site_id)
        if published is not None:
            standing[site_id] = published <= due
        else:
            standing[site_id] = False if today > due else None
    return year, standing


def _items_of(sites: list[Site]):
    items = CatalogItemPage.objects.all()
    scope = Q()
    for site in sites:
        scope |= Q(path__startswith=site.root_page.path)
    return items.filter(scope) if scope else items.none()


@dataclass(frozen=True)
class Standings:
    """Each institution's standing on a day (unsaved snapshots, by name) and every catalog
    column behind it (``rows``, the overdue report's rows)."""

    snapshots: list[ComplianceSnapshot]
    rows: list[ItemCompliance]


def standings(*, site_ids: Iterable[int] | None = None, today: dt.date | None = None) -> Standings:
    """Every institution's (or those of ``site_ids``') standing on ``today``: the catalog's
    counts as the overdue report gives them, open and overdue rectifications, the latest
    signed-off self-score and commission score, the annual report due this year, and the
    requests answered (and answered late) this year. A fixed number of queries."""
    today = today or timezone.localdate()
    sites = Site.objects.select_related("root_page").order_by("pk")
    if site_ids is not None:
        sites = sites.filter(pk__in=list(site_ids))
    sites = list(sites)
    ids = frozenset(site.pk for site in sites)
    if not ids:
        return Standings([], [])
    names = institution_names(sites)
    rows = [
        row
        for row in item_compliance(items=_items_of(sites), today=today, summaries=True)
        if row.institution_id in ids
    ]
    counts = {counts.institution_id: counts for counts in counts_by_institution(rows)}
    findings = finding_rows(
        Finding.objects.filter(site_id__in=ids, state__in=UNFINISHED, raised_on__lte=today),
        today=today,
    )
    open_findings: dict[int, int] = defaultdict(int)
    overdue_findings: dict[int, int] = defaultdict(int)
    for row in findings:
        open_findings[row.finding.site_id] += 1
        overdue_findings[row.finding.site_id] += row.overdue
    self_scores = {s.site_id: s.total for s in latest_scores(ids, kind=InspectionKind.SELF)}
    commission_scores = {
        s.site_id: s.total for s in latest_scores(ids, kind=InspectionKind.COMMISSION)
    }
    report_year, reports = annual_reports_on_time(ids, today=today)
    requests = request_counts(ids, today=today)
    snapshots = []
    for site in sites:
        catalog = counts.get(site.pk)
        snapshots.append(
            ComplianceSnapshot(
                site=site,
                taken_on=today,
                institution_name=names[site.pk][:200],
                items=catalog.total if catalog else 0,
                on_time=catalog.on_time if catalog else 0,
                due_soon=catalog.due_soon if catalog else 0,
                overdue=catalog.overdue if catalog else 0,
                never_published=catalog.missing if catalog else 0,
                no_schedule=catalog.no_schedule if catalog else 0,
                open_findings=open_findings[site.pk],
                overdue_findings=overdue_findings[site.pk],
                self_score=self_scores.get(site.pk),
                commission_score=commission_scores.get(site.pk),
                annual_report_year=report_year,
                annual_report_on_time=reports[site.pk],
                requests_answered=requests[site.pk].answered,
                requests_late=requests[site.pk].answered_late,
            )
        )
    snapshots.sort(key=lambda snapshot: (snapshot.institution_name, snapshot.site_id))
    return Standings(snapshots, rows)


def snapshot_on_time_rate(snapshot: ComplianceSnapshot) -> int | None:
    """The on-time rate of a snapshot's catalog, as the institution's own counts give it."""
    return catalog_on_time_rate(
        total=snapshot.items,
        no_schedule=snapshot.no_schedule,
        late=snapshot.overdue + snapshot.never_published,
    )


# The ranking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """One institution's place in the ranking; ``live`` when no snapshot was stored for the
    day and today's standing was computed instead."""

    snapshot: ComplianceSnapshot
    rank: int
    live: bool = False

    @property
    def site_id(self) -> int:
        return self.snapshot.site_id

    @property
    def on_time_rate(self) -> int | None:
        return snapshot_on_time_rate(self.snapshot)

    @property
    def late(self) -> int:
        return self.snapshot.overdue + self.snapshot.never_published


def _better_bool(value: bool | None) -> int | None:
    return None if value is None else (0 if value else 1)


def _neg(value):
    return None if value is None else -value


#: The columns the ranking sorts by: each one's key, the better institution first (a value
#: of None, e.g. no score yet, always sorts last).
SORT_KEYS = {
    "on_time_rate": lambda s: _neg(snapshot_on_time_rate(s)),
    "overdue": lambda s: s.overdue,
    "never_published": lambda s: s.never_published,
    "open_findings": lambda s: s.open_findings,
    "overdue_findings": lambda s: s.overdue_findings,
    "self_score": lambda s: _neg(s.self_score),
    "commission_score": lambda s: _neg(s.commission_score),
    "annual_report": lambda s: _better_bool(s.annual_report_on_time),
    "requests_late": lambda s: s.requests_late,
    "institution": lambda s: s.institution_name,
}
DEFAULT_SORT = "on_time_rate"


@dataclass(frozen=True)
class Ranking:
    on: dt.date
    sort: str
    descending: bool
    rows: list[RankRow] = field(default_factory=list)

    @property
    def live(self) -> bool:
        """Some rows were computed now: no snapshot had been taken of them that day."""
        return any(row.live for row in self.rows)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``on_time_rate`` (best first) or ``-on_time_rate`` (worst first); unknown: default."""
    value = value or ""
    descending = value.startswith("-")
    column = value.removeprefix("-")
    if column not in SORT_KEYS:
        return DEFAULT_SORT, False
    return column, descending


def rank(
    snapshots: Iterable[ComplianceSnapshot],
    *,
    sort: str = DEFAULT_SORT,
    live: frozenset[int] = frozenset(),
) -> tuple[list[RankRow], str, bool]:
    """Rank ``snapshots`` by a column: ties share a rank (1, 2, 2, 4); institutions without a
    value (no score yet) come last, sharing the last rank."""
    column, descending = parse_sort(sort)
    key = SORT_KEYS[column]
    ordered = sorted(
        snapshots,
        key=lambda s: (key(s) is None, key(s) if key(s) is not None else 0, s.institution_name),
    )
    rows: list[RankRow] = []
    previous = object()
    place = 0
    for position, snapshot in enumerate(ordered, start=1):
        value = key(snapshot)
        if value != previous:
            place, previous = position, value
        rows.append(RankRow(snapshot=snapshot, rank=place, live=snapshot.site_id in live))
    if descending:
        rows = [row for row in reversed(rows) if key(row.snapshot) is not None] + [
            row for row in rows if key(row.snapshot) is None
        ]
    return rows, column, descending


def daily_snapshots(*, site_ids: Iterable[int], on: dt.date):
    return ComplianceSnapshot.objects.filter(
        site_id__in=list(site_ids), taken_on=on, update_check__isnull=True
    )


def ranking(
    *,
    site_ids: Iterable[int],
    on: dt.date,
    sort: str = DEFAULT_SORT,
    today: dt.date | None = None,
) -> Ranking:
    """The institutions of ``site_ids`` ranked on the day ``on`` by the daily snapshots of that
    day. For today, an institution without a snapshot yet is computed live (and said so); for
    a past day, only what was recorded then is ranked."""
    today = today or timezone.localdate()
    ids = set(site_ids)
    stored = list(daily_snapshots(site_ids=ids, on=on))
    live: frozenset[int] = frozenset()
    missing = ids - {snapshot.site_id for snapshot in stored}
    if on == today and missing:
        computed = standings(site_ids=missing, today=today).snapshots
        live = frozenset(snapshot.site_id for snapshot in computed)
        stored += computed
    rows, column, descending = rank(stored, sort=sort, live=live)
    return Ranking(on=on, sort=column, descending=descending, rows=rows)


# Trends -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.number}

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )


def last_quarters(today: dt.date, count: int) -> list[Quarter]:
    """The ``count`` quarters up to today's, oldest first."""
    quarter = Quarter(today.year, (today.month - 1) // 3 + 1)
    quarters = [quarter]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


@dataclass(frozen=True)
class TrendSeries:
    site_id: int
    institution: str
    #: The on-time rate at each quarter's end (None: no snapshot in that quarter).
    rates: tuple[int | None, ...]


@dataclass(frozen=True)
class Trends:
    quarters: tuple[Quarter, ...]
    series: tuple[TrendSeries, ...]


def quarterly_trends(
    *, site_ids: Iterable[int], quarters: int = 4, today: dt.date | None = None
) -> Trends:
    """Each institution's on-time rate per quarter, read from its daily snapshot nearest the
    quarter's end (the latest taken in the quarter; for the current quarter, up to today).
    Two queries, whatever the number of institutions."""
    today = today or timezone.localdate()
    ids = set(site_ids)
    periods = last_quarters(today, quarters)
    latest: dict[tuple[int, int], tuple[dt.date, int | None, str]] = {}
    rows = (
        ComplianceSnapshot.objects.filter(
            site_id__in=ids,
            update_check__isnull=True,
            taken_on__range=(periods[0].start, today),
        )
        .order_by("taken_on")
        .values_list(
            "site_id",
            "taken_on",
            "institution_name",
            "items",
            "no_schedule",
            "overdue",
            "never_published",
        )
    )
    starts = [period.start for period in periods]
    for site_id, taken_on, name, items, no_schedule, overdue, never in rows:
        index = max(i for i, start in enumerate(starts) if start <= taken_on)
        rate = catalog_on_time_rate(total=items, no_schedule=no_schedule, late=overdue + never)
        latest[(site_id, index)] = (taken_on, rate, name)
    names = institution_names(Site.objects.filter(pk__in=ids))
    for (site_id, _index), (_day, _rate, name) in sorted(latest.items()):
        names.setdefault(site_id, name)
    series = tuple(
        TrendSeries(
            site_id=site_id,
            institution=names[site_id],
            rates=tuple(
                latest[(site_id, index)][1] if (site_id, index) in latest else None
                for index in range(len(periods))
            ),
        )
        for site_id in sorted(names, key=lambda pk: (names[pk], pk))
    )
    return Trends(quarters=tuple(periods), series=series)


def columns_in_report_order(rows: Iterable[ItemCompliance]) -> list[ItemCompliance]:
    """Catalog columns grouped by institution (by name), each institution's in the overdue
    report's order (most urgent first)."""
    return sorted(
        rows,
        key=lambda row: (
            row.institution,
            row.institution_id or 0,
            urgency(status=row.deadline.status, due=row.deadline.due, path=row.item.path),
        ),
    )


#: Statuses of the columns the drill-down lists: the late ones.
LATE_STATUSES = (ComplianceStatus.MISSING, ComplianceStatus.OVERDUE)


# One institution, drilled down --------------------------------------------------------------


@dataclass(frozen=True)
class InstitutionReport:
    """What a commission reads of one institution of its area: its reports' figures, no
    personal data and nothing to change."""

    site: Site
    name: str
    today: dt.date
    counts: ComplianceCounts | None
    #: The overdue and never-published columns, most urgent first (as the overdue report).
    late_rows: list[ItemCompliance]
    #: Unfinished rectification findings, oldest due first.
    findings: list[FindingRow]
    inspections: list[Inspection]
    requests: RequestCounts
    annual_report_year: int
    annual_report_on_time: bool | None

    @property
    def overdue_findings(self) -> int:
        return sum(row.overdue for row in self.findings)


def institution_report(*, site: Site, user, today: dt.date | None = None) -> InstitutionReport:
    """One institution's standing today, read from the selectors of its own reports; its
    inspections as ``user`` may read them (another commission's until signed off: none)."""
    today = today or timezone.localdate()
    rows = item_compliance(items=site_items(site), today=today, summaries=True)
    counts = counts_by_institution(rows)
    late = sorted(
        (row for row in rows if row.deadline.status in LATE_STATUSES),
        key=lambda row: urgency(
            status=row.deadline.status, due=row.deadline.due, path=row.item.path
        ),
    )
    findings = finding_rows(
        Finding.objects.filter(site=site, state__in=UNFINISHED).select_related(
            "department", "item"
        ),
        today=today,
    )
    findings.sort(key=lambda row: (row.due or dt.date.max, row.finding.pk))
    inspections = list(
        inspections_visible_to(user).filter(site=site).order_by("-period_end", "-pk")
    )
    report_year, reports = annual_reports_on_time([site.pk], today=today)
    return InstitutionReport(
        site=site,
        name=institution_names([site])[site.pk],
        today=today,
        counts=counts[0] if counts else None,
        late_rows=late,
        findings=findings,
        inspections=inspections,
        requests=request_counts([site.pk], today=today)[site.pk],
        annual_report_year=report_year,
        annual_report_on_time=reports[site.pk],
    )
