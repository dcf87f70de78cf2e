"""The database's triggers that keep ``PageReadability.current`` (see ``models/visibility.py``).

``current`` says whether a stored row was written for its page's present path and live flag,
while every page above it was live. The database sets it, never the application:

- writing a row (insert or update, by the service, a migration or raw SQL) sets it from the
  page as committed at that moment, whatever the writer put there (on PostgreSQL, a row naming
  readers is also checked against the pages above it: SQLite has one writer at a time, and
  its rows are written from the tree in the same transaction);
- writing a page's ``path`` or ``live`` (a save, treebeard's moves and renumbering in SQL, a
  queryset's ``update``, raw SQL) withdraws its row if it no longer matches, and, when its
  live flag changed or it moved, the rows of every page below it (and below the path it left):
  their answer follows from its, and nobody reads below an unpublished page.

A withdrawn row stays unread until it is written again: the page going back to what the row
says does not mark it current. The service rewrites the rows in the same transaction
(``services.visibility.page_saved``); a page published, unpublished or moved around Django
leaves its subtree closed until ``refresh_visibility`` runs, and ``check_audit`` names the rows.
Anyone may withdraw a row (an update that only clears ``current`` keeps it cleared); only the
database marks one current, and whether the readers written are right is ``check_audit``'s to
say.

PostgreSQL's triggers are installed by migrations ``0026`` and ``0027``. SQLite rebuilds a
table to alter a column, and refuses to rename the rebuilt table while a trigger elsewhere
names it: its triggers are dropped before every ``migrate`` and installed again after it, with
every row's ``current`` set again (``signal_handlers.py``).
"""

from __future__ import annotations

from ..rules.readers import NOBODY, PUBLIC, STEPLEN

ROWS = "disclosure_pagereadability"
PAGES = "wagtailcore_page"
RESTRICTIONS = "wagtailcore_pageviewrestriction"

# The row matches its page: the same path, the same live flag.
_MATCHES = (
    "EXISTS (SELECT 1 FROM {pages} p WHERE p.id = {row}.page_id"
    " AND p.path = {row}.path AND p.live = {row}.live)"
)

POSTGRESQL = (
    # The page and the pages above it are locked against a move or unpublish until the row is
    # committed, and one in progress is waited for: a row is current only for its page as
    # committed, and names readers only while every page above it is live. (Without the locks,
    # a row inserted while another transaction moved its page in SQL, or unpublished a page
    # above it, not yet committed, stayed current.) A row read by nobody needs no more.
    """
    CREATE OR REPLACE FUNCTION disclosure_readability_current() RETURNS trigger AS $$
    DECLARE
        above text[];
    BEGIN
        IF TG_OP = 'UPDATE'
            AND (NEW.page_id, NEW.readers, NEW.staff_path, NEW.path, NEW.live, NEW.refreshed_at)
                IS NOT DISTINCT FROM
                (OLD.page_id, OLD.readers, OLD.staff_path, OLD.path, OLD.live, OLD.refreshed_at)
        THEN
            NEW.current := OLD.current AND NEW.current;  -- nothing else written: may only clear
            RETURN NEW;
        END IF;
        PERFORM 1 FROM {pages}
        WHERE id = NEW.page_id AND path = NEW.path AND live = NEW.live
        FOR SHARE;
        NEW.current := FOUND;
        IF NEW.current AND NEW.readers <> '{nobody}' THEN
            above := ARRAY(
                SELECT substr(NEW.path, 1, n)
                FROM generate_series({steplen}, length(NEW.path) - {steplen}, {steplen}) AS n
            );
            -- Every page above locked first (a condition on ``live`` here would skip the one
            -- being unpublished, whose committed version is live), then read as committed.
            PERFORM 1 FROM {pages} WHERE path = ANY(above) FOR SHARE;
            PERFORM 1 FROM {pages} WHERE path = ANY(above) AND NOT live;
            NEW.current := NOT FOUND;
            IF NEW.current AND NEW.readers = '{public}' THEN
                -- The public's only while no view restriction stands at or above it (one
                -- being added locks its page first, and is waited for above).
                PERFORM 1 FROM {restrictions} AS r JOIN {pages} AS p ON p.id = r.page_id
                WHERE p.path = ANY(above || NEW.path);
                NEW.current := NOT FOUND;
            END IF;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER disclosure_readability_current BEFORE INSERT OR UPDATE ON {rows}
    FOR EACH ROW EXECUTE FUNCTION disclosure_readability_current()
    """,
    # Planned with the prefix known (EXECUTE), so that the path's index finds the pages below,
    # and their rows by key: a leaf's publication costs one probe.
    """
    CREATE OR REPLACE FUNCTION disclosure_readability_withdraw_below(above text)
    RETURNS void AS $$
    BEGIN
        EXECUTE 'UPDATE {rows} SET current = false WHERE current AND page_id = ANY(ARRAY('
            'SELECT id FROM {pages} WHERE path LIKE $1))'
        USING above || '_%';
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION disclosure_page_readability_moved() RETURNS trigger AS $$
    BEGIN
        UPDATE {rows} SET current = false
        WHERE page_id = NEW.id AND current AND NOT (path = NEW.path AND live = NEW.live);
        IF OLD.live IS DISTINCT FROM NEW.live THEN
            PERFORM disclosure_readability_withdraw_below(NEW.path);
        END IF;
        IF OLD.path IS DISTINCT FROM NEW.path THEN
            PERFORM disclosure_readability_withdraw_below(OLD.path);
            PERFORM disclosure_readability_withdraw_below(NEW.path);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER disclosure_page_readability_moved
    AFTER UPDATE OF path, live ON {pages}
    FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.live IS DISTINCT FROM NEW.live)
    EXECUTE FUNCTION disclosure_page_readability_moved()
    """,
    # A view restriction added, changed or removed: the rows at and below its page.
    """
    CREATE OR REPLACE FUNCTION disclosure_readability_withdraw_at(restricted integer)
    RETURNS void AS $$
    BEGIN
        -- Rows being written below hold the page FOR SHARE: wait for them, then withdraw them.
        PERFORM 1 FROM {pages} WHERE id = restricted FOR NO KEY UPDATE;
        UPDATE {rows} SET current = false WHERE current AND page_id = restricted;
        PERFORM disclosure_readability_withdraw_below(path) FROM {pages} WHERE id = restricted;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION disclosure_restriction_readability() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM disclosure_readability_withdraw_at(OLD.page_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM disclosure_readability_withdraw_at(NEW.page_id);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER disclosure_restriction_readability
    AFTER INSERT OR UPDATE OR DELETE ON {restrictions}
    FOR EACH ROW EXECUTE FUNCTION disclosure_restriction_readability()
    """,
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS disclosure_restriction_readability ON {restrictions}",
    "DROP TRIGGER IF EXISTS disclosure_page_readability_moved ON {pages}",
    "DROP TRIGGER IF EXISTS disclosure_readability_current ON {rows}",
    "DROP FUNCTION IF EXISTS disclosure_restriction_readability()",
    "DROP FUNCTION IF EXISTS disclosure_readability_withdraw_at(integer)",
    "DROP FUNCTION IF EXISTS disclosure_page_readability_moved()",
    "DROP FUNCTION IF EXISTS disclosure_readability_withdraw_below(text)",
    "DROP FUNCTION IF EXISTS disclosure_readability_current()",
)

# SQLite's triggers cannot assign NEW: they correct the row just written. A trigger does not
# fire itself (recursive triggers are off), and each acts only when the value is wrong. One
# writer at a time: nothing to lock, and no page above a row unpublished while it is written.
# Paths are ASCII digits and capitals, compared bytewise: the pages below ``p`` are those
# between ``p`` and ``p || '~'``.
# A view restriction added, changed or removed: the rows at and below its page (``restricted``,
# the restriction's page before and after; the tables' names are formatted in later).
_SQLITE_RESTRICTION = """
    CREATE TRIGGER disclosure_restriction_{name} AFTER {event} ON {{restrictions}}
    FOR EACH ROW
    BEGIN
        UPDATE {{rows}} SET current = 0 WHERE current AND page_id IN (
            SELECT below.id FROM {{pages}} AS below, {{pages}} AS restricted
            WHERE restricted.id IN ({restricted})
                AND below.path >= restricted.path AND below.path < restricted.path || '~'
        );
    END
    """
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
    FOR EACH ROW WHEN NEW.current IS NOT {updated_current}
    BEGIN
        UPDATE {rows} SET current = {updated_current} WHERE page_id = NEW.page_id;
    END
    """,
    """
    CREATE TRIGGER disclosure_page_readability_moved AFTER UPDATE OF path, live ON {pages}
    FOR EACH ROW WHEN OLD.path IS NOT NEW.path OR OLD.live IS NOT NEW.live
    BEGIN
        UPDATE {rows} SET current = 0
        WHERE page_id = NEW.id AND current AND NOT (path = NEW.path AND live = NEW.live);
        UPDATE {rows} SET current = 0
        WHERE OLD.live IS NOT NEW.live AND current AND page_id IN (
            SELECT id FROM {pages} WHERE path > NEW.path AND path < NEW.path || '~'
        );
        UPDATE {rows} SET current = 0
        WHERE OLD.path IS NOT NEW.path AND current AND page_id IN (
            SELECT id FROM {pages}
            WHERE path > OLD.path AND path < OLD.path || '~'
                OR path > NEW.path AND path < NEW.path || '~'
        );
    END
    """,
    *(
        _SQLITE_RESTRICTION.format(name=name, event=event, restricted=restricted)
        for name, event, restricted in (
            ("inserted", "INSERT", "NEW.page_id"),
            ("updated", "UPDATE", "OLD.page_id, NEW.page_id"),
            ("deleted", "DELETE", "OLD.page_id"),
        )
    ),
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS disclosure_readability_inserted",
    "DROP TRIGGER IF EXISTS disclosure_readability_updated",
    "DROP TRIGGER IF EXISTS disclosure_page_readability_moved",
    "DROP TRIGGER IF EXISTS disclosure_restriction_inserted",
    "DROP TRIGGER IF EXISTS disclosure_restriction_updated",
    "DROP TRIGGER IF EXISTS disclosure_restriction_deleted",
)


def _tables(quote) -> dict[str, str]:
    return {"rows": quote(ROWS), "pages": quote(PAGES), "restrictions": quote(RESTRICTIONS)}


# An updated row's ``current`` on SQLite. When nothing else was written, a clear stands and so
# does a value left as it was; a row marked current is checked against its page (the insert
# trigger's own correction is such an update: triggers cannot tell their writers apart here).
_UPDATED_CURRENT = (
    "(CASE WHEN NEW.page_id IS OLD.page_id AND NEW.readers IS OLD.readers"
    " AND NEW.staff_path IS OLD.staff_path AND NEW.path IS OLD.path AND NEW.live IS OLD.live"
    " AND NEW.refreshed_at IS OLD.refreshed_at AND (OLD.current OR NOT NEW.current)"
    " THEN NEW.current ELSE {matches_new} END)"
)


def _run(cursor, statements, quote) -> None:
    tables = _tables(quote)
    matches_new = _MATCHES.format(row="NEW", **tables)
    names = {
        "matches_new": matches_new,
        "updated_current": _UPDATED_CURRENT.format(matches_new=matches_new),
        "nobody": NOBODY,
        "public": PUBLIC,
        "steplen": STEPLEN,
        **tables,
    }
    for statement in statements:
        cursor.execute(statement.format(**names))


def install(connection, *, mark: bool = True) -> None:
    """Create the triggers on ``connection``'s database (again). With ``mark`` (the column's
    first filling, migration ``0026``), set every row's ``current`` from its page; without it,
    only withdraw the rows that no longer match theirs: a row withdrawn for a reason the page
    alone does not show (a view restriction written around Django) stays so until rewritten."""
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no triggers for {connection.vendor}: no row would be current")
    quote = connection.ops.quote_name
    # The rows are set with the triggers away (they would let a write of ``current`` alone only
    # clear it), then the triggers are created.
    uninstall(connection)
    with connection.cursor() as cursor:
        tables = _tables(quote)
        matches = _MATCHES.format(row=tables["rows"], **tables)
        if mark:
            cursor.execute(f"UPDATE {tables['rows']} SET current = {matches}")  # noqa: S608
        else:
            cursor.execute(
                f"UPDATE {tables['rows']} SET current = %s WHERE current AND NOT {matches}",  # noqa: S608
                [False],
            )
        # Except a row that names readers below an unpublished page: it was withdrawn when the
        # page was unpublished around Django, and stays so until rewritten. (Which pages have
        # pages below them is read from the paths, not from ``numchild``, which SQL can leave
        # behind.)
        cursor.execute(f"SELECT path, live FROM {tables['pages']}")  # noqa: S608 (constants)
        pages = cursor.fetchall()
        above = {path[:-STEPLEN] for path, _live in pages}
        for path in sorted(path for path, live in pages if not live and path in above):
            cursor.execute(
                f"UPDATE {tables['rows']} SET current = %s"  # noqa: S608 (constants)
                f" WHERE current AND readers <> %s AND page_id IN"
                f" (SELECT id FROM {tables['pages']} WHERE path LIKE %s)",
                [False, NOBODY, path + "_%"],
            )
        _run(cursor, statements, quote)


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
