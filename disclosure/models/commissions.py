"""Health commissions (卫生健康委员会) and what they keep: the institutions in their area, the
daily compliance snapshots that make a ranking reproducible, the update checks (网页更新检查)
their inspectors take, and their notices (通报) with the findings issued to institutions.

A commission reads; it never writes into an institution. What it issues lands in each
institution's rectification ledger as an ordinary finding (source: the health commission),
which the institution answers there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.documents import get_document_model_string

from ..rules.commissions import CommissionLevel, NoticeState
from .audit import AuditScope
from .institutions import Department
from .rectification import ColumnStanding

_SCORE = {"max_digits": 5, "decimal_places": 1}


class Commission(models.Model):
    """A supervising body over institutions (and over the areas of other commissions)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=CommissionLevel.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    institutions = models.ManyToManyField(
        "wagtailcore.Site",
        verbose_name=_("institutions overseen"),
        related_name="commissions",
        blank=True,
    )
    oversees = models.ManyToManyField(
        "self",
        verbose_name=_("commissions overseen"),
        symmetrical=False,
        related_name="overseen_by",
        blank=True,
        help_text=_(
            "Their institutions are in this commission's area too (a province over its cities)."
        ),
    )
    readers_group = models.ForeignKey(
        Group,
        verbose_name=_("readers group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "Members read the area's reports, ledgers and inspections, and issue "
            "notices. They change nothing in an institution."
        ),
    )
    assessors_group = models.ForeignKey(
        Group,
        verbose_name=_("assessors group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Members also score institutions on the checklist templates."),
    )
    document_collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("document collection"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Where the attachments of the commission's notices are kept."),
    )

    history = HistoricalRecords(m2m_fields=[institutions, oversees])

    class Meta:
        verbose_name = _("health commission")
        verbose_name_plural = _("health commissions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> AuditScope:
        return AuditScope(commission_id=self.pk)


class ComplianceSnapshot(models.Model):
    """An institution's standing on a day, as the ranking reads it: taken daily, and by each
    update check (then tied to it)."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    taken_on = models.DateField(_("date"))
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    update_check = models.ForeignKey(
        "disclosure.UpdateCheck",
        verbose_name=_("update check"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshots",
    )
    institution_name = models.CharField(_("institution"), max_length=200)
    items = models.PositiveIntegerField(_("catalog items"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    due_soon = models.PositiveIntegerField(_("due soon"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    never_published = models.PositiveIntegerField(_("never published"), default=0)
    no_schedule = models.PositiveIntegerField(_("no schedule"), default=0)
    open_findings = models.PositiveIntegerField(_("open rectifications"), default=0)
    overdue_findings = models.PositiveIntegerField(_("overdue rectifications"), default=0)
    self_score = models.DecimalField(_("self-score"), null=True, blank=True, **_SCORE)
    commission_score = models.DecimalField(_("commission score"), null=True, blank=True, **_SCORE)
    annual_report_year = models.PositiveSmallIntegerField(_("annual report of"), null=True)
    annual_report_on_time = models.BooleanField(_("annual report on time"), null=True)
    requests_answered = models.PositiveIntegerField(_("requests answered"), default=0)
    requests_late = models.PositiveIntegerField(_("requests answered late"), default=0)

    class Meta:
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        ordering = ["-taken_on", "institution_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "taken_on"],
                condition=models.Q(update_check__isnull=True),
                name="one_daily_snapshot_per_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution_name} {self.taken_on.isoformat()}"


class UpdateCheck(models.Model):
    """A commission's check of every catalog column of its area on a day (网页更新检查), kept
    as taken: one snapshot per institution and one row per column."""

    commission = models.ForeignKey(
        Commission,
        verbose_name=_("health commission"),
        on_delete=models.PROTECT,
        related_name="update_checks",
    )
    taken_on = models.DateField(_("date"), editable=False)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("update check")
        verbose_name_plural = _("update checks")
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return _("Update check of %(date)s") % {"date": self.taken_on.isoformat()}

    def audit_scope(self) -> AuditScope:
        return AuditScope(commission_id=self.commission_id)


class UpdateCheckItem(ColumnStanding):
    """One catalog column of one institution on the check's day."""

    update_check = models.ForeignKey(UpdateCheck, on_delete=models.CASCADE, related_name="items")
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    institution_name = models.CharField(_("institution"), max_length=200)

    class Meta:
        verbose_name = _("checked column")
        verbose_name_plural = _("checked columns")
        ordering = ["update_check", "sort_order"]


class CommissionNotice(models.Model):
    """A commission's notice (通报): the results of a period's check, its text, attachments,
    and the findings issued to named institutions."""

    commission = models.ForeignKey(
        Commission,
        verbose_name=_("health commission"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("文号, e.g. 示卫通〔2026〕3号."),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(pgettext_lazy("notice", "period from"))
    period_end = models.DateField(pgettext_lazy("notice", "period to"))
    text = models.TextField(_("text"))
    update_check = models.ForeignKey(
        UpdateCheck,
        verbose_name=_("results from the update check"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=NoticeState.choices,
        default=NoticeState.DRAFT,
        editable=False,
    )
    issued_on = models.DateField(_("issued on"), null=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commission notice")
        verbose_name_plural = _("commission notices")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> AuditScope:
        return AuditScope(commission_id=self.commission_id)


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        CommissionNotice, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["notice", "pk"]

    def __str__(self) -> str:
        return str(self.document)


class NoticeFinding(models.Model):
    """A finding a notice issues to one institution. Drafted with the notice; on issue it lands
    in the institution's rectification ledger as ``finding``, which the institution answers."""

    notice = models.ForeignKey(CommissionNotice, on_delete=models.CASCADE, related_name="lines")
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "disclosure.CatalogItemPage",
        verbose_name=_("catalog item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    problem = models.TextField(_("problem found"))
    measure = models.TextField(_("required measure"))
    working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Counted on the working-day calendar from the day the notice is issued."),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("A fixed date instead of a number of working days."),
    )
    finding = models.OneToOneField(
        "disclosure.Finding",
        verbose_name=_("rectification finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notice_line",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice finding")
        verbose_name_plural = _("notice findings")
        ordering = ["notice", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_days__isnull=False) | models.Q(due_date__isnull=False),
                name="notice_finding_has_a_time_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:60]

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id, department_id=self.department_id)
