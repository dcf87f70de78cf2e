"""The working-day calendar as data: public holidays, make-up working days and known years.

The official schedule is seeded from the ``chinesecalendar`` package
(:func:`disclosure.services.workdays.seed_calendar_from_chinesecalendar`) and completed by hand in
the admin when the State Council publishes a year the package does not cover yet.
:mod:`disclosure.selectors.workdays` reads these rows; :mod:`disclosure.rules.workdays` does the
arithmetic.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel


class CalendarSource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar package")
    MANUAL = "manual", _("Entered by hand")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")


class CalendarDay(models.Model):
    """A day that breaks the Monday-to-Friday week: a public holiday or a make-up working day."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("The holiday, e.g. 国庆节; for a make-up day, the holiday it makes up for."),
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=CalendarSource.choices,
        default=CalendarSource.MANUAL,
        help_text=_("Days entered by hand are never overwritten by the seeding."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    panels = [FieldPanel("day"), FieldPanel("kind"), FieldPanel("name"), FieldPanel("note")]

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        if self.kind == CalendarDayKind.MAKEUP_WORKDAY and self.day and self.day.weekday() < 5:
            raise ValidationError(
                {"day": _("A make-up working day falls on a Saturday or a Sunday.")}
            )


class CalendarYear(models.Model):
    """A year of the calendar; with ``complete`` set, its official schedule is fully entered.

    Dates computed across a year without a complete row are marked estimated.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=CalendarSource.choices,
        default=CalendarSource.MANUAL,
    )
    complete = models.BooleanField(
        _("official schedule complete"),
        default=False,
        help_text=_(
            "Tick once every public holiday and make-up working day of the State Council's "
            "notice for this year is entered. Until then, deadlines in the year are estimates."
        ),
    )

    history = HistoricalRecords()

    panels = [FieldPanel("year"), FieldPanel("complete")]

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
