"""The public query of a price list: what a visitor's query matches and in what order.

A list version never changes once imported, so its searchable columns are laid out once in a
``PriceSearch`` and every query of the version is answered from it: each column is one string
of all the rows' values, and a query is a handful of substring scans over those strings rather
than a pass over 20,000 rows in the database. A query by name, code or pinyin initials costs a
list of a city hospital's size (20,000 services) well under a millisecond
(``docs/benchmarks.md``); the page then reads only its own rows by primary key.

What matches (``PriceSearch.matching``):

- the name contains the query (血常规; letters regardless of case, CT平扫 by "ct");
- the code starts with it (1102, 110200002-2; a code is never matched in its middle);
- typed as letters, the pinyin initials of the name contain it, in its reading in context or
  in any other reading of its polyphonic characters (xcg → 血常规; tqfs and dqfs → 调强放射治疗);
- and, where a category is chosen, the row is in it.
"""

from __future__ import annotations

import bisect
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from .prices import initials_query, normalise

#: A query longer than this is cut: no name in a price list is longer.
MAX_QUERY_LENGTH = 100

#: The orders a visitor may choose, by the value of ``?sort=``. Rows of equal value keep the
#: list's own order, so a page boundary is stable.
SORTS: tuple[str, ...] = ("position", "code", "name", "price", "-price")
DEFAULT_SORT = "position"

#: Between two rows' values in a column's string: no query can hold it (``clean_query`` drops
#: control characters), so no match runs from one row into the next.
_SEPARATOR = "\x00"


class SearchRow(NamedTuple):
    """The columns of one row that a query reads, in the list's own order."""

    pk: int
    code: str
    name: str
    initials: str
    initials_alt: str
    category: str
    price: Decimal


def clean_query(q: str | None) -> str:
    """A visitor's query as it is searched: normalised (full-width to half-width, spaces
    collapsed), without invisible format and control characters (a right-to-left mark or a
    NUL pasted before 血常规 would find nothing), and cut to a sensible length."""
    visible = "".join(ch for ch in (q or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    return normalise(visible)[:MAX_QUERY_LENGTH]


class _Column:
    """One column of every row as a single string, with where each row's value starts."""

    def __init__(self, values: Iterable[str]):
        self.starts = array("i")
        parts: list[str] = []
        offset = 0
        for value in values:
            self.starts.append(offset + 1)
            parts.append(_SEPARATOR + value)
            offset += len(value) + 1
        self.text = "".join(parts)

    def containing(self, needle: str) -> Iterable[int]:
        """The rows whose value contains ``needle`` (each once, in order)."""
        starts, find = self.starts, self.text.find
        at = find(needle)
        while at != -1:
            row = bisect.bisect_right(starts, at) - 1
            yield row
            following = row + 1
            if following == len(starts):
                return
            at = find(needle, starts[following])

    def starting_with(self, prefix: str) -> Iterable[int]:
        """The rows whose value starts with ``prefix``."""
        for row in self.containing(_SEPARATOR + prefix):
            # The separator before row r's value is at starts[r] - 1: the bisect lands on the
            # row before it.
            yield row + 1


def _order(rows: Sequence[SearchRow], key) -> array:
    # Python's sort is stable: rows of equal value keep the list's own order.
    return array("i", sorted(range(len(rows)), key=lambda row: key(rows[row])))


class PriceSearch:
    """The searchable columns of one list version (see the module's docstring): the columns'
    strings, and the rows' ids, categories and orders as arrays (about 200 bytes a row, most
    of it the initials of every reading of the names)."""

    def __init__(self, rows: Sequence[SearchRow]):
        self.pks = array("q", (row.pk for row in rows))
        # Matched regardless of case: letters as a visitor types them (Chinese has no case).
        self._names = _Column(row.name.upper() for row in rows)
        self._codes = _Column(row.code.upper() for row in rows)
        # Initials are letters: anything else in them (a character without a reading) becomes
        # "?", which no query holds, so the column stays one byte a character.
        self._initials = _Column(
            f"{row.initials} {row.initials_alt}".encode("ascii", "replace").decode() for row in rows
        )
        self.categories: list[str] = list(
            dict.fromkeys(row.category for row in rows if row.category)
        )
        numbers = {category: number for number, category in enumerate(self.categories, start=1)}
        self._row_categories = array("i", (numbers.get(row.category, 0) for row in rows))
        self._orders = {
            "code": _order(rows, lambda row: row.code),
            "name": _order(rows, lambda row: row.name),
            "price": _order(rows, lambda row: row.price),
            "-price": _order(rows, lambda row: -row.price),
        }
        self._ranks: dict[str, array] = {}

    def __len__(self) -> int:
        return len(self.pks)

    def matching(self, q: str = "", category: str = "") -> Sequence[int]:
        """The rows (their indexes in the list's order) that match ``q`` and ``category``."""
        q = clean_query(q).upper()
        if q:
            found = {*self._names.containing(q), *self._codes.starting_with(q)}
            if initials := initials_query(q):
                found.update(self._initials.containing(initials))
            rows: Sequence[int] = sorted(found)
        else:
            rows = range(len(self.pks))
        if category:
            wanted = self.categories.index(category) + 1 if category in self.categories else -1
            categories = self._row_categories
            rows = [row for row in rows if categories[row] == wanted]
        return rows

    def ordered(self, rows: Sequence[int], sort: str) -> Sequence[int]:
        """``rows`` in the order ``sort`` names (one of :data:`SORTS`; else the list's own)."""
        if sort not in self._orders:
            return rows
        if len(rows) == len(self.pks):
            return self._orders[sort]
        return sorted(rows, key=self._rank(sort).__getitem__)

    def _rank(self, sort: str) -> array:
        """Each row's place in the order ``sort`` (a filtered result is sorted by it)."""
        if sort not in self._ranks:
            rank = array("i", bytes(4 * len(self.pks)))
            for place, row in enumerate(self._orders[sort]):
                rank[row] = place
            self._ranks[sort] = rank
        return self._ranks[sort]
