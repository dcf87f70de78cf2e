from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...services.catalog_io import CatalogImportError, import_catalog
from ._site import site_for_hostname, user_named


class Command(BaseCommand):
    help = "Import a disclosure catalog (CSV or XLSX) into an institution's page tree."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--site", dest="hostname", help="The institution's site hostname.")
        parser.add_argument(
            "--user",
            required=True,
            help="The disclosure office member who makes the change (it is recorded).",
        )
        parser.add_argument(
            "--approver",
            help="A second office member who approves the change now; "
            "without it the change waits in the office's review queue.",
        )
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="Create departments named in the file that do not exist yet.",
        )

    def handle(
        self,
        *args,
        file: Path,
        hostname: str | None,
        user: str,
        approver: str | None,
        create_departments: bool,
        **options,
    ):
        if not file.exists():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        site = site_for_hostname(hostname)
        try:
            result = import_catalog(
                site=site,
                path=file,
                user=user_named(user),
                approver=user_named(approver),
                create_departments=create_departments,
            )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        except CatalogImportError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(error.errors)}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Catalog imported: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                }
            )
        )
        for title in result.updated:
            self.stdout.write(_("updated: %(title)s") % {"title": title})
        if result.awaiting_approval:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)s item(s) await a second disclosure office member's approval.")
                    % {"count": len(result.awaiting_approval)}
                )
            )
