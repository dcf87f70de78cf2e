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
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from wagtail.models import Site

from .. import workdays
from ..models.requests import Consultation, DisclosureRequest
from ..rules.annual_report import Cells, table_three
from ..rules.requests import ClockStatus
from .requests import CaseAccess, case_rows


def _closed_after(day: dt.date) -> Q:
    """Still open at the start of ``day``: not closed, or closed on it or later."""
    return Q(closed_on__isnull=True) | Q(closed_on__gte=day)


def _by_applicant(requests) -> Counter:
    return Counter(
        dict(requests.values_list("applicant_type").annotate(count=Count("pk")).order_by())
    )


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


@dataclass(frozen=True)
class ConsultationFigures:
    """The consultations of a statistics period, in the report's own table beside table 三."""

    received: int
    answered: int
    answered_on_time: int
    #: Working days from receipt to answer, on average over those answered (one decimal).
    average_working_days: Decimal | None


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
