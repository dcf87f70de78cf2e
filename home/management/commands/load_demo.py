from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from home.demo import DEMO_PASSWORD, load_demo
from home.demo_commission import HOSPITALS
from home.demo_scale import PRESETS, load_scaled_demo


class Command(BaseCommand):
    help = (
        "Build the demo hospital (idempotent). --scale commission (10 institutions, 3,000 items, "
        "50,000 publications) or --scale small adds benchmark data in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(PRESETS), default=None)

    def handle(self, *args, scale: str | None, **options):
        progress = self.stdout.write
        # Two years of reviews would send thousands of notifications; the demo sends none.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = load_demo(progress=progress)
            if scale:
                builder = load_scaled_demo(preset=scale, demo=summary, progress=progress)
                self.stdout.write(
                    _("Benchmark data: %(items)s new items, %(publications)s new publications.")
                    % {
                        "items": builder.created_items,
                        "publications": builder.created_publications,
                    }
                )
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
                "Two more hospitals on the same port: %(second)s (office-2, medical-head-2, …) "
                "and %(third)s (office-3, …). Health commission: commission (reads and "
                "assesses), commission-reader."
            )
            % {"second": HOSPITALS[0].hostname, "third": HOSPITALS[1].hostname}
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
