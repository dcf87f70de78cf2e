"""The backend on SQLite (FTS5)."""

from __future__ import annotations

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import BM25, Lexeme, SearchQueryExpression

from .common import Prefix, RankedKeysMixin, RewritingBackendMixin, SegmentedIndexMixin

#: How much more a term in the title counts than one in the body (bm25 column weights).
TITLE_WEIGHT = 10.0


class _WeightedBM25(BM25):
    def as_sql(self, compiler, connection, function=None, template=None):
        table = sqlite.SQLiteFTSIndexEntry._meta.db_table
        # Columns of the FTS table, in order: autocomplete, body, title.
        return f"bm25({table}, 1.0, 1.0, {TITLE_WEIGHT})", []


class _SQLiteCompilerMixin:
    """Prefix terms, and ranking by one weighted bm25."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, Prefix):
            return SearchQueryExpression(Lexeme(query.query_string, prefix=True), config=config)
        return super().build_search_query_content(query, config=config)

    def _build_rank_expression(self, vectors, config):
        # FTS5 computes one bm25 for the whole match. The stock compiler adds it up once per
        # column and multiplies it once per sub-query, which reverses the order of good
        # matches (bm25 is negative, better is lower); rank by that one score, weighted.
        return _WeightedBM25()


class SQLiteSearchQueryCompiler(_SQLiteCompilerMixin, sqlite.SQLiteSearchQueryCompiler):
    pass


class SQLiteAutocompleteQueryCompiler(_SQLiteCompilerMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteIndex(SegmentedIndexMixin, sqlite.SQLiteIndex):
    pass


class SQLiteSearchResults(RankedKeysMixin, sqlite.SQLiteSearchResults):
    pass


class SQLiteSearchBackend(RewritingBackendMixin, sqlite.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    results_class = SQLiteSearchResults
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    index_class = SQLiteIndex
