"""Wagtail's workflow action view (审核通过 / 退回修改 from the dashboard's queue), saying what
happened and why an action was refused.

Wagtail performs the action and goes back to the dashboard in silence, and a refusal raised by
the task (``PermissionDenied`` with its reason: personal information found, a check of the
content, an unpublished page above) reaches the reviewer as the generic "no permission" page.
Here a refusal shows its reason in the dialog the reviewer is looking at (or, for an action
without a dialog, at the top of the page they return to), and an action taken is confirmed:
approved and passed on to the next step (named), approved and published, or returned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState

from ..models.moderation import RETURN_TO_DEPARTMENT


class ExplainedWorkflowActionView(WorkflowActionView):
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
