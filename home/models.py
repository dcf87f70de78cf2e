"""The hospital's home page (the root of its Wagtail site)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    notice = models.CharField(
        _("notice"), max_length=200, blank=True, help_text=_("A one-line notice shown at the top.")
    )

    content_panels = [*Page.content_panels, FieldPanel("notice"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["disclosure.DisclosureIndexPage"]
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
