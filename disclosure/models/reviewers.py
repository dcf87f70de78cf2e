"""Who reviews: a department's heads and acting heads (代理负责人), and an institution's
disclosure office. The review's task types ask here, at run time, who may act."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel

from .audit import AuditScope
from .institutions import Department, InstitutionSettings


class ActingHead(models.Model):
    """A user delegated to approve as a department's head for a date range (代理负责人)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="acting_heads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    history = HistoricalRecords()
    panels = [
        FieldPanel("department"),
        FieldPanel("user"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = _("acting head")
        verbose_name_plural = _("acting heads")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.user} → {self.department} ({self.starts_on}–{self.ends_on})"

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.department.site_id, department_id=self.department_id)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


def department_head_ids(department: Department, *, on=None) -> set[int]:
    on = on or timezone.localdate()
    heads = set()
    if department.heads_group_id:
        heads |= set(
            department.heads_group.user_set.filter(is_active=True).values_list("pk", flat=True)
        )
    heads |= set(
        department.acting_heads.filter(
            starts_on__lte=on, ends_on__gte=on, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    return heads


def office_site_ids(user) -> set[int]:
    """The sites whose disclosure office ``user`` belongs to (kept on the user object: one
    query per request's user)."""
    if not hasattr(user, "_disclosure_office_sites"):
        user._disclosure_office_sites = set(
            InstitutionSettings.objects.filter(office_group__user=user).values_list(
                "site_id", flat=True
            )
        )
    return user._disclosure_office_sites


def office_member_ids(site) -> set[int]:
    group = InstitutionSettings.for_site(site).office_group if site else None
    if group is None:
        return set()
    return set(group.user_set.filter(is_active=True).values_list("pk", flat=True))
