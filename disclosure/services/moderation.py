"""Moderation writes: set up the workflows, submit, approve, reject, publish in an emergency.

Every function checks the same rules as the admin screens (the task types enforce them), so a
command or an API call cannot do what a person in the admin may not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import LogContext, get_active_log_context, log
from wagtail.models import Page, Site, Task, TaskState, Workflow, WorkflowTask

from ..models import (
    CatalogReviewTask,
    DepartmentHeadTask,
    EmergencyPublication,
    InstitutionSettings,
    OfficeReviewTask,
    Placement,
)
from ..models.authorship import authors_up_to
from ..models.catalog import catalog_item_for
from ..models.checklist import CHECKLIST
from ..models.publishing import emergency_publication_refusal, privacy_refusal
from ..models.reviewers import department_head_ids, office_member_ids
from .audit import create_as

EMERGENCY_ACTION = "disclosure.emergency_publish"
EMERGENCY_CONFIRM_ACTION = "disclosure.emergency_confirm"
FULL_CHECKLIST = {name: True for name, _label in CHECKLIST}


def _task(model: type[Task], name: str) -> Task:
    task = model.objects.filter(name=name).first()
    return task or model.objects.create(name=name)


def _workflow(name: str, tasks: list[Task]) -> Workflow:
    workflow, _created = Workflow.objects.get_or_create(name=name)
    current = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if current != [task.pk for task in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def setup_moderation(*, site: Site) -> InstitutionSettings:
    """Create the institution's two workflows and link them to its settings (idempotent)."""
    label = site.site_name or site.hostname
    names = {"institution": label}
    head = _task(DepartmentHeadTask, _("%(institution)s: department head review") % names)
    office = _task(OfficeReviewTask, _("%(institution)s: disclosure office review") % names)
    catalog = _task(CatalogReviewTask, _("%(institution)s: catalog change review") % names)
    institution = InstitutionSettings.for_site(site)
    institution.publication_workflow = _workflow(
        _("%(institution)s: publication review") % names, [head, office]
    )
    institution.catalog_workflow = _workflow(
        _("%(institution)s: catalog review") % names, [catalog]
    )
    institution.save(update_fields=["publication_workflow", "catalog_workflow"])
    return institution


def _require_no_privacy_problems(page: Page) -> None:
    if refusal := privacy_refusal(page):
        raise ValidationError(refusal)


@transaction.atomic
def submit_for_review(*, page: Page, user) -> None:
    """Save the page as a new revision by ``user`` and start its workflow."""
    page = page.specific
    workflow = page.get_workflow()
    if workflow is None:
        raise PermissionDenied(_("No review workflow is set up for this institution."))
    _require_no_privacy_problems(page)
    if problems := page.content_problems():
        raise ValidationError("；".join(str(problem) for problem in problems))
    page.save_revision(user=user, log_action=True)
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    workflow.start(page, user)


def rewrite_refusal(page: Page, user, *, not_editable: str, in_review: str) -> str | None:
    """Why ``user`` may not rewrite ``page``'s content outside its editor (an import of its
    rows, a regeneration of its figures): ``not_editable`` when they may not edit it, the
    lock's own message when someone else holds it, ``in_review`` while it is in review (the
    reviewers approve what they saw). ``None``: they may."""
    if user is None or not page.permissions_for_user(user).can_edit():
        return not_editable
    lock = page.get_lock()
    if lock is not None and lock.for_user(user):
        return str(lock.get_message(user))
    if page.workflow_in_progress:
        return in_review
    return None


def _current_task_state(page: Page) -> TaskState:
    state = page.current_workflow_task_state
    if state is None:
        raise PermissionDenied(
            _("“%(title)s” is not awaiting review.") % {"title": page.get_admin_display_title()}
        )
    return state


def acting(user) -> LogContext:
    """Whatever is recorded inside is recorded as done by ``user``, as in the admin, where
    Wagtail sets the same context for each request (the pages unpublished along with another,
    where each page went live)."""
    return LogContext(user=user, generate_uuid=False)


def approve(*, page: Page, user, comment: str = "", checklist: dict | None = None) -> None:
    """Approve the current step as ``user`` (the office step needs the full checklist)."""
    page = Page.objects.get(pk=page.pk).specific
    state = _current_task_state(page)
    with acting(user):
        state.task.specific.on_action(state, user, "approve", comment=comment, **(checklist or {}))


def reject(*, page: Page, user, comment: str) -> None:
    page = Page.objects.get(pk=page.pk).specific
    state = _current_task_state(page)
    with acting(user):
        state.task.specific.on_action(state, user, "reject", comment=comment)


@transaction.atomic
def emergency_publish(*, page: Page, user, reason: str) -> EmergencyPublication:
    """Publish at once (突发事件、舆情): office members only, with a reason, logged and tracked."""
    page = Page.objects.get(pk=page.pk).specific
    if user.pk not in office_member_ids(page.get_site()):
        raise PermissionDenied(_("Only the disclosure office may publish in an emergency."))
    refusal = emergency_publication_refusal(page)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for publishing without review.")})
    revision = page.get_latest_revision() or page.save_revision(user=user)
    # What goes live is the latest revision (a draft newer than the live page, perhaps).
    _require_no_privacy_problems(revision.as_object())
    emergency = create_as(
        user,
        EmergencyPublication,
        page=page,
        revision=revision,
        published_by=user,
        reason=reason.strip(),
    )
    if page.current_workflow_state is not None:
        page.current_workflow_state.cancel(user=user)
    with acting(user):
        revision.publish(user=user)
    log(instance=page, action=EMERGENCY_ACTION, user=user, data={"reason": emergency.reason})
    return emergency


def record_placement(*, page: Page, cause: str, revision=None) -> Placement:
    """Record where ``page`` stands now, in the name of whoever is acting (Wagtail's log
    context: the admin's request, or :func:`acting`)."""
    return Placement.record(
        page=page, cause=cause, revision=revision, user=get_active_log_context().user
    )


@transaction.atomic
def unpublish_descendants(*, page: Page) -> int:
    """Unpublish the live children of ``page`` (which is no longer live), each logged as an
    unpublication by whoever is acting (Wagtail's log context in the admin). Each sends
    ``page_unpublished`` in turn, which brings this here for its own children: the whole
    subtree goes. Returns how many children were unpublished."""
    children = list(page.get_children().live().defer_streamfields().specific())
    for child in children:
        UnpublishPageAction(child, include_descendants=False).execute(skip_permission_checks=True)
    return len(children)


@transaction.atomic
def confirm_emergency(*, emergency: EmergencyPublication, user, comment: str = "") -> None:
    """The department head's retrospective approval of an emergency publication."""
    if emergency.confirmed_at is not None:
        raise PermissionDenied(_("This emergency publication is already confirmed."))
    item = catalog_item_for(emergency.page)
    heads = department_head_ids(item.department) if item and item.department else set()
    if user.pk not in heads:
        raise PermissionDenied(_("Only a head of the item's department may confirm."))
    # Four eyes: not whoever published it, nor anyone who wrote what went live.
    authors = {emergency.published_by_id} | authors_up_to(emergency.page, emergency.revision)
    if user.pk in authors:
        raise PermissionDenied(
            _("You cannot confirm a publication you published or wrote yourself.")
        )
    emergency.confirmed_by = user
    emergency.confirmed_at = timezone.now()
    emergency.confirmation_comment = comment
    emergency._history_user = user
    emergency.save(update_fields=["confirmed_by", "confirmed_at", "confirmation_comment"])
    log(
        instance=emergency.page,
        action=EMERGENCY_CONFIRM_ACTION,
        user=user,
        data={"comment": comment},
    )
