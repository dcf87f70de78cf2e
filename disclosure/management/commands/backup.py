from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ...services.backup import BackupError, create_backup


def write_files(stdout, directory: Path, files: dict[str, str]) -> None:
    """One line per backup file: name, size, SHA-256 (shared with ``restore``)."""
    for name, digest in sorted(files.items()):
        stdout.write(
            _("  %(name)s  %(size)s  sha256 %(digest)s")
            % {
                "name": name,
                "size": filesizeformat((directory / name).stat().st_size),
                "digest": digest,
            }
        )


def write_counts(stdout, counts: dict[str, int]) -> None:
    """One line per counted table (shared with ``restore``)."""
    stdout.write(_("Rows:"))
    width = max((len(table) for table in counts), default=0)
    for table, rows in sorted(counts.items()):
        stdout.write(f"  {table.ljust(width)}  {rows}")


class Command(BaseCommand):
    help = (
        "Back up the database the database's own way (SQLite's backup API, or pg_dump on "
        "PostgreSQL) and the media files into DIR, a new or empty directory, with a manifest of "
        "checksums and row counts. Restore it with: manage.py restore DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A new or empty directory.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database alias to back up (default: %(default)s).",
        )

    def handle(self, *args, directory: str, database: str, **options):
        path = Path(directory).resolve()
        try:
            manifest = create_backup(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                _("Backup of the %(vendor)s database written to %(path)s at %(time)s (UTC).")
                % {"vendor": manifest.vendor, "path": path, "time": manifest.created_at}
            )
        )
        write_files(self.stdout, path, manifest.files)
        write_counts(self.stdout, manifest.counts)
