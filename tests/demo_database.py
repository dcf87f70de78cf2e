"""The demo hospital's database: built once, then cloned for every worker and every suite.

Migrating and loading the demo is the slowest thing a test run does, and every test starts from
its result. So it is built once into a *template*, kept under ``.cache/demo-db/`` (SQLite: a
file and the uploaded documents beside it) or as a PostgreSQL database of its own, and reused
for as long as its fingerprint holds: the code that shapes it (the plugin, the example site,
their migrations, data and translations), the installed packages, the database server and the
demo's anchor date (the demo is built around today). Each pytest worker then gets a clone: an
in-memory copy of the SQLite file through SQLite's backup API, or ``CREATE DATABASE … TEMPLATE``
on PostgreSQL. The browser tests serve a file copy of the same SQLite template.

The template is built by ``manage.py migrate`` and ``manage.py load_demo`` in a child process,
exactly as ``make demo`` builds the demo, under a file lock so that concurrent workers wait for
one build; a half-built template is never used (it is renamed into place when complete).
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "demo-db"
# Everything under these folders that can change what migrate and load_demo write.
SHAPING_FOLDERS = ("disclosure", "home", "site")
SHAPING_SUFFIXES = {".py", ".csv", ".json", ".mo", ".html", ".txt"}
SETTINGS = "portal.settings.test"
KEY_LENGTH = 16


def fingerprint(*, vendor: str, server: str, time_zone: str) -> str:
    """What the template is a function of, as a hex digest."""
    digest = hashlib.sha256()
    digest.update(f"{vendor}\0{server}\0".encode())
    # The demo is anchored on today's date where the institution is.
    digest.update(datetime.now(ZoneInfo(time_zone)).date().isoformat().encode())
    for folder in SHAPING_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SHAPING_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
                digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    # The installed packages (a set: the project's own metadata is found once per entry of
    # sys.path that reaches it, which differs between pytest's processes; its code is hashed
    # above).
    packages = {f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()}
    for package in sorted(packages):
        digest.update(package.encode() + b"\0")
    return digest.hexdigest()[:KEY_LENGTH]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build(*, database_url: str, media_root: Path, log: Path) -> None:
    """``migrate`` then ``load_demo`` into ``database_url``, as ``make demo`` does."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }
    with log.open("w") as out:
        for command in (("migrate", "--noinput"), ("load_demo",)):
            done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
            if done.returncode:
                failed = CACHE / "failed-build.log"
                shutil.copyfile(log, failed)
                raise RuntimeError(f"building the demo database failed, see {failed}")


@dataclass(frozen=True)
class Template:
    """A built demo database and the documents uploaded while building it."""

    key: str
    media: Path
    sqlite_file: Path | None = None
    postgres_name: str | None = None

    def copy_media(self, media_root: Path) -> None:
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)


def _prune(pattern: str, *, keep: int) -> None:
    """Remove all but the ``keep`` newest templates matching ``pattern`` (a run that started
    from an older one has cloned it already, or is cloning it now: the newest are kept)."""
    folders = sorted(
        (path for path in CACHE.glob(pattern) if path.is_dir()),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)


# SQLite ----------------------------------------------------------------------------------------


def sqlite_template(time_zone: str = "Asia/Shanghai") -> Template:
    """The SQLite template, built if missing."""
    key = fingerprint(vendor="sqlite", server=sqlite3.sqlite_version, time_zone=time_zone)
    folder = CACHE / f"sqlite-{key}"
    if os.environ.get("DEMO_DB_REUSE") and not folder.is_dir():
        # While writing tests for code that does not change the demo: the newest template,
        # whatever its key (never in CI).
        built = sorted(CACHE.glob("sqlite-*/demo.sqlite3"), key=lambda path: path.stat().st_mtime)
        if built:
            folder, key = built[-1].parent, built[-1].parent.name.removeprefix("sqlite-")
    template = Template(key=key, media=folder / "media", sqlite_file=folder / "demo.sqlite3")
    if folder.is_dir():
        return template
    with _locked("sqlite"):
        if not folder.is_dir():
            building = CACHE / f"building-sqlite-{key}-{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(parents=True)
            try:
                _build(
                    database_url=f"sqlite:///{building / 'demo.sqlite3'}",
                    media_root=building / "media",
                    log=building / "build.log",
                )
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            (building / "media").mkdir(exist_ok=True)
            building.rename(folder)
            _prune("sqlite-*", keep=3)
    return template


def clone_sqlite(template: Template, connection) -> None:
    """Copy the template into ``connection``'s (in-memory or file) database."""
    source = sqlite3.connect(template.sqlite_file)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def copy_sqlite_file(template: Template, target: Path) -> None:
    shutil.copyfile(template.sqlite_file, target)


def served_copy(folder: Path, *, settings: str) -> dict[str, str]:
    """A copy of the SQLite demo hospital (database and documents) in ``folder``, and the
    environment of a server process serving it (the browser tests', the Varnish test's)."""
    template = sqlite_template()
    copy_sqlite_file(template, folder / "demo.sqlite3")
    template.copy_media(folder / "media")
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
    }


# PostgreSQL ------------------------------------------------------------------------------------


def _pg_names(connection, key: str) -> tuple[str, str]:
    base = connection.settings_dict["NAME"]
    return f"{base}_demo_{key}", f"{base}_demo_building"


def postgres_template(connection, time_zone: str = "Asia/Shanghai") -> Template:
    """The PostgreSQL template database (beside ``connection``'s), built if missing."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = f"{cursor.fetchone()[0]}@{connection.settings_dict.get('HOST')}"
    key = fingerprint(vendor="postgresql", server=server, time_zone=time_zone)
    name, building = _pg_names(connection, key)
    media = CACHE / f"postgresql-{key}" / "media"
    template = Template(key=key, media=media, postgres_name=name)
    with _locked("postgresql"):
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
        if exists and media.is_dir():
            return template
        _drop_old_templates(connection, prefix=name[: -len(key)])
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{building}"')
            cursor.execute(f'CREATE DATABASE "{building}"')
        shutil.rmtree(media.parent, ignore_errors=True)
        media.mkdir(parents=True)
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{building}").geturl()
        _build(database_url=url, media_root=media, log=media.parent / "build.log")
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return template


def _drop_old_templates(connection, *, prefix: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        for (old,) in [row for row in cursor.fetchall() if row[0].startswith(prefix)]:
            cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
    _prune("postgresql-*", keep=0)


def clone_postgres(template: Template, connection, name: str) -> None:
    """``name`` becomes a fresh copy of the template database."""
    with _locked("postgresql"), connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.postgres_name}"')


def drop_postgres(connection, name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


# Building ahead -------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """``python -m tests.demo_database sqlite|postgresql``: build that template now, if missing
    (PostgreSQL: beside ``DATABASE_URL``'s database), exactly as a test run would. CI starts
    both while it lints, so that the test runs find them built (a run that comes first waits
    for the build under the same lock)."""
    if len(argv) != 1 or argv[0] not in ("sqlite", "postgresql"):
        sys.stderr.write("usage: python -m tests.demo_database sqlite|postgresql\n")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if argv[0] == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.stderr.write("DATABASE_URL must name a PostgreSQL database\n")
        return 2
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if argv[0] == "sqlite":
        template = sqlite_template(settings.TIME_ZONE)
    else:
        template = postgres_template(connection, settings.TIME_ZONE)
        connection.close()
    sys.stdout.write(f"demo template {argv[0]}-{template.key} ready\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
