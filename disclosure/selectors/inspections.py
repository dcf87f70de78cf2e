"""Who may read, score and sign off inspections; the engines' figures behind the automatic
checklist items; each institution's latest score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Site

from ..models import (
    AnnualReportPage,
    CatalogItemPage,
    ChecklistTemplate,
    DisclosureRequest,
    Finding,
    Inspection,
    InspectionScore,
    PublicationAttachment,
)
from ..rules.inspections import (
    EDITABLE_STATES,
    InspectionKind,
    InspectionState,
    MeasureFigures,
)
from ..rules.request_clock import ClockStatus
from .commissions import CommissionAccess
from .compliance import counts_by_institution, item_compliance
from .rectification import finding_rows
from .requests import case_deadline, rules_by_site
from .scope import held_by, memberships_of

#: The annual report of a year is due by this day of the next year (每年1月31日前).
ANNUAL_REPORT_DUE = (1, 31)


@dataclass(frozen=True)
class InspectionAccess:
    """A user's standing towards inspections, read once.

    The disclosure office keeps its institution's inspections; the office (another member
    than the one who submitted) or the institution's leadership signs them off; supervisors
    and the leadership read them. Departments neither read nor sign them.

    A health commission's members (readers and assessors) read every inspection of the
    institutions of its area and keep none of the institution's own. An inspection the
    commission owns (kind ``commission``, its ``commission`` set) is kept by that commission's
    assessors: they score, submit, sign off (another assessor than the submitter) and publish
    it; the institution only reads it."""

    superuser: bool = False
    office_sites: frozenset[int] = frozenset()
    supervisor_sites: frozenset[int] = frozenset()
    leadership_sites: frozenset[int] = frozenset()
    commissions: CommissionAccess = field(default_factory=CommissionAccess)

    @classmethod
    def of(cls, user) -> InspectionAccess:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(superuser=True)
        memberships = memberships_of(user)
        return cls(
            office_sites=memberships.office_sites,
            supervisor_sites=memberships.supervisor_sites,
            leadership_sites=memberships.leadership_sites,
            commissions=CommissionAccess.of(user),
        )

    @property
    def reads_any(self) -> bool:
        return bool(
            self.superuser
            or self.office_sites
            or self.supervisor_sites
            or self.leadership_sites
            or self.commissions.reads
        )

    @property
    def assesses_any(self) -> bool:
        """May open a commission's inspection (an assessor of a commission, or a superuser)."""
        return self.superuser or bool(self.commissions.assesses)

    def is_office(self, site_id: int) -> bool:
        return self.superuser or site_id in self.office_sites

    def assesses(self, commission_id: int | None, site_id: int) -> bool:
        """An assessor of ``commission_id`` whose area holds ``site_id``."""
        if commission_id is None:
            return False
        return self.superuser or (
            self.commissions.assesses_for(commission_id)
            and site_id in self.commissions.area(commission_id)
        )

    def may_view(self, site_id: int) -> bool:
        return (
            self.is_office(site_id)
            or site_id in self.supervisor_sites
            or site_id in self.leadership_sites
            or self.commissions.reads_site(site_id)
        )

    def keeps(self, inspection: Inspection) -> bool:
        """Whoever keeps ``inspection`` in any state: the commission's assessors for the
        commission's own, the institution's office for the rest."""
        if inspection.commission_id is not None:
            return self.assesses(inspection.commission_id, inspection.site_id)
        return self.is_office(inspection.site_id)

    def may_edit(self, inspection: Inspection) -> bool:
        return self.keeps(inspection) and inspection.state in EDITABLE_STATES

    def may_sign_off(self, inspection: Inspection, user) -> bool:
        """Submitted, and ``user`` keeps it (or leads the institution, for its own), but did
        not submit it."""
        if inspection.state != InspectionState.SUBMITTED:
            return False
        if inspection.submitted_by_id == getattr(user, "pk", None):
            return False
        if inspection.commission_id is not None:
            return self.keeps(inspection)
        return self.keeps(inspection) or inspection.site_id in self.leadership_sites

    def may_publish(self, inspection: Inspection) -> bool:
        """Whether a signed-off score shows publicly is its keeper's decision."""
        return self.keeps(inspection) and inspection.state == InspectionState.SIGNED_OFF

    def site_ids(self) -> frozenset[int] | None:
        """The institutions whose inspections this user reads (None: all)."""
        if self.superuser:
            return None
        return (
            self.office_sites
            | self.supervisor_sites
            | self.leadership_sites
            | self.commissions.site_ids
        )


def inspections_visible_to(user, *, access: InspectionAccess | None = None) -> QuerySet:
    access = access or InspectionAccess.of(user)
    inspections = Inspection.objects.select_related("site", "template", "commission").annotate(
        total_score=Sum("scores__score")
    )
    site_ids = access.site_ids()
    if site_ids is None:
        return inspections
    if not site_ids:
        return inspections.none()
    # A commission's inspection is its working paper until signed off: the institution (and
    # any other commission) reads it once it is.
    return inspections.filter(site_id__in=site_ids).filter(
        Q(commission__isnull=True)
        | Q(state=InspectionState.SIGNED_OFF)
        | Q(commission__in=access.commissions.reads)
    )


def templates_for(site_id: int) -> QuerySet:
    """The templates an institution may score on: the shared ones and its own."""
    return ChecklistTemplate.objects.filter(Q(site__isnull=True) | Q(site_id=site_id))


def templates_visible_to(user, *, access: InspectionAccess | None = None) -> QuerySet:
    access = access or InspectionAccess.of(user)
    site_ids = access.site_ids()
    if site_ids is None:
        return ChecklistTemplate.objects.all()
    if not site_ids:
        return ChecklistTemplate.objects.none()
    return ChecklistTemplate.objects.filter(Q(site__isnull=True) | Q(site_id__in=site_ids))


def scores_of(inspection: Inspection) -> QuerySet:
    """The inspection's scores in the template's order, with their items, sections and
    evidence (three queries)."""
    return (
        InspectionScore.objects.filter(inspection=inspection)
        .select_related("item__section")
        .prefetch_related("evidence__page", "evidence__document")
        .order_by("item__section__sort_order", "item__section_id", "item__sort_order", "item_id")
    )


def published_documents(site: Site) -> QuerySet:
    """The documents that the institution's live publications attach."""
    attached = PublicationAttachment.objects.filter(
        held_by([site.root_page.path], field="page__path"), page__live=True
    ).values("document")
    return get_document_model().objects.filter(pk__in=attached)


def site_items(site: Site) -> QuerySet:
    """Every catalog item of the institution, as its office's overdue report lists them."""
    return CatalogItemPage.objects.filter(held_by([site.root_page.path]))


def annual_report_standing(*, site: Site, year: int) -> tuple[dt.date | None, dt.date]:
    """(the day the institution's annual report for ``year`` went live, or None; its due day)."""
    due = dt.date(year + 1, *ANNUAL_REPORT_DUE)
    first = (
        AnnualReportPage.objects.live()
        .descendant_of(site.root_page)
        .filter(year=year)
        .order_by("first_published_at")
        .values_list("first_published_at", flat=True)
        .first()
    )
    return (timezone.localdate(first) if first else None), due


def measure_figures(
    *, site: Site, period_start: dt.date, period_end: dt.date, today: dt.date | None = None
) -> MeasureFigures:
    """What the engines say of ``site`` for an inspection of that period: the catalog's
    standing on the earlier of ``today`` and the period's end, as the overdue report gives it;
    the annual report due in the period (the previous year's); requests received in the period
    answered late; findings overdue on that day."""
    today = today or timezone.localdate()
    as_of = min(today, period_end)
    rows = item_compliance(items=site_items(site), today=as_of, summaries=True)
    institutions = counts_by_institution(rows)
    counts = institutions[0] if institutions else None
    report_year = period_end.year - 1
    published_on, due = annual_report_standing(site=site, year=report_year)
    rules = rules_by_site([site.pk])[site.pk]
    requests_late = sum(
        1
        for case in DisclosureRequest.objects.filter(
            site=site, received_on__range=(period_start, period_end)
        )
        if case_deadline(case, rules=rules, today=as_of).status
        in (ClockStatus.ANSWERED_LATE, ClockStatus.OVERDUE)
    )
    findings_overdue = sum(
        1 for row in finding_rows(Finding.objects.filter(site=site), today=as_of) if row.overdue
    )
    return MeasureFigures(
        on_time_rate=counts.on_time_rate if counts else None,
        late_items=counts.late if counts else 0,
        annual_report_year=report_year,
        annual_report_on_time=published_on is not None and published_on <= due,
        annual_report_published_on=published_on.isoformat() if published_on else "",
        requests_late=requests_late,
        findings_overdue=findings_overdue,
    )


@dataclass(frozen=True)
class LatestScore:
    site_id: int
    inspection_id: int
    title: str
    kind: str
    period_end: dt.date
    total: Decimal


def latest_scores(site_ids: frozenset[int] | None, *, kind: str | None = None) -> list[LatestScore]:
    """Each institution's latest signed-off inspection (of ``kind``) and its total. Two
    queries, whatever the number of institutions."""
    signed = Inspection.objects.filter(state=InspectionState.SIGNED_OFF)
    if kind:
        signed = signed.filter(kind=kind)
    if site_ids is not None:
        signed = signed.filter(site_id__in=site_ids)
    newest = signed.filter(site_id=OuterRef("site_id")).order_by("-period_end", "-pk")
    rows = (
        signed.filter(pk=Subquery(newest.values("pk")[:1]))
        .annotate(total=Sum("scores__score"))
        .order_by("site_id")
        .values_list("site_id", "pk", "title", "kind", "period_end", "total")
    )
    return [
        LatestScore(site_id, pk, title, kind, period_end, total or Decimal(0))
        for site_id, pk, title, kind, period_end, total in rows
    ]


@dataclass(frozen=True)
class Counterpart:
    """The other side's signed-off score beside an inspection."""

    inspection_id: int
    title: str
    kind: str
    evaluator: str
    period_start: dt.date
    period_end: dt.date
    total: Decimal


#: Beside an inspection of one kind, the latest signed-off score of the other.
COUNTERPART_KIND = {
    InspectionKind.COMMISSION: InspectionKind.SELF,
    InspectionKind.SELF: InspectionKind.COMMISSION,
}


def counterpart_score(inspection: Inspection) -> Counterpart | None:
    """Beside a commission's inspection, the institution's own latest signed-off self-score;
    beside a self-inspection, the commission's: same institution, same template (any of its
    versions), a period overlapping this one's. None if there is none (or for a third party's
    evaluation). One query."""
    other = COUNTERPART_KIND.get(inspection.kind)
    if other is None:
        return None
    template = inspection.template
    row = (
        Inspection.objects.filter(
            site_id=inspection.site_id,
            kind=other,
            state=InspectionState.SIGNED_OFF,
            template__name=template.name,
            template__site_id=template.site_id,
            period_start__lte=inspection.period_end,
            period_end__gte=inspection.period_start,
        )
        .exclude(pk=inspection.pk)
        .annotate(total=Sum("scores__score"))
        .order_by("-period_end", "-pk")
        .values_list(
            "pk",
            "title",
            "kind",
            "evaluator",
            "commission__name",
            "period_start",
            "period_end",
            "total",
        )
        .first()
    )
    if row is None:
        return None
    pk, title, kind, evaluator, commission, start, end, total = row
    return Counterpart(pk, title, kind, commission or evaluator, start, end, total or Decimal(0))


def published_scores(*, site_id: int | None = None) -> QuerySet:
    """The signed-off inspections whose score the office published (of one institution, or
    all), newest first, each with its ``total_score``: what the public site and API show. One
    query."""
    inspections = (
        Inspection.objects.filter(state=InspectionState.SIGNED_OFF, score_published=True)
        .select_related("site")
        .annotate(total_score=Sum("scores__score"))
        .order_by("-period_end", "-pk")
    )
    return inspections if site_id is None else inspections.filter(site_id=site_id)
