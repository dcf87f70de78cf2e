from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...selectors import workdays
from ._site import parse_date, parse_working_days


class Command(BaseCommand):
    help = (
        "Print the N-th working day after START (the start day itself not counted) on the first "
        "line, then the holidays and weekends skipped, the make-up working days counted, and "
        "whether the date is an estimate."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", metavar="START", help="The start date, as YYYY-MM-DD.")
        parser.add_argument("count", metavar="N", help="The number of working days, 0 or more.")

    def handle(self, *args, start: str, count: str, **options):
        start_day, n = parse_date(start), parse_working_days(count)
        try:
            result = workdays.explain_deadline(start_day, n)
        except OverflowError as error:
            raise CommandError(_("The due date would be after the year 9999.")) from error

        self.stdout.write(result.date.isoformat())
        self.stdout.write(
            ngettext(
                "%(count)s working day after %(start)s; the start day itself is not counted.",
                "%(count)s working days after %(start)s; the start day itself is not counted.",
                n,
            )
            % {"count": n, "start": start_day.isoformat()}
        )
        lines = [
            (
                day,
                _("Skipped %(day)s (%(weekday)s): %(reason)s")
                % {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()], "reason": reason},
            )
            for day, reason in result.skipped
        ]
        calendar = workdays.calendar()
        lines += [
            (
                day,
                _("Counted %(day)s (%(weekday)s): make-up working day (%(name)s)")
                % {
                    "day": day.isoformat(),
                    "weekday": WEEKDAYS[day.weekday()],
                    "name": calendar.names.get(day, ""),
                },
            )
            for day in result.makeup_counted
        ]
        for _day, line in sorted(lines):
            self.stdout.write(line)

        if result.estimated:
            first_day = start_day + timedelta(days=1)
            years = [
                str(year)
                for year in range(first_day.year, result.date.year + 1)
                if calendar.is_estimated(date(year, 1, 1))
            ]
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Estimated: the working-day calendar has no complete official schedule "
                        "for %(years)s, so days not entered there were counted Monday to Friday."
                    )
                    % {"years": "、".join(years)}
                )
            )
        else:
            self.stdout.write(
                _("Not estimated: the official holiday schedule covers every day counted.")
            )
