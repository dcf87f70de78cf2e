"""``manage.py backup DIR`` and ``restore DIR``: a database-native backup that a restore gives back.

The restore goes into a fresh database (a new SQLite file, or a scratch PostgreSQL database on
the test server), never over the test database, and the restored rows are counted there.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import sqlite3
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from simple_history.models import registered_models
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Revision

from disclosure.models import AuditEntry
from disclosure.services.backup import MANIFEST, counted_tables

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [
    model.history.model for model in registered_models.values() if hasattr(model, "history")
]


def source_counts() -> dict[str, int]:
    """The rows of the test database, counted through the ORM."""
    counts = {
        Page._meta.db_table: Page.objects.count(),
        Revision._meta.db_table: Revision.objects.count(),
        PageLogEntry._meta.db_table: PageLogEntry.objects.count(),
        AuditEntry._meta.db_table: AuditEntry.objects.count(),
        get_document_model()._meta.db_table: get_document_model().objects.count(),
    }
    counts.update({model._meta.db_table: model.objects.count() for model in HISTORY_MODELS})
    return counts


def _pg_params(database: str) -> dict[str, str]:
    conf = connection.settings_dict
    params = {
        "host": conf.get("HOST") or "",
        "port": str(conf.get("PORT") or ""),
        "user": conf.get("USER") or "",
        "password": conf.get("PASSWORD") or "",
        "dbname": database,
    }
    return {key: value for key, value in params.items() if value}


def _pg_url(database: str) -> str:
    conf = connection.settings_dict
    credentials = quote(conf.get("USER") or "", safe="")
    if conf.get("PASSWORD"):
        credentials += ":" + quote(conf["PASSWORD"], safe="")
    host = quote(conf.get("HOST") or "", safe="")
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{credentials}{'@' if credentials else ''}{host}{port}/{database}"


@contextmanager
def fresh_target(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database to restore into, on the same kind of server."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"test_restore_{secrets.token_hex(6)}"
    admin_params = _pg_params(connection.settings_dict["NAME"])
    with psycopg.connect(**admin_params, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _pg_url(name)
    finally:
        with psycopg.connect(**admin_params, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def count_in(url: str, tables: list[str]) -> dict[str, int]:
    """Count rows in the restored database, through a connection of its own."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as restored:
            return {
                table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }
    import psycopg

    with psycopg.connect(**_pg_params(url.rsplit("/", 1)[1])) as restored:
        return {
            table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def backup(directory: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(directory), stdout=out)
    return out.getvalue()


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(tmp_path):
    expected = source_counts()
    history_rows = sum(expected[model._meta.db_table] for model in HISTORY_MODELS)
    assert expected[Page._meta.db_table] > 0
    assert expected[Revision._meta.db_table] > 0
    assert expected[PageLogEntry._meta.db_table] > 0
    assert expected[AuditEntry._meta.db_table] > 0
    assert history_rows > 0
    document = get_document_model().objects.order_by("pk").first()
    assert document is not None

    directory = tmp_path / "b"
    output = backup(directory)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert set(manifest["files"]) == {manifest["database_file"], "media.tar.gz"}
    assert set(manifest["counts"]) == set(counted_tables())
    assert {table: manifest["counts"][table] for table in expected} == expected
    assert manifest["database_file"] in output

    media_root = tmp_path / "media"
    with fresh_target(tmp_path) as url:
        out = io.StringIO()
        call_command(
            "restore", str(directory), target=url, media_root=media_root, yes=True, stdout=out
        )
        restored = count_in(url, sorted(manifest["counts"]))

    assert restored == manifest["counts"]
    assert {table: restored[table] for table in expected} == expected
    restored_file = media_root / document.file.name
    assert restored_file.is_file()
    assert (
        restored_file.read_bytes() == (Path(settings.MEDIA_ROOT) / document.file.name).read_bytes()
    )


@pytest.mark.parametrize("damaged", ["database", "media"])
def test_a_changed_backup_file_is_refused_before_anything_is_restored(tmp_path, damaged):
    directory = tmp_path / "b"
    backup(directory)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    name = manifest["database_file"] if damaged == "database" else manifest["media_file"]
    data = bytearray((directory / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (directory / name).write_bytes(bytes(data))

    target = tmp_path / "restored.sqlite3"
    url = (
        f"sqlite:///{target}"
        if connection.vendor == "sqlite"
        else _pg_url(f"test_restore_never_{secrets.token_hex(6)}")  # never created nor touched
    )
    with pytest.raises(CommandError, match=re.escape(name)):
        call_command("restore", str(directory), target=url, media_root=tmp_path / "media", yes=True)
    assert not target.exists()
    assert not (tmp_path / "media").exists()


def test_a_media_archive_with_a_path_outside_the_media_root_is_refused(tmp_path):
    directory = tmp_path / "b"
    backup(directory)
    archive = directory / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        evil = tarfile.TarInfo("../escaped.txt")
        evil.size = 4
        tar.addfile(evil, io.BytesIO(b"evil"))
    manifest_path = directory / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["media.tar.gz"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    target = tmp_path / "restored.sqlite3"
    url = (
        f"sqlite:///{target}"
        if connection.vendor == "sqlite"
        else _pg_url(f"test_restore_never_{secrets.token_hex(6)}")
    )
    with pytest.raises(CommandError, match=r"\.\./escaped\.txt"):
        call_command("restore", str(directory), target=url, media_root=tmp_path / "media", yes=True)
    assert not (tmp_path / "escaped.txt").exists()
    assert not target.exists()


def test_backing_up_into_a_directory_that_is_not_empty_is_refused(tmp_path):
    directory = tmp_path / "b"
    directory.mkdir()
    (directory / "notes.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(CommandError, match=re.escape(str(directory))):
        backup(directory)
    assert [path.name for path in directory.iterdir()] == ["notes.txt"]
    assert (directory / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_restoring_over_the_configured_database_needs_yes_without_a_terminal(tmp_path):
    directory = tmp_path / "b"
    backup(directory)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(directory))
