"""The catalog as a page tree: index (信息公开) → category (一级事项) → item (二级事项)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..fields import ChoiceListField
from ..forms import ModeratedPageForm
from ..rules.readers import path_and_ancestors
from ..rules.update_rules import Period, RuleKind, UpdateRule
from .audit import AuditScope
from .institutions import Department
from .moderation import CatalogReviewTask, ModeratedPageMixin
from .routing import PathRoutingMixin


class Audience(models.TextChoices):
    PUBLIC = "public", _("General public")
    PATIENTS = "patients", _("Patients")
    STAFF = "staff", _("Staff")


class Channel(models.TextChoices):
    WEBSITE = "website", _("Hospital website")
    WECHAT = "wechat", _("WeChat official account")
    BULLETIN_BOARD = "bulletin_board", _("Bulletin board")
    AFFAIRS_BOARD = "affairs_board", _("Hospital affairs board")
    SCREEN = "screen", _("Electronic screen")
    TOUCH_SCREEN = "touch_screen", _("Touch screen")
    SIGNAGE = "signage", _("Signs and signage")
    ON_SITE = "on_site", _("On site")
    SERVICE_DESK = "service_desk", _("Service desk")
    HOTLINE = "hotline", _("Hotline")
    HANDBOOK = "handbook", _("Service handbook")
    STAFF_CONGRESS = "staff_congress", _("Staff congress")
    INTRANET = "intranet", _("Intranet")


class PublicationKind(models.TextChoices):
    GENERAL = "general", _("General publication")
    PROCUREMENT = "procurement", _("Procurement notice")
    RECRUITMENT = "recruitment", _("Recruitment notice")
    POLICY = "policy", _("Policy document and interpretation")
    ANNUAL_REPORT = "annual_report", _("Annual report on disclosure work")
    PRICE_LIST = "price_list", _("Price list")


class DisclosureIndexPage(PathRoutingMixin, ModeratedPageMixin, Page):
    """The institution's disclosure section (信息公开, slug ``xxgk``): the catalog's root.

    It routes the whole catalog below it in one query (``PathRoutingMixin``)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    required_approvals = (CatalogReviewTask,)
    base_form_class = ModeratedPageForm
    subpage_types = [
        "disclosure.CatalogCategoryPage",
        "disclosure.RequestCentrePage",
        "disclosure.RectificationLedgerPage",
    ]
    max_count_per_parent = 1
    template = "disclosure/disclosure_index_page.html"

    class Meta:
        verbose_name = _("disclosure index")
        verbose_name_plural = _("disclosure indexes")

    def get_context(self, request, *args, **kwargs):
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = selectors.catalog_for_index(
            index=self,
            request=request,
            user=request.user,
            default_working_days=selectors.default_working_days_for_request(request),
        )
        return context


def catalog_names(page: Page) -> str:
    """The titles of the catalog category and item ``page`` is filed under, for the search
    index: a word of a category's or an item's name finds what is filed there (收费 finds the
    price lists of 医保价格收费). Pages under a renamed or moved category or item are indexed
    again (``services.search_index``)."""
    return " ".join(
        Page.objects.ancestor_of(page)
        .type(CatalogCategoryPage, CatalogItemPage)
        .order_by("depth")
        .values_list("title", flat=True)
    )


class CatalogCategoryPage(ModeratedPageMixin, Page):
    """A first-level catalog heading (一级事项)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    required_approvals = (CatalogReviewTask,)
    base_form_class = ModeratedPageForm
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types = ["disclosure.CatalogItemPage"]
    template = "disclosure/catalog_category_page.html"

    class Meta:
        verbose_name = _("catalog category")
        verbose_name_plural = _("catalog categories")

    def get_context(self, request, *args, **kwargs):
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        context["items"] = selectors.items_for_category(
            category=self,
            request=request,
            user=request.user,
            default_working_days=selectors.default_working_days_for_request(request),
        )
        return context


class CatalogItemForm(ModeratedPageForm):
    """Offers only the departments of the institution the item belongs to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anchor = self.instance if self.instance.pk else self.parent_page
        site = anchor.get_site() if anchor is not None else None
        if site is not None and "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(site=site)


#: The parts of an item's update rule (``UpdateRule``'s fields) and the columns holding them.
RULE_COLUMNS = {
    "kind": "rule_kind",
    "period": "rule_period",
    "working_days": "rule_working_days",
    "review_months": "rule_review_months",
    "due_month": "rule_due_month",
    "due_day": "rule_due_day",
}


class CatalogItemPage(ModeratedPageMixin, Page):
    """A catalog item (二级事项): what must be disclosed, by whom, to whom, and how often."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="catalog_items",
        null=True,
    )
    content_elements = models.TextField(
        _("content elements"), help_text=_("What the disclosure must contain (公开内容).")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    channels = ChoiceListField(_("channels"), choices_class=Channel)
    rule_kind = models.CharField(
        _("update rule"), max_length=20, choices=RuleKind.choices, default=RuleKind.ON_CHANGE
    )
    rule_period = models.CharField(_("period"), max_length=20, choices=Period.choices, blank=True)
    rule_working_days = models.PositiveSmallIntegerField(
        _("working days"),
        null=True,
        blank=True,
        help_text=_(
            "Limit after a change, or after the end of a period. Blank: the institution's default."
        ),
    )
    rule_review_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), null=True, blank=True
    )
    rule_due_month = models.PositiveSmallIntegerField(
        _("due month (next year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("A yearly rule due on a fixed date of the next year, e.g. 1 and 31."),
    )
    rule_due_day = models.PositiveSmallIntegerField(
        _("due day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    notes = models.TextField(_("notes"), blank=True)
    publication_kinds = ChoiceListField(
        _("allowed publication types"),
        choices_class=PublicationKind,
        help_text=_("The kinds of publication that may be created under this item."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("department"),
        FieldPanel("content_elements"),
        FieldPanel("legal_basis"),
        FieldPanel("audience"),
        FieldPanel("channels"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("rule_kind"), FieldPanel("rule_period")]),
                FieldRowPanel([FieldPanel("rule_working_days"), FieldPanel("rule_review_months")]),
                FieldRowPanel([FieldPanel("rule_due_month"), FieldPanel("rule_due_day")]),
            ],
            heading=_("Update rule"),
        ),
        FieldPanel("publication_kinds"),
        FieldPanel("notes"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("content_elements"),
        index.SearchField("legal_basis"),
        index.SearchField("catalog_names", boost=2),
        index.FilterField("audience"),
        index.FilterField("department"),
    ]
    api_fields = [
        APIField(name)
        for name in (
            "department",
            "content_elements",
            "legal_basis",
            "audience",
            "channels",
            "rule_kind",
            "rule_period",
            "rule_working_days",
            "rule_review_months",
            "rule_due_month",
            "rule_due_day",
            "publication_kinds",
            "notes",
        )
    ]
    required_approvals = (CatalogReviewTask,)
    base_form_class = CatalogItemForm
    #: Read with the page when it is served (``PathRoutingMixin``): its page shows them.
    route_select_related = ("department",)

    parent_page_types = ["disclosure.CatalogCategoryPage"]
    subpage_types = [
        "disclosure.PublicationPage",
        "disclosure.ProcurementNoticePage",
        "disclosure.RecruitmentNoticePage",
        "disclosure.PolicyDocumentPage",
        "disclosure.PolicyInterpretationPage",
        "disclosure.AnnualReportPage",
        "disclosure.PriceListPage",
    ]
    template = "disclosure/catalog_item_page.html"
    #: Publications listed on one page of the item's page (``?page=``).
    publications_per_page = 20

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")

    def get_context(self, request, *args, **kwargs):
        """One page of the item's publications (``?page=``), newest first, and their number;
        its update rule in words; its standing (last publication, next due date, recent
        periods) from the one deadline engine."""
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors
        from ..selectors.compliance import item_standing
        from ..selectors.paging import CountingPaginator

        context = super().get_context(request, *args, **kwargs)
        days = selectors.default_working_days_for_request(request)
        paginator = CountingPaginator(
            selectors.publications_for_item(item=self, user=request.user),
            self.publications_per_page,
        )
        context.update(
            publications=paginator.get_page(request.GET.get("page")),
            standing=item_standing(self, default_working_days=days),
            rule_words=self.update_rule.describe(default_working_days=days),
        )
        return context

    def catalog_names(self) -> str:
        return catalog_names(self)

    @property
    def update_rule(self) -> UpdateRule:
        return UpdateRule(**{part: getattr(self, column) for part, column in RULE_COLUMNS.items()})

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [labels[code] for code in self.channels or [] if code in labels]

    def allows_publication_kind(self, kind: str) -> bool:
        return kind in (self.publication_kinds or [])

    def clean(self) -> None:
        super().clean()
        if self.rule_kind == RuleKind.PERIODIC and not self.rule_period:
            raise ValidationError({"rule_period": _("A periodic rule needs a period.")})
        if self.rule_kind != RuleKind.PERIODIC and self.rule_period:
            raise ValidationError({"rule_period": _("Only a periodic rule has a period.")})
        if (self.rule_due_month is None) != (self.rule_due_day is None):
            raise ValidationError({"rule_due_day": _("Give both the month and the day.")})
        if self.rule_due_month is not None:
            if self.rule_kind != RuleKind.PERIODIC or self.rule_period != Period.YEAR:
                raise ValidationError(
                    {"rule_due_month": _("Only a yearly rule is due on a fixed date.")}
                )
            if self.rule_working_days is not None:
                raise ValidationError(
                    {"rule_working_days": _("A rule due on a fixed date counts no working days.")}
                )
            try:
                dt.date(2001, self.rule_due_month, self.rule_due_day)
            except ValueError:
                raise ValidationError({"rule_due_day": _("No such day in that month.")}) from None
        if self.department_id is None:
            raise ValidationError({"department": _("Choose the responsible department.")})


def catalog_item_for(page: Page) -> CatalogItemPage | None:
    """The catalog item a page belongs to: itself, or its nearest item ancestor."""
    return (
        CatalogItemPage.objects.filter(path__in=path_and_ancestors(page.path))
        .select_related("department__heads_group", "department__site")
        .order_by("-depth")
        .first()
    )


def page_audit_scope(page: Page) -> AuditScope:
    """The scope of a page in the audit trail: its site, and for catalog pages their item and
    its department."""
    site = page.get_site()
    item = catalog_item_for(page)
    return AuditScope(
        site_id=site.pk if site else None,
        department_id=item.department_id if item else None,
        item_id=item.pk if item else None,
        page_id=page.pk,
    )
