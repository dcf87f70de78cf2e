"""Publications (公开信息): the disclosures under a catalog item, one page type per kind.

``PublicationPage`` is the general type and the concrete base of the others, so one query on
``PublicationPage`` lists every publication, whatever its kind.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.models import CollectionViewRestriction, Orderable, Page
from wagtail.search import index

from ..forms import ModeratedPageForm
from .catalog import Audience, CatalogItemPage, PublicationKind, catalog_item_for, catalog_names
from .moderation import DepartmentHeadTask, ModeratedPageMixin, OfficeReviewTask
from .publishing import unpublished_ancestor


class PublicationBody(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "ol", "ul", "link", "document-link"]
    )
    table = TableBlock(label=_("Table"))


class PublicationPage(ModeratedPageMixin, Page):
    """A general publication (公开信息) under a catalog item."""

    publication_kind = PublicationKind.GENERAL
    #: Its department's heads approve, then the disclosure office, whose approval publishes it.
    required_approvals = (DepartmentHeadTask, OfficeReviewTask)
    #: The office may publish it at once (突发事件、舆情), the head confirming afterwards.
    publishable_in_emergency = True

    # The document's own date (成文日期): shown and searched by, never a deadline's start, which
    # is when the publication went live (``first_published_at``, set by its publication).
    publication_date = models.DateField(
        _("document date"),
        default=timezone.localdate,
        db_index=True,
        help_text=_(
            "The date on the document itself. Deadlines count from when the publication goes "
            "live, not from this date."
        ),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(PublicationBody(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("publication_date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
        # Not the attachments themselves: a document of a private collection must not make
        # its page findable by the words of its title.
        index.SearchField("public_attachment_titles"),
        index.SearchField("catalog_names", boost=2),
    ]

    def catalog_names(self) -> str:
        return catalog_names(self)

    def public_attachment_titles(self) -> str:
        """The titles of the attachments anyone may download (outside every collection with
        a view restriction, and its descendants), for the search index."""
        closed = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        return " ".join(
            attachment.display_title
            for attachment in self.attachments.all()
            if not any(attachment.document.collection.path.startswith(path) for path in closed)
        )

    # Attachments are served by the disclosure API, which leaves out documents of private
    # collections; Wagtail's v3 API would list them for anyone.
    api_fields = [APIField("publication_date"), APIField("summary"), APIField("body")]

    base_form_class = ModeratedPageForm
    parent_page_types = ["disclosure.CatalogItemPage"]
    subpage_types: list[str] = []
    template = "disclosure/publication_page.html"

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def get_context(self, request, *args, **kwargs):
        """The catalog item it is filed under, and the attachments the reader may download
        (documents of private collections left out)."""
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            catalog_item=catalog_item_for(self),
            attachments=selectors.attachments_visible_to(
                request.user, selectors.attachments_for(publication=self)
            ),
        )
        return context

    @classmethod
    def can_create_at(cls, parent: Page) -> bool:
        return super().can_create_at(parent) and cls._item_allows(parent)

    def can_move_to(self, parent: Page) -> bool:
        return super().can_move_to(parent) and self._item_allows(parent)

    @classmethod
    def _item_allows(cls, parent: Page) -> bool:
        item = parent.specific
        return isinstance(item, CatalogItemPage) and item.allows_publication_kind(
            cls.publication_kind
        )

    def under_public_item(self) -> bool:
        item = catalog_item_for(self)
        return not (
            item is None
            or not item.live
            or item.audience == Audience.STAFF
            or unpublished_ancestor(item) is not None
            or item.get_view_restrictions().exists()
        )


class PublicationAttachment(Orderable):
    """A Wagtail document attached to a publication."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=pgettext_lazy("disclosure", "document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Blank: the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    CONSULTATION = "consultation", _("Competitive consultation")
    INQUIRY = "inquiry", _("Request for quotation")
    SINGLE_SOURCE = "single_source", _("Single source")


class ProcurementResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    AWARDED = "awarded", _("Awarded")
    FAILED = "failed", _("Failed (no valid bids)")
    TERMINATED = "terminated", _("Terminated")


class ProcurementNoticePage(PublicationPage):
    """A procurement notice (采购公告) and, once decided, its result (采购结果)."""

    publication_kind = PublicationKind.PROCUREMENT

    project_number = models.CharField(_("project number"), max_length=100, blank=True)
    procurement_method = models.CharField(
        _("procurement method"),
        max_length=20,
        choices=ProcurementMethod.choices,
        default=ProcurementMethod.OPEN_TENDER,
    )
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    bid_deadline = models.DateTimeField(_("bid deadline"), null=True, blank=True)
    result_status = models.CharField(
        _("result"),
        max_length=20,
        choices=ProcurementResult.choices,
        default=ProcurementResult.PENDING,
    )
    winning_supplier = models.CharField(_("winning supplier"), max_length=200, blank=True)
    award_amount = models.DecimalField(
        _("award amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    result_date = models.DateField(_("result date"), null=True, blank=True)
    result_note = models.TextField(_("result note"), blank=True)

    content_panels = [
        *PublicationPage.content_panels[:2],
        MultiFieldPanel(
            [
                FieldPanel("project_number"),
                FieldRowPanel([FieldPanel("procurement_method"), FieldPanel("budget")]),
                FieldPanel("bid_deadline"),
            ],
            heading=_("Procurement"),
        ),
        *PublicationPage.content_panels[2:],
        MultiFieldPanel(
            [
                FieldPanel("result_status"),
                FieldRowPanel([FieldPanel("winning_supplier"), FieldPanel("award_amount")]),
                FieldPanel("result_date"),
                FieldPanel("result_note"),
            ],
            heading=_("Result"),
        ),
    ]
    search_fields = [
        *PublicationPage.search_fields,
        index.SearchField("project_number"),
        index.SearchField("winning_supplier"),
    ]
    api_fields = [
        *PublicationPage.api_fields,
        *(
            APIField(name)
            for name in (
                "project_number",
                "procurement_method",
                "budget",
                "bid_deadline",
                "result_status",
                "winning_supplier",
                "award_amount",
                "result_date",
                "result_note",
            )
        ),
    ]
    template = "disclosure/procurement_notice_page.html"

    class Meta:
        verbose_name = _("procurement notice")
        verbose_name_plural = _("procurement notices")

    def clean(self) -> None:
        super().clean()
        if self.result_status == ProcurementResult.AWARDED and not self.winning_supplier:
            raise ValidationError(
                {"winning_supplier": _("An awarded procurement names its winner.")}
            )


class RecruitmentNoticePage(PublicationPage):
    """A recruitment notice (招聘公告) with its positions."""

    publication_kind = PublicationKind.RECRUITMENT

    application_start = models.DateField(_("applications open"), null=True, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    content_panels = [
        *PublicationPage.content_panels[:2],
        FieldRowPanel([FieldPanel("application_start"), FieldPanel("application_deadline")]),
        FieldPanel("contact"),
        InlinePanel("positions", label=_("Positions")),
        *PublicationPage.content_panels[2:],
    ]
    api_fields = [
        *PublicationPage.api_fields,
        APIField("application_start"),
        APIField("application_deadline"),
        APIField("contact"),
        APIField("positions"),
    ]
    template = "disclosure/recruitment_notice_page.html"

    class Meta:
        verbose_name = _("recruitment notice")
        verbose_name_plural = _("recruitment notices")

    def clean(self) -> None:
        super().clean()
        if (
            self.application_start
            and self.application_deadline
            and self.application_deadline < self.application_start
        ):
            raise ValidationError(
                {"application_deadline": _("The deadline is before applications open.")}
            )


class RecruitmentPosition(Orderable):
    page = ParentalKey(RecruitmentNoticePage, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("position"), max_length=200)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    requirements = models.TextField(_("requirements"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("headcount"), FieldPanel("requirements")]
    api_fields = [APIField("title"), APIField("headcount"), APIField("requirements")]

    class Meta(Orderable.Meta):
        verbose_name = _("position")
        verbose_name_plural = _("positions")


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    REPEALED = "repealed", _("Repealed")


class PolicyDocumentPage(PublicationPage):
    """A policy document (制度文件); its interpretations (解读) point to it."""

    publication_kind = PublicationKind.POLICY

    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issued by"), max_length=200, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("disclosure", "status"),
        max_length=20,
        choices=PolicyStatus.choices,
        default=PolicyStatus.IN_FORCE,
    )

    content_panels = [
        *PublicationPage.content_panels[:2],
        FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuing_body")]),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("status")]),
        *PublicationPage.content_panels[2:],
    ]
    search_fields = [*PublicationPage.search_fields, index.SearchField("document_number")]
    api_fields = [
        *PublicationPage.api_fields,
        APIField("document_number"),
        APIField("issuing_body"),
        APIField("effective_date"),
        APIField("status"),
    ]
    template = "disclosure/policy_document_page.html"

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")

    def get_context(self, request, *args, **kwargs):
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        context["interpretations"] = selectors.interpretations_for(policy=self, user=request.user)
        return context


class PolicyInterpretationPage(PublicationPage):
    """An interpretation (政策解读) of a policy document."""

    publication_kind = PublicationKind.POLICY

    policy_document = models.ForeignKey(
        PolicyDocumentPage,
        verbose_name=_("policy document"),
        on_delete=models.PROTECT,
        related_name="interpretations",
        null=True,
    )

    content_panels = [
        *PublicationPage.content_panels[:2],
        FieldPanel("policy_document"),
        *PublicationPage.content_panels[2:],
    ]
    template = "disclosure/policy_interpretation_page.html"

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")

    def get_context(self, request, *args, **kwargs):
        """The interpreted policy, left out when the reader may not see it."""
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        context["policy"] = selectors.policy_for(interpretation=self, user=request.user)
        return context

    def clean(self) -> None:
        super().clean()
        if self.policy_document_id is None:
            raise ValidationError({"policy_document": _("Choose the policy this interprets.")})
