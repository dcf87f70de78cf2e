"""Requests (依申请公开) and consultations (咨询): their states, transitions and outcomes.

A case moves between its states only by the actions of :data:`TRANSITIONS`; when it must be
answered is the request clock's (:mod:`disclosure.rules.request_clock`), and its tracking number
is formatted and read in :mod:`disclosure.rules.tracking_numbers`.

Outcomes are the rows of table 三 of the annual report (国办公开办函〔2021〕30号), so that the
report can count them without translation. Like the rest of this layer, nothing here touches
the database.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    REQUEST = "request", _("Disclosure request")
    CONSULTATION = "consultation", _("Consultation")


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
