"""Whether each stored reader row still matches its page, kept by the database.

A row is read only while it was written for its page's current path and live state. Readers
used to check that by comparing the two tables in the join (``readability.path = page.path``),
which PostgreSQL takes to match one row where there are tens of thousands, and plans for (a
nested loop over every publication to count the API's list). Now ``current`` holds the answer,
and a reader's filter is on one table:

- writing a row (insert or update, by the service, a migration or raw SQL) sets ``current``
  from its page as it is at that moment, whatever the writer put there;
- writing a page's ``path`` or ``live`` (a save, treebeard's moves and renumbering in SQL, a
  queryset's ``update``, raw SQL) sets its row's ``current`` again.

So a write around the service still leaves the page read by nobody until refreshed, as before.
"""

from django.db import migrations, models

FUNCTIONS = ("disclosure_readability_current", "disclosure_page_readability_moved")
ROW_TRIGGERS = (
    "disclosure_readability_current",
    "disclosure_readability_inserted",
    "disclosure_readability_updated",
)
PAGE_TRIGGER = "disclosure_page_readability_moved"


def _tables(apps, schema_editor) -> dict[str, str]:
    quote = schema_editor.quote_name
    return {
        "rows": quote(apps.get_model("disclosure", "PageReadability")._meta.db_table),
        "pages": quote(apps.get_model("wagtailcore", "Page")._meta.db_table),
    }


# The row matches its page: the same path, the same live flag.
MATCHES = "EXISTS (SELECT 1 FROM {pages} p WHERE p.id = {row}.page_id AND p.path = {row}.path AND p.live = {row}.live)"

POSTGRESQL = [
    # Each statement of a volatile function reads what is committed when it starts, so a row
    # written after a concurrent move (or after waiting for its row lock) sees the move.
    """
    CREATE OR REPLACE FUNCTION disclosure_readability_current() RETURNS trigger AS $$
    BEGIN
        NEW.current := {matches_new};
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER disclosure_readability_current BEFORE INSERT OR UPDATE ON {rows}
    FOR EACH ROW EXECUTE FUNCTION disclosure_readability_current()
    """,
    """
    CREATE OR REPLACE FUNCTION disclosure_page_readability_moved() RETURNS trigger AS $$
    BEGIN
        UPDATE {rows} SET current = (path = NEW.path AND live = NEW.live)
        WHERE page_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER disclosure_page_readability_moved AFTER UPDATE OF path, live ON {pages}
    FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.live IS DISTINCT FROM NEW.live)
    EXECUTE FUNCTION disclosure_page_readability_moved()
    """,
]

# SQLite's triggers cannot assign NEW: they correct the row just written. A trigger does not
# fire itself (recursive triggers are off), and each acts only when the value is wrong.
SQLITE = [
    """
    CREATE TRIGGER disclosure_readability_inserted AFTER INSERT ON {rows}
    FOR EACH ROW WHEN NEW.current IS NOT {matches_new}
    BEGIN
        UPDATE {rows} SET current = {matches_new} WHERE page_id = NEW.page_id;
    END
    """,
    """
    CREATE TRIGGER disclosure_readability_updated AFTER UPDATE ON {rows}
    FOR EACH ROW WHEN NEW.current IS NOT {matches_new}
    BEGIN
        UPDATE {rows} SET current = {matches_new} WHERE page_id = NEW.page_id;
    END
    """,
    """
    CREATE TRIGGER disclosure_page_readability_moved AFTER UPDATE OF path, live ON {pages}
    FOR EACH ROW WHEN OLD.path IS NOT NEW.path OR OLD.live IS NOT NEW.live
    BEGIN
        UPDATE {rows} SET current = (path = NEW.path AND live = NEW.live)
        WHERE page_id = NEW.id;
    END
    """,
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"no triggers for {vendor}: readers would never be current")
    tables = _tables(apps, schema_editor)
    matches_new = MATCHES.format(row="NEW", **tables)
    for statement in statements:
        schema_editor.execute(statement.format(matches_new=matches_new, **tables))
    # The rows already written.
    matches = MATCHES.format(row=tables["rows"], **tables)
    schema_editor.execute(f"UPDATE {tables['rows']} SET current = {matches}")


def drop(apps, schema_editor):
    tables = _tables(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {PAGE_TRIGGER} ON {tables['pages']}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {ROW_TRIGGERS[0]} ON {tables['rows']}")
        for function in FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in (PAGE_TRIGGER, *ROW_TRIGGERS[1:]):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0025_search_entry_vector_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="pagereadability",
            name="current",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="current",
            ),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
