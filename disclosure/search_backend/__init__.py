"""A Wagtail search backend that finds words inside Chinese text, on SQLite and PostgreSQL.

Configure it as the default backend::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "disclosure.search_backend"}}

It is Wagtail's database backend (FTS5 on SQLite, ``tsvector`` on PostgreSQL) with two changes,
so that the admin, Wagtail's API and the disclosure site all search the same way:

* what is indexed passes through :func:`disclosure.rules.search_text.index_text` (Chinese runs
  become overlapping bigrams);
* every query is rewritten into the matching terms (phrases of bigrams, prefixes for single
  characters) by :func:`rewrite`.

After switching an existing site to this backend, rebuild the index once
(``manage.py update_index``).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .common import Prefix, ranked_keys, rewrite, searchable_texts

__all__ = ["Prefix", "SearchBackend", "ranked_keys", "rewrite", "searchable_texts"]


def SearchBackend(params):  # Wagtail looks the factory up by this name
    """The backend for the default database: SQLite with FTS5, or PostgreSQL."""
    # Each vendor's module is deferred to its own database: the stock SQLite module looks up a
    # model that exists only there.
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        # Deferred to SQLite, as the PostgreSQL module is to PostgreSQL.
        from modelsearch.backends.database.sqlite.utils import fts5_available

        if fts5_available():
            from .sqlite import SQLiteSearchBackend

            return SQLiteSearchBackend(params)
    raise ImproperlyConfigured(
        "disclosure.search_backend needs PostgreSQL, or SQLite built with FTS5."
    )
