"""The public rectification ledger (整改台账): the findings the disclosure office released, in
their public wording, and the institution's published inspection scores."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .moderation import ModeratedPageMixin


class RectificationLedgerPage(ModeratedPageMixin, Page):
    """整改台账: what the office put on the public ledger, and the signed-off scores it
    published. The rows come from :func:`disclosure.selectors.rectification.public_ledger`,
    never from the findings' internal texts."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "disclosure/rectification_ledger_page.html"

    class Meta:
        verbose_name = _("rectification ledger page")
        verbose_name_plural = _("rectification ledger pages")

    def get_context(self, request, *args, **kwargs):
        # Deferred to the call: Wagtail's idiom, a page's get_context may ask the selectors
        # (DESIGN.md §3, the written exception).
        from ..selectors.inspections import published_scores
        from ..selectors.rectification import public_ledger

        context = super().get_context(request, *args, **kwargs)
        site = self.get_site()
        site_id = site.pk if site else None
        context["rows"] = public_ledger(site_id=site_id) if site_id else []
        context["scores"] = published_scores(site_id=site_id) if site_id else []
        return context
