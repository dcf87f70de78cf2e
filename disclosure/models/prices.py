"""Price lists (收费价格公示): structured rows per kind, imported as versions, reviewed as drafts.

A ``PriceListPage`` is a publication under a 收费价格 catalog item. Its rows are data, not page
body: each import makes an immutable ``PriceListVersion`` with its ``PriceRow``s, and a new
revision of the page points at it (``rows_version``). Wagtail keeps the page row as the live
content and the revisions as drafts, so the live list is ``page.rows_version`` and the list under
review is the latest revision's. The reviewers see the difference between the two in their step;
the office's approval publishes the new version, and each changed row becomes a ``PriceChange``
with the version's effective date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from ..rules.price_columns import scanned
from ..rules.prices import PriceKind
from ..rules.privacy import find_identifiers, personal_information_refusal
from .catalog import PublicationKind
from .publications import PublicationPage


class PriceListPage(RoutablePageMixin, PublicationPage):
    """价格公示: one list of prices of one kind (services, drugs or consumables).

    The rows come only from an import (Price list → 导入), never from the page form: the form
    edits the words around the list, and the rows it shows are the version the revision names.
    """

    publication_kind = PublicationKind.PRICE_LIST
    #: The reviewers approve with the diff against the live list in front of them.
    approve_in_dialog = True

    price_kind = models.CharField(
        _("kind of prices"), max_length=20, choices=PriceKind.choices, default=PriceKind.SERVICE
    )
    rows_version = models.ForeignKey(
        "disclosure.PriceListVersion",
        verbose_name=_("rows"),
        null=True,
        blank=True,
        # Deleting the list deletes its versions with it; nothing else deletes a version.
        on_delete=models.RESTRICT,
        related_name="+",
        editable=False,
    )

    content_panels = [
        *PublicationPage.content_panels[:2],
        FieldPanel("price_kind"),
        *PublicationPage.content_panels[2:],
    ]
    api_fields = [*PublicationPage.api_fields, APIField("price_kind")]
    #: A copy starts with no rows: it would otherwise name the original's versions (its live
    #: rows, and its draft under review), which belong to the original only.
    exclude_fields_in_copy = [*PublicationPage.exclude_fields_in_copy, "rows_version"]
    template = "disclosure/price_list_page.html"
    #: Read with the page when it is served (``PathRoutingMixin``): its page shows the live
    #: version's effective date and basis, and queries its rows.
    route_select_related = ("rows_version",)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    #: Rows per page of the public query.
    rows_per_page = 20

    def get_context(self, request, *args, **kwargs):
        """The live rows as the visitor queried them (``?q=``, ``?category=``, ``?sort=``,
        ``?page=``), the list's categories and the lists of the other kinds beside it."""
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors import prices as selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.query_context(self, request.GET, per_page=self.rows_per_page))
        context["kind_lists"] = selectors.lists_beside(self, request.user)
        return context

    # The list's other faces. Deferred to the call: Wagtail's idiom, a page's routes may call
    # views (DESIGN.md §3, the written exception). Each is served through the page's own
    # ``serve``, so the page's view restrictions and the site's audience checks apply to them.
    @path("changes/", name="changes")
    def changes_route(self, request):
        """价格变动公示: the list's recent price changes, and the price on a date."""
        # Deferred to the call: a page's route may call views (DESIGN.md §3).
        from ..views.price_changes import price_changes_page

        return price_changes_page(request, self)

    @path("screen/", name="screen")
    def screen_route(self, request):
        """电子屏: the list in very large type, paging by itself."""
        # Deferred to the call: a page's route may call views (DESIGN.md §3).
        from ..views.price_screen import lobby_screen

        return lobby_screen(request, self)

    @path("kiosk/", name="kiosk")
    def kiosk_route(self, request):
        """查询一体机: the list with an on-screen keyboard for the search."""
        # Deferred to the call: a page's route may call views (DESIGN.md §3).
        from ..views.price_screen import kiosk

        return kiosk(request, self)

    def clean(self) -> None:
        super().clean()
        if problems := self.rows_problems():
            raise ValidationError(problems)

    def content_problems(self) -> list:
        """The rows' problems stop the list at its submission, at each approval and when it
        goes live, whatever the path (see ``ModeratedPageMixin.content_problems``)."""
        return [*super().content_problems(), *self.rows_problems(), *self.rows_privacy_problems()]

    def rows_problems(self) -> list[str]:
        """What is wrong with the version this page (or revision) names, as sentences."""
        version = self.rows_version
        if version is None:
            return []
        if self.pk is None or version.page_id != self.pk:
            return [str(_("The rows belong to another price list."))]
        if version.status != ImportStatus.READY:
            return [str(_("The rows' import has not finished."))]
        if version.price_kind != self.price_kind:
            return [str(_("The rows are of another kind: import the list again."))]
        live_id = (
            PriceListPage.objects.filter(pk=self.pk).values_list("rows_version_id", flat=True)
        ).first()
        if version.published_at is not None and version.pk != live_id:
            # A version that was live and was replaced never goes live again: its changes and
            # "the price on a date" are recorded by the order versions went live in.
            return [
                str(
                    _(
                        "These rows were live once and have been replaced: import them again "
                        "to make them live."
                    )
                )
            ]
        return []

    def rows_privacy_problems(self) -> list[str]:
        """Personal identifiers in the rows' texts (the import refuses them; this checks again
        whatever wrote the rows), the first few named by row and column."""
        if self.rows_version_id is None:
            return []
        texts = [
            field.name
            for field in PriceRow._meta.concrete_fields
            if _is_text(field) and scanned(self.price_kind, field.name)
        ]
        hits = []
        for values in PriceRow.objects.filter(version_id=self.rows_version_id).values(
            "position", *texts
        ):
            for name in texts:
                for hit in find_identifiers(values[name])[:1]:
                    place = _("row %(row)s, %(column)s") % {
                        "row": values["position"],
                        "column": PriceRow._meta.get_field(name).verbose_name,
                    }
                    hits.append((place, hit))
            if len(hits) >= MAX_PRIVACY_HITS:
                break
        return [personal_information_refusal(hits[:MAX_PRIVACY_HITS])] if hits else []


#: The personal identifiers a refusal names at most (one is enough to refuse).
MAX_PRIVACY_HITS = 5


def _is_text(field) -> bool:
    return isinstance(field, (models.CharField, models.TextField)) and field.name not in (
        "key",
        "initials",
        "initials_alt",
    )


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    READY = "ready", _("Imported")
    FAILED = "failed", _("Refused")


class PriceListVersion(models.Model):
    """One import of a price list's rows, with its effective date and basis (文号).

    The import fills it in one transaction and it never changes afterwards; while it runs, the
    counters tell the progress bar how far it has come, and a refused import keeps its row
    errors and no rows.
    """

    page = models.ForeignKey(
        PriceListPage,
        verbose_name=_("price list"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    price_kind = models.CharField(_("kind of prices"), max_length=20, choices=PriceKind.choices)
    effective_date = models.DateField(_("effective date"))
    basis = models.CharField(_("basis (document number)"), max_length=255, blank=True)
    source_name = models.CharField(_("file"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    #: Every refused row: ``[{"row": 12, "column": "价格", "message": "…"}, …]``.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    #: When the office's approval published it (``None``: never live).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price list version")
        verbose_name_plural = _("price list versions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["page", "effective_date"], name="price_version_effective"),
        ]

    def __str__(self) -> str:
        return f"{self.page} {self.effective_date}"

    def audit_page(self):
        """The list it belongs to: filed under the list's scope in the audit trail."""
        return self.page


class PriceRow(models.Model):
    """One row of a price list version. Written once by the import, never changed.

    The columns are the union of the three kinds' (services, drugs, consumables); ``key`` is
    what identifies the row across versions (a service's 项目编码, a drug's or consumable's
    name, form, specification and maker), so that two versions can be compared row by row.
    """

    version = models.ForeignKey(
        PriceListVersion, on_delete=models.CASCADE, related_name="rows", verbose_name=_("version")
    )
    position = models.PositiveIntegerField(_("row"))
    key = models.CharField(_("key"), max_length=400)
    code = models.CharField(pgettext_lazy("price", "code"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=255)
    #: Pinyin initials of the name, as read in context (血常规 → xcg), and, space-separated,
    #: the other readings of polyphonic characters (调强 → dq tq), for the search by initials.
    initials = models.CharField(_("pinyin initials"), max_length=255, blank=True)
    initials_alt = models.TextField(_("other pinyin initials"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    # Services (医疗服务项目)
    content = models.TextField(_("content (项目内涵)"), blank=True)
    exclusions = models.TextField(_("exclusions (除外内容)"), blank=True)
    # Drugs (药品) and consumables (医用耗材)
    dosage_form = models.CharField(_("dosage form"), max_length=100, blank=True)
    specification = models.CharField(_("specification"), max_length=255, blank=True)
    package = models.CharField(_("package"), max_length=100, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=255, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    volume_procurement = models.BooleanField(_("volume-based procurement"), default=False)
    # Every kind
    unit = models.CharField(_("unit"), max_length=50)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)
    #: A service's price per hospital grade, where the list gives one column each
    #: (``{"三级": "12.00", "二级": "11.00"}``); ``price`` is then this institution's grade's.
    grade_prices = models.JSONField(_("prices per grade"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    insurance_class = models.CharField(_("insurance class"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("price row")
        verbose_name_plural = _("price rows")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="price_row_unique_key"),
            models.UniqueConstraint(fields=["version", "position"], name="price_row_position"),
        ]
        indexes = [
            models.Index(fields=["version", "code"], name="price_row_code"),
            models.Index(fields=["version", "category", "position"], name="price_row_category"),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.name} {self.price}"


class ChangeKind(models.TextChoices):
    ADDED = "added", pgettext_lazy("price change", "Added")
    REMOVED = "removed", pgettext_lazy("price change", "Removed")
    CHANGED = "changed", pgettext_lazy("price change", "Changed")


class PriceChange(models.Model):
    """价格变动: one row's old and new price, recorded when a list version goes live.

    Its effective date is the version's; the catalog item's on-change deadline counts from it
    (a ``ChangeEvent`` on that date is recorded with it)."""

    page = models.ForeignKey(
        PriceListPage,
        verbose_name=_("price list"),
        on_delete=models.CASCADE,
        related_name="price_changes",
    )
    version = models.ForeignKey(
        PriceListVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    previous_version = models.ForeignKey(
        PriceListVersion,
        verbose_name=_("previous version"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    change = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    key = models.CharField(_("key"), max_length=400)
    code = models.CharField(pgettext_lazy("price", "code"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    old_price = models.DecimalField(
        _("old price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    new_price = models.DecimalField(
        _("new price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    effective_date = models.DateField(_("effective date"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price change")
        verbose_name_plural = _("price changes")
        ordering = ["-effective_date", "code", "key"]
        indexes = [
            models.Index(fields=["page", "-effective_date"], name="price_change_page_date"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.old_price} → {self.new_price}"

    def audit_page(self):
        return self.page
