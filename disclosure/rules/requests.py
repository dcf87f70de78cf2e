"""Requests (依申请公开) and consultations (咨询): their states, outcomes and statutory clocks.

The clock follows the 《政府信息公开条例》 (2019) pattern that an institution may adopt
(第三十条, 第三十二条, 第三十三条):

* a consultation is answered within a few working days of receipt (3 is a common rule);
* a request is answered within 20 working days of receipt;
* a correction (补正) is asked for once, within 7 working days of receipt; the applicant's time
  does not count, and the answer deadline restarts from the day the correction arrives;
* one extension of at most 20 working days, approved by the disclosure office;
* the time spent consulting a third party is not counted, up to the 15 working days it has to
  answer.

Outcomes are the rows of table 三 of the annual report (国办公开办函〔2021〕30号), so that the
report can count them without translation. Like the rest of this layer, nothing here touches
the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deadlines import CalendarResult, WorkingDayCalendar, status_for_due


class CaseKind(models.TextChoices):
    REQUEST = "request", _("Disclosure request")
    CONSULTATION = "consultation", _("Consultation")


TRACKING_PREFIXES = {CaseKind.REQUEST: "YSQ", CaseKind.CONSULTATION: "ZX"}
TRACKING_NUMBER = re.compile(r"(YSQ|ZX)-\d{4}-\d{6}")


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    CORRECTION = "correction", _("Awaiting correction")
    THIRD_PARTY = "third_party", _("Consulting a third party")
    ANSWERED = "answered", _("Answered")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABANDONED = "abandoned", _("Deemed abandoned")


# In the order a case passes through them (a tuple: its order is the same in every process).
OPEN_STATES = (
    CaseState.REGISTERED,
    CaseState.ACCEPTED,
    CaseState.CORRECTION,
    CaseState.THIRD_PARTY,
)


class CaseAction(models.TextChoices):
    """What staff do to a case; each moves it between states (see :data:`TRANSITIONS`)."""

    ACCEPT = "accept", _("Accept")
    REQUEST_CORRECTION = "request_correction", _("Ask for a correction")
    RECORD_CORRECTION = "record_correction", _("Record the correction")
    EXTEND = "extend", _("Approve an extension")
    CONSULT_THIRD_PARTY = "consult_third_party", _("Consult a third party")
    RECORD_THIRD_PARTY = "record_third_party", _("Record the third party's answer")
    ASSIGN = "assign", _("Assign to a department")
    ANSWER = "answer", _("Answer")
    RELEASE = "release", _("Release the reply to the applicant")
    ARCHIVE = "archive", _("Archive")
    WITHDRAW = "withdraw", _("Record a withdrawal")
    ABANDON = "abandon", _("Deem abandoned")


_REQUEST_OPEN = (CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.CORRECTION)
_PROCESSING = (CaseState.ACCEPTED, CaseState.THIRD_PARTY)

# action -> (states it starts from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, dict[str, tuple[tuple[str, ...], str | None]]] = {
    CaseKind.REQUEST: {
        CaseAction.ACCEPT: ((CaseState.REGISTERED,), CaseState.ACCEPTED),
        CaseAction.REQUEST_CORRECTION: (
            (CaseState.REGISTERED, CaseState.ACCEPTED),
            CaseState.CORRECTION,
        ),
        CaseAction.RECORD_CORRECTION: ((CaseState.CORRECTION,), CaseState.ACCEPTED),
        CaseAction.EXTEND: (_PROCESSING, None),
        CaseAction.CONSULT_THIRD_PARTY: ((CaseState.ACCEPTED,), CaseState.THIRD_PARTY),
        CaseAction.RECORD_THIRD_PARTY: ((CaseState.THIRD_PARTY,), CaseState.ACCEPTED),
        CaseAction.ASSIGN: (OPEN_STATES, None),
        CaseAction.ANSWER: ((CaseState.ACCEPTED,), CaseState.ANSWERED),
        CaseAction.RELEASE: ((CaseState.ANSWERED, CaseState.ARCHIVED), None),
        CaseAction.ARCHIVE: (
            (CaseState.ANSWERED, CaseState.WITHDRAWN, CaseState.ABANDONED),
            CaseState.ARCHIVED,
        ),
        CaseAction.WITHDRAW: (OPEN_STATES, CaseState.WITHDRAWN),
        CaseAction.ABANDON: ((CaseState.CORRECTION,), CaseState.ABANDONED),
    },
    CaseKind.CONSULTATION: {
        CaseAction.ASSIGN: ((CaseState.REGISTERED,), None),
        CaseAction.ANSWER: ((CaseState.REGISTERED,), CaseState.ANSWERED),
        CaseAction.RELEASE: ((CaseState.ANSWERED, CaseState.ARCHIVED), None),
        CaseAction.ARCHIVE: ((CaseState.ANSWERED, CaseState.WITHDRAWN), CaseState.ARCHIVED),
        CaseAction.WITHDRAW: ((CaseState.REGISTERED,), CaseState.WITHDRAWN),
    },
}


def actions_from(kind: str, state: str) -> list[str]:
    """The actions the state machine allows on a case of ``kind`` in ``state``, in order."""
    return [action for action, (sources, _to) in TRANSITIONS[kind].items() if state in sources]


class ApplicantType(models.TextChoices):
    """The columns of table 三: 自然人, and 法人或其他组织 split five ways."""

    NATURAL_PERSON = "natural_person", _("Natural person")
    COMMERCIAL = "commercial", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    PUBLIC_INTEREST = "public_interest", _("Public-interest organisation")
    LEGAL_SERVICE = "legal_service", _("Legal service organisation")
    OTHER_ORGANISATION = "other_organisation", _("Other organisation")


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    OTHER = "other", _("Other")


class ProvisionForm(models.TextChoices):
    """提供方式: the form in which the information is provided."""

    PAPER = "paper", _("Paper")
    EMAIL = "email", _("Email")
    DISC = "disc", _("Optical disc")
    DISK = "disk", _("Magnetic disk")


class DeliveryWay(models.TextChoices):
    """获取方式: how the applicant receives it."""

    POST = "post", _("By post")
    EMAIL = "email", _("By email")
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    FAX = "fax", _("By fax")


class OutcomeGroup(models.TextChoices):
    """The six result groups of table 三 (三、本年度办理结果)."""

    DISCLOSED = "disclosed", _("Disclosed")
    PARTIAL = "partial", _("Partly disclosed")
    WITHHELD = "withheld", _("Not disclosed")
    UNAVAILABLE = "unavailable", _("Cannot be provided")
    NOT_PROCESSED = "not_processed", _("Not processed")
    OTHER = "other", _("Other handling")


class Outcome(models.TextChoices):
    """Every result row of table 三, in its order; the code's prefix names its group."""

    DISCLOSED = "disclosed", _("Disclosed")
    PARTIAL = "partial", _("Partly disclosed")
    WITHHELD_STATE_SECRET = "withheld.state_secret", _("Not disclosed: state secret")
    WITHHELD_PROHIBITED = (
        "withheld.prohibited",
        _("Not disclosed: prohibited by other laws and administrative regulations"),
    )
    WITHHELD_SECURITY = (
        "withheld.security",
        _("Not disclosed: would endanger the “three securities and one stability”"),
    )
    WITHHELD_THIRD_PARTY = (
        "withheld.third_party",
        _("Not disclosed: protects the lawful rights of a third party"),
    )
    WITHHELD_INTERNAL = "withheld.internal", _("Not disclosed: one of the three internal affairs")
    WITHHELD_PROCESS = "withheld.process", _("Not disclosed: one of the four process information")
    WITHHELD_ENFORCEMENT = "withheld.enforcement", _("Not disclosed: administrative case file")
    WITHHELD_QUERY = "withheld.query", _("Not disclosed: an administrative query matter")
    UNAVAILABLE_NOT_HELD = (
        "unavailable.not_held",
        _("Cannot be provided: this institution does not hold the information"),
    )
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable.needs_creation",
        _("Cannot be provided: no existing information, it would have to be created"),
    )
    UNAVAILABLE_UNCLEAR = (
        "unavailable.unclear",
        _("Cannot be provided: still unclear after correction"),
    )
    NOT_PROCESSED_COMPLAINT = (
        "not_processed.complaint",
        _("Not processed: a petition, report or complaint"),
    )
    NOT_PROCESSED_REPEATED = "not_processed.repeated", _("Not processed: a repeated request")
    NOT_PROCESSED_PUBLISHED = (
        "not_processed.published",
        _("Not processed: asks for a public publication"),
    )
    NOT_PROCESSED_EXCESSIVE = (
        "not_processed.excessive",
        _("Not processed: many repeated requests without good reason"),
    )
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed.confirmation",
        _("Not processed: asks to confirm or reissue information already obtained"),
    )
    OTHER_NO_CORRECTION = (
        "other.no_correction",
        _("Other: the applicant did not correct in time without good reason"),
    )
    OTHER_UNPAID_FEE = (
        "other.unpaid_fee",
        _("Other: the applicant did not pay the fee in time"),
    )
    OTHER = "other.other", _("Other handling: other")


def outcome_group(outcome: str) -> OutcomeGroup:
    """The table 三 group an outcome is counted in."""
    return OutcomeGroup(Outcome(outcome).value.split(".", 1)[0])


# The exact labels of table 三 in the national format (国办公开办函〔2021〕30号), for the report
# and every export; the lists on screen may use the shorter labels above. In English for
# translators; the Chinese catalog holds the national wording, checked by a test.
NATIONAL_GROUP_LABELS = {
    OutcomeGroup.DISCLOSED: _("(1) Disclosed"),
    OutcomeGroup.PARTIAL: _(
        "(2) Partly disclosed (where handled separately, count only this case, not the others)"
    ),
    OutcomeGroup.WITHHELD: _("(3) Not disclosed"),
    OutcomeGroup.UNAVAILABLE: _("(4) Cannot be provided"),
    OutcomeGroup.NOT_PROCESSED: _("(5) Not processed"),
    OutcomeGroup.OTHER: _("(6) Other handling"),
}
NATIONAL_OUTCOME_LABELS = {
    Outcome.DISCLOSED: NATIONAL_GROUP_LABELS[OutcomeGroup.DISCLOSED],
    Outcome.PARTIAL: NATIONAL_GROUP_LABELS[OutcomeGroup.PARTIAL],
    Outcome.WITHHELD_STATE_SECRET: _("1. A state secret"),
    Outcome.WITHHELD_PROHIBITED: _(
        "2. Disclosure prohibited by other laws and administrative regulations"
    ),
    Outcome.WITHHELD_SECURITY: _("3. Endangers the “three securities and one stability”"),
    Outcome.WITHHELD_THIRD_PARTY: _("4. Protects the lawful rights and interests of a third party"),
    Outcome.WITHHELD_INTERNAL: _("5. Information on the three kinds of internal affairs"),
    Outcome.WITHHELD_PROCESS: _("6. Information on the four kinds of process"),
    Outcome.WITHHELD_ENFORCEMENT: _("7. An administrative law-enforcement case file"),
    Outcome.WITHHELD_QUERY: _("8. An administrative query matter"),
    Outcome.UNAVAILABLE_NOT_HELD: _(
        "1. This authority does not hold the government information concerned"
    ),
    Outcome.UNAVAILABLE_NEEDS_CREATION: _(
        "2. No existing information; it would have to be created anew"
    ),
    Outcome.UNAVAILABLE_UNCLEAR: _("3. The request is still unclear after correction"),
    Outcome.NOT_PROCESSED_COMPLAINT: _("1. A petition, report or complaint"),
    Outcome.NOT_PROCESSED_REPEATED: _("2. A repeated request"),
    Outcome.NOT_PROCESSED_PUBLISHED: _("3. A request for public publications"),
    Outcome.NOT_PROCESSED_EXCESSIVE: _("4. Many repeated requests without good reason"),
    Outcome.NOT_PROCESSED_CONFIRMATION: _(
        "5. A request that the authority confirm or reissue information already obtained"
    ),
    Outcome.OTHER_NO_CORRECTION: _(
        "1. The applicant did not correct the request in time without good reason, and did not "
        "pursue the request"
    ),
    Outcome.OTHER_UNPAID_FEE: _(
        "2. The applicant did not pay the fee as the fee notice required in time, and did not "
        "pursue the request"
    ),
    Outcome.OTHER: _("3. Other"),
}
# Table 三's applicant columns: 自然人, then 法人或其他组织 split five ways (its last is "其他").
NATIONAL_APPLICANT_LABELS = {
    ApplicantType.NATURAL_PERSON: _("Natural person"),
    ApplicantType.COMMERCIAL: _("Commercial enterprise"),
    ApplicantType.RESEARCH: _("Research institution"),
    ApplicantType.PUBLIC_INTEREST: _("Social public-interest organisation"),
    ApplicantType.LEGAL_SERVICE: _("Legal service institution"),
    ApplicantType.OTHER_ORGANISATION: _("Others (legal persons or other organisations)"),
}
NATIONAL_ORGANISATIONS_LABEL = _("Legal persons or other organisations")


def national_outcome_label(outcome: str) -> str:
    """An outcome as table 三 names it, with its group for a numbered sub-row
    (“（三）不予公开 · 1.属于国家秘密”), as the register's exports show it."""
    if not outcome:
        return ""
    row = Outcome(outcome)
    group = outcome_group(row)
    label = str(NATIONAL_OUTCOME_LABELS[row])
    group_label = str(NATIONAL_GROUP_LABELS[group])
    return label if label == group_label else f"{group_label} · {label}"


# A request that leaves without an answer still ends in one row of table 三: withdrawn by the
# applicant is (六)其他处理 3.其他; deemed abandoned (no correction in time) is its row 1.
CLOSING_OUTCOMES = {
    CaseState.WITHDRAWN: Outcome.OTHER,
    CaseState.ABANDONED: Outcome.OTHER_NO_CORRECTION,
}


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
    received_on: dt.date, *, rules: CaseRules, calendar: WorkingDayCalendar
) -> dt.date:
    """The last day on which a correction may be asked for (第三十条: 7 working days)."""
    return calendar.add_working_days(received_on, rules.correction_notice_days).date


@dataclass(frozen=True)
class _AnswerCount:
    """How a request's answer deadline is counted: from which day, how many working days of
    each kind, and the calendar's result (with the days it skipped)."""

    counts_from: dt.date
    answer_days: int
    extension_days: int
    paused_days: int
    third_party_running: bool
    result: CalendarResult


def _answer_count(
    clock: CaseClock, *, rules: CaseRules, calendar: WorkingDayCalendar, today: dt.date
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
    clock: CaseClock, *, rules: CaseRules, calendar: WorkingDayCalendar, today: dt.date
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
    calendar: WorkingDayCalendar,
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


def spent_actions(
    *,
    correction_requested_on: dt.date | None = None,
    extension_days: int = 0,
    third_party_started_on: dt.date | None = None,
    reply_released_on: dt.date | None = None,
) -> set[str]:
    """The once-only actions already taken on a case (第三十条: one correction; 第三十三条: one
    extension; one consultation of the third party; one release of the reply): the case page
    does not offer them again."""
    spent = set()
    if correction_requested_on is not None:
        spent.add(CaseAction.REQUEST_CORRECTION)
    if extension_days:
        spent.add(CaseAction.EXTEND)
    if third_party_started_on is not None:
        spent.add(CaseAction.CONSULT_THIRD_PARTY)
    if reply_released_on is not None:
        spent.add(CaseAction.RELEASE)
    return spent


def _standing(
    clock: CaseClock,
    due: dt.date,
    estimated: bool,
    rules: CaseRules,
    calendar: WorkingDayCalendar,
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
