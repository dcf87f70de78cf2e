"""Review notifications: exactly the people who must act, in the institution's language.

Wagtail already tells the submitter when a workflow is approved or rejected (with the
reviewer's comment). These handlers add what it cannot know: who the approvers of a disclosure
step are (resolved at run time), and the department head's copy of the final approval.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from ..models.catalog import catalog_item_for
from ..models.moderation import DisclosureTask, ModeratedPageMixin
from ..models.reviewers import department_head_ids
from .mail import send_templated_mail


def _send(template: str, recipient_ids: set[int], context: dict) -> None:
    users = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
    recipients = sorted(users.values_list("email", flat=True))
    if not recipients:
        return
    page = context["page"]
    context = {
        **context,
        "edit_url": settings.WAGTAILADMIN_BASE_URL
        + reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }
    send_templated_mail(template, context, recipients)


def notify_approvers(sender, instance, user=None, **kwargs) -> None:
    """A disclosure step has started: tell its approvers (never the person who submitted)."""
    task = instance.task.specific
    if not isinstance(task, DisclosureTask):
        return
    page = instance.workflow_state.content_object.specific
    approvers = task.approver_ids(page) - task.conflicting_user_ids(page, instance)
    _send(
        "review_requested",
        approvers,
        {"page": page, "task": task, "requested_by": instance.workflow_state.requested_by},
    )


def notify_department_of_publication(sender, instance, user=None, **kwargs) -> None:
    """The final approval published a disclosure: the department's heads get a copy."""
    page = instance.content_object.specific
    if not (isinstance(page, ModeratedPageMixin) and page.reviewed_by_department()):
        return
    item = catalog_item_for(page)
    if item is None or item.department is None:
        return
    heads = department_head_ids(item.department) - {getattr(user, "pk", None)}
    _send("published", heads, {"page": page, "item": item, "approved_by": user})
