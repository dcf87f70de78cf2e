"""The database's triggers that say whether a stored row of readers is current
(``disclosure/models/visibility_triggers.py``): against a concurrent move on PostgreSQL, and
out of the way of SQLite's table rebuilds."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page, PageViewRestriction

from disclosure.models import PageReadability, PublicationPage, Readers, visibility_triggers

ROW_COLUMNS = "page_id, readers, staff_path, path, live, current, refreshed_at"


def _sqlite_triggers(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {name for (name,) in cursor.fetchall()}


def _installed() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return _sqlite_triggers(cursor)
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_migrate_leaves_the_triggers_in_place(db):
    """On SQLite ``migrate`` drops them before the migrations and installs them after (here
    with nothing to migrate); PostgreSQL's stay as migration 0026 made them."""
    names = {"disclosure_page_readability_moved"}
    names |= (
        {
            "disclosure_readability_inserted",
            "disclosure_readability_updated",
            "disclosure_restriction_inserted",
            "disclosure_restriction_updated",
            "disclosure_restriction_deleted",
        }
        if connection.vendor == "sqlite"
        else {"disclosure_readability_current", "disclosure_restriction_readability"}
    )
    assert names <= _installed()
    call_command("migrate", verbosity=0, interactive=False)
    assert names <= _installed()
    assert not PageReadability.objects.filter(current=False, live=True).exists()


def _remake(cursor, table: str) -> None:
    """What Django's SQLite schema editor does to alter a column: copy, drop, rename."""
    for statement in (
        "CREATE TABLE new__{table} AS SELECT * FROM {table}",
        "DROP TABLE {table}",
        "ALTER TABLE new__{table} RENAME TO {table}",
    ):
        cursor.execute(statement.format(table=table))


class _SQLite:
    """A bare SQLite connection with the names the trigger functions ask of Django's."""

    vendor = "sqlite"

    def __init__(self):
        self.raw = sqlite3.connect(":memory:", isolation_level=None)
        self.ops = type("ops", (), {"quote_name": staticmethod(lambda name: f'"{name}"')})

    def cursor(self):
        raw = self.raw.cursor()

        class Cursor:
            def __enter__(self):
                return raw

            def __exit__(self, *exc):
                raw.close()

        return Cursor()


@pytest.mark.parametrize("table", [visibility_triggers.PAGES, visibility_triggers.ROWS])
def test_sqlite_rebuilds_either_table_only_without_the_triggers(table):
    """Why SQLite's triggers are dropped before ``migrate``: while they stand, renaming a
    rebuilt table fails (each names the other table); once dropped it succeeds, and the
    triggers are installed again afterwards."""
    sqlite = _SQLite()
    cursor = sqlite.raw.cursor()
    cursor.execute("CREATE TABLE wagtailcore_page (id, path, live, numchild)")
    cursor.execute(
        "CREATE TABLE disclosure_pagereadability"
        " (page_id, readers, staff_path, path, live, current, refreshed_at)"
    )
    cursor.execute("CREATE TABLE wagtailcore_pageviewrestriction (id, page_id, restriction_type)")
    cursor.execute("INSERT INTO wagtailcore_page VALUES (1, '0001', 1, 0)")
    cursor.execute(
        "INSERT INTO disclosure_pagereadability VALUES (1, 'public', '', '0001', 1, 0, 0)"
    )
    visibility_triggers.install(sqlite)
    cursor.execute("SELECT current FROM disclosure_pagereadability")
    assert cursor.fetchone() == (1,)
    cursor.execute("SAVEPOINT remake")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _remake(cursor, table)
    cursor.execute("ROLLBACK TO remake")

    visibility_triggers.uninstall(sqlite)
    assert _sqlite_triggers(cursor) == set()
    _remake(cursor, table)
    visibility_triggers.install(sqlite)
    assert len(_sqlite_triggers(cursor)) == len(visibility_triggers.SQLITE)
    cursor.execute("UPDATE wagtailcore_page SET live = 0")
    cursor.execute("SELECT current FROM disclosure_pagereadability")
    assert cursor.fetchone() == (0,)


# PostgreSQL: a row written while its page moves -------------------------------------------


@pytest.fixture
def raw_pair(db):
    """Two connections of their own to the test database, committing for real, and a demo
    publication whose row is deleted: put back as it was afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: SQLite has one writer at a time")
    import psycopg

    page = PublicationPage.objects.live().order_by("pk").first()
    row = PageReadability.objects.get(page_id=page.pk)
    settings = connection.settings_dict
    dsn = {
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "dbname": settings["NAME"],
    }
    first, second = psycopg.connect(**dsn), psycopg.connect(**dsn)
    first.execute("DELETE FROM disclosure_pagereadability WHERE page_id = %s", (page.pk,))
    first.commit()
    values = (page.pk, row.readers, row.staff_path, page.path, True, False)
    try:
        yield page, values, first, second
    finally:
        for open_connection in (first, second):
            open_connection.rollback()
        second.execute("UPDATE wagtailcore_page SET path = %s WHERE id = %s", (page.path, page.pk))
        second.execute("DELETE FROM disclosure_pagereadability WHERE page_id = %s", (page.pk,))
        second.execute(_INSERT, values)
        second.commit()
        first.close()
        second.close()
        assert PageReadability.objects.get(page_id=page.pk).current


_INSERT = (
    f"INSERT INTO disclosure_pagereadability ({ROW_COLUMNS})"  # noqa: S608 (constants)
    " VALUES (%s, %s, %s, %s, %s, %s, now())"
    " ON CONFLICT (page_id) DO UPDATE SET path = excluded.path, live = excluded.live"
)
_MOVE = "UPDATE wagtailcore_page SET path = %s WHERE id = %s"


def _in_thread(work) -> threading.Thread:
    thread = threading.Thread(target=work)
    thread.start()
    time.sleep(0.5)
    return thread


def _race(ahead: tuple, behind: tuple) -> None:
    """Run ``ahead`` (a connection, SQL and its parameters) uncommitted, then ``behind`` in
    another thread; check that it waits for ``ahead`` to commit, and let both commit."""
    ahead[0].execute(ahead[1], ahead[2])  # not yet committed

    def second():
        behind[0].execute(behind[1], behind[2])
        behind[0].commit()

    thread = _in_thread(second)
    assert thread.is_alive()  # waiting for the first transaction
    ahead[0].commit()
    thread.join(10)


def _moved_path(page: Page) -> str:
    return page.path[: -Page.steplen] + "ZZZZ"


@pytest.mark.parametrize(
    "first", ["row", "move"], ids=["row written, then page moved", "page moved, then row written"]
)
def test_a_row_written_as_its_page_moves_waits_for_the_move_and_is_stale(raw_pair, first):
    """The row is missing (the page's first refresh), so the move's trigger has no row to
    correct: whichever comes second waits for the first to commit, and the row ends stale."""
    page, values, writer, mover = raw_pair
    steps = {"row": (writer, _INSERT, values), "move": (mover, _MOVE, (_moved_path(page), page.pk))}
    _race(steps[first], steps["move" if first == "row" else "row"])
    row = PageReadability.objects.get(page_id=page.pk)
    assert (row.path, row.current) == (page.path, False)


_UNPUBLISH = "UPDATE wagtailcore_page SET live = false WHERE id = %s"


@pytest.mark.parametrize(
    "first",
    ["row", "unpublish"],
    ids=["row written, then its item unpublished", "item unpublished, then row written"],
)
def test_a_row_written_as_a_page_above_is_unpublished_ends_withdrawn(raw_pair, first):
    """A service that read the item as live writes its publication's row for the public while
    another transaction unpublishes the item: whichever comes second waits for the first, and
    the row ends withdrawn (the row's trigger locks and checks the pages above; the page's
    withdraws the rows below)."""
    page, values, writer, unpublisher = raw_pair
    item = page.get_parent()
    values = (page.pk, Readers.PUBLIC, "", *values[3:])  # as read while the item was live
    steps = {"row": (writer, _INSERT, values), "unpublish": (unpublisher, _UNPUBLISH, (item.pk,))}
    try:
        _race(steps[first], steps["unpublish" if first == "row" else "row"])
        row = PageReadability.objects.get(page_id=page.pk)
        assert (row.readers, row.current) == (values[1], False)
    finally:
        for open_connection in (writer, unpublisher):
            open_connection.rollback()
        # The item published again, and the rows below it rewritten as the service would.
        unpublisher.execute("UPDATE wagtailcore_page SET live = true WHERE id = %s", (item.pk,))
        unpublisher.execute(
            "UPDATE disclosure_pagereadability SET refreshed_at = now() WHERE page_id IN"
            " (SELECT id FROM wagtailcore_page WHERE path LIKE %s)",
            (item.path + "%",),
        )
        unpublisher.commit()


_RESTRICT = (
    "INSERT INTO wagtailcore_pageviewrestriction (password, page_id, restriction_type)"
    " VALUES ('', %s, 'login')"
)


@pytest.mark.parametrize(
    "first",
    ["row", "restrict"],
    ids=["row written, then its item restricted", "item restricted, then row written"],
)
def test_a_row_written_as_a_page_above_is_restricted_ends_withdrawn(raw_pair, first):
    """A service that read no restriction writes a publication's row for the public while
    another transaction makes its item staff-only: the row ends withdrawn."""
    page, values, writer, restricter = raw_pair
    item = page.get_parent()
    values = (page.pk, Readers.PUBLIC, "", *values[3:])  # as read before the restriction
    assert not PageViewRestriction.objects.filter(page_id=item.pk).exists()
    steps = {"row": (writer, _INSERT, values), "restrict": (restricter, _RESTRICT, (item.pk,))}
    try:
        _race(steps[first], steps["restrict" if first == "row" else "row"])
        row = PageReadability.objects.get(page_id=page.pk)
        assert (row.readers, row.current) == (values[1], False)
    finally:
        for open_connection in (writer, restricter):
            open_connection.rollback()
        # The restriction removed, and the rows below the item rewritten as the service would.
        restricter.execute(
            "DELETE FROM wagtailcore_pageviewrestriction WHERE page_id = %s", (item.pk,)
        )
        restricter.execute(
            "UPDATE disclosure_pagereadability SET refreshed_at = now() WHERE page_id IN"
            " (SELECT id FROM wagtailcore_page WHERE path LIKE %s)",
            (item.path + "%",),
        )
        restricter.commit()
