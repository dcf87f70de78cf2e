"""Search over the catalog categories, items and publications a user may see, for the site and
the API.

The full-text work is the search backend's (:mod:`disclosure.search_backend`, which finds words
inside Chinese text; each item and publication is indexed with the names of the category and
item it is filed under). Here: what may be searched (audience, filters), the cap on results,
the order (:func:`search_pages`) and the highlighted title, place and passage of the results
shown, the passage read as sentences even where it comes from a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from django.db.models import Q
from django.db.models.functions import Length, Substr
from wagtail.blocks import StreamValue
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.models import Page
from wagtail.query import PageQuerySet

from ..models import CatalogCategoryPage, CatalogItemPage, PublicationPage
from ..rules.search_text import (
    MAX_RESULTS,
    QueryTerm,
    Segment,
    contains_all,
    highlight,
    holds_all,
    join_sentences,
    query_terms,
    table_sentences,
)
from ..search_backend import ranked_keys, searchable_texts
from .visibility import Viewer, visible_among, visible_to

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
    #: The names of the category and item the page is filed under, marked where they match.
    place: list[list[Segment]] = field(default_factory=list)

    @property
    def publication_date(self) -> date | None:
        return getattr(self.page, "publication_date", None)


class SearchHits(Sequence):
    """The ranked hits of one search, at most :data:`MAX_RESULTS`. Only the slice asked for
    (one page of results) is loaded and highlighted."""

    def __init__(
        self,
        ids: list[int],
        terms: tuple[QueryTerm, ...],
        *,
        capped: bool = False,
        places: dict[int, list[str]] | None = None,
        user: Viewer = None,
    ):
        self.ids = ids
        self.terms = terms
        self.capped = capped
        self.places = places or {}
        # Whose search: the slice shown is read through their audience again (anonymous
        # unless given), so that a page closed since the ranking is not shown.
        self.user = user

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        pages = {page.pk: page for page in visible_among(ids, self.user).specific()}
        return [self._result(pages[pk]) for pk in ids if pk in pages]

    def _result(self, page: Page) -> SearchResult:
        body = readable_text(page)
        return SearchResult(
            page=page,
            title=highlight(page.title, self.terms),
            passage=highlight(body, self.terms, width=PASSAGE_WIDTH) if body else [],
            place=[highlight(name, self.terms) for name in self.places.get(page.pk, [])],
        )


def _stream_parts(value: StreamValue) -> Iterator[str]:
    for block in value:
        if isinstance(block.block, TableBlock):
            data = block.value or {}
            yield table_sentences(
                data.get("data") or [], header_row=bool(data.get("first_row_is_table_header"))
            )
        else:
            yield " ".join(str(text) for text in block.block.get_searchable_content(block.value))


def readable_text(page: Page) -> str:
    """The searchable text of ``page`` other than its title, as a visitor would read it:
    paragraphs without markup, tables row by row as sentences (not a run of cells)."""
    parts: list[str] = []
    for name, text in searchable_texts(page, own_fields_only=True):
        if name == "title":
            continue
        value = getattr(page, name)
        parts.extend(_stream_parts(value) if isinstance(value, StreamValue) else [text])
    return join_sentences(parts)


def searchable_pages(*, root: Page, user: Viewer, filters: SearchFilters) -> PageQuerySet:
    """The catalog categories, items and publications under ``root`` that ``user`` may see,
    filtered."""
    visible = visible_to(
        Page.objects.descendant_of(root, inclusive=True).type(
            CatalogCategoryPage, CatalogItemPage, PublicationPage
        ),
        user,
    )
    # As a subquery: the search backends translate only simple filters on indexed fields.
    # Under ``root`` outside it too (the path is one of them): PostgreSQL otherwise read the
    # keys of every page of every institution (53,000 at commission scale) to find those in
    # the subquery, where now it reads the institution's (5,300).
    pages = Page.objects.descendant_of(root, inclusive=True).filter(pk__in=visible.values("pk"))
    if filters.category is not None:
        pages = pages.descendant_of(filters.category)
    if filters.department_id is not None:  # its items and their publications, no category
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


class Tier(IntEnum):
    """How a page matches a query, best first."""

    CATALOG_TITLE = 0  # a category or item whose name holds every word (categories first)
    TITLE = 1  # a publication whose title holds every word
    CATALOG_PLACE = 2  # an item filed under a category so named
    PLACE = 3  # a publication filed under a category or item so named
    TEXT = 4  # the words stand in the text only


#: Backend scores that agree to this many significant digits are equal: the rest is noise
#: from the lengths of texts.
SCORE_DIGITS = 3


def _place_names(paths: list[str]) -> dict[str, str]:
    """{path: title} of the categories and items above the pages at ``paths``; one query."""
    above = {path[: -Page.steplen * n] for path in paths for n in (1, 2)} - {""}
    return dict(
        Page.objects.filter(path__in=above)
        .type(CatalogCategoryPage, CatalogItemPage)
        .values_list("path", "title")
    )


def _newest_first(published: date | None, first_published_at: dt.datetime | None) -> tuple:
    """A sort key putting the newest publication first, pages without a date last."""
    day = published.toordinal() if published else 0
    moment = first_published_at.timestamp() if first_published_at else 0.0
    return (-day, -moment)


def search_pages(
    *, root: Page, user: Viewer, query: str, filters: SearchFilters | None = None
) -> SearchHits:
    """Pages under ``root`` that ``user`` may see and that hold every word of ``query``, in
    their title, in the names of the category and item they are filed under, or in their
    text. Ranked by :class:`Tier`: a category or item named by the words, then publications
    so titled (newest first: one title naming the words is as good as another, and the latest
    is usually the one in force), then what is filed under the categories and items so named
    (items first, then publications newest first), then the pages holding the words in their
    text, in the backend's order of relevance, the newest first among equal scores."""
    terms = query_terms(query)
    if not terms:
        return SearchHits([], terms)
    pages = searchable_pages(root=root, user=user, filters=filters or SearchFilters())
    found = ranked_keys(pages.search(query, operator="and")[: MAX_RESULTS + 1])
    capped = len(found) > MAX_RESULTS
    found = found[:MAX_RESULTS]
    if not found:
        return SearchHits([], terms)
    # The pages' fields as plain rows: building 500 page objects cost more than finding them.
    # Still readable by ``user``: a page unpublished since the search is not ranked.
    rows = {
        row.pk: row
        for row in visible_among([pk for pk, _score in found], user)
        .values_list("pk", "path", "title", "first_published_at", named=True)
        .order_by()
    }
    ranked = [(rows[pk], score) for pk, score in found if pk in rows]
    names = _place_names([row.path for row, _score in ranked])
    dates = dict(
        PublicationPage.objects.filter(pk__in=list(rows)).values_list("pk", "publication_date")
    )
    places: dict[int, list[str]] = {}
    keys: dict[int, tuple] = {}
    groups: dict[float, int] = {}
    for position, (page, score) in enumerate(ranked):
        place = [names[path] for n in (2, 1) if (path := page.path[: -Page.steplen * n]) in names]
        places[page.pk] = place
        publication = page.pk in dates
        newest = _newest_first(dates.get(page.pk), page.first_published_at)
        if contains_all(page.title, terms):
            tier = Tier.TITLE if publication else Tier.CATALOG_TITLE
        elif place and holds_all([page.title, *place], terms):
            tier = Tier.PLACE if publication else Tier.CATALOG_PLACE
        else:
            tier = Tier.TEXT
        if tier in (Tier.TITLE, Tier.PLACE):
            keys[page.pk] = (tier, 0, newest, position)
        elif tier is Tier.TEXT:
            score = float(f"{score or 0:.{SCORE_DIGITS}g}")
            group = groups.setdefault(score, len(groups))  # in the backend's order
            keys[page.pk] = (tier, group, (publication, newest), position)
        else:
            # A category before the items it holds (the broader answer first), whatever
            # order the backend scored them in (SQLite and PostgreSQL score differently).
            keys[page.pk] = (tier, 0, (len(page.path),), position)
    ids = sorted(keys, key=keys.__getitem__)
    return SearchHits(ids, terms, capped=capped, places=places, user=user)
