"""The request clock (办理时限): when a request or a consultation must be answered.

The clock follows the 《政府信息公开条例》 (2019) pattern that an institution may adopt
(第三十条, 第三十二条, 第三十三条):

* a consultation is answered within a few working days of receipt (3 is a common rule);
* a request is answered within 20 working days of receipt;
* a correction (补正) is asked for once, within 7 working days of receipt; the applicant's time
  does not count, and the answer deadline restarts from the day the correction arrives;
* one extension of at most 20 working days, approved by the disclosure office;
* the time spent consulting a third party is not counted, up to the 15 working days it has to
  answer.

Like the rest of this layer, nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deadlines import status_for_due
from .requests import OPEN_STATES, CaseKind, CaseState
from .workdays import WorkdayCalendar, WorkdayResult


@dataclass(frozen=True)
class CaseRules:
    """An institution's time limits, in working days (its rule set)."""

    consultation_days: int = 3
    answer_days: int = 20
    correction_notice_days: int = 7
    extension_max_days: int = 20
    third_party_max_days: int = 15
    due_soon_days: int = 3
    consultation_due_soon_days: int = 1


@dataclass(frozen=True)
class CaseClock:
    """The dates a case's deadline depends on."""

    kind: str
    state: str
    received_on: dt.date
    correction_requested_on: dt.date | None = None
    corrected_on: dt.date | None = None
    extension_days: int = 0
    third_party_started_on: dt.date | None = None
    third_party_answered_on: dt.date | None = None
    answered_on: dt.date | None = None


class ClockStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Clock stopped")
    ANSWERED = "answered", _("Answered on time")
    ANSWERED_LATE = "answered_late", _("Answered late")
    CLOSED = "closed", _("Closed without an answer")


@dataclass(frozen=True)
class CaseDeadline:
    """When a case must be answered and where it stands.

    ``due`` is the answer deadline (while a third party is consulted, the deadline if it
    answered today); ``correction_notice_due`` is the last day to ask for a correction;
    ``paused_days`` are the working days of third-party consultation not counted.
    """

    status: str
    due: dt.date | None
    estimated: bool = False
    correction_notice_due: dt.date | None = None
    paused_days: int = 0
    counts_from: dt.date | None = None

    @property
    def is_late(self) -> bool:
        return self.status in (ClockStatus.OVERDUE, ClockStatus.ANSWERED_LATE)

    @property
    def status_label(self) -> str:
        return str(ClockStatus(self.status).label)


def correction_notice_due(
    received_on: dt.date, *, rules: CaseRules, calendar: WorkdayCalendar
) -> dt.date:
    """The last day on which a correction may be asked for (第三十条: 7 working days)."""
    return calendar.add_working_days(received_on, rules.correction_notice_days).date


def third_party_reply_due(
    consulted_on: dt.date, *, rules: CaseRules, calendar: WorkdayCalendar
) -> dt.date:
    """The last day a consulted third party may answer (第三十二条: 15 working days)."""
    return calendar.add_working_days(consulted_on, rules.third_party_max_days).date


@dataclass(frozen=True)
class _AnswerCount:
    """How a request's answer deadline is counted: from which day, how many working days of
    each kind, and the calendar's result (with the days it skipped)."""

    counts_from: dt.date
    answer_days: int
    extension_days: int
    paused_days: int
    third_party_running: bool
    result: WorkdayResult


def _answer_count(
    clock: CaseClock, *, rules: CaseRules, calendar: WorkdayCalendar, today: dt.date
) -> _AnswerCount:
    if clock.kind == CaseKind.CONSULTATION:
        return _AnswerCount(
            counts_from=clock.received_on,
            answer_days=rules.consultation_days,
            extension_days=0,
            paused_days=0,
            third_party_running=False,
            result=calendar.add_working_days(clock.received_on, rules.consultation_days),
        )
    counts_from = clock.corrected_on or clock.received_on
    paused = 0
    third_party_running = False
    if clock.third_party_started_on is not None:
        until = clock.third_party_answered_on or today
        elapsed = calendar.working_days_between(clock.third_party_started_on, until)
        paused = min(elapsed, rules.third_party_max_days)
        third_party_running = (
            clock.third_party_answered_on is None and elapsed < rules.third_party_max_days
        )
    extension = min(clock.extension_days, rules.extension_max_days)
    return _AnswerCount(
        counts_from=counts_from,
        answer_days=rules.answer_days,
        extension_days=extension,
        paused_days=paused,
        third_party_running=third_party_running,
        result=calendar.add_working_days(counts_from, rules.answer_days + extension + paused),
    )


def compute_case_deadline(
    clock: CaseClock, *, rules: CaseRules, calendar: WorkdayCalendar, today: dt.date
) -> CaseDeadline:
    """The case's answer deadline on ``today`` and its status."""
    if clock.kind == CaseKind.CONSULTATION:
        result = _answer_count(clock, rules=rules, calendar=calendar, today=today).result
        return _standing(clock, result.date, result.estimated, rules, calendar, today)

    notice = correction_notice_due(clock.received_on, rules=rules, calendar=calendar)
    if clock.state == CaseState.CORRECTION:
        # The applicant holds the clock until the correction arrives.
        return CaseDeadline(
            status=ClockStatus.PAUSED, due=None, correction_notice_due=notice, counts_from=None
        )
    count = _answer_count(clock, rules=rules, calendar=calendar, today=today)
    result = count.result
    deadline = _standing(clock, result.date, result.estimated, rules, calendar, today)
    status = (
        ClockStatus.PAUSED
        if count.third_party_running and clock.state in OPEN_STATES
        else deadline.status
    )
    return CaseDeadline(
        status=status,
        due=result.date,
        estimated=result.estimated,
        correction_notice_due=notice,
        paused_days=count.paused_days,
        counts_from=count.counts_from,
    )


@dataclass(frozen=True)
class DeadlineExplanation:
    """Why a case is due when it is (期限如何计算), from the very count that gives the due date.

    ``skipped`` are the days off passed over, each with its reason (a holiday's name or the
    weekend); ``makeup_counted`` the weekend days counted as make-up working days (调休上班);
    ``correction`` the applicant's time between the request for a correction and its arrival
    (not counted: the count restarts on arrival); ``third_party`` the consultation of a third
    party (its working days, up to the limit, are added).
    """

    kind: str
    received_on: dt.date
    counts_from: dt.date
    answer_days: int
    extension_days: int
    extended_on: dt.date | None
    paused_days: int
    total_days: int
    due: dt.date
    estimated: bool
    skipped: tuple[tuple[dt.date, str], ...]
    makeup_counted: tuple[tuple[dt.date, str], ...]
    correction: tuple[dt.date, dt.date | None] | None
    third_party: tuple[dt.date, dt.date | None] | None
    third_party_running: bool

    def due_before_extension(self, calendar: WorkdayCalendar) -> dt.date | None:
        """The due date the case had before its extension (原答复期限), if it was extended."""
        if not self.extension_days:
            return None
        days = self.total_days - self.extension_days
        return calendar.add_working_days(self.counts_from, days).date

    @property
    def skipped_by_reason(self) -> list[tuple[str, list[dt.date]]]:
        """The days off passed over, grouped by reason in the order first met."""
        groups: dict[str, list[dt.date]] = {}
        for day, reason in self.skipped:
            groups.setdefault(reason, []).append(day)
        return list(groups.items())


def explain_case_deadline(
    clock: CaseClock,
    *,
    rules: CaseRules,
    calendar: WorkdayCalendar,
    today: dt.date,
    extended_on: dt.date | None = None,
) -> DeadlineExplanation | None:
    """How the case's due date is counted, or None while the applicant holds the clock
    (awaiting a correction: there is no due date to explain)."""
    if clock.kind == CaseKind.REQUEST and clock.state == CaseState.CORRECTION:
        return None
    count = _answer_count(clock, rules=rules, calendar=calendar, today=today)
    result = count.result
    names = getattr(calendar, "names", {})
    correction = (
        (clock.correction_requested_on, clock.corrected_on)
        if clock.correction_requested_on is not None
        else None
    )
    third_party = (
        (clock.third_party_started_on, clock.third_party_answered_on)
        if clock.third_party_started_on is not None
        else None
    )
    return DeadlineExplanation(
        kind=clock.kind,
        received_on=clock.received_on,
        counts_from=count.counts_from,
        answer_days=count.answer_days,
        extension_days=count.extension_days,
        extended_on=extended_on if count.extension_days else None,
        paused_days=count.paused_days,
        total_days=count.answer_days + count.extension_days + count.paused_days,
        due=result.date,
        estimated=result.estimated,
        skipped=tuple(getattr(result, "skipped", ())),
        makeup_counted=tuple(
            (day, names.get(day, "")) for day in getattr(result, "makeup_counted", ())
        ),
        correction=correction,
        third_party=third_party,
        third_party_running=count.third_party_running,
    )


def _standing(
    clock: CaseClock,
    due: dt.date,
    estimated: bool,
    rules: CaseRules,
    calendar: WorkdayCalendar,
    today: dt.date,
) -> CaseDeadline:
    if clock.answered_on is not None:
        status = ClockStatus.ANSWERED if clock.answered_on <= due else ClockStatus.ANSWERED_LATE
    elif clock.state not in OPEN_STATES:
        status = ClockStatus.CLOSED
    else:
        soon = (
            rules.consultation_due_soon_days
            if clock.kind == CaseKind.CONSULTATION
            else rules.due_soon_days
        )
        status = ClockStatus(status_for_due(due, today, calendar, soon))
    return CaseDeadline(status=status, due=due, estimated=estimated, counts_from=clock.received_on)
