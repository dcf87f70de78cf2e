"""The backend on PostgreSQL (tsvector)."""

from __future__ import annotations

from modelsearch.backends.database.postgres import postgres

from .common import Prefix, RewritingBackendMixin, SegmentedIndexMixin


class _PostgresPrefixMixin:
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, Prefix):
            lexeme = postgres.Lexeme(query.query_string, invert=invert, prefix=True)
            return postgres.SearchQuery(lexeme, search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)


class PostgresSearchQueryCompiler(_PostgresPrefixMixin, postgres.PostgresSearchQueryCompiler):
    pass


class PostgresAutocompleteQueryCompiler(
    _PostgresPrefixMixin, postgres.PostgresAutocompleteQueryCompiler
):
    pass


class PostgresIndex(SegmentedIndexMixin, postgres.PostgresIndex):
    pass


class PostgresSearchBackend(RewritingBackendMixin, postgres.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    index_class = PostgresIndex
