"""What the SQLite and PostgreSQL backends share: query rewriting and segmented indexing."""

from __future__ import annotations

import copy
from functools import cache

from django.db.models import Manager
from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText, SearchQuery

from ..rules.search_text import QueryTerm, TermKind, index_text, phrase_text, query_terms


class Prefix(PlainText):
    """Every indexed term that starts with ``query_string`` (one Chinese character)."""

    def __repr__(self):
        return f"<Prefix {self.query_string!r}>"


def _term_query(term: QueryTerm) -> SearchQuery:
    if term.kind is TermKind.PREFIX:
        return Prefix(term.text)
    if term.kind is TermKind.PHRASE:
        return Phrase(" ".join(term.tokens))
    return PlainText(term.text)


def rewrite(query: SearchQuery) -> SearchQuery | None:
    """``query`` in the terms of the segmented index, or None when it holds nothing to find
    (only punctuation). Each word of a plain-text query becomes the terms of its runs, which
    must all match (a word of a query is one thing to find); the words are joined by the
    query's operator."""
    if isinstance(query, PlainText) and not isinstance(query, Prefix):
        words = []
        for word in query.query_string.split():
            terms = [_term_query(term) for term in query_terms(word)]
            if terms:
                words.append(terms[0] if len(terms) == 1 else And(terms))
        if len(words) <= 1:
            return words[0] if words else None
        return And(words) if query.operator == "and" else Or(words)
    if isinstance(query, Phrase):
        text = phrase_text(query.query_string)
        return Phrase(text) if text else None
    if isinstance(query, (And, Or)):
        subqueries = [rewritten for sub in query.subqueries if (rewritten := rewrite(sub))]
        if len(subqueries) <= 1:
            return subqueries[0] if subqueries else None
        return type(query)(subqueries)
    if isinstance(query, Not):
        subquery = rewrite(query.subquery)
        return Not(subquery) if subquery is not None else None
    if isinstance(query, Boost):
        subquery = rewrite(query.subquery)
        return Boost(subquery, query.boost) if subquery is not None else None
    return query


# Indexing: the stock indexers read each object's search fields; they are handed fields whose
# values come out segmented.


def _flatten(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_flatten(item) for item in value.values())
    return force_str(value) if value is not None else ""


class _Segmented:
    """An object being indexed, whose search fields give segmented text."""

    def __init__(self, obj):
        self.obj = obj
        self.pk = obj.pk

    def get_search_fields(self):
        return [_segmented(field) for field in self.obj.get_search_fields()]


def _unwrap(obj):
    return obj.obj if isinstance(obj, _Segmented) else obj


def _segmented(field):
    field = copy.copy(field)
    if isinstance(field, (SearchField, AutocompleteField)):
        read = field.get_value
        field.get_value = lambda obj: index_text(_flatten(read(_unwrap(obj))))
    elif isinstance(field, RelatedFields):
        read = field.get_value
        field.get_value = lambda obj: read(_unwrap(obj))
        field.fields = [_segmented(sub_field) for sub_field in field.fields]
    return field


@cache
def _column_names(model) -> frozenset[str]:
    return frozenset(field.name for field in model._meta.concrete_fields)


def searchable_texts(obj, *, own_fields_only: bool = False):
    """(field name, text) for each search field of ``obj``, unsegmented: what a visitor reads.
    With ``own_fields_only``, only the object's own columns: no relations and no methods,
    which may query the database."""
    for field in obj.get_search_fields():
        if isinstance(field, SearchField):
            if own_fields_only and field.field_name not in _column_names(type(obj)):
                continue
            text = _flatten(field.get_value(obj))
            if text:
                yield field.field_name, text
        elif isinstance(field, RelatedFields) and not own_fields_only:
            related = field.get_value(obj)
            related = related.all() if isinstance(related, Manager) else [related]
            for sub_obj in related:
                if sub_obj is not None:
                    yield from searchable_texts(sub_obj)


class SegmentedIndexMixin:
    def add_items(self, model, objs):
        return super().add_items(model, [_Segmented(obj) for obj in objs])


class RankedKeysMixin:
    """Search results that can give their keys and scores without loading the objects (the
    PostgreSQL backend reads them from the index alone)."""

    def ranked_keys(self) -> list[tuple[object, float | None]]:
        """(key, score) of each result in order."""
        return [(obj.pk, getattr(obj, "_score", None)) for obj in self.annotate_score("_score")]


def ranked_keys(results) -> list[tuple[object, float | None]]:
    """(key, score) of each of ``results`` (search results of any backend) in order."""
    if isinstance(results, RankedKeysMixin):
        return results.ranked_keys()
    return RankedKeysMixin.ranked_keys(results)


class RewritingBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        operator = (kwargs.get("operator") or "and").lower()
        if isinstance(query, str):
            query = PlainText(query, operator=operator)
        if isinstance(query, SearchQuery):
            query = rewrite(query)
            if query is None:
                query = ""  # Wagtail's answer to an empty query: no results
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
