"""Keeping the search index true to the catalog: every item and publication is indexed with the
names of the category and item it is filed under (``models.catalog.catalog_names``), so a
renamed or moved category or item has the pages under it indexed again."""

from __future__ import annotations

from collections import defaultdict

from wagtail.models import Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backends


def renamed_on_publish(page: Page, revision: Revision | None) -> bool:
    """Whether publishing ``revision`` changed ``page``'s title from the one last published
    (a first publication counts as a change)."""
    previous = (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
        .exclude(revision__isnull=True)
        .exclude(revision_id=getattr(revision, "pk", None))
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return previous is None or previous.revision.content.get("title") != page.title


def reindex_below(page: Page) -> int:
    """Index again every page under ``page``; returns how many."""
    by_model: dict[type[Page], list[Page]] = defaultdict(list)
    for below in Page.objects.descendant_of(page).specific():
        by_model[type(below)].append(below)
    for backend in get_search_backends():
        for model, pages in by_model.items():
            backend.add_bulk(model, pages)
    return sum(len(pages) for pages in by_model.values())
