"""Growing the page tree cheaply, for the tests that count queries at two sizes.

What those tests measure is the number of queries a page or an answer costs, not the review
that takes a page live (tested on its own), so the extra pages are written in bulk, as the
benchmark's data is (``home.bulk_pages``): a few queries for a hundred pages instead of a
review each.
"""

from __future__ import annotations

from django.utils import timezone
from wagtail.models import Page

from home.bulk_pages import BulkPages


def add_pages(parent: Page, pages: list[Page], *, live: bool = True) -> list[Page]:
    """``pages`` (of one type) as the last children of ``parent``, live or drafts."""
    if not pages:
        return []
    writer = BulkPages(type(pages[0]))
    for page in pages:
        writer.add(parent, page, published_at=timezone.now() if live else None)
    return writer.flush()
