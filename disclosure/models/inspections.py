"""Self-inspection (自查评估): the scored checklist templates, each inspection of an institution
scored on one of them, and the evidence behind a score.

A template version is frozen once an inspection has been scored on it: a change makes a new
version (:func:`disclosure.services.inspections.new_template_version`), so an old inspection
keeps the sections, items and points it was scored on.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable

from ..rules.inspections import InspectionKind, InspectionState, Measure
from .audit import AuditScope

_POINTS = {"max_digits": 5, "decimal_places": 1}


class ClusterHistory(HistoricalRecords):
    """The history of a model held by a ``ParentalKey`` (edited inline with its parent).

    django-simple-history copies a foreign key with its own class and ``related_name="+"``,
    which a ``ParentalKey`` refuses; in the history it is a plain foreign key."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for field in fields.values():
            if isinstance(field, ParentalKey):
                field.__class__ = models.ForeignKey
        return fields


class ChecklistTemplate(ClusterableModel):
    """A scored checklist (自查评估表): sections of items whose points add up to 100.

    Shared by every institution when ``site`` is empty (a bureau's form, kept by the
    administrators), or an institution's own (kept by its disclosure office)."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Leave empty for a template every institution may use."),
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_example = models.BooleanField(
        _("example to adapt"),
        default=False,
        help_text=_("Shipped as an example: adapt it to your bureau's own form before use."),
    )
    notes = models.TextField(pgettext_lazy("disclosure", "description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("is_example"),
        FieldPanel("notes"),
        InlinePanel("sections", label=_("sections"), heading=_("Sections and their items")),
    ]

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name", "version"], name="unique_checklist_template_version"
            )
        ]

    def __str__(self) -> str:
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id)

    @property
    def is_frozen(self) -> bool:
        """Scored on at least once: its items and points may no longer change."""
        return self.inspections.exists()

    def total_points(self) -> Decimal:
        total = ChecklistItem.objects.filter(section__template=self).aggregate(
            total=models.Sum("points")
        )["total"]
        return total or Decimal(0)


class ChecklistSection(ClusterableModel, Orderable):
    """A section of a template (组织领导, 制度建设, 公开内容, …)."""

    template = ParentalKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)

    history = ClusterHistory()

    panels = [
        FieldPanel("title"),
        InlinePanel("items", label=_("items")),
    ]

    class Meta:
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        ordering = ["template", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> AuditScope:
        return self.template.audit_scope()


class ChecklistItem(Orderable):
    """One scored line of a template: what is checked, its points and how they are given, and
    optionally the engine that scores it by itself."""

    section = ParentalKey(ChecklistSection, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("content"))
    points = models.DecimalField(
        _("points"), **_POINTS, validators=[MinValueValidator(Decimal("0.5"))]
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    measure = models.CharField(
        _("automatic measure"), max_length=30, choices=Measure.choices, blank=True
    )
    threshold = models.PositiveSmallIntegerField(
        _("full marks from (per cent)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("For the on-time rate: the rate that earns full marks."),
    )
    deduction = models.DecimalField(
        _("points deducted per shortfall"),
        **_POINTS,
        null=True,
        blank=True,
        help_text=_(
            "Per percentage point below the rate, or per late item, request or finding. "
            "Empty: any shortfall loses every point."
        ),
    )
    history = ClusterHistory()

    panels = [
        FieldPanel("code"),
        FieldPanel("text"),
        FieldPanel("points"),
        FieldPanel("guidance"),
        FieldPanel("evidence_required"),
        FieldPanel("measure"),
        FieldPanel("threshold"),
        FieldPanel("deduction"),
    ]

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["section__sort_order", "section", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"

    def audit_scope(self) -> AuditScope:
        return self.section.audit_scope()


class Inspection(models.Model):
    """One scoring of an institution on a template: its own self-inspection, the health
    commission's inspection, or a third party's evaluation."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist template"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    evaluator = models.CharField(
        _("evaluator"),
        max_length=200,
        blank=True,
        help_text=_("The commission or the third-party organisation that scored."),
    )
    report_date = models.DateField(_("report date"), null=True, blank=True)
    commission = models.ForeignKey(
        "disclosure.Commission",
        verbose_name=_("health commission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        editable=False,
        help_text=_("The commission whose assessors score this inspection."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=InspectionState.choices,
        default=InspectionState.DRAFT,
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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, editable=False)
    return_comment = models.TextField(_("reason for return"), blank=True, editable=False)
    score_published = models.BooleanField(
        _("score published"),
        default=False,
        editable=False,
        help_text=_("The signed-off total appears on the public site and in the public API."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id)

    @property
    def evaluated_by(self) -> str:
        """Who scored, as the screens and files name them: the commission for its own
        inspection, else the evaluator written down."""
        return self.commission.name if self.commission_id else self.evaluator

    def total(self) -> Decimal:
        total = self.scores.aggregate(total=models.Sum("score"))["total"]
        return total or Decimal(0)


class InspectionScore(models.Model):
    """The score an inspection gave one checklist item, with its note (扣分说明); for an
    automatic item, how it was computed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), **_POINTS, null=True, blank=True)
    note = models.TextField(_("reasons for deductions"), blank=True)
    computed = models.TextField(_("how it was computed"), blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection score")
        verbose_name_plural = _("inspection scores")
        ordering = ["item__section__sort_order", "item__sort_order", "item"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="unique_score_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"

    def audit_scope(self) -> AuditScope:
        return self.inspection.audit_scope()


class Evidence(models.Model):
    """Something that shows a score or a finding's answer: a page, a document or a URL."""

    score = models.ForeignKey(
        InspectionScore,
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    finding = models.ForeignKey(
        "disclosure.Finding",
        on_delete=models.CASCADE,
        related_name="evidence",
        null=True,
        blank=True,
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.URLField(_("URL"), blank=True)
    label = models.CharField(_("link text"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=False, finding__isnull=True)
                | models.Q(score__isnull=True, finding__isnull=False),
                name="evidence_belongs_to_one_record",
            )
        ]

    def __str__(self) -> str:
        return self.label or self.url or str(self.page or self.document or "")

    def audit_scope(self) -> AuditScope:
        owner = self.score if self.score_id else self.finding
        return owner.audit_scope()
