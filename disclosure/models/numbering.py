"""The counters behind gap-free numbers (:mod:`disclosure.services.numbering`): a case's
查询编号 and a notice's 文号 are both drawn from one row per institution, series and year."""

from __future__ import annotations

from django.db import models

from ..rules.notices import NoticeSeries
from ..rules.rectification import FINDING_SERIES
from ..rules.requests import CaseKind

#: A series is a case kind (tracking numbers), a notice series (notice numbers) or the
#: rectification ledger; no value is two of them, so the numbers share the counter table
#: without sharing a row.
SERIES_CHOICES = [*CaseKind.choices, *NoticeSeries.choices, FINDING_SERIES]


class NumberCounter(models.Model):
    """The last number issued per institution, series and year."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20, choices=SERIES_CHOICES)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "series", "year"], name="unique_number_counter")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"
