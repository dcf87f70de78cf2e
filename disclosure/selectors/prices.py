"""Reads of the price lists (收费价格公示) for the list's page, its lobby screen and kiosk, and
the API: the live rows as a visitor queries them, and the lists a visitor may see."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import QueryDict
from wagtail.models import Site
from wagtail.query import PageQuerySet

from ..models import CatalogItemPage
from ..models.prices import ImportStatus, PriceListPage, PriceListVersion, PriceRow
from ..rules.price_search import (
    DEFAULT_SORT,
    MAX_QUERY_LENGTH,
    SORTS,
    PriceSearch,
    SearchRow,
    clean_query,
)
from ..rules.prices import PriceKind, normalise
from .catalog import _ancestor, visible_item
from .visibility import Viewer, visible_to

#: The rows of list versions each process keeps laid out for the query (``PriceSearch``), at
#: most: about 4 MB for a list of 20,000 services, so at most some 40 MB a process.
KEPT_ROWS = 200_000
#: The order of the kinds wherever the lists of one item are shown side by side.
KIND_ORDER = {kind: number for number, kind in enumerate(PriceKind.values)}


class _KeptSearches:
    """The ``PriceSearch`` of the versions this process queried last, up to ``KEPT_ROWS`` rows.

    A version never changes once imported (``PriceListVersion``): its search is kept under its
    id, the moment it was imported (an id that a restored backup gives again names another
    version) and its number of rows, and needs no invalidation. A version still being imported
    is read afresh each time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple, PriceSearch] = OrderedDict()

    def get(self, version: PriceListVersion) -> PriceSearch:
        if version.status != ImportStatus.READY:
            return _search_of(version)
        key = (version.pk, version.created_at, version.total_rows)
        with self._lock:
            if (search := self._kept.get(key)) is not None:
                self._kept.move_to_end(key)
                return search
        search = _search_of(version)
        with self._lock:
            self._kept[key] = search
            # The least recently queried go first; the one just read always stays.
            while len(self._kept) > 1 and sum(map(len, self._kept.values())) > KEPT_ROWS:
                self._kept.popitem(last=False)
        return search


def _search_of(version: PriceListVersion) -> PriceSearch:
    columns = ("pk", "code", "name", "initials", "initials_alt", "category", "price")
    rows = PriceRow.objects.filter(version_id=version.pk).order_by("position")
    return PriceSearch([SearchRow._make(values) for values in rows.values_list(*columns)])


kept_searches = _KeptSearches()


class QueriedRows(Sequence):
    """The rows of a query of one version, in order: their number known from the version's
    search, each page of them read by primary key. Django's paginator and the API's pagination
    both take it as a sequence."""

    def __init__(self, pks: Sequence[int] = (), rows: Sequence[int] = ()):
        self.pks = pks  # every row's id, in the list's order
        self.rows = rows  # the rows found (indexes into ``pks``), in the order asked

    def count(self) -> int:
        return len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return PriceRow.objects.get(pk=self.pks[self.rows[index]])
        wanted = [self.pks[row] for row in self.rows[index]]
        by_pk = PriceRow.objects.in_bulk(wanted)
        return [by_pk[pk] for pk in wanted]

    def __iter__(self):
        for start in range(0, len(self.rows), 2000):
            yield from self[start : start + 2000]


def live_rows(
    page: PriceListPage, *, q: str = "", category: str = "", sort: str = DEFAULT_SORT
) -> QueriedRows:
    """The rows of the list's live version (the page row's ``rows_version``; a preview's
    page is the draft's, so a preview shows the draft's rows), filtered by ``q`` and
    ``category`` and sorted by ``sort`` (one of :data:`SORTS`, else the list's own order)."""
    if page.rows_version_id is None:
        return QueriedRows()
    search = kept_searches.get(page.rows_version)
    return QueriedRows(search.pks, search.ordered(search.matching(q, category), sort))


def rows_page(rows: QueriedRows, *, number, per_page: int) -> PaginatorPage:
    """One page of ``rows`` (the last page for a number past the end, the first for anything
    not a number)."""
    return Paginator(rows, per_page).get_page(number)


@dataclass(frozen=True)
class PriceQuery:
    """What a visitor asked of a list: the query, the category, the order and the page."""

    q: str = ""
    category: str = ""
    sort: str = DEFAULT_SORT
    page: str = "1"

    @classmethod
    def from_params(cls, params: QueryDict) -> PriceQuery:
        sort = params.get("sort", "")
        return cls(
            q=clean_query(params.get("q")),
            category=normalise(params.get("category", ""))[:MAX_QUERY_LENGTH],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=params.get("page", "1"),
        )

    def params(self, **changes: str) -> str:
        """The query string of this query without its page (for the pagination links, which
        add theirs), with ``changes``; the defaults are left out."""
        params = QueryDict(mutable=True)
        values = {"q": self.q, "category": self.category, "sort": self.sort} | changes
        for name, value in values.items():
            if value and not (name == "sort" and value == DEFAULT_SORT):
                params[name] = value
        return params.urlencode()

    def results(self, page: PriceListPage, *, per_page: int) -> PaginatorPage:
        rows = live_rows(page, q=self.q, category=self.category, sort=self.sort)
        return rows_page(rows, number=self.page, per_page=per_page)


def query_context(page: PriceListPage, params: QueryDict, *, per_page: int) -> dict[str, Any]:
    """What a page of query results shows: the query, one page of its rows with their total,
    the list's categories and the version the rows belong to."""
    query = PriceQuery.from_params(params)
    categories = categories_of(page)
    if query.category and query.category not in categories:
        categories.append(query.category)  # kept selectable: the empty result says why
    return {
        "price_query": query,
        "price_rows": query.results(page, per_page=per_page),
        "price_params": query.params(),
        "price_categories": categories,
        "price_version": page.rows_version if page.rows_version_id else None,
    }


def categories_of(page: PriceListPage) -> list[str]:
    """The categories of the list's live rows, in the order the list first names them."""
    if page.rows_version_id is None:
        return []
    return list(kept_searches.get(page.rows_version).categories)


def _in_kind_order(lists) -> list[PriceListPage]:
    return sorted(
        lists, key=lambda price_list: (KIND_ORDER.get(price_list.price_kind, 99), price_list.path)
    )


def lists_beside(page: PriceListPage, user: Viewer) -> list[PriceListPage]:
    """The price lists a visitor may switch to from ``page`` (``page`` among them): those filed
    under the same catalog item and under the other items of its category (the demo files
    services, drugs and consumables under three items of 医保价格收费), that ``user`` may see,
    services, drugs and consumables in that order. Each carries ``tab_label``: its kind, or its
    title where two lists are of one kind. The queries of `visible_to`, whatever their number."""
    category_path = page.path[: -2 * PriceListPage.steplen]
    beside = PriceListPage.objects.filter(path__startswith=category_path, depth=page.depth)
    lists = list(visible_to(beside, user).defer("body", "summary"))
    if not any(price_list.pk == page.pk for price_list in lists):
        lists.append(page)  # a preview, or a draft seen by its editor
    kinds = [price_list.price_kind for price_list in lists]
    for price_list in lists:
        shared = kinds.count(price_list.price_kind) > 1
        price_list.tab_label = price_list.title if shared else price_list.get_price_kind_display()
    return _in_kind_order(lists)


def price_lists_for_item(*, item: CatalogItemPage, user: Viewer) -> list[PriceListPage]:
    """The item's live price lists that ``user`` may see, in kind order."""
    return _in_kind_order(
        visible_to(PriceListPage.objects.child_of(item), user).defer("body", "summary")
    )


def price_lists_visible_to(
    user: Viewer,
    *,
    site: Site | None = None,
    item_id: int | None = None,
    kind: str | None = None,
) -> PageQuerySet:
    """Live price lists ``user`` may see, each with its live version and its item's id and
    title (``item_id``, ``item_title``), by position in the tree.
    A filter naming an item the user may not see gives no lists, as one that does not exist."""
    lists = visible_to(PriceListPage.objects.all(), user)
    if site is not None:
        lists = lists.descendant_of(site.root_page)
    if item_id is not None:
        item = visible_item(item_id, user)
        lists = lists.child_of(item) if item is not None else lists.none()
    if kind:
        lists = lists.filter(price_kind=kind)
    return (
        lists.select_related("rows_version")
        .defer("body", "summary")
        .annotate(item_id=_ancestor(1, "pk"), item_title=_ancestor(1, "title"))
        .order_by("path")
    )


def visible_price_list(pk: int, user: Viewer) -> PriceListPage | None:
    """The live list with ``pk`` if ``user`` may see it; ``None`` whether it is hidden or does
    not exist."""
    return price_lists_visible_to(user).filter(pk=pk).first()
