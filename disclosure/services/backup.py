"""Database-native backups of the whole site, with the media files, and a checked restore.

``dumpdata`` is not a backup of a Wagtail site: it reads the tables one after another instead of
from one snapshot, leaves out the schema, the migration history and the media files, and loading
it back collides with the content types, permissions and pages that the migrations create. A
backup here is what the database itself makes, from one consistent snapshot:

* SQLite: a copy made with SQLite's online backup API (``database.sqlite3``);
* PostgreSQL: ``pg_dump --format=custom`` (``database.pgdump``), restored with ``pg_restore``.

The media files go into ``media.tar.gz`` (paths relative to ``MEDIA_ROOT``). ``manifest.json``
lists the SHA-256 of every file and the row counts of the tables an audit depends on (pages,
revisions, log entries, workflow states, audit entries, history rows, documents). A restore
checks every digest before it writes anything, and counts the same tables in the restored
database afterwards: a restore that does not give back the same counts is an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

import dj_database_url
import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from simple_history.models import registered_models
from wagtail.documents import get_document_model

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

# Models (app label, model name) whose tables are counted; history tables are added from
# django-simple-history's registry, the document table from Wagtail's setting.
COUNTED_MODELS = (
    ("wagtailcore", "Page"),
    ("wagtailcore", "Revision"),
    ("wagtailcore", "PageLogEntry"),
    ("wagtailcore", "ModelLogEntry"),
    ("wagtailcore", "WorkflowState"),
    ("wagtailcore", "TaskState"),
    ("disclosure", "AuditEntry"),
)
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore cannot be made, or did not give back what was saved."""


@dataclass
class Manifest:
    """What ``manifest.json`` records about one backup directory."""

    vendor: str
    database_file: str
    created_at: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256
    counts: dict[str, int] = field(default_factory=dict)  # table name -> rows
    media_file: str | None = None
    format_version: int = FORMAT_VERSION
    versions: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "created_at": self.created_at,
                "vendor": self.vendor,
                "database_file": self.database_file,
                "media_file": self.media_file,
                "files": self.files,
                "counts": self.counts,
                "versions": self.versions,
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(
                _("%(path)s is not a backup: it has no %(manifest)s.")
                % {"path": directory, "manifest": MANIFEST}
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(
                format_version=int(data["format_version"]),
                created_at=str(data["created_at"]),
                vendor=str(data["vendor"]),
                database_file=str(data["database_file"]),
                media_file=data.get("media_file"),
                files={str(name): str(digest) for name, digest in data["files"].items()},
                counts={str(table): int(rows) for table, rows in data["counts"].items()},
                versions=dict(data.get("versions") or {}),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(
                _("%(path)s is not a readable backup manifest: %(error)s")
                % {"path": path, "error": error}
            ) from error
        if manifest.format_version != FORMAT_VERSION:
            raise BackupError(
                _("Backup format %(found)s is not supported (this version reads %(supported)s).")
                % {"found": manifest.format_version, "supported": FORMAT_VERSION}
            )
        for name in [*manifest.files, manifest.database_file, manifest.media_file]:
            if name is not None and (Path(name).name != name or name in {"", ".", ".."}):
                raise BackupError(
                    _("The manifest names a file outside the backup directory: %(name)s")
                    % {"name": name}
                )
        for table in manifest.counts:
            if not _TABLE_NAME.match(table):
                raise BackupError(
                    _("The manifest names an invalid table: %(table)s") % {"table": table}
                )
        return manifest


# Which tables ------------------------------------------------------------------------------


def counted_tables() -> list[str]:
    """The tables whose row counts a backup records and a restore checks."""
    tables = [apps.get_model(app_label, name)._meta.db_table for app_label, name in COUNTED_MODELS]
    for model in registered_models.values():
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    tables.append(get_document_model()._meta.db_table)
    return sorted(set(tables))


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        if not _TABLE_NAME.match(table):  # identifiers cannot be query parameters
            raise BackupError(_("Invalid table name: %(table)s") % {"table": table})
        try:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - checked identifier
        except Exception as error:
            raise BackupError(
                _("Could not count the rows of %(table)s: %(error)s")
                % {"table": table, "error": error}
            ) from error
        counts[table] = int(cursor.fetchone()[0])
    return counts


# Databases ---------------------------------------------------------------------------------


def _vendor(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith(("sqlite3", "spatialite")):
        return "sqlite"
    if engine.endswith(("postgresql", "postgis", "postgresql_psycopg2")):
        return "postgresql"
    raise BackupError(
        _(
            "Backups are made for SQLite and PostgreSQL only, not for the database engine "
            "%(engine)s."
        )
        % {"engine": engine or "-"}
    )


def _is_memory_sqlite(name) -> bool:
    name = str(name or "")
    return name in {"", ":memory:"} or "mode=memory" in name


def _pg_params(settings_dict: dict) -> dict[str, str]:
    """libpq connection parameters of a Django database (the password included)."""
    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict.get("NAME") or "",
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
        "host": settings_dict.get("HOST") or "",
        "port": str(settings_dict.get("PORT") or ""),
    }
    for key in ("service", "sslmode", "sslrootcert", "sslcert", "sslkey", "options"):
        if options.get(key):
            params[key] = str(options[key])
    return {key: value for key, value in params.items() if value}


def _pg_command(program: str, params: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The start of a pg_dump/pg_restore command line, and its environment.

    The password goes in ``PGPASSWORD``, never on the command line (other users see that).
    """
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            _("%(program)s was not found; install the PostgreSQL client programs.")
            % {"program": program}
        )
    args = [executable]
    for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
        if key in params:
            args.append(f"{flag}={params[key]}")
    env = dict(os.environ)
    for key, variable in (
        ("password", "PGPASSWORD"),
        ("service", "PGSERVICE"),
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("options", "PGOPTIONS"),
    ):
        if key in params:
            env[variable] = params[key]
    return args, env


def _run(args: list[str], env: dict[str, str], program: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed (exit status %(status)s):\n%(stderr)s")
            % {
                "program": program,
                "status": result.returncode,
                "stderr": result.stderr.strip() or "-",
            }
        )


def _pg_connect(params: dict[str, str]):
    import psycopg  # optional (the site's extra): needed on PostgreSQL only

    return psycopg.connect(**params)


# Files -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pack_media(media_root: Path, archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        for child in sorted(media_root.iterdir()):
            tar.add(child, arcname=child.name)


def _check_member(member: tarfile.TarInfo) -> None:
    name = member.name
    unsafe = (
        PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).is_absolute()
        or name.startswith(("/", "\\"))
        or ".." in PurePosixPath(name.replace("\\", "/")).parts
    )
    if (member.islnk() or member.issym()) and (
        PurePosixPath(member.linkname).is_absolute() or ".." in PurePosixPath(member.linkname).parts
    ):
        unsafe = True
    if unsafe:
        raise BackupError(
            _("The media archive has an unsafe path and was not unpacked: %(name)s")
            % {"name": name}
        )


def _check_media(archive: Path) -> None:
    """Refuse an archive with an absolute path or ``..`` in it, before anything is restored."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            _check_member(member)


def _unpack_media(archive: Path, media_root: Path) -> int:
    """Unpack every file of the archive under ``media_root``; return how many files there were."""
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
        for member in members:  # every path is checked before anything is written
            _check_member(member)
        media_root.mkdir(parents=True, exist_ok=True)
        try:
            tar.extractall(media_root, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(
                _("The media archive has an unsafe member and was not unpacked: %(error)s")
                % {"error": error}
            ) from error
    return sum(1 for member in members if member.isfile())


# Backup ------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    return {"django": django.get_version(), "wagtail": wagtail.__version__}


def _backup_sqlite(using: str, target: Path, tables: list[str]) -> dict[str, int]:
    connection = connections[using]
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as destination:
        connection.connection.backup(destination)
    # Counted in the copy itself: the counts describe exactly what was saved.
    with closing(sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True)) as copy:
        return _count_rows(copy.cursor(), tables)


def _backup_postgresql(using: str, target: Path, tables: list[str]) -> dict[str, int]:
    import psycopg  # optional (the site's extra): needed on PostgreSQL only

    params = _pg_params(connections[using].settings_dict)
    # One snapshot for the counts and the dump: rows written meanwhile are in neither.
    with closing(_pg_connect(params)) as snapshot_connection:
        snapshot_connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot_connection.read_only = True
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, tables)
        args, env = _pg_command("pg_dump", params)
        args += [
            "--format=custom",
            "--no-owner",
            f"--snapshot={snapshot}",
            f"--file={target}",
            f"--dbname={params.get('dbname', '')}",
        ]
        _run(args, env, "pg_dump")
        snapshot_connection.rollback()
    return counts


def create_backup(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Back up the database ``using`` and the media files into ``directory`` (new or empty)."""
    directory = Path(directory).resolve()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(
            _("%(path)s already exists and is not an empty directory; choose a new one.")
            % {"path": directory}
        )
    media_root = Path(settings.MEDIA_ROOT).resolve() if settings.MEDIA_ROOT else None
    if media_root is not None and directory.is_relative_to(media_root):
        raise BackupError(
            _("The backup directory must not be inside MEDIA_ROOT (%(media)s).")
            % {"media": media_root}
        )
    vendor = _vendor(connections[using].settings_dict)
    if vendor not in DATABASE_FILES:  # pragma: no cover - _vendor raises first
        raise BackupError(_("Unsupported database vendor %(vendor)s.") % {"vendor": vendor})

    created = not directory.exists()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        database_file = DATABASE_FILES[vendor]
        # A table a pending migration would create is not there to count (nor to restore).
        existing = set(connections[using].introspection.table_names())
        tables = [table for table in counted_tables() if table in existing]
        if vendor == "sqlite":
            counts = _backup_sqlite(using, directory / database_file, tables)
        else:
            counts = _backup_postgresql(using, directory / database_file, tables)
        written = [database_file]
        media_file = None
        if media_root is not None and media_root.is_dir():
            media_file = MEDIA_ARCHIVE
            _pack_media(media_root, directory / media_file)
            written.append(media_file)
        manifest = Manifest(
            vendor=vendor,
            database_file=database_file,
            media_file=media_file,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            files={name: _sha256(directory / name) for name in written},
            counts=counts,
            versions=_versions(),
        )
        (directory / MANIFEST).write_text(manifest.to_json() + "\n", encoding="utf-8")
    except BaseException:
        # No half-made backup is left behind to be mistaken for a good one.
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            for child in directory.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise
    return manifest


# Restore -----------------------------------------------------------------------------------


def verify_files(directory: Path, manifest: Manifest) -> None:
    """Check the SHA-256 of every file the manifest lists; raise on the first difference."""
    needed = {manifest.database_file} | ({manifest.media_file} if manifest.media_file else set())
    missing_from_manifest = needed - set(manifest.files)
    if missing_from_manifest:
        raise BackupError(
            _("The manifest has no checksum for %(files)s.")
            % {"files": ", ".join(sorted(missing_from_manifest))}
        )
    for name, expected in sorted(manifest.files.items()):
        path = directory / name
        if not path.is_file():
            raise BackupError(
                _("The backup file %(file)s is missing.") % {"file": path},
            )
        if _sha256(path) != expected:
            raise BackupError(
                _(
                    "The backup file %(file)s does not match its checksum in the manifest: it "
                    "was changed or damaged. Nothing was restored."
                )
                % {"file": path}
            )


def target_settings(target_url: str | None) -> dict:
    """The Django settings of the database a restore writes to (the configured one if None)."""
    if target_url is None:
        return dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    try:
        return dj_database_url.parse(target_url)
    except ValueError as error:
        raise BackupError(
            _("Not a database URL: %(error)s") % {"error": error},
        ) from error


def _restore_sqlite(source: Path, target: dict, tables: list[str]) -> dict[str, int]:
    name = target.get("NAME")
    if _is_memory_sqlite(name):
        raise BackupError(_("Cannot restore into an in-memory SQLite database; give a file."))
    path = Path(name)
    if not path.parent.is_dir():
        raise BackupError(
            _("The directory of the target database %(path)s does not exist.") % {"path": path}
        )
    with (
        closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as backup,
        closing(sqlite3.connect(path)) as destination,
    ):
        backup.backup(destination)
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as restored:
        return _count_rows(restored.cursor(), tables)


def _restore_postgresql(source: Path, target: dict, tables: list[str]) -> dict[str, int]:
    params = _pg_params(target)
    if not params.get("dbname"):
        raise BackupError(_("The target database URL names no database."))
    args, env = _pg_command("pg_restore", params)
    # One transaction: a restore that fails leaves the target database as it was.
    args += [
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={params['dbname']}",
        str(source),
    ]
    _run(args, env, "pg_restore")
    with closing(_pg_connect(params)) as restored, restored.cursor() as cursor:
        return _count_rows(cursor, tables)


def restore_backup(
    directory: Path, *, target_url: str | None = None, media_root: Path | None = None
) -> dict[str, int]:
    """Restore a backup made by :func:`create_backup`; return the counts found after it.

    Every checksum is verified first. ``target_url`` None restores into the configured default
    database (stop the site first); ``media_root`` None unpacks the media into ``MEDIA_ROOT``.
    Raises :class:`BackupError` if the restored tables do not have the recorded counts.
    """
    directory = Path(directory).resolve()
    manifest = Manifest.read(directory)
    verify_files(directory, manifest)

    target = target_settings(target_url)
    vendor = _vendor(target)
    if vendor != manifest.vendor:
        raise BackupError(
            _("This is a %(backup)s backup; it cannot be restored into a %(target)s database.")
            % {"backup": manifest.vendor, "target": vendor}
        )
    if manifest.media_file:
        _check_media(directory / manifest.media_file)
    if target_url is None:
        connections.close_all()  # the file or the tables are about to be replaced

    tables = sorted(manifest.counts)
    source = directory / manifest.database_file
    if vendor == "sqlite":
        counts = _restore_sqlite(source, target, tables)
    else:
        counts = _restore_postgresql(source, target, tables)

    if manifest.media_file:
        root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
        _unpack_media(directory / manifest.media_file, root)

    mismatches = [
        _("%(table)s: %(expected)s in the backup, %(found)s restored")
        % {"table": table, "expected": expected, "found": counts.get(table)}
        for table, expected in sorted(manifest.counts.items())
        if counts.get(table) != expected
    ]
    if mismatches:
        raise BackupError(
            _("The restored database does not have the rows the backup recorded:\n%(list)s")
            % {"list": "\n".join(mismatches)}
        )
    return counts
