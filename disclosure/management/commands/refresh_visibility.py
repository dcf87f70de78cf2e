from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...services.visibility import refresh_visibility, visibility_problems


class Command(BaseCommand):
    help = (
        "Rewrite every page's stored readers (who may read it) from the page tree and its view "
        "restrictions, after a change made around the application (raw SQL, a restore), then "
        "check them as check_audit does. Idempotent."
    )

    def handle(self, *args, **options):
        written = refresh_visibility()
        self.stdout.write(_("Stored readers rewritten for %(count)s pages.") % {"count": written})
        problems = visibility_problems()
        for problem in problems:
            self.stderr.write(str(problem))
        if not problems:
            self.stdout.write(self.style.SUCCESS(_("Every page's stored readers are current.")))
