"""Search over the public catalog: stock Wagtail search (Chinese-aware search is its own issue)."""

from wagtail.models import Page

from ..models import CatalogItemPage, PublicationPage
from .catalog import Viewer
from .visibility import visible_to


def search_pages(*, root: Page, user: Viewer, query: str):
    pages = visible_to(
        Page.objects.descendant_of(root, inclusive=True).type(CatalogItemPage, PublicationPage),
        user,
    )
    return pages.specific().search(query)
