"""The rectification ledger (整改台账) and the monthly patrol (栏目巡查): where a finding comes
from, the states it passes through, its due date on the working-day calendar, and the kinds of
problem a patrol finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workdays import WorkdayCalendar


class FindingSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("Self-inspection")
    PATROL = "patrol", _("Column patrol")
    THIRD_PARTY = "third_party", _("Third-party evaluation")
    SUPERVISOR = "supervisor", _("Discipline inspection and supervision")
    COMMISSION = "commission", _("Health commission")
    OTHER = "other", _("Other")


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("rectification", "In progress")
    DONE = "done", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified")


#: What a finding shows once its due date has passed unfinished (a state of the display only:
#: the stored state stays what the department last said).
OVERDUE = "overdue"
OVERDUE_LABEL = _("Overdue")

#: States in which a finding is still the department's to fix.
UNFINISHED = frozenset({FindingState.OPEN, FindingState.IN_PROGRESS})


#: The number series of the ledger (a row of :class:`~disclosure.models.numbering.NumberCounter`).
FINDING_SERIES = ("finding", _("Rectification finding"))


def finding_number(*, year: int, sequence: int) -> str:
    """A finding's number in the ledger: 整改 (ZG), the year and its place in the year."""
    return f"ZG{year}-{sequence:03d}"


class ProblemKind(models.TextChoices):
    """What a patrol found wrong."""

    OVERDUE_ITEM = "overdue_item", _("Catalog item overdue")
    MISSING_ITEM = "missing_item", _("Catalog item never published")
    BROKEN_LINK = "broken_link", _("Link to a page that does not exist")
    UNPUBLISHED_TARGET = "unpublished_target", _("Link to an unpublished page")
    MISSING_DOCUMENT = "missing_document", _("Missing document")
    MANUAL = "manual", _("Found by the patrol")


#: The longest time limit a finding may be given: a year of working days. The calendar counts
#: day by day, and a limit beyond any real one would only cost time and, far enough, overflow.
MAX_WORKING_DAYS = 250


@dataclass(frozen=True)
class FindingDue:
    """A finding's due date, and whether it lies beyond the published holiday schedule."""

    due: dt.date | None
    estimated: bool = False


def finding_due(
    *,
    raised_on: dt.date,
    working_days: int | None,
    due_date: dt.date | None,
    calendar: WorkdayCalendar,
) -> FindingDue:
    """A finding is due ``working_days`` working days after the day it was raised (the day it
    was entered, never a date typed in), or on the date the office set."""
    if working_days:
        result = calendar.add_working_days(raised_on, working_days)
        return FindingDue(due=result.date, estimated=result.estimated)
    return FindingDue(due=due_date)


def displayed_state(*, state: str, due: dt.date | None, today: dt.date) -> str:
    """The state the ledger shows: an unfinished finding past its due date is overdue."""
    if state in UNFINISHED and due is not None and due < today:
        return OVERDUE
    return state


def state_label(state: str) -> str:
    if state == OVERDUE:
        return str(OVERDUE_LABEL)
    return str(FindingState(state).label)
