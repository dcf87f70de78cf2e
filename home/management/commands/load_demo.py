from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from home.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Build the demo hospital (idempotent). --scale N multiplies the publications."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more."))
        # Two years of reviews would send thousands of notifications; the demo sends none.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = load_demo(scale=scale, progress=lambda message: self.stdout.write(message))
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo hospital ready at %(site)s: %(count)s new publications.")
                % {"site": summary.site.root_url, "count": summary.publications_created}
            )
        )
        self.stdout.write(
            _(
                "Accounts (password %(password)s): admin, office, office-deputy, supervisor, "
                "medical-editor, medical-head, finance-editor, finance-head, …"
            )
            % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(
            _(
                "API: %(root)s/api/disclosure/v1/docs/ (staff-only content with a token: "
                "python manage.py api_tokens create --user supervisor --name demo)"
            )
            % {"root": summary.site.root_url.rstrip("/")}
        )
        self.stdout.write(
            _("Search in Chinese: %(root)s/search/?q=%(query)s (繁體 in the page header)")
            % {"root": summary.site.root_url.rstrip("/"), "query": "招标公告"}
        )
