from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ...services.reminders import configured_escalate_after, send_reminders
from ._site import parse_date, parse_working_days


class Command(BaseCommand):
    help = (
        "Send each department one digest of its disclosure items that are due soon, overdue or "
        "never published, and escalate items overdue for too long to the disclosure office. "
        "Meant for a daily cron job: a second run on the same day sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day to send reminders for (default: today). Use it to re-run a missed day.",
        )
        parser.add_argument(
            "--escalate-after",
            metavar="N",
            help=(
                "Escalate items overdue for more than N working days (default: the "
                "DISCLOSURE_ESCALATE_AFTER_WORKING_DAYS setting, or 10)."
            ),
        )

    def handle(self, *args, date: str | None, escalate_after: str | None, **options):
        day = parse_date(date) if date else timezone.localdate()
        threshold = (
            parse_working_days(escalate_after)
            if escalate_after is not None
            else configured_escalate_after()
        )
        summary = send_reminders(today=day, escalate_after=threshold)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Reminders for %(day)s: %(digests)s department digests and %(escalations)s "
                    "escalations sent; %(skipped)s already sent earlier that day; "
                    "%(unaddressed)s without recipients."
                )
                % {
                    "day": day.isoformat(),
                    "digests": summary.digests_sent,
                    "escalations": summary.escalations_sent,
                    "skipped": summary.skipped_already_sent,
                    "unaddressed": summary.skipped_no_recipients,
                }
            )
        )
        if summary.case_digests_sent:
            self.stdout.write(
                _("%(count)s digests of requests and consultations due sent to the offices.")
                % {"count": summary.case_digests_sent}
            )
        if summary.finding_digests_sent or summary.finding_escalations_sent:
            self.stdout.write(
                _(
                    "Overdue rectification findings: %(digests)s department digests and "
                    "%(escalations)s escalations sent."
                )
                % {
                    "digests": summary.finding_digests_sent,
                    "escalations": summary.finding_escalations_sent,
                }
            )
        if summary.failed:
            # A non-zero exit makes cron report it; the emails were not recorded as sent.
            raise CommandError(
                _(
                    "%(count)s reminder emails could not be sent (see the log); run the command "
                    "again to retry them."
                )
                % {"count": summary.failed}
            )
