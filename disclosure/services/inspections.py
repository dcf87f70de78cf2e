"""Self-inspections: keeping checklist templates, scoring an institution on one, and the
sign-off. Every write checks who asks (:class:`~disclosure.selectors.inspections.InspectionAccess`)
and leaves a history row naming them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Commission,
    Evidence,
    Inspection,
    InspectionScore,
)
from ..rules.inspections import (
    FULL_MARKS,
    HALF,
    InspectionKind,
    InspectionState,
    points_text,
    score_measure,
)
from ..selectors.commissions import commission_areas
from ..selectors.inspections import (
    InspectionAccess,
    measure_figures,
    published_documents,
    templates_for,
)
from .departments import institution_collection
from .locked import change_locked


def _require_office(user, site_id: int) -> InspectionAccess:
    access = InspectionAccess.of(user)
    if not access.is_office(site_id):
        raise PermissionDenied(_("Only the institution's disclosure office may do this."))
    return access


def _require_keeper(user, inspection: Inspection) -> InspectionAccess:
    """Whoever keeps ``inspection``: the commission's assessors for the commission's own, the
    institution's office for the rest."""
    access = InspectionAccess.of(user)
    if not access.keeps(inspection):
        if inspection.commission_id is not None:
            raise PermissionDenied(
                _("Only the assessors of the health commission that scores this may do this.")
            )
        raise PermissionDenied(_("Only the institution's disclosure office may do this."))
    return access


def _require_editable(user, inspection: Inspection) -> InspectionAccess:
    access = _require_keeper(user, inspection)
    if not access.may_edit(inspection):
        raise ValidationError(_("This inspection can no longer be changed."))
    return access


def _require_template_keeper(user, template: ChecklistTemplate) -> None:
    if template.site_id is None:
        if not user.is_superuser:
            raise PermissionDenied(_("Only administrators change a template shared by all."))
    else:
        _require_office(user, template.site_id)


def template_problems(template: ChecklistTemplate) -> list[str]:
    """What keeps ``template`` from being scored on: its points must add up to 100."""
    total = template.total_points()
    if total != FULL_MARKS:
        return [
            _("The items' points add up to %(total)s, not 100.") % {"total": points_text(total)}
        ]
    return []


def new_template_version(template: ChecklistTemplate, *, user) -> ChecklistTemplate:
    """A copy of ``template`` as its next version, to change while the inspections scored on
    the old one keep it as it was."""
    _require_template_keeper(user, template)
    with transaction.atomic():
        latest = (
            ChecklistTemplate.objects.filter(site_id=template.site_id, name=template.name)
            .order_by("-version")
            .first()
        )
        copy = ChecklistTemplate(
            site_id=template.site_id,
            name=template.name,
            version=latest.version + 1,
            previous=template,
            is_example=template.is_example,
            notes=template.notes,
        )
        copy._history_user = user
        copy.save()
        for section in template.sections.prefetch_related("items"):
            new_section = ChecklistSection(
                template=copy, title=section.title, sort_order=section.sort_order
            )
            new_section._history_user = user
            new_section.save()
            for item in section.items.all():
                item.pk = None
                item.section = new_section
                item._history_user = user
                item.save()
    return copy


def refuse_frozen(template: ChecklistTemplate) -> None:
    """A template scored on keeps its items and points: change a new version instead."""
    if template.pk and template.is_frozen:
        raise ValidationError(
            _("Inspections have been scored on this version; make a new version to change it.")
        )


def start_inspection(
    *,
    site: Site,
    template: ChecklistTemplate,
    kind: str,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    user,
    evaluator: str = "",
    report_date: dt.date | None = None,
    commission: Commission | None = None,
    today: dt.date | None = None,
) -> Inspection:
    """Open an inspection of ``site`` on ``template``: one score line per item, the automatic
    ones filled in from the engines.

    The institution's office opens its self-inspections and records third parties'
    evaluations; a health commission's inspection is opened by an assessor of ``commission``,
    for an institution of its area, and belongs to the commission."""
    kind = InspectionKind(kind)
    errors = {}
    if kind == InspectionKind.COMMISSION:
        access = InspectionAccess.of(user)
        if not access.assesses_any:
            raise PermissionDenied(
                _("Only a health commission's assessors open the commission's inspections.")
            )
        if commission is None:
            raise ValidationError({"commission": _("Choose the health commission that scores.")})
        if not access.commissions.assesses_for(commission.pk):
            raise PermissionDenied(
                _("Only the assessors of the health commission that scores this may do this.")
            )
        if site.pk not in commission_areas([commission.pk])[commission.pk]:
            errors["site"] = _("This institution is not in the commission's area.")
        evaluator = evaluator.strip() or commission.name
    else:
        _require_office(user, site.pk)
        if commission is not None:
            errors["commission"] = _(
                "Only an inspection by the health commission belongs to a commission."
            )
    if not templates_for(site.pk).filter(pk=template.pk).exists():
        errors["template"] = _("This template belongs to another institution.")
    else:
        problems = template_problems(template)
        if problems:
            errors["template"] = problems
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if kind != InspectionKind.SELF and not evaluator.strip():
        errors["evaluator"] = _("Name the commission or organisation that scored.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection(
            site=site,
            template=template,
            kind=kind,
            title=title.strip(),
            period_start=period_start,
            period_end=period_end,
            evaluator=evaluator.strip(),
            report_date=report_date,
            commission=commission if kind == InspectionKind.COMMISSION else None,
            created_by=user,
        )
        inspection._history_user = user
        inspection.save()
        items = ChecklistItem.objects.filter(section__template=template)
        InspectionScore.objects.bulk_create(
            [InspectionScore(inspection=inspection, item=item) for item in items]
        )
        fill_automatic(inspection, user=user, today=today)
    return inspection


def fill_automatic(inspection: Inspection, *, user, today: dt.date | None = None) -> int:
    """Score the inspection's automatic items from the engines again (while it may be edited);
    returns how many were scored. The measures are the same whoever scores."""
    _require_editable(user, inspection)
    automatic = list(inspection.scores.exclude(item__measure="").select_related("item__section"))
    if not automatic:
        return 0
    figures = measure_figures(
        site=inspection.site,
        period_start=inspection.period_start,
        period_end=inspection.period_end,
        today=today,
    )
    for score in automatic:
        item = score.item
        measured = score_measure(
            item.measure,
            points=item.points,
            threshold=item.threshold,
            deduction=item.deduction,
            figures=figures,
        )
        score.score = measured.score
        score.computed = measured.explanation
        score._history_user = user
        score.save(update_fields=["score", "computed"])
    return len(automatic)


def _points(value, *, maximum: Decimal) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("Enter a number of points.")}) from None
    if not points.is_finite() or points < 0 or points > maximum:
        raise ValidationError(
            {"score": _("Give between 0 and %(points)s points.") % {"points": points_text(maximum)}}
        )
    if points % HALF:
        raise ValidationError({"score": _("Give whole or half points.")})
    return points


def score_item(score: InspectionScore, *, user, value, note: str = "") -> InspectionScore:
    """Score one item by hand (its keeper, while the inspection may be edited). An automatic
    item may be overruled, with a note saying why."""
    _require_editable(user, score.inspection)
    points = _points(value, maximum=score.item.points)
    note = note.strip()
    if points < score.item.points and not note:
        raise ValidationError({"note": _("Say why points were deducted.")})
    if score.item.measure and score.score is not None and points != score.score and not note:
        raise ValidationError({"note": _("Say why the computed score is overruled.")})
    score.score = points
    score.note = note
    score._history_user = user
    score.save(update_fields=["score", "note"])
    return score


def add_evidence(
    score: InspectionScore, *, user, page=None, document=None, url: str = "", label: str = ""
) -> Evidence:
    """Attach a page, a document or a URL to a score (its keeper, while it may be edited):
    the institution's own pages and documents only, whoever scores."""
    _require_editable(user, score.inspection)
    if not (page or document or url.strip()):
        raise ValidationError(_("Choose a page or a document, or give a URL."))
    require_own_evidence(
        score.inspection.site,
        page=page,
        document=document,
        published_only=score.inspection.commission_id is not None,
    )
    evidence = Evidence(
        score=score,
        page=page,
        document=document,
        url=url.strip(),
        label=label.strip(),
        added_by=user,
    )
    evidence.full_clean()
    evidence._history_user = user
    evidence.save()
    return evidence


def require_own_evidence(
    site: Site, *, page=None, document=None, published_only: bool = False
) -> None:
    """Evidence is the institution's own: a live page of its tree, a document of its
    collection. Another institution's would show its titles here, and so would a page never
    published (its title nobody reviewed). For a health commission's inspection a document
    must be one a live publication attaches: the commission does not browse the institution's
    private documents."""
    errors = {}
    if page is not None and not page.path.startswith(site.root_page.path):
        errors["page"] = _("Choose a page of this institution.")
    elif page is not None and not page.live:
        errors["page"] = _("Choose a published page.")
    if document is not None:
        collection = institution_collection(site)
        if not document.collection.path.startswith(collection.path):
            errors["document"] = _("Choose a document of this institution.")
        elif published_only and not published_documents(site).filter(pk=document.pk).exists():
            errors["document"] = _("Choose a document that a published page attaches.")
    if errors:
        raise ValidationError(errors)


def submit(inspection: Inspection, *, user) -> Inspection:
    """Send a complete inspection for sign-off: every item scored, evidence where required."""
    _require_editable(user, inspection)
    missing, unproven = [], []
    for score in inspection.scores.select_related("item").prefetch_related("evidence"):
        if score.score is None:
            missing.append(score.item.code)
        elif score.item.evidence_required and not score.evidence.all():
            unproven.append(score.item.code)
    errors = []
    if missing:
        errors.append(_("Not scored yet: %(codes)s.") % {"codes": "、".join(missing)})
    if unproven:
        errors.append(_("Evidence is required for: %(codes)s.") % {"codes": "、".join(unproven)})
    if errors:
        raise ValidationError(errors)
    return _move(
        inspection,
        user=user,
        state=InspectionState.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def sign_off(inspection: Inspection, *, user) -> Inspection:
    """Sign a submitted inspection off: the office or the leadership (another assessor of the
    commission, for the commission's own), never its submitter."""
    _require_signer(inspection, user)
    return _move(
        inspection,
        user=user,
        state=InspectionState.SIGNED_OFF,
        signed_off_by=user,
        signed_off_at=timezone.now(),
    )


def return_inspection(inspection: Inspection, *, user, comment: str) -> Inspection:
    """Send a submitted inspection back to the office with a comment saying what to change."""
    _require_signer(inspection, user)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should be changed.")})
    return _move(
        inspection, user=user, state=InspectionState.RETURNED, return_comment=comment.strip()
    )


def publish_score(inspection: Inspection, *, user, published: bool = True) -> Inspection:
    """Show (or stop showing) a signed-off inspection's total on the public site and API: the
    office decides for the institution's own, the commission's assessors for the commission's."""
    _require_keeper(user, inspection)
    if inspection.state != InspectionState.SIGNED_OFF:
        raise ValidationError(_("Only a signed-off inspection's score can be published."))
    return _move(inspection, user=user, state=inspection.state, score_published=published)


def _move(inspection: Inspection, *, user, **changes) -> Inspection:
    return change_locked(
        inspection,
        user=user,
        stale=_("Someone else changed this inspection; reload it."),
        **changes,
    )


def _require_signer(inspection: Inspection, user) -> None:
    access = InspectionAccess.of(user)
    if inspection.state != InspectionState.SUBMITTED:
        raise ValidationError(_("Only a submitted inspection can be signed off or returned."))
    if not access.may_sign_off(inspection, user):
        if inspection.submitted_by_id == getattr(user, "pk", None):
            raise PermissionDenied(_("Whoever submitted an inspection cannot sign it off."))
        if inspection.commission_id is not None:
            raise PermissionDenied(
                _("Only another assessor of the health commission may sign this off.")
            )
        raise PermissionDenied(
            _("Only the disclosure office or the institution's leadership may sign this off.")
        )
