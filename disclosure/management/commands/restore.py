import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...services.backup import BackupError, Manifest, restore_backup, target_settings
from .backup import write_counts, write_files


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'manage.py backup DIR': check every file's checksum, restore "
        "the database (into the configured database, or into --target DATABASE_URL), unpack the "
        "media files (into MEDIA_ROOT, or --media-root), then check that the restored tables have "
        "the row counts the backup recorded. Stop the site before restoring over its database."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A directory made by 'backup'.")
        parser.add_argument(
            "--target",
            metavar="DATABASE_URL",
            help="Restore into this database instead of the configured one.",
        )
        parser.add_argument(
            "--media-root",
            metavar="PATH",
            help="Unpack the media files here instead of into MEDIA_ROOT.",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask before replacing the configured database or MEDIA_ROOT files.",
        )

    def handle(self, *args, directory: str, target, media_root, yes: bool, **options):
        path = Path(directory).resolve()
        try:
            manifest = Manifest.read(path)
            target_name = target_settings(target).get("NAME")
        except BackupError as error:
            raise CommandError(str(error)) from error

        replaced = []
        if target is None:
            replaced.append(_("the configured database %(name)s") % {"name": target_name})
        if media_root is None and manifest.media_file:
            replaced.append(_("the files in MEDIA_ROOT %(path)s") % {"path": settings.MEDIA_ROOT})
        if replaced and not yes:
            self.confirm(manifest, replaced)

        try:
            counts = restore_backup(
                path,
                target_url=target,
                media_root=Path(media_root) if media_root is not None else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup of %(time)s (UTC) into %(name)s; every checksum matched.")
                % {"time": manifest.created_at, "name": target_name}
            )
        )
        write_files(self.stdout, path, manifest.files)
        write_counts(self.stdout, counts)
        self.stdout.write(_("Every count matches the backup."))

    def confirm(self, manifest: Manifest, replaced: list[str]) -> None:
        message = _("This restore of the backup of %(time)s (UTC) replaces %(what)s.") % {
            "time": manifest.created_at,
            "what": _(" and ").join(replaced),
        }
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(
                message + " " + _("Not asking without a terminal: pass --yes to go ahead.")
            )
        answer = input(message + " " + _("Type 'yes' to continue, or 'no' to cancel: "))
        if answer.strip().lower() not in {"yes", _("yes")}:
            raise CommandError(_("Restore cancelled."))
