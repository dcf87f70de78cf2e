"""Institutions (a Wagtail ``Site`` with its settings) and their departments (科室)."""

from __future__ import annotations

from types import EllipsisType

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site

from ..rules.request_clock import CaseRules
from ..rules.update_rules import DEFAULT_WORKING_DAYS
from .audit import AuditScope


class InstitutionGrade(models.TextChoices):
    GRADE_3A = "3A", _("Grade III, Class A")
    GRADE_3B = "3B", _("Grade III, Class B")
    GRADE_2A = "2A", _("Grade II, Class A")
    GRADE_2B = "2B", _("Grade II, Class B")
    GRADE_1 = "1", _("Grade I")
    PRIMARY = "primary", _("Primary care institution")
    PUBLIC_HEALTH = "public_health", _("Public health institution")
    UNGRADED = "ungraded", _("Not graded")


@register_setting(icon="site")
class InstitutionSettings(BaseSiteSetting):
    """The institution behind a Wagtail site: who it is and who answers for its disclosure."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    grade = models.CharField(
        _("grade"),
        max_length=20,
        choices=InstitutionGrade.choices,
        default=InstitutionGrade.UNGRADED,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    legal_representative = models.CharField(
        _("legal representative"),
        max_length=100,
        blank=True,
        help_text=_("The first person responsible for information disclosure (第一责任人)."),
    )
    office_name = models.CharField(
        _("disclosure office"), max_length=100, blank=True, default="信息公开办公室"
    )
    office_contact = models.CharField(_("office contact person"), max_length=100, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=50, blank=True)
    office_email = models.EmailField(_("office email"), blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    office_group = models.ForeignKey(
        Group,
        verbose_name=_("disclosure office group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Members give the final approval and own the catalog."),
    )
    supervisors_group = models.ForeignKey(
        Group,
        verbose_name=_("supervisors group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "纪检监察: read everything, including reports, history and staff-only content."
        ),
    )
    leadership_group = models.ForeignKey(
        Group,
        verbose_name=_("leadership group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "The first person responsible (第一责任人) and the leaders in charge: they sign off "
            "self-inspections, as the office's head does."
        ),
    )
    document_collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("document collection"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "The institution's documents: its departments and office add, change and choose "
            "documents here only, and cannot see or change another institution's."
        ),
    )
    publication_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("publication workflow"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Department head, then disclosure office."),
    )
    catalog_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("catalog workflow"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("A second member of the disclosure office approves catalog changes."),
    )
    default_update_working_days = models.PositiveSmallIntegerField(
        _("default update limit (working days)"),
        default=DEFAULT_WORKING_DAYS,
        help_text=_("Applies to catalog items that do not set their own limit."),
    )

    consultation_working_days = models.PositiveSmallIntegerField(
        _("consultations answered within (working days)"), default=3
    )
    request_working_days = models.PositiveSmallIntegerField(
        _("requests answered within (working days)"), default=20
    )
    correction_notice_working_days = models.PositiveSmallIntegerField(
        _("correction asked for within (working days)"), default=7
    )
    extension_max_working_days = models.PositiveSmallIntegerField(
        _("longest extension (working days)"), default=20
    )
    third_party_max_working_days = models.PositiveSmallIntegerField(
        _("third-party consultation not counted, at most (working days)"), default=15
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("full_name"),
                FieldPanel("grade"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("legal_representative"),
            ],
            heading=_("Institution"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("office_contact"),
                FieldPanel("office_phone"),
                FieldPanel("office_email"),
                FieldPanel("office_address"),
                FieldPanel("office_group"),
                FieldPanel("supervisors_group"),
                FieldPanel("leadership_group"),
            ],
            heading=_("Disclosure office"),
        ),
        MultiFieldPanel(
            [FieldPanel("publication_workflow"), FieldPanel("catalog_workflow")],
            heading=_("Moderation"),
        ),
        FieldPanel("default_update_working_days"),
        MultiFieldPanel(
            [
                FieldPanel("consultation_working_days"),
                FieldPanel("request_working_days"),
                FieldPanel("correction_notice_working_days"),
                FieldPanel("extension_max_working_days"),
                FieldPanel("third_party_max_working_days"),
            ],
            heading=_("Requests and consultations"),
        ),
    ]

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return institution_name(self.site, self)

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id)

    def case_rules(self) -> CaseRules:
        """The institution's time limits for requests and consultations."""
        return CaseRules(
            consultation_days=self.consultation_working_days,
            answer_days=self.request_working_days,
            correction_notice_days=self.correction_notice_working_days,
            extension_max_days=self.extension_max_working_days,
            third_party_max_days=self.third_party_max_working_days,
        )


def institution_roots() -> list[tuple[str, Site]]:
    """(root page path, site) for every institution, the longest path first, so that the first
    root a page's path starts with is the institution holding it (see ``holder_of``)."""
    sites = Site.objects.select_related("root_page")
    return sorted(((site.root_page.path, site) for site in sites), key=lambda row: -len(row[0]))


def holder_of(path: str, roots: list[tuple[str, Site]]) -> Site | None:
    """The institution (site) holding the page at ``path``, among ``roots``
    (``institution_roots()``): the one place a page's path is matched to a site."""
    return next((site for root, site in roots if path.startswith(root)), None)


def overlap_refusal(site: Site) -> str | None:
    """Why ``site`` may not stand where its root page is, or ``None``.

    An institution is the page tree below its site's root; its staff read the staff-only pages
    there, its office approves and its supervisors read them. A root at, above or below another
    institution's root would hand one institution's pages (and their staff-only content) to
    another's staff, so institutions' trees never overlap. A second host name for the same
    institution is a redirect at the web server, not a second site."""
    if site.root_page_id is None:
        return None
    path = Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True).first()
    if path is None:
        return None
    others = Site.objects.exclude(pk=site.pk).select_related("root_page")
    for other in others:
        root = other.root_page.path
        if path.startswith(root) or root.startswith(path):
            return gettext(
                "The root page “%(page)s” overlaps the pages of “%(other)s” (%(hostname)s): "
                "each institution's pages must stand apart, or one institution's staff would "
                "read another's staff-only pages. Choose a page outside every other site's "
                "tree; for a second host name of the same institution, redirect it at the web "
                "server."
            ) % {
                "page": site.root_page.title,
                "other": other.site_name or other.hostname,
                "hostname": other.hostname,
            }
    return None


def move_overlap_refusal(page: Page, destination: Page) -> str | None:
    """Why moving ``page`` under ``destination`` would put an institution inside another's
    tree (the root of a site at or below ``page`` carried into the pages of another site), or
    ``None``. ``overlap_refusal`` guards the sites' own saves; this, the moves of their roots."""
    # Asked for every destination a move chooser lists: the roots are read once per page.
    roots = page.__dict__.get("_institution_roots")
    if roots is None:
        roots = page.__dict__["_institution_roots"] = institution_roots()
    carried = [site for root, site in roots if root.startswith(page.path)]
    if not carried:
        return None
    for root, other in roots:
        if not root.startswith(page.path) and destination.path.startswith(root):
            return gettext(
                "Moving “%(title)s” under “%(destination)s” would put the pages of “%(site)s” "
                "inside those of “%(other)s”: each institution's pages must stand apart, or "
                "one institution's staff would read another's staff-only pages."
            ) % {
                "title": page.title,
                "destination": destination.title,
                "site": carried[0].site_name or carried[0].hostname,
                "other": other.site_name or other.hostname,
            }
    return None


def held_by(roots, *, field: str = "path", every: list[str] | None = None) -> models.Q:
    """Rows whose ``field`` (a page's path) lies in an institution rooted at one of ``roots``:
    at or below one of them, and not below another institution's root nested inside it
    (``every``: all the institutions' roots, read here when not given). The nearest root above
    a page is the institution holding it (``holder_of``): roots nested by a write around the
    guards (``sites-overlap`` in ``check_audit``) hand none of the inner institution's pages to
    the outer one's staff, office or supervisors."""
    roots = list(roots)
    if every is None:
        every = [root for root, _site in institution_roots()]
    held = models.Q(pk__in=[])  # of no institution: matches nothing
    for root in roots:
        below = models.Q(**{f"{field}__startswith": root})
        for other in every:
            if other != root and other.startswith(root) and other not in roots:
                below &= ~models.Q(**{f"{field}__startswith": other})
        held |= below
    return held


def institution_name(site: Site, settings: InstitutionSettings | EllipsisType | None = ...) -> str:
    """The name an institution goes by: its full name, else its site's name, else the site's
    host name. Pass ``settings`` (the site's row, or None when it has none) if it has been read
    already; otherwise it is read here."""
    if settings is ...:
        settings = InstitutionSettings.objects.filter(site=site).first()
    return (settings.full_name if settings else "") or site.site_name or site.hostname


class Department(models.Model):
    """A department (科室) of an institution; it owns catalog items."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="disclosure_departments",
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(pgettext_lazy("disclosure", "description"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    editors_group = models.ForeignKey(
        Group,
        verbose_name=_("editors group"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    heads_group = models.ForeignKey(
        Group,
        verbose_name=_("heads group"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("phone"),
        FieldPanel("editors_group"),
        FieldPanel("heads_group"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["site", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="unique_department_per_site")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id, department_id=self.pk)
