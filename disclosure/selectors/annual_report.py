"""Table 三 of an institution's annual report, counted from its register of requests.

For a statistics period (1 January to 31 December, or an institution's own, such as one that
closes on 20 December), a request counts

* in 一 (本年新收) when it was received in the period;
* in 二 (上年结转) when it was received before the period and still open when it began;
* in 三 (本年度办理结果), in its outcome's row, when it was closed (answered, withdrawn, deemed
  abandoned) in the period;
* in 四 (结转下年度继续办理) when it was received by the end of the period and still open then.

So every request received by the period's end and open at some time in it is counted once on
each side of 一 + 二 = 三 + 四, in its applicant's column.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import Page, Site

from .. import __version__
from ..models import (
    Attestation,
    CatalogCategoryPage,
    CatalogItemPage,
    ChangeEvent,
    Department,
    EmergencyPublication,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    PublicationPage,
)
from ..models.requests import Consultation, DisclosureRequest
from ..request_memo import kept_answers
from ..rules.annual_report import (
    CARRIED_IN,
    CARRIED_OUT,
    NEW,
    STATISTICS_FORMAT,
    TOTAL,
    TOTAL_HANDLED,
    CategoryFigures,
    Cells,
    ConsultationFigures,
    DepartmentFigures,
    ProactiveFigures,
    ReportStatistics,
    group_row,
    outcome_row,
    table_three,
)
from ..rules.deadlines import deadlines_between
from ..rules.request_clock import ClockStatus
from ..rules.requests import Outcome, outcome_group
from . import workdays
from .catalog import default_working_days_for
from .compliance import live_publication_dates_by_item
from .requests import CaseAccess, case_rows
from .scope import held_by


def _closed_after(day: dt.date) -> Q:
    """Still open at the start of ``day``: not closed, or closed on it or later."""
    return Q(closed_on__isnull=True) | Q(closed_on__gte=day)


def _by_applicant(requests) -> Counter:
    return Counter(
        dict(requests.values_list("applicant_type").annotate(count=Count("pk")).order_by())
    )


def requests_in_cell(requests, *, start: dt.date, end: dt.date, row: str, column: str):
    """The requests of ``requests`` that a cell of table 三 counts for the period (the same
    conditions as :func:`table_three_for`), for the drill-down from a cell to its cases."""
    if row == NEW:
        cell = Q(received_on__gte=start, received_on__lte=end)
    elif row == CARRIED_IN:
        cell = _closed_after(start) & Q(received_on__lt=start)
    elif row == CARRIED_OUT:
        cell = _closed_after(end + dt.timedelta(days=1)) & Q(received_on__lte=end)
    else:
        outcomes = [
            o
            for o in Outcome
            if row in (TOTAL_HANDLED, outcome_row(o), group_row(outcome_group(o)))
        ]
        cell = Q(closed_on__gte=start, closed_on__lte=end, outcome__in=outcomes)
    if column != TOTAL:
        cell &= Q(applicant_type=column)
    return requests.filter(cell)


def table_three_for(*, site: Site, start: dt.date, end: dt.date) -> Cells:
    """Every cell of table 三 for ``site`` and the period from ``start`` to ``end`` (four
    queries)."""
    requests = DisclosureRequest.objects.filter(site=site)
    handled = (
        requests.filter(closed_on__gte=start, closed_on__lte=end)
        .values_list("outcome", "applicant_type")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return table_three(
        new=_by_applicant(requests.filter(received_on__gte=start, received_on__lte=end)),
        carried_in=_by_applicant(requests.filter(_closed_after(start), received_on__lt=start)),
        handled={(outcome, kind): count for outcome, kind, count in handled},
        carried_out=_by_applicant(
            requests.filter(_closed_after(end + dt.timedelta(days=1)), received_on__lte=end)
        ),
    )


def consultation_figures(*, site: Site, start: dt.date, end: dt.date) -> ConsultationFigures:
    """Consultations received in the period, answered in it, answered within the institution's
    limit (on the working-day calendar), and the average working days to an answer."""
    consultations = Consultation.objects.filter(site=site)
    answered = case_rows(
        consultations.filter(answered_on__gte=start, answered_on__lte=end), access=CaseAccess()
    )
    days = [
        workdays.working_days_between(row.case.received_on, row.case.answered_on)
        for row in answered
    ]
    average = (
        (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if days
        else None
    )
    return ConsultationFigures(
        received=consultations.filter(received_on__gte=start, received_on__lte=end).count(),
        answered=len(answered),
        answered_on_time=sum(row.deadline.status == ClockStatus.ANSWERED for row in answered),
        average_working_days=average,
    )


def _went_live_between(pages, start: dt.date, end: dt.date):
    """Pages that first went live in the period (the publish record, not a typed date), live
    or withdrawn since."""
    return pages.annotate(went_live_on=TruncDate("first_published_at")).filter(
        went_live_on__gte=start, went_live_on__lte=end
    )


def proactive_figures(
    *, site: Site, start: dt.date, end: dt.date, today: dt.date | None = None
) -> ProactiveFigures:
    """二、主动公开情况 for ``site``: per catalog category, publications that went live in the
    period, its items' deadlines that fell in it (on time, late) and the "checked, no change"
    records made in it; per department, the deadlines on time and late; per month, the
    publications per category; the policy documents, interpretations and emergency
    publications. Fifteen queries, however large the catalog."""
    with kept_answers():  # the institutions' roots (``held_by``), read once for every query
        return _proactive_figures(site=site, start=start, end=end, today=today)


def _proactive_figures(
    *, site: Site, start: dt.date, end: dt.date, today: dt.date | None
) -> ProactiveFigures:
    today = today or timezone.localdate()
    root = site.root_page
    categories = list(
        CatalogCategoryPage.objects.filter(held_by([root.path]))
        .live()
        .order_by("path")
        .values_list("path", "title")
    )
    category_of = dict(categories)
    by_category, by_department = _deadline_counts(
        site=site, category_of=category_of, start=start, end=end, today=today
    )
    publications, months = _publication_counts(
        root=root, category_of=category_of, start=start, end=end
    )
    order = {name: index for index, name in enumerate(_department_order(site))}
    return ProactiveFigures(
        categories=tuple(
            CategoryFigures(
                title=title,
                publications=publications[title],
                on_time=by_category[title]["on_time"],
                late=by_category[title]["late"],
                attested=by_category[title]["attested"],
            )
            for _path, title in categories
        ),
        departments=tuple(
            DepartmentFigures(name=name, on_time=counts["on_time"], late=counts["late"])
            for name, counts in sorted(
                by_department.items(),
                key=lambda pair: (order.get(pair[0], len(order)), pair[0]),
            )
        ),
        months=tuple(
            (month, tuple((title, months.get(month, Counter())[title]) for _p, title in categories))
            for month in _months(start, end)
        ),
        policy_documents=_went_live_between(
            PolicyDocumentPage.objects.filter(held_by([root.path])), start, end
        ).count(),
        policy_interpretations=_went_live_between(
            PolicyInterpretationPage.objects.filter(held_by([root.path])), start, end
        ).count(),
        emergency_publications=EmergencyPublication.objects.filter(
            held_by([root.path], field="page__path")
        )
        .annotate(day=TruncDate("published_at"))
        .filter(day__gte=start, day__lte=end)
        .count(),
    )


def _deadline_counts(
    *, site: Site, category_of: dict[str, str], start: dt.date, end: dt.date, today: dt.date
) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """The deadlines of the live items of ``category_of``'s categories that fell due in the
    period (``on_time``, ``late``), with the attestations recorded in it (``attested``): by
    category title, and (deadlines only) by department name."""
    items = list(
        CatalogItemPage.objects.filter(held_by([site.root_page.path]))
        .live()
        .select_related("department")
        .order_by("path")
    )
    dates = live_publication_dates_by_item(items)
    changes: dict[int, list[dt.date]] = {}
    for item_id, changed_on in ChangeEvent.objects.filter(item__in=items).values_list(
        "item", "changed_on"
    ):
        changes.setdefault(item_id, []).append(changed_on)
    attested = Counter(
        Attestation.objects.filter(item__in=items)
        .annotate(day=TruncDate("recorded_at"))
        .filter(day__gte=start, day__lte=end)
        .values_list("item", flat=True)
    )
    calendar, default_days = workdays.calendar(), default_working_days_for(site)
    by_category: dict[str, Counter] = defaultdict(Counter)
    by_department: dict[str, Counter] = {}
    for item in items:
        title = category_of.get(item.path[: -Page.steplen])
        if title is None:
            continue
        on_time, late = deadlines_between(
            rule=item.update_rule,
            publication_dates=dates.get(item.pk, []),
            changes=changes.get(item.pk, []),
            start=start,
            end=end,
            today=today,
            calendar=calendar,
            default_working_days=default_days,
        )
        by_category[title].update(on_time=on_time, late=late, attested=attested[item.pk])
        if item.department is not None:
            by_department.setdefault(item.department.name, Counter()).update(
                on_time=on_time, late=late
            )
    return by_category, by_department


def _publication_counts(
    *, root: Page, category_of: dict[str, str], start: dt.date, end: dt.date
) -> tuple[Counter, dict[str, Counter]]:
    """The publications that went live in the period under ``category_of``'s categories: by
    category title, and by month ("2026-03") and category title."""
    published = _went_live_between(PublicationPage.objects.filter(held_by([root.path])), start, end)
    by_category: Counter = Counter()
    months: dict[str, Counter] = {}
    for path, went_live_on in published.values_list("path", "went_live_on"):
        title = category_of.get(path[: -2 * Page.steplen])
        if title is None:
            continue
        by_category[title] += 1
        months.setdefault(f"{went_live_on:%Y-%m}", Counter())[title] += 1
    return by_category, months


def _department_order(site: Site) -> list[str]:
    return list(Department.objects.filter(site=site).values_list("name", flat=True))


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def report_statistics(
    *, site: Site, start: dt.date, end: dt.date, today: dt.date | None = None
) -> ReportStatistics:
    """Everything a report counts, for freezing into it."""
    today = today or timezone.localdate()
    return ReportStatistics(
        start=start,
        end=end,
        generated_on=today,
        generator=f"wagtail-disclosure {__version__} · {STATISTICS_FORMAT}",
        table_three=table_three_for(site=site, start=start, end=end),
        consultations=consultation_figures(site=site, start=start, end=end),
        proactive=proactive_figures(site=site, start=start, end=end, today=today),
    )
