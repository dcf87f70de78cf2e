"""The audit trail's index: one append-only row per page log entry, model log entry and history row.

Wagtail keeps page revisions and log entries; django-simple-history keeps a row per change of
every other plugin model. :class:`AuditEntry` mirrors each of them once, with the institution,
department, catalog item and page it concerns resolved when it is written, so that the audit
report can filter and page through all of them with one query. Each entry stores a digest of
its source row and, once sealed, a place in a hash chain: an entry or a source row rewritten
or deleted afterwards shows up in ``check_audit``.

The foreign keys are not constraints: an audit row outlives the user, page or department it
names, and never changes when they are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class AuditScope:
    """Who an audited object belongs to: its institution (Site), department, item and page.

    A model gives its rows' scope by its ``audit_scope()``; a model whose rows concern a page
    names that page instead (``audit_page()``) and shares its scope, which the catalog computes
    (:func:`.catalog.page_audit_scope`)."""

    site_id: int | None = None
    department_id: int | None = None
    item_id: int | None = None
    page_id: int | None = None
    #: A health commission's own records (its notices and update checks): read by its members
    #: and superusers, never shared with the institutions.
    commission_id: int | None = None


def local_minute(moment) -> str:
    """``moment`` in the site's time zone, to the minute, as records name it."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class AuditSource(models.TextChoices):
    PAGE_LOG = "page_log", _("Page log")
    MODEL_LOG = "model_log", _("Model log")
    HISTORY = "history", _("Model history")


def _loose_fk(model, verbose_name, **kwargs):
    """A foreign key that is only an index: no constraint, no cascade, kept when the target goes."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
        **kwargs,
    )


class AuditEntry(models.Model):
    """One audited event. Written once by the audit service; never updated except to seal it."""

    source = models.CharField(_("source"), max_length=20, choices=AuditSource.choices)
    source_model = models.CharField(_("source table"), max_length=100)
    source_id = models.CharField(_("source row"), max_length=64)
    source_digest = models.CharField(_("source digest"), max_length=64)
    timestamp = models.DateTimeField(_("time"), db_index=True)
    user = _loose_fk(settings.AUTH_USER_MODEL, _("user"))
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=255, db_index=True)
    content_type = _loose_fk(ContentType, _("object type"))
    object_id = models.CharField(_("object ID"), max_length=255, blank=True)
    object_repr = models.TextField(_("object"), blank=True)
    comment = models.TextField(pgettext_lazy("disclosure", "comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    revision_id = models.PositiveBigIntegerField(
        pgettext_lazy("disclosure", "revision"), null=True, blank=True
    )
    # For a publication: the digest of the revision's content as it went live.
    revision_digest = models.CharField(max_length=64, blank=True)
    site = _loose_fk("wagtailcore.Site", _("institution"))
    department = _loose_fk("disclosure.Department", _("department"))
    item = _loose_fk("disclosure.CatalogItemPage", _("catalog item"))
    page = _loose_fk("wagtailcore.Page", _("page"))
    # The hash chain: filled in by sealing, in commit order, never again.
    seq = models.PositiveBigIntegerField(_("sequence"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_model", "source_id"], name="unique_audit_entry_per_source_row"
            )
        ]
        indexes = [
            models.Index(fields=["site", "-timestamp"], name="audit_site_time"),
            models.Index(fields=["department", "-timestamp"], name="audit_department_time"),
            models.Index(fields=["item", "-timestamp"], name="audit_item_time"),
            models.Index(fields=["page", "-timestamp"], name="audit_page_time"),
        ]

    def __str__(self) -> str:
        moment = timezone.localtime(self.timestamp)
        return f"{moment:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """The single row that holds the end of the hash chain; updating it serializes sealing."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class RevisionHold(models.Model):
    """Keeps a revision of a disclosure page that was submitted or published.

    ``on_delete=PROTECT`` makes Django refuse, before it deletes anything, to delete the
    revision, and with it the page it belongs to and the approvals (task states) made on it:
    ``purge_revisions`` counts it as protected, and a page delete stops with ``ProtectedError``.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="disclosure_hold",
    )
    held_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kept revision")
        verbose_name_plural = _("kept revisions")

    def __str__(self) -> str:
        return str(self.revision_id)
