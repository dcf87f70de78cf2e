"""Emergency publications (突发事件、舆情): published at once by the disclosure office, without
the review, and confirmed afterwards by the department's head. Whether a page may be published
so is the publish guard's question (:func:`.publishing.emergency_publication_refusal`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, Revision

from .audit import local_minute


class EmergencyPublication(models.Model):
    """Published at once by the office (突发事件、舆情); the department head confirms afterwards."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_comment = models.TextField(_("confirmation comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emergency publication")
        verbose_name_plural = _("emergency publications")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.page} ({local_minute(self.published_at)})"

    def audit_page(self):
        """The page published: the row is filed under its scope in the audit trail."""
        return self.page

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None
