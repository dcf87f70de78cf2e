"""Reads for moderation screens."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, TaskState, WorkflowState

from ..models import (
    CatalogItemPage,
    DepartmentHeadTask,
    EmergencyPublication,
    InstitutionSettings,
)
from ..models.catalog import catalog_item_for
from ..models.reviewers import department_head_ids
from .scope import held_by


def emergencies_visible_to(user) -> list[EmergencyPublication]:
    """Emergency publications the office (all of its institutions) or a department head sees.

    Each carries ``can_confirm``: the user is a head of its department and not its publisher.
    """
    office_roots = [
        s.site.root_page.path
        for s in InstitutionSettings.objects.filter(office_group__user=user).select_related(
            "site__root_page"
        )
    ]
    head_items = CatalogItemPage.objects.filter(
        Q(department__heads_group__user=user) | Q(department__acting_heads__user=user)
    ).values_list("path", flat=True)
    head_items = list(head_items)
    if user.is_superuser:
        query = Q()
    elif office_roots or head_items:
        query = held_by(office_roots, field="page__path")
        for path in head_items:
            query |= Q(page__path__startswith=path)
    else:
        return []
    emergencies = list(
        EmergencyPublication.objects.filter(query)
        .select_related("page", "published_by", "confirmed_by")
        .order_by("confirmed_at", "-published_at")
    )
    for emergency in emergencies:
        item = catalog_item_for(emergency.page)
        heads = department_head_ids(item.department) if item and item.department else set()
        emergency.can_confirm = (
            emergency.awaiting_confirmation
            and user.pk in heads
            and user.pk != emergency.published_by_id
        )
    return emergencies


@dataclass(frozen=True)
class ReturnedForChanges:
    """A page a reviewer sent back: which step, who, when and why."""

    page_id: int
    title: str
    step: str
    returned_by: str
    returned_at: dt.datetime | None
    returned_by_id: int | None
    comment: str


def returned_for_changes(pages) -> list[ReturnedForChanges]:
    """Those of ``pages`` (a page queryset) that a review step returned for changes, the most
    recently returned first (two queries)."""
    states = (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .select_related("current_task_state__task", "current_task_state__finished_by")
        .order_by("-current_task_state__finished_at")
    )
    titles = dict(
        Page.objects.filter(pk__in=[int(s.object_id) for s in states]).values_list(
            "pk", "draft_title"
        )
    )
    rows = []
    for state in states:
        step = state.current_task_state
        person = step.finished_by if step else None
        rows.append(
            ReturnedForChanges(
                page_id=int(state.object_id),
                title=titles.get(int(state.object_id), ""),
                step=step.task.name if step else "",
                returned_by=(person.get_full_name() or person.get_username()) if person else "",
                returned_at=step.finished_at if step else None,
                returned_by_id=person.pk if person else None,
                comment=(step.get_comment() if step else "") or "",
            )
        )
    return rows


def department_approval(task_state: TaskState) -> TaskState | None:
    """The department step's approval in the same review as ``task_state`` (the latest, if the
    page went round more than once): who approved it, when, and the comment."""
    return (
        task_state.workflow_state.task_states.filter(
            status=TaskState.STATUS_APPROVED,
            task__in=DepartmentHeadTask.objects.values("pk"),
        )
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )
