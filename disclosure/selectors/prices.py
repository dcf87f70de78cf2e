"""Reads of the price lists (收费价格公示) for the list's page, its lobby screen and kiosk, and
the API: the live rows as a visitor queries them, and the lists a visitor may see."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet, Window
from django.http import QueryDict
from wagtail.models import Site
from wagtail.query import PageQuerySet

from ..models import CatalogItemPage
from ..models.prices import PriceListPage, PriceRow
from ..rules.prices import PriceKind, initials_query, normalise
from .catalog import _ancestor, visible_item
from .visibility import Viewer, visible_to

#: The orders a visitor may choose, by the value of ``?sort=``; each ends on the row's position
#: so that rows of equal value keep the list's own order (and a page boundary is stable).
SORTS: dict[str, tuple[str, ...]] = {
    "position": ("position",),
    "code": ("code", "position"),
    "name": ("name", "position"),
    "price": ("price", "position"),
    "-price": ("-price", "position"),
}
DEFAULT_SORT = "position"
#: A query longer than this is cut: no name in a price list is longer, and the LIKE stays short.
MAX_QUERY_LENGTH = 100
#: The order of the kinds wherever the lists of one item are shown side by side.
KIND_ORDER = {kind: number for number, kind in enumerate(PriceKind.values)}


def clean_query(q: str | None) -> str:
    """A visitor's query as it is searched: normalised (full-width to half-width, spaces
    collapsed), without invisible format and control characters (a right-to-left mark or a
    NUL pasted before 血常规 would find nothing), and cut to a sensible length."""
    visible = "".join(ch for ch in (q or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    return normalise(visible)[:MAX_QUERY_LENGTH]


def matching(rows: QuerySet, q: str) -> QuerySet:
    """``rows`` that match the query ``q``: the name contains it (血常规), the code starts with
    it (1102, 110200002-2), or, typed as letters, the name's pinyin initials contain it in any
    of the name's readings (xcg; tqfs and dqfs for 调强放射治疗).

    Chinese has no case: a query without Latin letters is matched as written, which spares
    the database upper-casing every name of the list (a third of the query's time)."""
    q = clean_query(q)
    if not q:
        return rows
    if any(ch.isascii() and ch.isalpha() for ch in q):
        condition = Q(name__icontains=q) | Q(code__istartswith=q)
    else:
        condition = Q(name__contains=q) | Q(code__startswith=q)
    initials = initials_query(q)
    if initials:
        condition |= Q(initials__contains=initials) | Q(initials_alt__contains=initials)
    return rows.filter(condition)


class CountedRows(Sequence):
    """A list's rows as a query, with their number read with the page of them.

    Unfiltered, the number is the version's own (``total_rows``, written by the import), so a
    page of the list reads only its rows by the (version, position) index. Filtered, the page
    carries the number of the matching rows beside each row (``COUNT(*) OVER ()``): one pass
    over the list instead of two (a count, then the page). Django's paginator and the API's
    pagination both take it as a sequence."""

    def __init__(self, rows: QuerySet[PriceRow], *, total: int | None = None):
        self.query = rows
        self._total = total

    def count(self) -> int:
        if self._total is None:
            self._total = self.query.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.query[index]
        if self._total is not None:
            return list(self.query[index])
        rows = list(self.query.annotate(matching_rows=Window(Count("pk")))[index])
        if rows:
            self._total = rows[0].matching_rows
        return rows

    def __iter__(self):
        return iter(self.query)


def live_rows(
    page: PriceListPage, *, q: str = "", category: str = "", sort: str = DEFAULT_SORT
) -> CountedRows:
    """The rows of the list's live version (the page row's ``rows_version``; a preview's
    page is the draft's, so a preview shows the draft's rows), filtered by ``q`` and
    ``category`` and sorted by ``sort`` (one of :data:`SORTS`, else the list's own order)."""
    if page.rows_version_id is None:
        return CountedRows(PriceRow.objects.none(), total=0)
    rows = PriceRow.objects.filter(version_id=page.rows_version_id)
    filtered = matching(rows, q)
    if category:
        filtered = filtered.filter(category=category)
    total = None
    if filtered is rows and page.rows_version is not None:
        total = page.rows_version.total_rows
    return CountedRows(filtered.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])), total=total)


def rows_page(rows: CountedRows, *, number, per_page: int) -> PaginatorPage:
    """One page of ``rows``, read with their number (the last page for a number past the end,
    the first for anything not a number)."""
    paginator = Paginator(rows, per_page)
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    window = rows[(wanted - 1) * per_page : wanted * per_page]
    if not window and wanted > 1:
        return paginator.get_page(paginator.num_pages)
    # Django's hook for a page built from rows already read (its ``page`` counts first).
    return paginator._get_page(window, wanted, paginator)


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
    """The categories of the list's live rows, in the order the list first names them.

    A version never changes once imported, so its categories are kept in the cache under the
    version's id and the moment it was imported (an id a restored backup gives again names
    another version) for a day: a group over 20,000 rows took 10 ms of every page."""
    version = page.rows_version if page.rows_version_id is not None else None
    if version is None:
        return []
    return cache.get_or_set(
        f"disclosure:price-categories:{version.pk}:{version.created_at.timestamp()}",
        lambda: list(
            PriceRow.objects.filter(version_id=version.pk)
            .exclude(category="")
            .values("category")
            .annotate(first=Min("position"))
            .order_by("first")
            .values_list("category", flat=True)
        ),
        timeout=CATEGORIES_SECONDS,
    )


#: How long a version's categories are kept in the cache.
CATEGORIES_SECONDS = 24 * 3600


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
