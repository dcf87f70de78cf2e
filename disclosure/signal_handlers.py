"""Signal wiring: access, permissions and notifications follow the catalog and its reviews."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.signals import (
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_migrate,
    pre_save,
)
from django.utils.translation import gettext
from simple_history.models import registered_models
from simple_history.signals import post_create_historical_record
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    Site,
    TaskState,
    WorkflowState,
)
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    task_submitted,
    workflow_approved,
)

from .models import (
    Attestation,
    AuditEntry,
    CalendarDay,
    CalendarYear,
    CatalogCategoryPage,
    CatalogItemPage,
    ChangeEvent,
    Department,
    Finding,
    Inspection,
    InstitutionSettings,
    PriceListPage,
    PublicationAttachment,
    RecruitmentPosition,
    visibility_triggers,
)
from .models.institutions import overlap_refusal
from .models.moderation import ModeratedPageMixin
from .models.placement import Placement, move_refusal
from .page_cache import invalidate
from .services import audit, notifications, visibility
from .services.access import sync_audience_restriction
from .services.departments import grant_item_permissions
from .services.moderation import record_placement, unpublish_descendants
from .services.price_changes import record_publication
from .services.search_index import reindex_below, renamed_on_publish


def _on_item_published(sender, instance, **kwargs):
    sync_audience_restriction(item=instance)
    if instance.department_id:
        grant_item_permissions(item=instance)


def _unpublish_below(sender, instance, **kwargs):
    if isinstance(instance, ModeratedPageMixin):
        unpublish_descendants(page=instance)


def _refuse_moves_that_change_readers(
    sender, instance, parent_page_before, parent_page_after, **kwargs
):
    if parent_page_after is None:  # beside the tree's root: a second tree
        raise PermissionDenied(gettext("No page may stand beside the root of the page tree."))
    if parent_page_before.pk != parent_page_after.pk:
        refusal = move_refusal(instance, parent_page_after)
        if refusal is not None:
            raise PermissionDenied(refusal)


def _refuse_overlapping_sites(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures load as they were dumped
    refusal = overlap_refusal(instance)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _record_placement_moved(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ModeratedPageMixin) and page.live:
        record_placement(page=page, cause=Placement.Cause.MOVED)


def _on_price_list_published(sender, instance, **kwargs):
    record_publication(page=instance)


def _reindex_renamed(sender, instance, revision=None, **kwargs):
    if renamed_on_publish(instance, revision):
        reindex_below(instance)


def _reindex_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if parent_page_before.pk != parent_page_after.pk and isinstance(
        instance.specific, (CatalogCategoryPage, CatalogItemPage)
    ):
        reindex_below(instance)


def _record_placement_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, ModeratedPageMixin):
        record_placement(page=instance, cause=Placement.Cause.PUBLISHED, revision=revision)


def _on_log_entry_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit.index_log_entry(instance)


def _on_history_row(sender, instance, history_instance, **kwargs):
    audit.index_history_row(history_instance, instance)


def _hold_submitted(sender, instance, **kwargs):
    state = instance.workflow_state
    if state.base_content_type.model == "page":
        audit.hold_revisions(state.object_id)


def _hold_published(sender, instance, **kwargs):
    if isinstance(instance, ModeratedPageMixin):
        audit.hold_revisions(instance.pk)


def _refresh_saved_page(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and not {"live", "path"} & set(update_fields):
        return  # a revision saved, a lock taken: who may read the page is the same
    visibility.page_saved(instance)


def _refresh_below_restriction(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return
    deleted_with = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and not issubclass(deleted_with, PageViewRestriction):
        return  # deleted with its page: the rows below go with the pages
    visibility.restriction_changed(instance.page_id)


def _register_visibility() -> None:
    """Who may read each page is stored (``PageReadability``): whatever publishes, unpublishes,
    creates or moves a page (each saves it, inside the action's transaction), or changes a view
    restriction (an item's audience among them), refreshes it in the same transaction."""
    post_save.connect(_refresh_saved_page, dispatch_uid="disclosure_visibility_page")
    for signal in (post_save, post_delete):
        signal.connect(
            _refresh_below_restriction,
            sender=PageViewRestriction,
            dispatch_uid=f"disclosure_visibility_restriction_{id(signal)}",
        )
    # The triggers that say whether a row is current, on SQLite: out of the way of the
    # migrations, which rebuild tables, and back once they have run.
    app = apps.get_app_config("disclosure")
    pre_migrate.connect(_drop_triggers, sender=app, dispatch_uid="disclosure_triggers_drop")
    post_migrate.connect(_install_triggers, sender=app, dispatch_uid="disclosure_triggers_add")


def _drop_triggers(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = connections[using]
    if visibility_triggers.installed_on_migrate(connection):
        visibility_triggers.uninstall(connection)


def _install_triggers(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    connection = connections[using]
    if visibility_triggers.installed_on_migrate(connection) and visibility_triggers.has_current(
        connection
    ):
        # Rows written while the triggers were away are withdrawn, and every row is rewritten
        # from the tree: marking them from their pages alone would reopen rows withdrawn for a
        # view restriction written around Django.
        visibility_triggers.install(connection, mark=False)
        visibility.refresh_visibility()


def _register_audit() -> None:
    for model in (PageLogEntry, ModelLogEntry):
        post_save.connect(_on_log_entry_saved, sender=model, dispatch_uid=f"audit_index_{model}")
    post_create_historical_record.connect(_on_history_row, dispatch_uid="audit_index_history")
    # Append-only: log entries, history rows and audit entries are never changed or deleted.
    history_models = [m.history.model for m in registered_models.values() if hasattr(m, "history")]
    # A many-to-many field's history (a commission's institutions) is kept in its own table,
    # whose rows point at the history row they belong to.
    m2m_history_models = [
        related.related_model
        for model in history_models
        for related in model._meta.related_objects
        if related.field.name == "history" and related.related_model.__name__.startswith("Hist")
    ]
    for model in (PageLogEntry, ModelLogEntry, AuditEntry, *history_models, *m2m_history_models):
        pre_save.connect(
            audit.refuse_history_change, sender=model, dispatch_uid=f"audit_keep_{model}"
        )
        pre_delete.connect(
            audit.refuse_history_delete, sender=model, dispatch_uid=f"audit_protect_{model}"
        )
    # Revisions of disclosure pages on the record are kept (see RevisionHold).
    post_save.connect(audit.hold_new_revision, sender=Revision, dispatch_uid="audit_hold")
    task_submitted.connect(_hold_submitted, sender=TaskState, dispatch_uid="audit_hold_submit")
    page_published.connect(_hold_published, dispatch_uid="audit_hold_publish")
    pre_save.connect(audit.keep_revision_content, sender=Revision, dispatch_uid="audit_content")
    for model in (WorkflowState, TaskState):
        pre_delete.connect(
            audit.protect_workflow_record, sender=model, dispatch_uid=f"audit_workflow_{model}"
        )


def _public_content_models() -> tuple[type, ...]:
    """Models whose rows appear on the public site or in the API (directly, or through an
    item's standing and due dates): a change to any of them invalidates the page cache."""
    return (
        Page,
        Site,
        PageViewRestriction,
        Collection,
        CollectionViewRestriction,
        get_document_model(),
        InstitutionSettings,
        Department,
        Attestation,
        ChangeEvent,
        CalendarDay,
        CalendarYear,
        PublicationAttachment,
        RecruitmentPosition,
        # The public ledger (released findings) and the published scores.
        Finding,
        Inspection,
    )


def _register_page_cache() -> None:
    public_models = _public_content_models()

    def on_row_changed(sender, raw=False, **kwargs):
        if not raw and issubclass(sender, public_models):
            invalidate()

    def on_page_event(sender, **kwargs):
        invalidate()

    post_save.connect(on_row_changed, weak=False, dispatch_uid="page_cache_save")
    post_delete.connect(on_row_changed, weak=False, dispatch_uid="page_cache_delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page_event, weak=False, dispatch_uid=f"page_cache_{id(signal)}")


def register() -> None:
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
    # Whatever unpublishes a disclosure page (the admin, bulk actions, either API, a command),
    # its publications go with it: nothing stays live under a page that is not.
    page_unpublished.connect(_unpublish_below, dispatch_uid="disclosure_unpublish_below")
    # Whatever moves a page: never where other people would read live or reviewed content
    # (see models/placement.py), and where each live disclosure page stands is on record.
    pre_page_move.connect(_refuse_moves_that_change_readers, dispatch_uid="disclosure_refuse_moves")
    # Whatever saves a site (the admin, the v3 API, code): its tree never overlaps another
    # institution's (the forms say so beside the field first: api/pages.py, check_site_form).
    pre_save.connect(_refuse_overlapping_sites, sender=Site, dispatch_uid="disclosure_site_overlap")
    post_page_move.connect(_record_placement_moved, dispatch_uid="disclosure_placement_moved")
    page_published.connect(
        _record_placement_published, dispatch_uid="disclosure_placement_published"
    )
    # A price list's new rows go live: their changes are recorded, and the item's change,
    # in the transaction that publishes them, whatever path publishes.
    page_published.connect(
        _on_price_list_published, sender=PriceListPage, dispatch_uid="disclosure_price_published"
    )
    # The pages under a category or item are indexed with its name (a search for the name
    # finds them): a rename or a move indexes them again.
    for model in (CatalogCategoryPage, CatalogItemPage):
        page_published.connect(
            _reindex_renamed, sender=model, dispatch_uid=f"disclosure_reindex_{model.__name__}"
        )
    post_page_move.connect(_reindex_moved, dispatch_uid="disclosure_reindex_moved")
    _register_visibility()
    _register_audit()
    _register_page_cache()
