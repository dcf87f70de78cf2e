"""Signal wiring: keeps access and permissions in step with the catalog item that was published."""

from wagtail.signals import page_published


def _on_item_published(sender, instance, **kwargs):
    from .services.access import sync_audience_restriction
    from .services.departments import grant_item_permissions

    sync_audience_restriction(item=instance)
    if instance.department_id:
        grant_item_permissions(item=instance)


def register() -> None:
    from .models import CatalogItemPage

    page_published.connect(
        _on_item_published, sender=CatalogItemPage, dispatch_uid="disclosure_item_published"
    )
