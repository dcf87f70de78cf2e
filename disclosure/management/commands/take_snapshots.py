from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ...selectors.ranking import snapshot_on_time_rate
from ...services.snapshots import take_snapshots
from ._site import parse_date, site_for_hostname


class Command(BaseCommand):
    help = (
        "Record every institution's compliance standing for the day (the figures a health "
        "commission's ranking and trends read). Meant for a daily cron job: a second run on "
        "the same day replaces that day's snapshots."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day to record (default: today). Use it to re-run a missed day.",
        )
        parser.add_argument(
            "--site",
            metavar="HOSTNAME",
            action="append",
            help="Only this institution (repeat for several; default: every institution).",
        )

    def handle(self, *args, date: str | None, site: list[str] | None, **options):
        day = parse_date(date) if date else timezone.localdate()
        site_ids = [site_for_hostname(hostname).pk for hostname in site] if site else None
        self.stdout.write(_("Computing the standings of %(day)s…") % {"day": day.isoformat()})
        snapshots = take_snapshots(site_ids=site_ids, today=day)
        for snapshot in snapshots:
            rate = snapshot_on_time_rate(snapshot)
            self.stdout.write(
                _("%(institution)s: on-time rate %(rate)s, %(late)s items late")
                % {
                    "institution": snapshot.institution_name,
                    "rate": "—" if rate is None else f"{rate}%",
                    "late": snapshot.overdue + snapshot.never_published,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s snapshots recorded for %(day)s.")
                % {"count": len(snapshots), "day": day.isoformat()}
            )
        )
