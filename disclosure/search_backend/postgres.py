"""The backend on PostgreSQL (tsvector).

Searching in relevance order (what every face asks) is driven by the index: the entries that
match, found through one GIN index on the whole entry (title and body together, migration
``0025``), are set apart first, and only then narrowed to the rows of the searched queryset
(for the site: the pages a visitor may read) and ranked. The stock query starts from the
queryset and looks up each row's entry; the stored readers' fail-closed check (a row's path
must be its page's) makes PostgreSQL expect one readable page where there are thousands, so it
looked up the entry of every readable page of the institution (4,588 at commission scale; the
search for 价格 took 100 ms, of which 95 in those look-ups). The matches, ranking and order
are the stock query's: the same ``tsquery``, the same ``ts_rank`` sum and the same ties
broken by the key, which the tests compare.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres import postgres
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from .common import Prefix, RankedKeysMixin, RewritingBackendMixin, SegmentedIndexMixin

IndexEntry = postgres.IndexEntry

#: The name of the CTE holding the matching entries in :meth:`PostgresSearchQueryCompiler.ranked`.
MATCHED = "disclosure_matched_entries"


def _key_field(model):
    """The column a model's key is stored in: a page type's is its page's (``page_ptr``)."""
    field = model._meta.pk
    while field.is_relation:
        field = field.target_field
    return field


class _PostgresPrefixMixin:
    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, Prefix):
            lexeme = postgres.Lexeme(query.query_string, invert=invert, prefix=True)
            return postgres.SearchQuery(lexeme, search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)


class PostgresSearchQueryCompiler(_PostgresPrefixMixin, postgres.PostgresSearchQueryCompiler):
    def _index_driven(self) -> bool:
        query = self.query
        return (
            self.fields is None
            and self.order_by_relevance
            and not isinstance(query, (MatchAll, Fuzzy))
            and not (isinstance(query, Not) and isinstance(query.subquery, MatchAll))
            and isinstance(_key_field(self.queryset.model), IntegerField)
            # Which row DISTINCT ON keeps depends on the order, which the narrowing drops.
            and not self.queryset.query.distinct_fields
        )

    def entries_matching(self, config):
        """The index entries that match the query, by the condition of the stock query
        (``(title || body) @@ query``), which the migration's index serves."""
        return (
            IndexEntry._default_manager.alias(_vector_=F("title")._combine(F("body"), "||", False))
            .filter(_vector_=self.build_tsquery(self.query, config=config))
            .order_by()
        )

    def _matched(self, config) -> tuple[str, list]:
        """``WITH`` the matching entries of the queryset's model (and its subclasses): their
        keys and their objects' keys, materialized so that PostgreSQL finds them first."""
        entries = (
            self.entries_matching(config)
            .filter(content_type_id__in=get_descendants_content_types_pks(self.queryset.model))
            .values(entry_id=F("pk"), object_pk=Cast("object_id", IntegerField()))
        )
        sql, params = entries.query.sql_with_params()
        return f"WITH {MATCHED} AS MATERIALIZED ({sql})", list(params)

    def _within_queryset(self) -> tuple[str, list] | None:
        """The matches that are rows of the searched queryset; None if it can have none."""
        rows = self.queryset.order_by().values("pk")
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # e.g. filtered by an empty list of keys
            return None
        # Composed of the ORM's compiled SQL and constant names; every value is a parameter.
        return f'SELECT "entry_id" FROM {MATCHED} WHERE "object_pk" IN ({sql})', list(params)  # noqa: S608

    def _narrowed(self, config) -> tuple[str, list, str, list] | None:
        """The ``WITH`` of the matches and the ``SELECT`` of those in the queryset, each with
        its parameters; None if the queryset can have no row."""
        within = self._within_queryset()
        if within is None:
            return None
        return (*self._matched(config), *within)

    def ranked(self, config, start: int, stop: int | None) -> list[tuple[int, float]] | None:
        """The keys and scores of the rows from ``start`` to ``stop`` in relevance order, or
        None when the query is not one the index drives (the stock query answers it)."""
        if not self._index_driven():
            return None
        narrowed = self._narrowed(config)
        if narrowed is None:
            return []
        with_sql, with_params, within_sql, within_params = narrowed
        rank = self._build_rank_expression(
            [(F("title"), F("title_norm")), (F("body"), 1.0)], config
        )
        entries = (
            IndexEntry._default_manager.filter(pk__in=RawSQL(within_sql, within_params))  # noqa: S611 (see above)
            .annotate(_score_=rank, _object_pk_=Cast("object_id", IntegerField()))
            .order_by(F("_score_").desc(), F("_object_pk_").desc())
            .values_list("_object_pk_", "_score_")
        )[start:stop]
        sql, params = entries.query.sql_with_params()
        connection = connections[self.queryset.db]
        with connection.cursor() as cursor:
            cursor.execute(f"{with_sql} {sql}", [*with_params, *params])
            return list(cursor.fetchall())

    def count(self, config) -> int | None:
        """How many rows of the queryset match, or None as for :meth:`ranked`."""
        if not self._index_driven():
            return None
        narrowed = self._narrowed(config)
        if narrowed is None:
            return 0
        with_sql, with_params, within_sql, within_params = narrowed
        connection = connections[self.queryset.db]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{with_sql} SELECT COUNT(*) FROM ({within_sql}) AS within_queryset",  # noqa: S608
                [*with_params, *within_params],
            )
            return cursor.fetchone()[0]


class PostgresAutocompleteQueryCompiler(
    _PostgresPrefixMixin, postgres.PostgresAutocompleteQueryCompiler
):
    pass


class PostgresSearchResults(RankedKeysMixin, postgres.PostgresSearchResults):
    def _ranked(self):
        ranked = getattr(self.query_compiler, "ranked", None)
        if ranked is None:
            return None
        return ranked(self.query_compiler.get_config(self.backend), self.start, self.stop)

    def ranked_keys(self) -> list[tuple[int, float | None]]:
        """(key, score) of each result in order, without loading the objects."""
        ranked = self._ranked()
        return super().ranked_keys() if ranked is None else ranked

    def _do_search(self):
        ranked = self._ranked()
        if ranked is None:
            return super()._do_search()
        # Through the queryset's own filters again: a row that left it since the keys were
        # read (a page unpublished meanwhile) is not served.
        rows = self.query_compiler.queryset.in_bulk([pk for pk, _score in ranked])
        results = []
        for pk, score in ranked:
            if (obj := rows.get(pk)) is not None:
                if self._score_field:
                    setattr(obj, self._score_field, score)
                results.append(obj)
        return results

    def _do_count(self):
        count = getattr(self.query_compiler, "count", None)
        answer = count(self.query_compiler.get_config(self.backend)) if count else None
        if answer is None:
            return super()._do_count()
        # Within the slice asked for, as the stock count of the sliced queryset.
        end = answer if self.stop is None else min(answer, self.stop)
        return max(0, end - self.start)


class PostgresIndex(SegmentedIndexMixin, postgres.PostgresIndex):
    pass


class PostgresSearchBackend(RewritingBackendMixin, postgres.PostgresSearchBackend):
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    index_class = PostgresIndex
    results_class = PostgresSearchResults
