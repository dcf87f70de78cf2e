"""The hospital's home page (the root of its Wagtail site)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site
from wagtail.search import index

from disclosure.models import PathRoutingMixin


class HomePage(PathRoutingMixin, Page):
    """The institution's home page. It routes the whole site below it in one query
    (``PathRoutingMixin``); a page one level down, such as the benchmark's stock page, costs
    the same two queries as with Wagtail's own routing."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    notice = models.CharField(
        _("notice"), max_length=200, blank=True, help_text=_("A one-line notice shown at the top.")
    )

    content_panels = [*Page.content_panels, FieldPanel("notice"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["disclosure.DisclosureIndexPage", "home.StandardPage"]
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        """The newest publications of the whole site, and the institution's disclosure index
        with its catalog."""
        # Wagtail's idiom: a page's get_context may ask the selectors (DESIGN.md §3, the
        # written exception).
        from disclosure.selectors import catalog as selectors

        context = super().get_context(request, *args, **kwargs)
        site = Site.find_for_request(request)
        index = selectors.disclosure_index_for_site(site) if site is not None else None
        context.update(
            latest_publications=selectors.latest_publications(
                root=self, user=request.user, limit=10
            ),
            disclosure_index=index,
            categories=selectors.catalog_for_index(
                index=index,
                request=request,
                user=request.user,
                default_working_days=selectors.default_working_days_for_request(request),
            )
            if index is not None
            else [],
        )
        return context


class StandardPage(Page):
    """A plain page (about us, directions…) as ``wagtail start`` would make it: a title and a
    rich-text body in the site's layout. The benchmark serves one as the stock Wagtail
    reference: the same layout as the catalog's pages, none of their work."""

    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    template = "home/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
