"""Signal wiring: access, permissions and notifications follow the catalog and its reviews."""

from wagtail.models import TaskState, WorkflowState
from wagtail.signals import page_published, task_submitted, workflow_approved


def _on_item_published(sender, instance, **kwargs):
    from .services.access import sync_audience_restriction
    from .services.departments import grant_item_permissions

    sync_audience_restriction(item=instance)
    if instance.department_id:
        grant_item_permissions(item=instance)


def register() -> None:
    from .models import CatalogItemPage
    from .services import notifications

    page_published.connect(
        _on_item_published, sender=CatalogItemPage, dispatch_uid="disclosure_item_published"
    )
    task_submitted.connect(
        notifications.notify_approvers, sender=TaskState, dispatch_uid="disclosure_task_submitted"
    )
    workflow_approved.connect(
        notifications.notify_department_of_publication,
        sender=WorkflowState,
        dispatch_uid="disclosure_workflow_approved",
    )
