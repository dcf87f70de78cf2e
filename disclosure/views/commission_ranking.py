"""A health commission's screens (卫健委): the ranking of the institutions of its area with
their trends, one institution's reports drilled down, and the update checks (网页更新检查).

Everything here reads. Who may read which commission and which institutions is
:class:`~disclosure.selectors.commissions.CommissionAccess`: a user with no commission at all
is refused (as the ledger's screens refuse a user with no ledger); another commission, or an
institution outside the area, is not found.
"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from wagtail.admin import messages
from wagtail.models import Site

from ..models import Commission, UpdateCheck
from ..rules.charts import line_chart
from ..rules.deadlines import ComplianceStatus
from ..selectors.commissions import CommissionAccess, commissions_visible_to
from ..selectors.ranking import institution_report, quarterly_trends, ranking
from ..services.snapshots import take_update_check
from .annual_report_files import FILE_TYPES, Sheet

#: The ranking's columns: (sort key, heading). The institution's name is not ranked on.
RANK_COLUMNS = (
    ("institution", gettext_lazy("Institution")),
    ("on_time_rate", gettext_lazy("On-time rate")),
    ("overdue", gettext_lazy("Overdue")),
    ("never_published", gettext_lazy("Never published")),
    ("open_findings", gettext_lazy("Open rectifications")),
    ("overdue_findings", gettext_lazy("Overdue rectifications")),
    ("self_score", gettext_lazy("Self-score")),
    ("commission_score", gettext_lazy("Commission score")),
    ("annual_report", gettext_lazy("Annual report on time")),
    ("requests_late", gettext_lazy("Requests answered late")),
)
TREND_QUARTERS = (4, 8)


def _access(request) -> CommissionAccess:
    access = CommissionAccess.of(request.user)
    if not access.any:
        raise PermissionDenied
    return access


def _commission_or_404(request, commission_id: int) -> tuple[Commission, frozenset[int]]:
    access = _access(request)
    if not access.reads_commission(commission_id):
        raise Http404
    commission = Commission.objects.filter(pk=commission_id).first()
    if commission is None:
        raise Http404
    return commission, access.area(commission_id)


#: The screens of a commission that the landing page opens (``?to=``), by URL name.
SCREENS = {
    "ranking": "disclosure_admin:commission_ranking",
    "update-checks": "disclosure_admin:commission_update_checks",
    "notices": "disclosure_admin:commission_notices",
}


def commission_index_view(request):
    """The user's commission, on the screen asked (``?to=``, default the ranking), or the list
    of their commissions when they read several."""
    access = _access(request)
    commissions = list(commissions_visible_to(request.user, access=access))
    screen = SCREENS.get(request.GET.get("to", ""), SCREENS["ranking"])
    if len(commissions) == 1:
        return redirect(screen, commissions[0].pk)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/index.html",
        {
            "commissions": [
                (
                    commission,
                    {
                        name.replace("-", "_"): reverse(url, args=[commission.pk])
                        for name, url in SCREENS.items()
                    },
                )
                for commission in commissions
            ]
        },
    )


def _day(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        return today
    return min(day, today)


#: Columns whose better institutions have the higher values (listed first, unless reversed).
HIGHER_IS_BETTER = frozenset({"on_time_rate", "self_score", "commission_score"})


def _aria_sort(column: str, reversed_: bool) -> str:
    if column == "annual_report":
        return "other"
    ascending = column not in HIGHER_IS_BETTER
    return "ascending" if ascending != reversed_ else "descending"


def _headings(commission: Commission, *, on: dt.date, sort: str, descending: bool) -> list:
    """Each column's heading with the link that sorts by it (again: the other way round)."""
    base = reverse("disclosure_admin:commission_ranking", args=[commission.pk])
    headings = []
    for column, label in RANK_COLUMNS:
        current = column == sort
        target = f"-{column}" if current and not descending else column
        headings.append(
            {
                "label": label,
                "url": f"{base}?{urlencode({'on': on.isoformat(), 'sort': target})}",
                "current": current,
                "aria_sort": _aria_sort(column, descending) if current else "none",
            }
        )
    return headings


def ranking_view(request, commission_id: int):
    commission, area = _commission_or_404(request, commission_id)
    today = timezone.localdate()
    on = _day(request.GET.get("on"), today)
    result = ranking(site_ids=area, on=on, sort=request.GET.get("sort", ""), today=today)
    quarters = 8 if request.GET.get("quarters") == "8" else 4
    trends = quarterly_trends(site_ids=area, quarters=quarters, today=today)
    chart = line_chart(
        [quarter.label for quarter in trends.quarters],
        [(series.institution, series.rates) for series in trends.series],
        maximum=100,
    )
    query = {"on": on.isoformat(), "sort": ("-" if result.descending else "") + result.sort}
    return TemplateResponse(
        request,
        "disclosure/admin/commission/ranking.html",
        {
            "commission": commission,
            "ranking": result,
            "today": today,
            "headings": _headings(
                commission, on=on, sort=result.sort, descending=result.descending
            ),
            "trends": trends,
            "chart": chart,
            "quarters": quarters,
            "quarter_choices": TREND_QUARTERS,
            "export_url": reverse(
                "disclosure_admin:commission_ranking_export", args=[commission.pk]
            )
            + "?"
            + urlencode(query),
        },
    )


def _rate(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not due yet")
    return _("Yes") if value else _("No")


def _score(value) -> str:
    return "—" if value is None else f"{value}"


def ranking_export_view(request, commission_id: int):
    """The ranking of the day, as the screen sorts it, as an XLSX workbook."""
    _commission, area = _commission_or_404(request, commission_id)
    today = timezone.localdate()
    on = _day(request.GET.get("on"), today)
    result = ranking(site_ids=area, on=on, sort=request.GET.get("sort", ""), today=today)
    workbook = Workbook()
    sheet = Sheet(workbook, _("Ranking"), first=True)
    headings = [_("Rank"), *(str(label) for _column, label in RANK_COLUMNS)]
    for column, heading in enumerate(headings, start=1):
        sheet.put(1, column, heading, bold=True)
    for number, row in enumerate(result.rows, start=2):
        snapshot = row.snapshot
        values = [
            row.rank,
            snapshot.institution_name,
            _rate(row.on_time_rate),
            snapshot.overdue,
            snapshot.never_published,
            snapshot.open_findings,
            snapshot.overdue_findings,
            _score(snapshot.self_score),
            _score(snapshot.commission_score),
            _yes_no(snapshot.annual_report_on_time),
            snapshot.requests_late,
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(number, column, value, left=column == 2)
    sheet.widths(8, 30, 12, 10, 12, 14, 14, 10, 12, 14, 14)
    return _xlsx(workbook, f"ranking-{on.isoformat()}")


def _xlsx(workbook: Workbook, name: str) -> HttpResponse:
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=FILE_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def institution_view(request, commission_id: int, site_id: int):
    """One institution of the area, read-only: its reports' figures and links to them."""
    commission, area = _commission_or_404(request, commission_id)
    if site_id not in area:
        raise Http404
    site = Site.objects.select_related("root_page").get(pk=site_id)
    report = institution_report(site=site, user=request.user)
    query = urlencode({"site": site.pk})
    return TemplateResponse(
        request,
        "disclosure/admin/commission/institution.html",
        {
            "commission": commission,
            "report": report,
            "statuses": ComplianceStatus,
            "links": {
                "overdue_report": f"{reverse('disclosure_admin:overdue_report')}?{query}",
                "ledger": f"{reverse('disclosure_admin:ledger')}?{query}",
                "audit": f"{reverse('disclosure_admin:audit_report')}?{query}",
            },
        },
    )


# Update checks (网页更新检查) ------------------------------------------------------------------


def update_check_list_view(request, commission_id: int):
    commission, _area = _commission_or_404(request, commission_id)
    checks = commission.update_checks.select_related("taken_by")[:200]
    return TemplateResponse(
        request,
        "disclosure/admin/commission/update_checks.html",
        {"commission": commission, "checks": checks},
    )


@require_POST
def update_check_run_view(request, commission_id: int):
    commission, _area = _commission_or_404(request, commission_id)
    check = take_update_check(commission=commission, user=request.user)
    messages.success(
        request,
        _("Update check done: %(columns)s columns of %(institutions)s institutions checked.")
        % {"columns": check.items.count(), "institutions": check.snapshots.count()},
    )
    return redirect("disclosure_admin:commission_update_check", commission.pk, check.pk)


def _check_or_404(request, commission_id: int, check_id: int):
    commission, _area = _commission_or_404(request, commission_id)
    check = (
        UpdateCheck.objects.select_related("taken_by")
        .filter(pk=check_id, commission=commission)
        .first()
    )
    if check is None:
        raise Http404
    return commission, check


def update_check_view(request, commission_id: int, check_id: int):
    commission, check = _check_or_404(request, commission_id, check_id)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/update_check.html",
        {
            "commission": commission,
            "check": check,
            "snapshots": check.snapshots.order_by("institution_name", "site_id"),
            "columns": check.items.order_by("sort_order"),
        },
    )


#: The update check's export, in the columns an inspector's 网页更新检查表 has.
CHECK_HEADINGS = (
    pgettext_lazy("update check", "No."),
    pgettext_lazy("update check", "Institution"),
    pgettext_lazy("update check", "Column"),
    pgettext_lazy("update check", "Department"),
    pgettext_lazy("update check", "Update rule"),
    pgettext_lazy("update check", "Last updated"),
    pgettext_lazy("update check", "Due"),
    pgettext_lazy("update check", "Status"),
)


def update_check_rows(check: UpdateCheck) -> list[list]:
    """The export's rows: one per frozen column, in the check's order (a date not known is
    an empty cell)."""
    rows = []
    for number, column in enumerate(check.items.order_by("sort_order"), start=1):
        due = column.due.isoformat() if column.due else None
        if due and column.due_estimated:
            due = _("%(date)s (estimated)") % {"date": due}
        rows.append(
            [
                number,
                column.institution_name,
                column.item_title,
                column.department_name or None,
                column.rule or None,
                column.last_published_on.isoformat() if column.last_published_on else None,
                due,
                column.get_status_display(),
            ]
        )
    return rows


def update_check_export_view(request, commission_id: int, check_id: int):
    _commission, check = _check_or_404(request, commission_id, check_id)
    workbook = Workbook()
    sheet = Sheet(workbook, _("Update check"), first=True)
    for column, heading in enumerate(CHECK_HEADINGS, start=1):
        sheet.put(1, column, str(heading), bold=True)
    for number, values in enumerate(update_check_rows(check), start=2):
        for column, value in enumerate(values, start=1):
            sheet.put(number, column, value, left=column in (2, 3, 5))
    sheet.widths(6, 28, 30, 12, 30, 14, 18, 12)
    return _xlsx(workbook, f"update-check-{check.taken_on.isoformat()}-{check.pk}")
