"""How the admin names a page: by the titles the user may read.

Wagtail names a page in the admin by its latest draft's title, which nobody may have reviewed
yet; a user who may not read the page's drafts sees its live title instead. A page that is only
the way to the user's own pages shows as a placeholder, with none of its titles. The admin's
page listings (``views.admin_pages``) and its workflow views (``views.workflow``) both name
pages this way.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..selectors.admin_pages import draft_readable_ids

PLACEHOLDER_TITLE = _("(a page you may not see)")


def _names_a_draft(page: Page) -> bool:
    """Whether Wagtail's admin title of ``page`` (its latest draft's) may differ from its live
    title. A field left out of the query is taken to differ rather than read page by page."""
    deferred = page.get_deferred_fields()
    if "draft_title" in deferred or "title" in deferred:
        return True
    return bool(page.draft_title) and page.draft_title != page.title


def _name_by_live_title(page: Page) -> None:
    # ``specific`` and ``specific_deferred`` are cached copies Wagtail's templates read too; a
    # deferred copy made later copies the fields of ``page`` itself.
    for shown in (page, page.__dict__.get("specific"), page.__dict__.get("specific_deferred")):
        if shown is not None:
            shown.draft_title = shown.title


def show_live_titles(pages: Iterable[Page | None], user) -> None:
    """Name each of ``pages`` whose drafts ``user`` may not read (they may not edit or review
    it) by its live title, where Wagtail's admin would name it by the title of its latest
    draft (``get_admin_display_title``), which nobody may have reviewed yet.

    Changes the instances in place, so it is for pages on their way to a template or an
    answer, never for one about to be saved. One query for all of them, none when no page's
    draft is titled otherwise than the live page."""
    renamed: dict[int, list[Page]] = {}
    for page in pages:
        if page is not None and page.pk is not None and _names_a_draft(page):
            renamed.setdefault(page.pk, []).append(page)
    if not renamed:
        return
    readable = draft_readable_ids(user, renamed)
    for page_id, instances in renamed.items():
        if page_id not in readable:
            for page in instances:
                _name_by_live_title(page)


def with_live_title(page: Page, user) -> Page:
    """``page``, or a copy of it (never saved) named by its live title if ``user`` may not read
    its drafts: for a page a view may still act on after showing it."""
    if not _names_a_draft(page) or draft_readable_ids(user, [page.pk]):
        return page
    # The specific form (no query when deferred), so that nothing reads the page again.
    shown = copy.copy(page.specific_deferred)
    shown.__dict__.pop("specific", None)
    shown.__dict__.pop("specific_deferred", None)
    _name_by_live_title(shown)
    return shown


def as_placeholder(page: Page) -> Page:
    """A copy of ``page`` (never saved) that shows none of its titles: a parent row Wagtail
    renders, standing for a page that is only the way to the user's own pages."""
    shown = copy.copy(page.specific)
    # Cached specific forms would still carry the real titles.
    shown.__dict__.pop("specific", None)
    shown.__dict__.pop("specific_deferred", None)
    shown.title = shown.draft_title = str(PLACEHOLDER_TITLE)
    shown.seo_title = ""
    return shown
