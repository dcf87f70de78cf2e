"""Who may view what: staff-only (职工) catalog items are restricted to logged-in users.

The restriction is a Wagtail ``PageViewRestriction`` on the item, so everything under it is
restricted too, through every face Wagtail has (serving, ``.public()``, sitemap, search).
Only ``login`` restrictions are managed here; restrictions an editor sets by hand are left alone.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from ..models import Audience, CatalogCategoryPage, CatalogItemPage


def _set_login_restriction(page: Page, *, restricted: bool) -> None:
    existing = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    if restricted and not existing.exists():
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif not restricted:
        existing.delete()


@transaction.atomic
def sync_audience_restriction(*, item: CatalogItemPage) -> None:
    """Restrict a staff-only item (and a category holding only staff-only items)."""
    _set_login_restriction(item, restricted=item.audience == Audience.STAFF)
    category = item.get_parent().specific
    if isinstance(category, CatalogCategoryPage):
        audiences = set(
            CatalogItemPage.objects.child_of(category).values_list("audience", flat=True)
        )
        _set_login_restriction(category, restricted=audiences == {Audience.STAFF})
