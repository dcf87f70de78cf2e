"""Wagtail's workflow action views (审核通过 / 退回修改 from the dashboard's queue, and the dialog
that collects an approval's data in the edit view), saying what happened and why an action was
refused, for the task state of the page in the URL only; and Wagtail's workflow reports, whose
filters offer only the requesters, workflows and tasks of what the user's report lists.

Wagtail performs the action and goes back to the dashboard in silence, and a refusal raised by
the task (``PermissionDenied`` with its reason: personal information found, a check of the
content, an unpublished page above) reaches the reviewer as the generic "no permission" page.
Here a refusal shows its reason in the dialog the reviewer is looking at (or, for an action
without a dialog, at the top of the page they return to), and an action taken is confirmed:
approved and passed on to the next step (named), approved and published, or returned.

Wagtail takes the page from the URL and the task state from its id without checking that one
belongs to the other: its permission check ran against the page while the dialog showed the
task state's (another institution's department approval and comment). A task state of another
page is not found here. And each of Wagtail's workflow views of a page (action, its dialog,
the task's preview, the cancellation's confirmation) first says, to anyone who asks, that the
page "'<its latest draft's title>' is not awaiting moderation", or at which step it is: here
they answer only those who may read the page's drafts (who edit or review it, its
institution's supervisors), as every other screen names a draft.

A page a step returned opens in the editor with who returned it, at which step, when and why.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages.workflow import (
    CollectWorkflowActionDataView,
    ConfirmWorkflowCancellationView,
    PreviewRevisionForTaskView,
    WorkflowActionView,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page, Task, TaskState, Workflow

from ..models.moderation import RETURN_TO_DEPARTMENT
from ..selectors.admin_pages import draft_readable_ids
from ..selectors.moderation import returned_for_changes
from .dashboard import returned_notice
from .titles import show_live_titles


class _DraftReadersOnlyMixin:
    """Nothing of a page's review for who may not read its drafts."""

    def dispatch(self, request, *args, **kwargs):
        if not draft_readable_ids(request.user, [self.object.pk]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class _ThisPagesTaskMixin:
    """The task state must be one of the page's own, and an action refused says why."""

    def get_task_state(self):
        task_state = super().get_task_state()
        workflow_state = task_state.workflow_state
        if workflow_state.object_id != str(
            self.object.pk
        ) or workflow_state.base_content_type_id != (ContentType.objects.get_for_model(Page).pk):
            raise Http404
        return task_state

    def check_action(self):
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied(_("This step of the review is over."))
        try:
            super().check_action()
        except PermissionDenied:
            refusal = getattr(self.task, "refusal", None)
            reason = refusal(self.object, self.request.user, self.task_state) if refusal else None
            raise PermissionDenied(reason or "") from None

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if not str(refusal):
                raise
            messages.error(request, str(refusal))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(
                    request, {"step": "success", "redirect": self.redirect_url}
                )
            return redirect(self.redirect_url)


class ExplainedCollectWorkflowActionDataView(
    _DraftReadersOnlyMixin, _ThisPagesTaskMixin, CollectWorkflowActionDataView
):
    pass


class KnownPagePreviewForTaskView(_DraftReadersOnlyMixin, PreviewRevisionForTaskView):
    pass


class KnownPageConfirmWorkflowCancellationView(
    _DraftReadersOnlyMixin, ConfirmWorkflowCancellationView
):
    pass


class ExplainedWorkflowActionView(_DraftReadersOnlyMixin, _ThisPagesTaskMixin, WorkflowActionView):
    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except PermissionDenied as refusal:
            reason = str(refusal)
            if not reason:
                raise
            return self.refused(request, reason)
        self.task_state.refresh_from_db(fields=["status"])
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.success(request, self.confirmation())
        return response

    def is_ajax(self) -> bool:
        return self.request.headers.get("x-requested-with") == "XMLHttpRequest"

    def refused(self, request, reason: str):
        if self.form_class and self.action_modal and self.is_ajax():
            form = self.form_class(request.POST)
            form.is_valid()
            form.add_error(None, reason)
            return self.render_modal_form(request, form)
        messages.error(request, reason)
        if self.is_ajax():
            return self.render_modal_json(
                request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)

    def confirmation(self) -> str:
        page = self.object
        page.refresh_from_db()
        title = get_latest_str(page)
        if self.action_name == "reject":
            return _(
                "“%(title)s” was returned for changes; its editors see your comment on their "
                "dashboard and at the top of the page."
            ) % {"title": title}
        if self.action_name == RETURN_TO_DEPARTMENT:
            return _("“%(title)s” went back to its department's head for approval.") % {
                "title": title
            }
        next_task = page.current_workflow_task
        if next_task is not None:
            return _("“%(title)s” was approved and passed on to the next step: %(task)s.") % {
                "title": title,
                "task": next_task.name,
            }
        if page.live and not page.has_unpublished_changes:
            return _("“%(title)s” was approved and is now public.") % {"title": title}
        return _("“%(title)s” was approved.") % {"title": title}


# Wagtail's workflow reports --------------------------------------------------------------------


def _limit_choices(filterset, **querysets) -> None:
    for name, queryset in querysets.items():
        filterset.filters[name].queryset = queryset


class KnownRequestersWorkflowReportFilterSet(WorkflowReportFilterSet):
    """Wagtail offers every requester and every workflow of the instance as filters, whoever
    asks (the staff and the workflows of other institutions): here only those of the
    workflow states the user's report lists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = self.queryset
        User = get_user_model()
        _limit_choices(
            self,
            requested_by=User.objects.filter(pk__in=states.values("requested_by")).order_by(
                User.USERNAME_FIELD
            ),
            workflow=Workflow.objects.filter(pk__in=states.values("workflow")),
        )


class KnownTasksReportFilterSet(WorkflowTasksReportFilterSet):
    """As above, for the report of task states: the workflows and tasks of the listed ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = self.queryset
        _limit_choices(
            self,
            workflow=Workflow.objects.filter(pk__in=states.values("workflow_state__workflow")),
            task=Task.objects.filter(pk__in=states.values("task")),
        )


class _ListedStatesMixin:
    """The filters of the states listed; each page named as the user may read it (the live
    title where they may not read its drafts: a department reads the office's renaming of its
    item only once the office publishes it)."""

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_queryset()}

    def named_as_readable(self, objects) -> None:
        show_live_titles([obj for obj in objects if isinstance(obj, Page)], self.request.user)

    def get_title(self, content_object):
        self.named_as_readable([content_object])
        return super().get_title(content_object)


class KnownWorkflowReportView(_ListedStatesMixin, WorkflowView):
    filterset_class = KnownRequestersWorkflowReportFilterSet

    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        self.named_as_readable([row.content_object for row in rows])
        return rows


class KnownWorkflowTasksReportView(_ListedStatesMixin, WorkflowTasksView):
    filterset_class = KnownTasksReportFilterSet

    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        self.named_as_readable([row.workflow_state.content_object for row in rows])
        return rows


def say_why_the_page_was_returned(request, page):
    """The ``before_edit_page`` hook: at the top of the edit view, which step returned the page,
    who, when and why."""
    if request.method != "GET":
        return None
    for returned in returned_for_changes(Page.objects.filter(pk=page.pk)):
        messages.warning(request, returned_notice(returned))
    return None
