"""What keeps a catalog item current besides its publications: changes and attestations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ChangeEvent(models.Model):
    """The information behind an item changed on a date (e.g. a new price takes effect).

    The publication is due N working days after the change (the item's update rule).
    """

    item = models.ForeignKey(
        "disclosure.CatalogItemPage",
        verbose_name=_("catalog item"),
        on_delete=models.CASCADE,
        related_name="change_events",
    )
    changed_on = models.DateField(_("changed on"))
    description = models.TextField(_("what changed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change event")
        verbose_name_plural = _("change events")
        ordering = ["-changed_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.item} {self.changed_on}"

    def audit_page(self):
        """The item it keeps current: the row is filed under its scope in the audit trail."""
        return self.item


class Attestation(models.Model):
    """无变化确认: a department user checked the item and it is still accurate."""

    item = models.ForeignKey(
        "disclosure.CatalogItemPage",
        verbose_name=_("catalog item"),
        on_delete=models.CASCADE,
        related_name="attestations",
    )
    attested_on = models.DateField(_("checked on"), default=timezone.localdate)
    note = models.TextField(_("note"))
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-attested_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.item} {self.attested_on}"

    def audit_page(self):
        """The item it keeps current: the row is filed under its scope in the audit trail."""
        return self.item
