"""The record of reminder emails sent: one row per digest or escalation and day.

The unique constraints are what make ``send_reminders`` idempotent per day: a run creates the row
inside a transaction before it sends, so a second run on the same day (even a concurrent one)
fails to insert and sends nothing.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .audit import AuditScope


class ReminderKind(models.TextChoices):
    DEPARTMENT_DIGEST = "department_digest", _("Department digest")
    OFFICE_ESCALATION = "office_escalation", _("Escalation to the disclosure office")
    CASE_DIGEST = "case_digest", _("Requests and consultations due")
    FINDING_DIGEST = "finding_digest", _("Overdue rectification findings")
    FINDING_ESCALATION = "finding_escalation", _("Overdue rectification findings escalated")


class ReminderLog(models.Model):
    """A reminder email that was sent: to whom, on which day, about which items."""

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    department = models.ForeignKey(
        "disclosure.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        related_name="reminder_logs",
        null=True,
        blank=True,
        help_text=_("The department a digest went to."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The institution whose disclosure office an escalation went to."),
    )
    recipients = models.TextField(_("recipients"), help_text=_("Email addresses, comma-separated."))
    items = models.JSONField(
        _("items"),
        default=list,
        help_text=_("The catalog items named in the email, with their status and due date."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sent_on", "department"], name="unique_reminder_per_department_day"
            ),
            models.UniqueConstraint(
                fields=["kind", "sent_on", "site"], name="unique_reminder_per_site_day"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=[ReminderKind.DEPARTMENT_DIGEST, ReminderKind.FINDING_DIGEST],
                        site__isnull=True,
                    )
                    | Q(
                        kind__in=[
                            ReminderKind.OFFICE_ESCALATION,
                            ReminderKind.CASE_DIGEST,
                            ReminderKind.FINDING_ESCALATION,
                        ],
                        department__isnull=True,
                    )
                ),
                name="reminder_addressee_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on} {self.department or self.site or ''}"

    def audit_scope(self) -> AuditScope:
        site_id = self.department.site_id if self.department_id else self.site_id
        return AuditScope(site_id=site_id, department_id=self.department_id)
