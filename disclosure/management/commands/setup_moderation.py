from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...selectors.catalog import disclosure_index_for_site
from ...services.departments import ensure_office_group
from ...services.moderation import setup_moderation
from ._site import site_for_hostname


class Command(BaseCommand):
    help = (
        "Set up an institution's moderation: the disclosure office group and the two review "
        "workflows (department head then office; office four eyes for the catalog). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", dest="hostname", help="The institution's site hostname.")

    def handle(self, *args, hostname: str | None, **options):
        site = site_for_hostname(hostname)
        group = ensure_office_group(site=site, index=disclosure_index_for_site(site))
        institution = setup_moderation(site=site)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Moderation ready for %(site)s: office group “%(group)s”, "
                    "workflows “%(a)s” and “%(b)s”."
                )
                % {
                    "site": site.site_name or site.hostname,
                    "group": group.name,
                    "a": institution.publication_workflow.name,
                    "b": institution.catalog_workflow.name,
                }
            )
        )
