from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...services.catalog_io import export_catalog
from ._site import site_for_hostname


class Command(BaseCommand):
    help = "Export an institution's catalog in the import columns (CSV or XLSX by extension)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--site", dest="hostname", help="The institution's site hostname.")

    def handle(self, *args, file: Path, hostname: str | None, **options):
        count = export_catalog(site=site_for_hostname(hostname), path=file)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s catalog items written to %(path)s.") % {"count": count, "path": file}
            )
        )
