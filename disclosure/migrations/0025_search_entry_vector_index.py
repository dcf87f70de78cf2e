"""One GIN index on each search entry's title and body together, on PostgreSQL.

The search backend (``disclosure/search_backend/postgres.py``) finds the matching entries by
``(title || body) @@ query``, the stock backend's condition, which neither of the stock
indexes (title, body) serves. SQLite's full-text table needs nothing.
"""

from django.db import migrations

INDEX = "disclosure_search_entry_vector_gin"


def _table(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(_table(apps))
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0024_page_readability"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
