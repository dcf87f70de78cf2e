from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import CalendarYear
from ...services.workdays import seed_calendar_from_chinesecalendar


def _year_ranges(years: list[int]) -> str:
    """``[2004, 2005, 2006, 2028]`` as ``2004–2006、2028``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


class Command(BaseCommand):
    help = (
        "Copy the public holidays and make-up working days of every year the chinesecalendar "
        "package covers into the working-day calendar. Idempotent; days entered by hand are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            help="Seed only this year (repeatable). Default: every year the package covers.",
        )

    def handle(self, *args, years: list[int] | None, **options):
        created = seed_calendar_from_chinesecalendar(years=years)
        known = list(
            CalendarYear.objects.filter(complete=True)
            .order_by("year")
            .values_list("year", flat=True)
        )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Working-day calendar seeded: %(count)s day added.",
                    "Working-day calendar seeded: %(count)s days added.",
                    created,
                )
                % {"count": created}
            )
        )
        if known:
            self.stdout.write(
                _("Official schedule complete for %(years)s.") % {"years": _year_ranges(known)}
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    _("No year has a complete official schedule; every deadline is an estimate.")
                )
            )
