"""Reads of the catalog for the public site (and, later, the API and reports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from ..models import (
    CatalogCategoryPage,
    CatalogItemPage,
    DisclosureIndexPage,
    InstitutionSettings,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    PublicationAttachment,
    PublicationPage,
)
from ..rules.update_rules import DEFAULT_WORKING_DAYS
from .visibility import visible_to

Viewer = User | AnonymousUser | None


def latest_publication_date() -> Subquery:
    children = PublicationPage.objects.filter(
        live=True, depth=OuterRef("depth") + 1, path__startswith=OuterRef("path")
    ).order_by("-publication_date")
    return Subquery(children.values("publication_date")[:1])


def catalog_items(*, root: Page, user: Viewer) -> PageQuerySet:
    """Items under ``root`` that ``user`` may see, with department and latest publication date."""
    return (
        visible_to(CatalogItemPage.objects.descendant_of(root), user)
        .select_related("department")
        .annotate(last_published_on=latest_publication_date())
        .order_by("path")
    )


def _with_rule_words(items, default_working_days: int):
    for item in items:
        item.rule_words = item.update_rule.describe(default_working_days=default_working_days)
    return items


@dataclass
class CategoryListing:
    category: CatalogCategoryPage
    items: list[CatalogItemPage] = field(default_factory=list)


def catalog_for_index(
    *, index: DisclosureIndexPage, user: Viewer, default_working_days: int
) -> list[CategoryListing]:
    """Categories with their visible items; categories with nothing visible are left out."""
    listings = {
        category.path: CategoryListing(category=category)
        for category in visible_to(CatalogCategoryPage.objects.child_of(index), user)
    }
    items = catalog_items(root=index, user=user)
    for item in _with_rule_words(list(items), default_working_days):
        listing = listings.get(item.path[: -CatalogItemPage.steplen])
        if listing is not None:
            listing.items.append(item)
    return [listing for listing in listings.values() if listing.items]


def items_for_category(
    *, category: CatalogCategoryPage, user: Viewer, default_working_days: int
) -> list[CatalogItemPage]:
    return _with_rule_words(list(catalog_items(root=category, user=user)), default_working_days)


def publications_for_item(*, item: CatalogItemPage, user: Viewer) -> PageQuerySet:
    """The item's live publications, newest first."""
    return visible_to(PublicationPage.objects.child_of(item), user).order_by(
        "-publication_date", "-pk"
    )


def latest_publications(*, root: Page, user: Viewer, limit: int = 10) -> list[PublicationPage]:
    """The newest publications under ``root``, each with its item's title (one query)."""
    parent_title = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    ).values("title")[:1]
    queryset = (
        visible_to(PublicationPage.objects.descendant_of(root), user)
        .annotate(item_title=Subquery(parent_title))
        .order_by("-publication_date", "-pk")
    )
    return list(queryset[:limit])


def disclosure_index_for_site(site: Site) -> DisclosureIndexPage | None:
    return DisclosureIndexPage.objects.live().descendant_of(site.root_page, inclusive=True).first()


def default_working_days_for(site: Site | None) -> int:
    if site is None:
        return DEFAULT_WORKING_DAYS
    return InstitutionSettings.for_site(site).default_update_working_days


def interpretations_for(*, policy: PolicyDocumentPage, user: Viewer) -> PageQuerySet:
    return visible_to(
        PolicyInterpretationPage.objects.filter(policy_document=policy), user
    ).order_by("-publication_date")


def policy_for(*, interpretation: PolicyInterpretationPage, user: Viewer):
    """The interpreted policy, or ``None`` when ``user`` may not see it."""
    if interpretation.policy_document_id is None:
        return None
    return visible_to(
        PolicyDocumentPage.objects.filter(pk=interpretation.policy_document_id), user
    ).first()


def attachments_for(*, publication: PublicationPage) -> list[PublicationAttachment]:
    return list(publication.attachments.select_related("document").order_by("sort_order"))
