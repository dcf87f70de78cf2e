"""Self-inspection (自查评估): the kinds and states of an inspection, the automatic measures a
checklist item may carry, and how each measure turns a figure into points.

Pure arithmetic: the figures come from the engines (the overdue report's standings, the request
clock, the annual report's publication), read by :mod:`disclosure.selectors.inspections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: What a checklist's points add up to.
FULL_MARKS = Decimal(100)
#: Scores are kept to half a point, as the bureaus' forms give them.
HALF = Decimal("0.5")


class InspectionKind(models.TextChoices):
    SELF = "self", _("Self-inspection")
    COMMISSION = "commission", _("Inspection by the health commission")
    THIRD_PARTY = "third_party", _("Third-party evaluation")


class InspectionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    RETURNED = "returned", _("Returned")


#: The states in which scores may still be entered.
EDITABLE_STATES = frozenset({InspectionState.DRAFT, InspectionState.RETURNED})


class Measure(models.TextChoices):
    """An automatic measure: the engine that scores a checklist item by itself."""

    ON_TIME_RATE = "on_time_rate", _("On-time rate of the catalog")
    NO_OVERDUE = "no_overdue", _("No catalog item overdue or never published")
    ANNUAL_REPORT = "annual_report", _("Annual report published by its deadline")
    REQUESTS_ON_TIME = "requests_on_time", _("Requests answered within their time limits")
    FINDINGS_ON_TIME = "findings_on_time", _("No rectification finding overdue")


def points_text(value: Decimal | int | None) -> str:
    """Points as people write them: ``60``, ``7.5`` (``Decimal.normalize`` alone gives ``6E+1``)."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def round_down_to_half(value: Decimal) -> Decimal:
    """``value`` rounded down to half a point (a score never rounds up to more than earned)."""
    return (value / HALF).to_integral_value(rounding=ROUND_DOWN) * HALF


@dataclass(frozen=True)
class MeasureFigures:
    """What the engines say about an institution on a day, for every measure at once."""

    on_time_rate: int | None
    late_items: int
    annual_report_year: int
    annual_report_on_time: bool
    annual_report_published_on: str
    requests_late: int
    findings_overdue: int


@dataclass(frozen=True)
class MeasuredScore:
    """A measure's score for one checklist item and the sentence that explains it."""

    score: Decimal
    explanation: str


def score_measure(
    measure: str,
    *,
    points: Decimal,
    threshold: int | None,
    deduction: Decimal | None,
    figures: MeasureFigures,
) -> MeasuredScore:
    """Score an item of ``points`` by its ``measure``.

    ``threshold`` is the on-time rate (in per cent) that earns full marks; ``deduction`` the
    points taken off per percentage point below it, or per late item, late request or overdue
    finding. Without a deduction a shortfall loses every point. Never below zero.
    """
    deduction = Decimal(deduction) if deduction else None
    if measure == Measure.ON_TIME_RATE:
        wanted = threshold if threshold is not None else 100
        rate = figures.on_time_rate
        if rate is None:
            return MeasuredScore(points, gettext("No catalog item has a schedule: full marks."))
        shortfall = max(wanted - rate, 0)
        score = _deduct(points, shortfall, deduction)
        return MeasuredScore(
            score,
            gettext(
                "On-time rate %(rate)s%% (full marks at %(wanted)s%% or more); "
                "%(shortfall)s percentage points short."
            )
            % {"rate": rate, "wanted": wanted, "shortfall": shortfall},
        )
    if measure == Measure.NO_OVERDUE:
        return MeasuredScore(
            _deduct(points, figures.late_items, deduction),
            gettext("%(count)s catalog items overdue or never published.")
            % {"count": figures.late_items},
        )
    if measure == Measure.ANNUAL_REPORT:
        if figures.annual_report_on_time:
            text = gettext("The annual report for %(year)s was published on %(date)s, in time.")
        elif figures.annual_report_published_on:
            text = gettext("The annual report for %(year)s was published late, on %(date)s.")
        else:
            text = gettext("No annual report for %(year)s has been published.")
        return MeasuredScore(
            points if figures.annual_report_on_time else Decimal(0),
            text % {"year": figures.annual_report_year, "date": figures.annual_report_published_on},
        )
    if measure == Measure.REQUESTS_ON_TIME:
        return MeasuredScore(
            _deduct(points, figures.requests_late, deduction),
            gettext("%(count)s requests answered after their time limit.")
            % {"count": figures.requests_late},
        )
    if measure == Measure.FINDINGS_ON_TIME:
        return MeasuredScore(
            _deduct(points, figures.findings_overdue, deduction),
            gettext("%(count)s rectification findings overdue.")
            % {"count": figures.findings_overdue},
        )
    raise ValueError(f"unknown measure {measure!r}")


def _deduct(points: Decimal, shortfall: int, deduction: Decimal | None) -> Decimal:
    if shortfall <= 0:
        return points
    if deduction is None:
        return Decimal(0)
    return max(round_down_to_half(points - deduction * shortfall), Decimal(0))
