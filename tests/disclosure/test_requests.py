"""Requests and consultations on the demo hospital: intake, handling, who may do what, who sees
what, and the applicant's personal data kept out of every view but the disclosure office's."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from wagtail.models import Page

from disclosure.models import AuditEntry, Department, PublicationPage
from disclosure.models.numbering import NumberCounter
from disclosure.models.requests import (
    Consultation,
    DisclosureRequest,
    FileRole,
)
from disclosure.rules.privacy import is_resident_id
from disclosure.rules.request_clock import ClockStatus
from disclosure.rules.requests import (
    CLOSING_OUTCOMES,
    OPEN_STATES,
    TRANSITIONS,
    ApplicantType,
    CaseAction,
    CaseKind,
    CaseState,
    DeliveryWay,
    IdDocument,
    Outcome,
    ProvisionForm,
)
from disclosure.selectors.requests import (
    CaseAccess,
    case_deadline,
    case_rows,
    cases_visible_to,
    tracked_case,
    urgent_cases,
)
from disclosure.services import requests as service
from disclosure.services.departments import ensure_department, ensure_office_group

RESIDENT_ID = "11010519491231002X"
PHONE = "13812345678"
REQUEST_VALUES = {
    "applicant_type": ApplicantType.NATURAL_PERSON,
    "name": "张三",
    "id_type": IdDocument.RESIDENT_ID,
    "id_number": RESIDENT_ID,
    "phone": PHONE,
    "email": "zhang.san@example.com",
    "address": "浙江省杭州市西湖区文三路1号",
    "description": "本院2026年医疗服务收费标准调整的依据文件",
    "purpose": "了解收费依据",
    "provision_form": ProvisionForm.EMAIL,
    "delivery": DeliveryWay.EMAIL,
}
CONSULTATION_VALUES = {"name": "李四", "phone": "13900001111", "question": "周末门诊几点开始挂号？"}
MODELS = {CaseKind.REQUEST: DisclosureRequest, CaseKind.CONSULTATION: Consultation}

# Received on a Monday; handled three days later, well inside every time limit.
RECEIVED = date(2026, 11, 2)
TODAY = date(2026, 11, 5)
NOTE = "经办人：已电话联系申请人核实。"

# What the case must already hold to be in a state.
STATE_FIELDS = {
    CaseState.CORRECTION: {
        "correction_requested_on": date(2026, 11, 3),
        "correction_note": "请写明所需信息的文件名称",
        "correction_due": date(2026, 11, 4),
    },
    CaseState.THIRD_PARTY: {"third_party_started_on": date(2026, 11, 3)},
    CaseState.ANSWERED: {"reply": "答复如下。", "answered_on": date(2026, 11, 4)},
    CaseState.ARCHIVED: {"reply": "答复如下。", "answered_on": date(2026, 11, 4)},
}
REQUEST_ONLY_FIELDS = {
    "correction_requested_on",
    "correction_note",
    "correction_due",
    "third_party_started_on",
}


def users(name: str):
    return get_user_model().objects.get(username=name)


def department(site, name: str) -> Department:
    return Department.objects.get(site=site, name=name)


def submit(kind=CaseKind.REQUEST, *, site, received_on=RECEIVED, **values):
    defaults = REQUEST_VALUES if kind == CaseKind.REQUEST else CONSULTATION_VALUES
    return service.submit(
        MODELS[kind], site=site, values={**defaults, **values}, received_on=received_on
    )


def case_in(state, kind=CaseKind.REQUEST, *, site, **fields):
    """A submitted case brought to ``state`` directly (the handling is tested action by action)."""
    case = submit(kind, site=site).case
    prepared = {**STATE_FIELDS.get(state, {}), **fields}
    if kind == CaseKind.CONSULTATION:
        prepared = {k: v for k, v in prepared.items() if k not in REQUEST_ONLY_FIELDS}
    elif state not in OPEN_STATES:  # a closed request holds its row of table 三
        prepared.setdefault("outcome", CLOSING_OUTCOMES.get(state, Outcome.DISCLOSED))
    type(case).objects.filter(pk=case.pk).update(state=state, **prepared)
    case.refresh_from_db()
    return case


def action_values(kind, action, site):
    values = {
        CaseAction.REQUEST_CORRECTION: {
            "correction_note": "请写明所需信息的文件名称",
            "correction_due": date(2026, 11, 20),
        },
        CaseAction.RECORD_CORRECTION: {"corrected_on": TODAY},
        CaseAction.EXTEND: {"extension_days": 10},
        CaseAction.RECORD_THIRD_PARTY: {"third_party_answered_on": TODAY},
        CaseAction.ASSIGN: {"department": department(site, "医务科")},
        CaseAction.ANSWER: {"reply": "所申请信息已主动公开，详见附件。"},
    }.get(action, {})
    if kind == CaseKind.REQUEST and action == CaseAction.ANSWER:
        values["outcome"] = Outcome.DISCLOSED
    return values


def allowed(kind):
    """(kind, action, state) for every state each action may start from."""
    return [
        pytest.param(kind, action, state, id=f"{kind}-{action}-from-{state}")
        for action, (sources, _target) in TRANSITIONS[kind].items()
        for state in sources
    ]


def first_allowed(kind):
    return [
        pytest.param(kind, action, sources[0], id=f"{kind}-{action}")
        for action, (sources, _target) in TRANSITIONS[kind].items()
    ]


def snapshot(case):
    """Everything about a case a refused action must leave as it was."""
    fresh = type(case).objects.get(pk=case.pk)
    fields = {f.attname: getattr(fresh, f.attname) for f in type(case)._meta.concrete_fields}
    return fields, fresh.history.count()


def audited_update(case) -> AuditEntry:
    """The one audit entry of the case's one update since it was submitted."""
    return AuditEntry.objects.get(
        object_id=str(case.pk),
        source_model=type(case).history.model._meta.label_lower,
        action="disclosure.history.update",
    )


# Intake and numbers -------------------------------------------------------------------------


def already_issued(site, kind, year) -> int:
    """How many numbers the institution has issued (the demo hospital holds cases already)."""
    counter = NumberCounter.objects.filter(site=site, series=kind, year=year).first()
    return counter.last if counter else 0


def test_requests_are_numbered_one_after_another_per_institution(demo_site, fresh_site):
    issued = already_issued(demo_site, CaseKind.REQUEST, 2026)
    first = submit(site=demo_site).case
    second = submit(site=demo_site).case
    elsewhere = submit(site=fresh_site).case
    third = submit(site=demo_site).case

    assert [first.number, second.number, third.number] == [
        f"YSQ-2026-{issued + 1:06d}",
        f"YSQ-2026-{issued + 2:06d}",
        f"YSQ-2026-{issued + 3:06d}",
    ]
    assert elsewhere.number == "YSQ-2026-000001"  # the new hospital counts on its own
    assert (elsewhere.year, elsewhere.sequence) == (2026, 1)
    counter = NumberCounter.objects.get(site=demo_site, series=CaseKind.REQUEST, year=2026)
    assert counter.last == issued + 3


def test_consultations_have_their_own_zx_numbers(fresh_site):
    request = submit(site=fresh_site).case
    consultation = submit(CaseKind.CONSULTATION, site=fresh_site).case
    another = submit(CaseKind.CONSULTATION, site=fresh_site).case

    assert request.number == "YSQ-2026-000001"
    assert [consultation.number, another.number] == ["ZX-2026-000001", "ZX-2026-000002"]


def test_a_new_year_starts_again_at_one(fresh_site):
    submit(site=fresh_site, received_on=date(2026, 12, 30))
    submit(site=fresh_site, received_on=date(2026, 12, 31))
    new_year = submit(site=fresh_site, received_on=date(2027, 1, 4)).case
    assert new_year.number == "YSQ-2027-000001"
    assert NumberCounter.objects.get(site=fresh_site, series=CaseKind.REQUEST, year=2026).last == 2


def test_a_submitted_request_is_registered_with_its_history_and_attachments(demo_site):
    pdf = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    submitted = service.submit(
        DisclosureRequest, site=demo_site, values=REQUEST_VALUES, files=[pdf], received_on=RECEIVED
    )
    case = DisclosureRequest.objects.get(pk=submitted.case.pk)

    assert case.state == CaseState.REGISTERED
    assert case.received_on == RECEIVED
    assert case.name == "张三"
    [attachment] = case.files.all()
    assert attachment.role == FileRole.APPLICANT
    assert attachment.original_name == "申请书.pdf"
    assert attachment.size == len(b"%PDF-1.4\n%test\n")
    [created] = case.history.all()
    assert created.history_type == "+"
    assert created.history_user is None  # submitted by the public


def test_the_lookup_code_is_given_once_and_never_stored(demo_site):
    submitted = submit(site=demo_site)
    code = submitted.lookup_code
    assert len(code) == 8
    assert not set(code) & set("01OIL")  # no characters that read alike
    stored = DisclosureRequest.objects.filter(pk=submitted.case.pk).values().get()
    assert code not in {str(value) for value in stored.values()}


def test_the_applicant_is_sent_the_number_and_the_due_date(
    demo_site, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(site=demo_site)
    [mail] = mailoutbox
    assert mail.to == ["zhang.san@example.com"]
    assert submitted.case.number in mail.subject
    assert submitted.case.number in mail.body
    assert "2026-11-30" in mail.body  # 20 working days after 2 November
    assert submitted.lookup_code not in mail.body
    with translation.override("zh-hans"):
        assert str(CaseKind.REQUEST.label) in mail.body  # in the institution's language


# Tracking a case with its number and code ---------------------------------------------------


def test_the_applicant_finds_the_case_with_its_number_and_code(demo_site):
    submitted = submit(site=demo_site)
    number, code = submitted.case.number, submitted.lookup_code

    found = tracked_case(site_id=demo_site.pk, number=number, code=code)
    assert found == submitted.case
    typed_loosely = tracked_case(
        site_id=demo_site.pk, number=f" {number.lower()} ", code=code.lower()
    )
    assert typed_loosely == submitted.case


def test_a_wrong_code_or_number_finds_nothing(demo_site, fresh_site):
    submitted = submit(site=demo_site)
    other = submit(site=demo_site)
    number, code = submitted.case.number, submitted.lookup_code
    wrong_code = ("2" if code[0] != "2" else "3") + code[1:]

    def find(site_id=demo_site.pk, number=number, code=code):
        return tracked_case(site_id=site_id, number=number, code=code)

    assert find(code=wrong_code) is None
    assert find(code="") is None
    assert find(number="YSQ-2026-999999") is None
    assert find(number=other.case.number) is None  # another case's number with this code
    assert find(site_id=fresh_site.pk) is None
    assert find(number=number.replace("YSQ", "ZX")) is None  # the prefix names the kind


# Handling: every action from every state it allows ------------------------------------------

EFFECTS = {
    CaseAction.REQUEST_CORRECTION: {
        "correction_requested_on": TODAY,
        "correction_due": date(2026, 11, 20),
    },
    CaseAction.RECORD_CORRECTION: {"corrected_on": TODAY},
    CaseAction.EXTEND: {"extension_days": 10, "extended_on": TODAY},
    CaseAction.CONSULT_THIRD_PARTY: {"third_party_started_on": TODAY},
    CaseAction.RECORD_THIRD_PARTY: {"third_party_answered_on": TODAY},
    CaseAction.ANSWER: {"answered_on": TODAY, "reply": "所申请信息已主动公开，详见附件。"},
    CaseAction.RELEASE: {"reply_released_on": TODAY},
}


@pytest.mark.parametrize(
    ("kind", "action", "state"), allowed(CaseKind.REQUEST) + allowed(CaseKind.CONSULTATION)
)
def test_the_office_takes_every_action_the_state_allows(demo_site, kind, action, state):
    office = users("office")
    case = case_in(state, kind, site=demo_site)

    result = service.perform(
        case,
        action=action,
        user=office,
        note=NOTE,
        values=action_values(kind, action, demo_site),
        today=TODAY,
    )

    stored = type(case).objects.get(pk=case.pk)
    target = TRANSITIONS[kind][action][1]
    assert stored.state == (target or state)
    assert result.state == stored.state
    for name, value in EFFECTS.get(action, {}).items():
        assert getattr(stored, name) == value, name
    if action == CaseAction.ASSIGN:
        assert stored.department.name == "医务科"
    if action == CaseAction.ANSWER and kind == CaseKind.REQUEST:
        assert stored.outcome == Outcome.DISCLOSED
    if action == CaseAction.ABANDON:
        assert stored.outcome == Outcome.OTHER_NO_CORRECTION
    latest = stored.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == NOTE
    assert latest.history_user == office
    assert stored.history.count() == 2  # submitted, then this action


@pytest.mark.parametrize(
    ("kind", "state"),
    [(CaseKind.REQUEST, state) for state in CaseState]
    + [(CaseKind.CONSULTATION, state) for state in CaseState],
)
def test_an_action_the_state_does_not_allow_is_refused(demo_site, kind, state):
    office = users("office")
    case = case_in(state, kind, site=demo_site)
    before = snapshot(case)
    refused = [
        action for action, (sources, _target) in TRANSITIONS[kind].items() if state not in sources
    ]
    for action in refused:
        with pytest.raises(PermissionDenied):
            service.perform(
                case,
                action=action,
                user=office,
                note=NOTE,
                values=action_values(kind, action, demo_site),
                today=TODAY,
            )
    assert snapshot(case) == before


def test_a_request_goes_from_registration_to_archive(demo_site):
    office = users("office")
    case = submit(site=demo_site).case

    def act(action, today, **values):
        nonlocal case
        case = service.perform(
            case, action=action, user=office, note=action.value, values=values, today=today
        )

    act(CaseAction.ACCEPT, date(2026, 11, 3))
    act(
        CaseAction.REQUEST_CORRECTION,
        date(2026, 11, 4),
        correction_note="请写明所需文件的名称",
        correction_due=date(2026, 11, 18),
    )
    assert case_deadline(case, today=date(2026, 11, 10)).status == ClockStatus.PAUSED
    act(CaseAction.RECORD_CORRECTION, date(2026, 11, 16), corrected_on=date(2026, 11, 16))
    act(CaseAction.CONSULT_THIRD_PARTY, date(2026, 11, 17))
    act(
        CaseAction.RECORD_THIRD_PARTY,
        date(2026, 11, 24),
        third_party_answered_on=date(2026, 11, 24),
    )
    act(CaseAction.EXTEND, date(2026, 11, 25), extension_days=5)
    deadline = case_deadline(case, today=date(2026, 11, 25))
    # 20 + 5 working days from the correction, plus the 5 the third party took.
    assert deadline.due == date(2026, 12, 28)
    assert deadline.paused_days == 5
    act(CaseAction.ANSWER, date(2026, 12, 18), reply="予以公开。", outcome=Outcome.DISCLOSED)
    act(CaseAction.RELEASE, date(2026, 12, 18))
    act(CaseAction.ARCHIVE, date(2026, 12, 21))

    assert case.state == CaseState.ARCHIVED
    assert case_deadline(case).status == ClockStatus.ANSWERED
    reasons = list(case.history.order_by("history_date", "history_id"))
    assert [row.history_change_reason for row in reasons][1:] == [
        CaseAction.ACCEPT,
        CaseAction.REQUEST_CORRECTION,
        CaseAction.RECORD_CORRECTION,
        CaseAction.CONSULT_THIRD_PARTY,
        CaseAction.RECORD_THIRD_PARTY,
        CaseAction.EXTEND,
        CaseAction.ANSWER,
        CaseAction.RELEASE,
        CaseAction.ARCHIVE,
    ]


def test_the_handler_note_reaches_the_audit_trail(demo_site):
    office = users("office")
    case = submit(site=demo_site).case
    service.perform(case, action=CaseAction.ACCEPT, user=office, note=NOTE, today=TODAY)

    entry = audited_update(case)
    assert entry.comment == NOTE
    assert entry.user_id == office.pk
    assert entry.site_id == demo_site.pk


def test_an_answer_can_come_with_a_reply_document(demo_site):
    case = case_in(CaseState.ACCEPTED, site=demo_site)
    reply = SimpleUploadedFile("答复书.pdf", b"%PDF-1.4\n%reply\n", content_type="application/pdf")
    service.perform(
        case,
        action=CaseAction.ANSWER,
        user=users("office"),
        note=NOTE,
        values={"reply": "予以公开。", "outcome": Outcome.DISCLOSED, "release": True},
        reply_file=reply,
        today=TODAY,
    )
    case.refresh_from_db()
    assert case.reply_released_on == TODAY
    assert [(f.role, f.original_name) for f in case.files.all()] == [(FileRole.REPLY, "答复书.pdf")]


# Who may act --------------------------------------------------------------------------------


@pytest.fixture
def other_office(fresh_site):
    """A member of another hospital's disclosure office."""
    user = get_user_model().objects.create_user("other-office", password="x")
    user.groups.add(ensure_office_group(site=fresh_site))
    return user


@pytest.mark.parametrize(
    ("kind", "action", "state"),
    first_allowed(CaseKind.REQUEST) + first_allowed(CaseKind.CONSULTATION),
)
def test_only_the_office_of_the_institution_may_act(demo_site, other_office, kind, action, state):
    case = case_in(state, kind, site=demo_site, department=department(demo_site, "医务科"))
    before = snapshot(case)
    outsiders = [users("supervisor"), users("medical-editor"), other_office]
    for user in outsiders:
        assert action not in CaseAccess.of(user).actions(case)
        with pytest.raises(PermissionDenied):
            service.perform(
                case,
                action=action,
                user=user,
                note=NOTE,
                values=action_values(kind, action, demo_site),
                today=TODAY,
            )
    with pytest.raises(PermissionDenied):
        service.perform(case, action=action, user=AnonymousUser(), note=NOTE, today=TODAY)
    assert snapshot(case) == before
    assert action in CaseAccess.of(users("office-deputy")).actions(case)


def test_the_head_of_the_assigned_department_answers_a_consultation(demo_site):
    medical = department(demo_site, "医务科")
    case = case_in(CaseState.REGISTERED, CaseKind.CONSULTATION, site=demo_site, department=medical)
    answer = {"reply": "工作日7:30开始挂号，周末8:00开始。"}

    for user in (users("medical-editor"), users("nursing-head")):
        with pytest.raises(PermissionDenied):
            service.perform(
                case, action=CaseAction.ANSWER, user=user, note=NOTE, values=answer, today=TODAY
            )

    head = users("medical-head")
    assert CaseAccess.of(head).actions(case) == [CaseAction.ANSWER]
    service.perform(
        case, action=CaseAction.ANSWER, user=head, note=NOTE, values=answer, today=TODAY
    )
    case.refresh_from_db()
    assert case.state == CaseState.ANSWERED
    assert case.history.first().history_user == head
    assert CaseAccess.of(head).actions(case) == [CaseAction.RELEASE]
    service.perform(case, action=CaseAction.RELEASE, user=head, note=NOTE, today=TODAY)
    with pytest.raises(PermissionDenied):  # archiving is the office's
        service.perform(case, action=CaseAction.ARCHIVE, user=head, note=NOTE, today=TODAY)


def test_a_department_head_cannot_answer_a_request(demo_site):
    medical = department(demo_site, "医务科")
    case = case_in(CaseState.ACCEPTED, site=demo_site, department=medical)
    assert CaseAccess.of(users("medical-head")).actions(case) == []
    with pytest.raises(PermissionDenied):
        service.perform(
            case,
            action=CaseAction.ANSWER,
            user=users("medical-head"),
            note=NOTE,
            values={"reply": "予以公开。", "outcome": Outcome.DISCLOSED},
            today=TODAY,
        )


def test_a_case_handled_meanwhile_by_someone_else_is_refused(demo_site):
    case = submit(site=demo_site).case
    stale = DisclosureRequest.objects.get(pk=case.pk)
    service.perform(case, action=CaseAction.ACCEPT, user=users("office"), note=NOTE, today=TODAY)
    with pytest.raises(PermissionDenied):
        service.perform(
            stale, action=CaseAction.WITHDRAW, user=users("office-deputy"), note=NOTE, today=TODAY
        )
    stale.refresh_from_db()
    assert stale.state == CaseState.ACCEPTED


# Validation: the time limits and the values each action needs --------------------------------


def refused(case, action, *, today=TODAY, note=NOTE, **values):
    """Perform an action that must fail; return the error and check nothing was stored."""
    before = snapshot(case)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        service.perform(
            case, action=action, user=users("office"), note=note, values=values, today=today
        )
    assert snapshot(case) == before
    return error.value


def test_a_note_is_required_for_every_action(demo_site):
    case = submit(site=demo_site).case
    for note in ("", "   ", None):
        error = refused(case, CaseAction.ACCEPT, note=note)
        assert set(error.message_dict) == {"note"}


def test_a_correction_is_asked_for_only_once(demo_site):
    office = users("office")
    case = submit(site=demo_site).case
    ask = {"correction_note": "请写明所需文件的名称", "correction_due": date(2026, 11, 18)}
    case = service.perform(
        case,
        action=CaseAction.REQUEST_CORRECTION,
        user=office,
        note=NOTE,
        values=ask,
        today=date(2026, 11, 3),
    )
    case = service.perform(
        case,
        action=CaseAction.RECORD_CORRECTION,
        user=office,
        note=NOTE,
        values={"corrected_on": date(2026, 11, 4)},
        today=date(2026, 11, 4),
    )
    assert case.state == CaseState.ACCEPTED
    error = refused(case, CaseAction.REQUEST_CORRECTION, today=date(2026, 11, 5), **ask)
    assert "only once" in " ".join(error.messages)


def test_a_correction_must_be_asked_for_within_seven_working_days(demo_site):
    # Received Monday 28 September 2026: with National Day the seventh working day is 13 October.
    case = submit(site=demo_site, received_on=date(2026, 9, 28)).case
    ask = {"correction_note": "请写明所需文件的名称", "correction_due": date(2026, 10, 30)}

    error = refused(case, CaseAction.REQUEST_CORRECTION, today=date(2026, 10, 14), **ask)
    assert "2026-10-13" in " ".join(error.messages)

    service.perform(
        case,
        action=CaseAction.REQUEST_CORRECTION,
        user=users("office"),
        note=NOTE,
        values=ask,
        today=date(2026, 10, 13),
    )
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION
    assert case.correction_requested_on == date(2026, 10, 13)


def test_a_correction_needs_what_to_correct_and_a_later_date(demo_site):
    case = submit(site=demo_site).case
    due = {"correction_due": date(2026, 11, 18)}
    assert set(refused(case, CaseAction.REQUEST_CORRECTION, **due).message_dict) == {
        "correction_note"
    }
    error = refused(
        case, CaseAction.REQUEST_CORRECTION, correction_note="请补充", correction_due=TODAY
    )
    assert set(error.message_dict) == {"correction_due"}


def test_a_correction_cannot_be_recorded_in_the_future_or_before_it_was_asked(demo_site):
    case = case_in(CaseState.CORRECTION, site=demo_site)
    future = refused(case, CaseAction.RECORD_CORRECTION, corrected_on=date(2026, 11, 6))
    assert set(future.message_dict) == {"corrected_on"}
    early = refused(case, CaseAction.RECORD_CORRECTION, corrected_on=date(2026, 11, 2))
    assert set(early.message_dict) == {"corrected_on"}


def test_a_request_is_deemed_abandoned_only_after_the_correction_date(demo_site):
    case = case_in(CaseState.CORRECTION, site=demo_site, correction_due=date(2026, 11, 10))
    refused(case, CaseAction.ABANDON, today=date(2026, 11, 10))


@pytest.mark.parametrize("days", [0, 21, None])
def test_an_extension_is_one_to_twenty_working_days(demo_site, days):
    case = case_in(CaseState.ACCEPTED, site=demo_site)
    error = refused(case, CaseAction.EXTEND, extension_days=days)
    assert set(error.message_dict) == {"extension_days"}


def test_a_request_is_extended_only_once(demo_site):
    case = case_in(CaseState.ACCEPTED, site=demo_site)
    case = service.perform(
        case,
        action=CaseAction.EXTEND,
        user=users("office"),
        note=NOTE,
        values={"extension_days": 5},
        today=TODAY,
    )
    error = refused(case, CaseAction.EXTEND, extension_days=5)
    assert "only once" in " ".join(error.messages)
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 5


def test_an_extension_must_come_before_the_deadline(demo_site):
    case = case_in(CaseState.ACCEPTED, site=demo_site)  # due 30 November
    refused(case, CaseAction.EXTEND, today=date(2026, 12, 1), extension_days=10)


def test_an_answer_needs_a_reply_and_an_outcome(demo_site):
    case = case_in(CaseState.ACCEPTED, site=demo_site)
    no_outcome = refused(case, CaseAction.ANSWER, reply="予以公开。")
    assert set(no_outcome.message_dict) == {"outcome"}
    unknown = refused(case, CaseAction.ANSWER, reply="予以公开。", outcome="granted")
    assert set(unknown.message_dict) == {"outcome"}
    no_reply = refused(case, CaseAction.ANSWER, reply="  ", outcome=Outcome.DISCLOSED)
    assert set(no_reply.message_dict) == {"reply"}


def test_an_answer_points_to_a_live_publication_of_the_same_institution(demo_site, fresh_site):
    case = case_in(CaseState.ACCEPTED, site=demo_site)
    other_hospital = fresh_site.root_page.add_child(
        instance=Page(title="另一家医院的公开信息", slug="other-publication")
    )
    assert other_hospital.live
    error = refused(
        case,
        CaseAction.ANSWER,
        reply="已主动公开。",
        outcome=Outcome.NOT_PROCESSED_PUBLISHED,
        publication=other_hospital,
    )
    assert set(error.message_dict) == {"publication"}

    ours = PublicationPage.objects.live().descendant_of(demo_site.root_page).first()
    service.perform(
        case,
        action=CaseAction.ANSWER,
        user=users("office"),
        note=NOTE,
        values={
            "reply": "已主动公开。",
            "outcome": Outcome.NOT_PROCESSED_PUBLISHED,
            "publication": ours,
        },
        today=TODAY,
    )
    case.refresh_from_db()
    assert case.publication_id == ours.pk
    assert case.outcome == Outcome.NOT_PROCESSED_PUBLISHED


def test_a_case_is_assigned_only_to_a_department_of_its_institution(demo_site, fresh_site):
    case = submit(site=demo_site).case
    theirs = ensure_department(site=fresh_site, name="医务科")
    error = refused(case, CaseAction.ASSIGN, department=theirs)
    assert set(error.message_dict) == {"department"}
    assert set(refused(case, CaseAction.ASSIGN).message_dict) == {"department"}


def test_a_reply_is_released_only_once(demo_site):
    case = case_in(CaseState.ANSWERED, site=demo_site, reply_released_on=date(2026, 11, 4))
    refused(case, CaseAction.RELEASE)


# Who sees which cases ------------------------------------------------------------------------


@pytest.fixture
def cases(demo_site, fresh_site):
    medical, nursing = department(demo_site, "医务科"), department(demo_site, "护理部")
    return {
        "unassigned": submit(site=demo_site).case,
        "medical": case_in(CaseState.ACCEPTED, site=demo_site, department=medical),
        "nursing": case_in(CaseState.ACCEPTED, site=demo_site, department=nursing),
        "elsewhere": submit(site=fresh_site).case,
    }


def visible(user, model=DisclosureRequest) -> set[int]:
    return set(cases_visible_to(model, user).values_list("pk", flat=True))


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_office_and_the_supervisors_see_every_case_of_their_institution(
    cases, demo_site, fresh_site, other_office
):
    hospital = pks(DisclosureRequest.objects.filter(site=demo_site))
    assert {cases[key].pk for key in ("unassigned", "medical", "nursing")} <= hospital
    assert visible(users("office")) == hospital
    assert visible(users("supervisor")) == hospital
    assert visible(other_office) == {cases["elsewhere"].pk}


def test_a_department_sees_only_the_cases_assigned_to_it(cases, demo_site):
    medical, nursing = department(demo_site, "医务科"), department(demo_site, "护理部")
    assigned = DisclosureRequest.objects.filter
    assert visible(users("medical-editor")) == pks(assigned(department=medical))
    assert visible(users("medical-head")) == pks(assigned(department=medical))
    assert visible(users("nursing-editor")) == pks(assigned(department=nursing))
    assert cases["medical"].pk in visible(users("medical-editor"))
    assert cases["unassigned"].pk not in visible(users("medical-editor"))
    assert cases["nursing"].pk not in visible(users("medical-editor"))

    service.perform(
        cases["medical"],
        action=CaseAction.ASSIGN,
        user=users("office"),
        note="转护理部办理",
        values={"department": nursing},
        today=TODAY,
    )
    assert cases["medical"].pk not in visible(users("medical-editor"))
    assert cases["medical"].pk in visible(users("nursing-editor"))


def test_the_public_sees_no_case(cases):
    assert DisclosureRequest.objects.exists()
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()
    assert visible(AnonymousUser(), Consultation) == set()
    assert not CaseAccess.of(AnonymousUser()).may_view(cases["unassigned"])


def test_visibility_and_may_view_agree(cases, other_office):
    for username in ("office", "supervisor", "medical-editor", "nursing-head", "it-editor"):
        user = users(username)
        access = CaseAccess.of(user)
        listed = visible(user)
        for case in DisclosureRequest.objects.all():
            assert access.may_view(case) == (case.pk in listed), (username, case.number)


def test_consultations_follow_the_same_visibility(demo_site):
    medical = department(demo_site, "医务科")
    assigned = case_in(
        CaseState.REGISTERED, CaseKind.CONSULTATION, site=demo_site, department=medical
    )
    unassigned = submit(CaseKind.CONSULTATION, site=demo_site).case
    by_medical = visible(users("medical-editor"), Consultation)
    assert assigned.pk in by_medical
    assert unassigned.pk not in by_medical
    assert by_medical == pks(Consultation.objects.filter(department=medical))
    assert visible(users("supervisor"), Consultation) == pks(
        Consultation.objects.filter(site=demo_site)
    )


# Personal data: in full for the office only ---------------------------------------------------


def rows_for(username):
    user = users(username)
    access = CaseAccess.of(user)
    return case_rows(cases_visible_to(DisclosureRequest, user, access=access), access=access)


def test_the_office_sees_the_applicant_in_full(cases):
    row = next(r for r in rows_for("office") if r.case == cases["medical"])
    assert is_resident_id(RESIDENT_ID)
    assert (row.applicant, row.phone, row.id_number) == ("张三", PHONE, RESIDENT_ID)
    assert row.email == "zhang.san@example.com"


@pytest.mark.parametrize("username", ["supervisor", "medical-editor", "medical-head"])
def test_everyone_else_sees_the_applicant_masked(cases, username):
    row = next(r for r in rows_for(username) if r.case == cases["medical"])
    assert row.applicant == "张*"
    assert row.phone == "138****5678"
    assert row.id_number == "110***********002X"
    assert row.email == "z***@example.com"
    assert not CaseAccess.of(users(username)).sees_personal_data(cases["medical"])


def test_case_rows_show_the_deadline(cases):
    row = next(r for r in rows_for("office") if r.case == cases["medical"])
    assert row.due == date(2026, 11, 30)
    assert row.department == "医务科"
    assert row.number == cases["medical"].number


def test_reminders_list_urgent_cases_masked(cases, demo_site):
    rows = urgent_cases(site_ids=[demo_site.pk], today=date(2026, 12, 1))
    ours = [row for row in rows if row.case.pk in {case.pk for case in cases.values()}]
    assert {row.case.pk for row in ours} == {
        cases[key].pk for key in ("unassigned", "medical", "nursing")
    }
    assert all(row.deadline.status == ClockStatus.OVERDUE for row in ours)
    assert {(row.applicant, row.phone) for row in ours} == {("张*", "138****5678")}
    assert all(row.case.site_id == demo_site.pk for row in rows)
    assert all("*" in row.applicant for row in rows)  # nobody's name in full


def test_the_audit_trail_keeps_changed_personal_data_masked(demo_site):
    case = submit(site=demo_site).case
    case.phone = "13987654321"
    case.id_number = "44030419900307123X"
    case.description = "改为申请2025年度收费标准文件"
    case._change_reason = "申请人来电更正联系电话"
    case.save()

    entry = audited_update(case)
    changes = {change["field"]: change for change in entry.data["changes"]}
    assert changes["phone"] == {"field": "phone", "old": "138****5678", "new": "139****4321"}
    assert changes["id_number"]["old"] == "110***********002X"
    assert changes["id_number"]["new"] == "440***********123X"
    assert changes["description"]["new"] == "改为申请2025年度收费标准文件"  # not personal
    everything = str(entry.data)
    assert PHONE not in everything
    assert "13987654321" not in everything
    assert RESIDENT_ID not in everything
    assert "44030419900307123X" not in everything
    assert entry.comment == "申请人来电更正联系电话"


def test_the_audit_trail_keeps_an_organisation_contact_person_masked(demo_site):
    case = submit(
        site=demo_site,
        applicant_type=ApplicantType.COMMERCIAL,
        id_type=IdDocument.CREDIT_CODE,
        id_number="91330100MA27XXXX0X",
        name="某某医药有限公司",
        contact_person="王五",
    ).case
    case.contact_person = "赵六"
    case._change_reason = "更换联系人"
    case.save()

    entry = audited_update(case)
    [change] = entry.data["changes"]
    assert change == {"field": "contact_person", "old": "王*", "new": "赵*"}
