"""The database's triggers that keep ``PageReadability.current`` (see ``models/visibility.py``).

``current`` says whether a stored row was written for its page's present path and live flag.
The database sets it, never the application:

- writing a row (insert or update, by the service, a migration or raw SQL) sets it from the
  page as committed at that moment, whatever the writer put there;
- writing a page's ``path`` or ``live`` (a save, treebeard's moves and renumbering in SQL, a
  queryset's ``update``, raw SQL) sets its row's again.

It answers for the page's own path and live flag only: the pages below one unpublished around
Django keep their rows until ``refresh_visibility`` runs (``check_audit`` names them).

PostgreSQL's triggers are installed by migration ``0026``. SQLite rebuilds a table to alter a
column, and refuses to rename the rebuilt table while a trigger elsewhere names it: its
triggers are dropped before every ``migrate`` and installed again after it, with every row's
``current`` set again (``signal_handlers.py``).
"""

from __future__ import annotations

ROWS = "disclosure_pagereadability"
PAGES = "wagtailcore_page"

# The row matches its page: the same path, the same live flag.
_MATCHES = (
    "EXISTS (SELECT 1 FROM {pages} p WHERE p.id = {row}.page_id"
    " AND p.path = {row}.path AND p.live = {row}.live)"
)

POSTGRESQL = (
    # The page is locked against a move or unpublish until the row is committed, and one in
    # progress is waited for: a row is current only for its page as committed. (Without the
    # lock, a row inserted while another transaction moved its page in SQL, not yet committed,
    # stayed current for the old path.)
    """
    CREATE OR REPLACE FUNCTION disclosure_readability_current() RETURNS trigger AS $$
    BEGIN
        PERFORM 1 FROM {pages}
        WHERE id = NEW.page_id AND path = NEW.path AND live = NEW.live
        FOR SHARE;
        NEW.current := FOUND;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER disclosure_readability_current BEFORE INSERT OR UPDATE ON {rows}
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
    CREATE OR REPLACE TRIGGER disclosure_page_readability_moved
    AFTER UPDATE OF path, live ON {pages}
    FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.live IS DISTINCT FROM NEW.live)
    EXECUTE FUNCTION disclosure_page_readability_moved()
    """,
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS disclosure_page_readability_moved ON {pages}",
    "DROP TRIGGER IF EXISTS disclosure_readability_current ON {rows}",
    "DROP FUNCTION IF EXISTS disclosure_page_readability_moved()",
    "DROP FUNCTION IF EXISTS disclosure_readability_current()",
)

# SQLite's triggers cannot assign NEW: they correct the row just written. A trigger does not
# fire itself (recursive triggers are off), and each acts only when the value is wrong. One
# writer at a time: nothing to lock.
SQLITE = (
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
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS disclosure_readability_inserted",
    "DROP TRIGGER IF EXISTS disclosure_readability_updated",
    "DROP TRIGGER IF EXISTS disclosure_page_readability_moved",
)


def _tables(quote) -> dict[str, str]:
    return {"rows": quote(ROWS), "pages": quote(PAGES)}


def _run(cursor, statements, quote) -> None:
    tables = _tables(quote)
    matches_new = _MATCHES.format(row="NEW", **tables)
    for statement in statements:
        cursor.execute(statement.format(matches_new=matches_new, **tables))


def install(connection) -> None:
    """Create the triggers on ``connection``'s database (again), and set every row's
    ``current`` from its page."""
    statements = {"postgresql": POSTGRESQL, "sqlite": (*SQLITE_DROP, *SQLITE)}.get(
        connection.vendor
    )
    if statements is None:
        raise NotImplementedError(f"no triggers for {connection.vendor}: no row would be current")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        _run(cursor, statements, quote)
        tables = _tables(quote)
        matches = _MATCHES.format(row=tables["rows"], **tables)
        cursor.execute(f"UPDATE {tables['rows']} SET current = {matches}")  # noqa: S608 (constants)


def uninstall(connection) -> None:
    statements = POSTGRESQL_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    with connection.cursor() as cursor:
        _run(cursor, statements, connection.ops.quote_name)


def installed_on_migrate(connection) -> bool:
    """Whether ``migrate`` (not a migration) installs the triggers on this database."""
    return connection.vendor == "sqlite"


def has_current(connection) -> bool:
    """Whether the rows' table has its ``current`` column (migrated to ``0026`` or later)."""
    with connection.cursor() as cursor:
        if ROWS not in connection.introspection.table_names(cursor):
            return False
        columns = connection.introspection.get_table_description(cursor, ROWS)
    return any(column.name == "current" for column in columns)
