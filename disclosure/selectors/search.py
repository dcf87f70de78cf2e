"""Search over the catalog items and publications a user may see, for the site and the API.

The full-text work is the search backend's (:mod:`disclosure.search_backend`, which finds words
inside Chinese text). Here: what may be searched (audience, filters), the cap on results, the
order (pages whose title holds every term first, each tier in the backend's rank order) and
the highlighted title and passage of the results shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page
from wagtail.query import PageQuerySet

from ..models import CatalogCategoryPage, CatalogItemPage, PublicationPage
from ..rules.search_text import (
    MAX_RESULTS,
    QueryTerm,
    Segment,
    contains_all,
    highlight,
    query_terms,
)
from ..search_backend import searchable_texts
from .visibility import Viewer, visible_to

#: Characters of the passage shown under each result.
PASSAGE_WIDTH = 160


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search: a catalog category, a department, publication dates. A date filter
    keeps publications only (a catalog item has no date of its own)."""

    category: CatalogCategoryPage | None = None
    department_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SearchResult:
    page: Page
    title: list[Segment]
    passage: list[Segment]

    @property
    def publication_date(self) -> date | None:
        return getattr(self.page, "publication_date", None)


class SearchHits(Sequence):
    """The ranked hits of one search, at most :data:`MAX_RESULTS`. Only the slice asked for
    (one page of results) is loaded and highlighted."""

    def __init__(self, ids: list[int], terms: tuple[QueryTerm, ...], *, capped: bool = False):
        self.ids = ids
        self.terms = terms
        self.capped = capped

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
        return [self._result(pages[pk]) for pk in ids if pk in pages]

    def _result(self, page: Page) -> SearchResult:
        body = " ".join(
            text for name, text in searchable_texts(page, own_fields_only=True) if name != "title"
        )
        return SearchResult(
            page=page,
            title=highlight(page.title, self.terms),
            passage=highlight(body, self.terms, width=PASSAGE_WIDTH) if body else [],
        )


def searchable_pages(*, root: Page, user: Viewer, filters: SearchFilters) -> PageQuerySet:
    """The catalog items and publications under ``root`` that ``user`` may see, filtered."""
    visible = visible_to(
        Page.objects.descendant_of(root, inclusive=True).type(CatalogItemPage, PublicationPage),
        user,
    )
    # As a subquery: the search backends translate only simple filters on indexed fields.
    pages = Page.objects.filter(pk__in=visible.values("pk"))
    if filters.category is not None:
        pages = pages.descendant_of(filters.category)
    if filters.department_id is not None:
        items = CatalogItemPage.objects.filter(department_id=filters.department_id)
        publications = PublicationPage.objects.annotate(
            parent_path=Substr("path", 1, Length("path") - Page.steplen)
        ).filter(parent_path__in=items.values("path"))
        pages = pages.filter(Q(pk__in=items.values("pk")) | Q(pk__in=publications.values("pk")))
    if filters.date_from is not None or filters.date_to is not None:
        dated = PublicationPage.objects.all()
        if filters.date_from is not None:
            dated = dated.filter(publication_date__gte=filters.date_from)
        if filters.date_to is not None:
            dated = dated.filter(publication_date__lte=filters.date_to)
        pages = pages.filter(pk__in=dated.values("pk"))
    return pages


def search_pages(
    *, root: Page, user: Viewer, query: str, filters: SearchFilters | None = None
) -> SearchHits:
    """Pages under ``root`` that ``user`` may see and that hold every word of ``query``."""
    terms = query_terms(query)
    if not terms:
        return SearchHits([], terms)
    pages = searchable_pages(root=root, user=user, filters=filters or SearchFilters())
    ranked = list(pages.only("pk", "title").search(query, operator="and")[: MAX_RESULTS + 1])
    capped = len(ranked) > MAX_RESULTS
    ranked = ranked[:MAX_RESULTS]
    in_title = [page.pk for page in ranked if contains_all(page.title, terms)]
    titled = set(in_title)
    return SearchHits(
        in_title + [page.pk for page in ranked if page.pk not in titled], terms, capped=capped
    )
