"""Who sees which requests and consultations, what they may do, and where each case stands.

* The institution's disclosure office handles every case and sees personal data in full.
* Its supervisors (纪检监察) read every case, with personal data masked.
* The members of the department a case is assigned to (转办) read it, masked; for a
  consultation, the department's heads may also answer and release the reply.
* Anyone else, and every anonymous caller, sees no case at all: the public only tracks its
  own case, with its number and lookup code, and sees no personal data there either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import InstitutionSettings
from ..models.requests import Case, Consultation, DisclosureRequest
from ..rules.privacy import mask
from ..rules.request_clock import (
    CaseClock,
    CaseDeadline,
    CaseRules,
    ClockStatus,
    DeadlineExplanation,
    compute_case_deadline,
    explain_case_deadline,
)
from ..rules.requests import (
    NATIONAL_APPLICANT_LABELS,
    NATIONAL_ORGANISATIONS_LABEL,
    OPEN_STATES,
    ApplicantType,
    CaseAction,
    CaseKind,
    Outcome,
    actions_from,
    national_outcome_label,
    spent_actions,
)
from ..rules.tracking_numbers import parse_tracking_number
from . import workdays
from .scope import memberships_of

CASE_MODELS: dict[str, type[Case]] = {
    CaseKind.REQUEST: DisclosureRequest,
    CaseKind.CONSULTATION: Consultation,
}
_LOOKUP_SALT = "disclosure.requests.lookup"


@dataclass(frozen=True)
class CaseAccess:
    """A user's standing towards cases, read once (:func:`~.scope.memberships_of`)."""

    superuser: bool = False
    office_sites: frozenset[int] = frozenset()
    supervisor_sites: frozenset[int] = frozenset()
    departments: frozenset[int] = frozenset()
    head_departments: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user) -> CaseAccess:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(superuser=True)
        memberships = memberships_of(user)
        return cls(
            office_sites=memberships.office_sites,
            supervisor_sites=memberships.supervisor_sites,
            departments=memberships.departments,
            head_departments=memberships.head_departments,
        )

    @property
    def reads_any(self) -> bool:
        return bool(
            self.superuser or self.office_sites or self.supervisor_sites or self.departments
        )

    def is_office(self, site_id: int) -> bool:
        return self.superuser or site_id in self.office_sites

    def may_view(self, case: Case) -> bool:
        return (
            self.is_office(case.site_id)
            or case.site_id in self.supervisor_sites
            or (case.department_id is not None and case.department_id in self.departments)
        )

    def sees_personal_data(self, case: Case) -> bool:
        return self.is_office(case.site_id)

    def actions(self, case: Case) -> list[str]:
        """What this user may do to ``case`` now: what its state allows and their role permits."""
        possible = actions_from(case.kind, case.state)
        if self.is_office(case.site_id):
            return possible
        if case.kind == CaseKind.CONSULTATION and case.department_id in self.head_departments:
            return [a for a in possible if a in (CaseAction.ANSWER, CaseAction.RELEASE)]
        return []


def cases_visible_to(model: type[Case], user, *, access: CaseAccess | None = None) -> QuerySet:
    """The cases of ``model`` that ``user`` may read."""
    access = access or CaseAccess.of(user)
    cases = model.objects.select_related("site", "department")
    if access.superuser:
        return cases
    scope = Q(site_id__in=access.office_sites | access.supervisor_sites) | Q(
        department_id__in=access.departments
    )
    return cases.filter(scope) if access.reads_any else cases.none()


def lookup_digest(*, site_id: int, number: str, code: str) -> str:
    """The keyed digest stored for a case's lookup code (the code itself is never stored)."""
    return salted_hmac(_LOOKUP_SALT, f"{site_id}:{number}:{code.strip().upper()}").hexdigest()


def tracked_case(*, site_id: int, number: str, code: str) -> Case | None:
    """The case with this number and lookup code, or None, alike for a wrong code and a wrong
    number (the digest is computed either way). The number's prefix names the kind of case."""
    number = number.strip().upper()
    expected = lookup_digest(site_id=site_id, number=number, code=code)
    tracking = parse_tracking_number(number)
    case = (
        CASE_MODELS[tracking.kind].objects.filter(site_id=site_id, number=number).first()
        if tracking is not None
        else None
    )
    stored = case.lookup_digest if case is not None else "0" * len(expected)
    if constant_time_compare(stored, expected) and case is not None:
        return case
    return None


def rules_by_site(site_ids: Iterable[int]) -> dict[int, CaseRules]:
    """Each institution's time limits (the defaults where it has no settings row yet)."""
    rules = {
        settings.site_id: settings.case_rules()
        for settings in InstitutionSettings.objects.filter(site_id__in=set(site_ids))
    }
    return {site_id: rules.get(site_id, CaseRules()) for site_id in site_ids}


def _clock(case: Case) -> CaseClock:
    return CaseClock(
        kind=case.kind,
        state=case.state,
        received_on=case.received_on,
        correction_requested_on=getattr(case, "correction_requested_on", None),
        corrected_on=getattr(case, "corrected_on", None),
        extension_days=getattr(case, "extension_days", 0),
        third_party_started_on=getattr(case, "third_party_started_on", None),
        third_party_answered_on=getattr(case, "third_party_answered_on", None),
        answered_on=case.answered_on,
    )


def case_deadline(
    case: Case, *, rules: CaseRules | None = None, today: dt.date | None = None
) -> CaseDeadline:
    """Where ``case`` stands today on the working-day calendar, by its institution's rules."""
    rules = rules or rules_by_site([case.site_id])[case.site_id]
    return compute_case_deadline(
        _clock(case),
        rules=rules,
        calendar=workdays.calendar(),
        today=today or timezone.localdate(),
    )


def explain_deadline(
    case: Case, *, rules: CaseRules | None = None, today: dt.date | None = None
) -> DeadlineExplanation | None:
    """How ``case``'s due date is counted (the same count as :func:`case_deadline`)."""
    rules = rules or rules_by_site([case.site_id])[case.site_id]
    return explain_case_deadline(
        _clock(case),
        rules=rules,
        calendar=workdays.calendar(),
        today=today or timezone.localdate(),
        extended_on=getattr(case, "extended_on", None),
    )


def offered_actions(case: Case, access: CaseAccess) -> list[str]:
    """The actions the case page offers ``access``'s user: those allowed now, less the
    once-only ones already taken."""
    spent = spent_actions(
        correction_requested_on=getattr(case, "correction_requested_on", None),
        extension_days=getattr(case, "extension_days", 0),
        third_party_started_on=getattr(case, "third_party_started_on", None),
        reply_released_on=case.reply_released_on,
    )
    return [action for action in access.actions(case) if action not in spent]


@dataclass
class CaseRow:
    """A case in a list or an export: its deadline and its personal data, masked unless the
    reader is the institution's office."""

    case: Case
    deadline: CaseDeadline
    unmasked: bool

    def personal(self, name: str) -> str:
        value = getattr(self.case, name, "") or ""
        return value if self.unmasked else mask(name, value)

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def institution(self) -> str:
        return self.case.site.site_name or self.case.site.hostname

    @property
    def applicant(self) -> str:
        return self.personal("name")

    @property
    def phone(self) -> str:
        return self.personal("phone")

    @property
    def email(self) -> str:
        return self.personal("email")

    @property
    def id_number(self) -> str:
        return self.personal("id_number") if hasattr(self.case, "id_number") else ""

    @property
    def subject(self) -> str:
        text = getattr(self.case, "description", None) or getattr(self.case, "question", "")
        return text if len(text) <= 60 else text[:60] + "…"

    @property
    def state_label(self) -> str:
        return self.case.get_state_display()

    @property
    def department(self) -> str:
        return self.case.department.name if self.case.department else ""

    @property
    def outcome_label(self) -> str:
        outcome = getattr(self.case, "outcome", "")
        return str(Outcome(outcome).label) if outcome else ""

    @property
    def national_outcome(self) -> str:
        """The outcome as table 三 words it (for exports)."""
        return national_outcome_label(getattr(self.case, "outcome", ""))

    @property
    def applicant_column(self) -> str:
        """The applicant's column of table 三 (“法人或其他组织 · 商业企业”)."""
        kind = getattr(self.case, "applicant_type", "")
        if not kind:
            return ""
        label = str(NATIONAL_APPLICANT_LABELS[ApplicantType(kind)])
        if kind == ApplicantType.NATURAL_PERSON:
            return label
        return f"{NATIONAL_ORGANISATIONS_LABEL} · {label}"

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due

    @property
    def status_label(self) -> str:
        return self.deadline.status_label


def case_rows(
    cases: QuerySet, *, access: CaseAccess, today: dt.date | None = None
) -> list[CaseRow]:
    """Rows for ``cases`` with their deadlines: a fixed number of queries for any count."""
    cases = list(cases.select_related("site", "department"))
    rules = rules_by_site({case.site_id for case in cases})
    calendar = workdays.calendar()
    today = today or timezone.localdate()
    return [
        CaseRow(
            case=case,
            deadline=compute_case_deadline(
                _clock(case), rules=rules[case.site_id], calendar=calendar, today=today
            ),
            unmasked=access.sees_personal_data(case),
        )
        for case in cases
    ]


URGENT = (ClockStatus.OVERDUE, ClockStatus.DUE_SOON)


def _urgent(cases_by_model: Iterable[QuerySet], today: dt.date | None) -> list[CaseRow]:
    rows = []
    for cases in cases_by_model:
        rows += case_rows(cases.filter(state__in=OPEN_STATES), access=CaseAccess(), today=today)
    rows = [row for row in rows if row.deadline.status in URGENT]
    return sorted(
        rows, key=lambda row: (row.deadline.status != ClockStatus.OVERDUE, row.deadline.due)
    )


def urgent_cases(*, site_ids: Iterable[int] | None = None, today: dt.date | None = None):
    """Open cases that are overdue or due soon, most urgent first, for reports and reminders.

    ``site_ids`` None means every institution. Personal data is never needed here, so rows
    are masked.
    """
    querysets = []
    for model in CASE_MODELS.values():
        cases = model.objects.all()
        if site_ids is not None:
            cases = cases.filter(site_id__in=list(site_ids))
        querysets.append(cases)
    return _urgent(querysets, today)


def visible_urgent_cases(user) -> list[CaseRow]:
    """The overdue and due-soon cases ``user`` may read, most urgent first (masked); the
    reader's scope is applied in SQL, before any deadline is computed."""
    access = CaseAccess.of(user)
    if not access.reads_any:
        return []
    return _urgent(
        [cases_visible_to(model, user, access=access) for model in CASE_MODELS.values()], None
    )
