"""The monthly patrol (栏目巡查) and the rectification ledger (整改台账).

A patrol is taken on a day and kept as taken: every column's standing that day (the overdue
report's rows, frozen), the problems its link check found, and the problems the office added by
hand. A finding is one line of the ledger, whatever raised it; the department it names answers
it, and the disclosure office verifies it and decides whether, and in which words, the public
ledger shows it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.deadlines import ComplianceStatus
from ..rules.rectification import FindingSource, FindingState, ProblemKind
from .audit import AuditScope
from .institutions import Department


class Patrol(models.Model):
    """One patrol of an institution's disclosure columns on a day."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    patrolled_on = models.DateField(_("patrol date"), editable=False)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    pages_checked = models.PositiveIntegerField(_("pages checked"), default=0, editable=False)
    report = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("self-inspection report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("The draft 自查自纠 publication written from this patrol."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("column patrol")
        verbose_name_plural = _("column patrols")
        ordering = ["-patrolled_on", "-pk"]

    def __str__(self) -> str:
        return _("Patrol of %(date)s") % {"date": self.patrolled_on.isoformat()}

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id)


class ColumnStanding(models.Model):
    """A catalog column's standing on a day, frozen as the overdue report gave it: a patrol's
    rows, and a health commission's update check's."""

    item = models.ForeignKey(
        "disclosure.CatalogItemPage",
        verbose_name=_("catalog item"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    item_title = models.CharField(_("catalog item"), max_length=255)
    category = models.CharField(_("category"), max_length=255, blank=True)
    department_name = models.CharField(_("responsible department"), max_length=100, blank=True)
    rule = models.CharField(_("update rule"), max_length=255, blank=True)
    last_published_on = models.DateField(_("last published"), null=True)
    due = models.DateField(_("due"), null=True)
    due_estimated = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=20, choices=ComplianceStatus.choices)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.item_title

    @classmethod
    def frozen(cls, row, *, position: int, **fields):
        """The row of ``row`` (an ``ItemCompliance`` of the overdue report) at ``position``."""
        item = row.item
        return cls(
            item_id=item.pk,
            item_title=item.title[:255],
            category=row.category[:255],
            department_name=item.department.name if item.department else "",
            rule=row.rule_words[:255],
            last_published_on=item.last_published_on,
            due=row.deadline.due,
            due_estimated=row.deadline.estimated,
            status=row.deadline.status,
            sort_order=position,
            **fields,
        )


class PatrolStanding(ColumnStanding):
    """One catalog item's standing on the patrol's day, as the overdue report gave it."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="standings")

    class Meta:
        verbose_name = _("patrolled column")
        verbose_name_plural = _("patrolled columns")
        ordering = ["patrol", "sort_order"]


class PatrolProblem(models.Model):
    """Something a patrol found wrong: by its checks (a late column, a dead link, a missing
    document) or by hand."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(_("kind"), max_length=30, choices=ProblemKind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
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
    page_title = models.CharField(_("page"), max_length=255, blank=True)
    target = models.CharField(_("link or document"), max_length=500, blank=True)
    detail = models.TextField(_("problem"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("patrol problem")
        verbose_name_plural = _("patrol problems")
        ordering = ["patrol", "pk"]

    def __str__(self) -> str:
        return self.detail[:60]

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.patrol.site_id, item_id=self.item_id)


class Finding(models.Model):
    """One entry of the rectification ledger (整改台账)."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=40, editable=False)
    source = models.CharField(
        _("source of the problem"), max_length=30, choices=FindingSource.choices
    )
    source_detail = models.CharField(
        _("source in detail"),
        max_length=200,
        blank=True,
        help_text=_("Who found it and where, e.g. the evaluator and its report."),
    )
    inspection = models.ForeignKey(
        "disclosure.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    patrol_problem = models.OneToOneField(
        PatrolProblem,
        verbose_name=_("patrol problem"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finding",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="findings",
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
    raised_on = models.DateField(_("raised on"), editable=False)
    working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Counted on the working-day calendar from the day the finding is entered."),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("A fixed date instead of a number of working days."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=FindingState.choices,
        default=FindingState.OPEN,
        editable=False,
    )
    response = models.TextField(_("rectification done"), blank=True, editable=False)
    done_on = models.DateField(_("done on"), null=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    verified_on = models.DateField(_("verified on"), null=True, editable=False)
    verification_note = models.TextField(_("verification note"), blank=True, editable=False)
    released = models.BooleanField(_("on the public ledger"), default=False, editable=False)
    public_problem = models.TextField(_("problem, in public wording"), blank=True)
    public_measure = models.TextField(_("measure, in public wording"), blank=True)
    public_progress = models.TextField(_("progress, in public wording"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification finding")
        verbose_name_plural = _("rectification ledger")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="unique_finding_number"),
            models.CheckConstraint(
                condition=models.Q(working_days__isnull=False) | models.Q(due_date__isnull=False),
                name="finding_has_a_time_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.problem[:40]}"

    def audit_scope(self) -> AuditScope:
        return AuditScope(
            site_id=self.site_id, department_id=self.department_id, item_id=self.item_id
        )
