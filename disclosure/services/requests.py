"""Taking in requests and consultations, and handling them (受理, 补正, 延期, 答复 …).

Numbers: a case's tracking number is drawn from its counter row in the same transaction that stores
the case (:mod:`disclosure.services.numbering`, as a notice's number is), so two submissions never
get the same number and a failed one leaves no gap.

Handling: :func:`perform` is the only way a case changes state. It checks that the state
machine allows the action and that the user may take it, validates the values the action
needs, and saves the case with the handler's note as the history row's change reason.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page, Site

from ..models import Department
from ..models.requests import Case, DisclosureRequest, FileRole, RequestFile
from ..rules.notices import NOTICE_OF_ACTION, reply_kind
from ..rules.request_clock import correction_notice_due
from ..rules.requests import (
    CLOSING_OUTCOMES,
    OPEN_STATES,
    TRANSITIONS,
    CaseAction,
    CaseState,
    Outcome,
)
from ..rules.tracking_numbers import format_tracking_number, parse_tracking_number
from ..selectors import workdays
from ..selectors.requests import (
    CASE_MODELS,
    CaseAccess,
    case_deadline,
    lookup_digest,
    rules_by_site,
)
from . import notices
from .mail import send_templated_mail
from .numbering import atomic_retrying_on_sqlite_lock, next_number

# An unambiguous alphabet: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 8


@dataclass(frozen=True)
class Submitted:
    """A stored case and its lookup code, shown to the applicant once and never stored."""

    case: Case
    lookup_code: str


def new_lookup_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _index in range(_CODE_LENGTH))


def submit(
    model: type[Case],
    *,
    site: Site,
    values: dict,
    files: Iterable[UploadedFile] = (),
    user=None,
    received_on: dt.date | None = None,
    acknowledge: bool = True,
) -> Submitted:
    """Store a new case of ``model`` with the next number of its institution and year.

    ``values`` are the case's validated fields (from the intake form or the API). Nothing is
    stored when anything fails. The applicant's receipt is emailed after the commit unless
    ``acknowledge`` is false (the demo). When SQLite answers "database is locked", the whole
    transaction is retried, so the number is still drawn once.
    """
    received_on = received_on or timezone.localdate()
    code = new_lookup_code()
    files = list(files)

    def store() -> Case:
        sequence = next_number(site_id=site.pk, series=model.kind, year=received_on.year)
        number = format_tracking_number(kind=model.kind, year=received_on.year, sequence=sequence)
        case = model(
            site=site,
            number=number,
            year=received_on.year,
            sequence=sequence,
            lookup_digest=lookup_digest(site_id=site.pk, number=number, code=code),
            received_on=received_on,
            **values,
        )
        case._change_reason = pgettext("disclosure", "Submitted")
        if user is not None and user.is_authenticated:
            case._history_user = user
        case.save()
        for upload in files:
            upload.seek(0)
            RequestFile.objects.create(
                request=case,
                role=FileRole.APPLICANT,
                file=upload,
                original_name=upload.name[:200],
                size=upload.size,
            )
        return case

    case = atomic_retrying_on_sqlite_lock(store)
    if acknowledge:
        # robust: a mail server that refuses is logged; the applicant still gets the receipt
        # page, and must not submit again because of an error page.
        transaction.on_commit(lambda: send_acknowledgment(case), robust=True)
    return Submitted(case=case, lookup_code=code)


def send_acknowledgment(case: Case) -> None:
    """The applicant's receipt by email (when they gave an address): number and due date."""
    if not case.email:
        return
    send_templated_mail(
        "case_received", {"case": case, "deadline": case_deadline(case)}, [case.email]
    )


# Handling ---------------------------------------------------------------------------------


def _date(values: dict, name: str, *, required: bool = True) -> dt.date | None:
    value = values.get(name)
    if value is None and required:
        raise ValidationError({name: _("Enter a date.")})
    return value


def _not_future(name: str, value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ValidationError({name: _("This date cannot be in the future.")})


def perform(
    case: Case,
    *,
    action: str,
    user,
    note: str,
    values: dict | None = None,
    reply_file: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Case:
    """Take ``action`` on ``case`` as ``user``, with a note kept in the case's history.

    Raises :class:`PermissionDenied` when the user may not take the action now (including a
    state that does not allow it), and :class:`ValidationError` with field errors when a value
    is missing or breaks a time limit. Nothing is saved on error.
    """
    access = CaseAccess.of(user)
    if action not in access.actions(case):
        raise PermissionDenied(_("You cannot take this action on this case now."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write a note for the record.")})
    values = values or {}
    today = today or timezone.localdate()
    rules = rules_by_site([case.site_id])[case.site_id]
    handler = _HANDLERS[action]
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        if locked.state != case.state:
            raise PermissionDenied(_("Someone else has just handled this case; reload it."))
        handler(locked, values=values, today=today, rules=rules, user=user)
        target = _target_state(locked, action)
        if target is not None:
            if target not in OPEN_STATES and locked.closed_on is None:
                locked.closed_on = today
            locked.state = target
        locked._change_reason = note
        locked._history_user = user
        locked.save()
        notice_kind = _notice_of(locked, action)
        if notice_kind is not None:
            notices.issue(locked, kind=notice_kind, user=user, today=today)
        if reply_file is not None:
            RequestFile.objects.create(
                request=locked,
                role=FileRole.REPLY,
                file=reply_file,
                original_name=reply_file.name[:200],
                size=reply_file.size,
            )
    return locked


def _notice_of(case: Case, action: str) -> str | None:
    """The notice the regulation requires when ``action`` is taken on a request."""
    if not isinstance(case, DisclosureRequest):
        return None
    if action == CaseAction.ANSWER:
        return reply_kind(case.outcome)
    return NOTICE_OF_ACTION.get(action)


def _target_state(case: Case, action: str) -> str | None:
    return TRANSITIONS[case.kind][action][1]


def _accept(case, **kwargs) -> None:
    pass


def _request_correction(case: DisclosureRequest, *, values, today, rules, **kwargs) -> None:
    if case.correction_requested_on is not None:
        raise ValidationError(_("A correction may be asked for only once."))
    last_day = correction_notice_due(case.received_on, rules=rules, calendar=workdays.calendar())
    if today > last_day:
        raise ValidationError(
            _(
                "A correction must be asked for within %(days)s working days of receipt "
                "(by %(date)s)."
            )
            % {"days": rules.correction_notice_days, "date": last_day.isoformat()}
        )
    what = (values.get("correction_note") or "").strip()
    if not what:
        raise ValidationError({"correction_note": _("Say what the applicant must correct.")})
    due = _date(values, "correction_due")
    if due <= today:
        raise ValidationError({"correction_due": _("Give the applicant a date after today.")})
    case.correction_requested_on = today
    case.correction_note = what
    case.correction_due = due


def _record_correction(case: DisclosureRequest, *, values, today, **kwargs) -> None:
    corrected = _date(values, "corrected_on")
    _not_future("corrected_on", corrected, today)
    if corrected < case.correction_requested_on:
        raise ValidationError(
            {"corrected_on": _("The correction cannot arrive before it was asked for.")}
        )
    case.corrected_on = corrected


def _abandon(case: DisclosureRequest, *, today, **kwargs) -> None:
    if case.correction_due is None or today <= case.correction_due:
        raise ValidationError(
            _("The applicant still has time to correct the request (until %(date)s).")
            % {"date": case.correction_due.isoformat() if case.correction_due else "—"}
        )
    case.outcome = CLOSING_OUTCOMES[CaseState.ABANDONED]


def _withdraw(case: Case, **kwargs) -> None:
    if isinstance(case, DisclosureRequest):
        case.outcome = CLOSING_OUTCOMES[CaseState.WITHDRAWN]


def _extend(case: DisclosureRequest, *, values, today, rules, **kwargs) -> None:
    if case.extension_days:
        raise ValidationError(_("A request may be extended only once."))
    days = values.get("extension_days")
    if not days or not 1 <= days <= rules.extension_max_days:
        raise ValidationError(
            {
                "extension_days": _("An extension is 1 to %(max)s working days.")
                % {"max": rules.extension_max_days}
            }
        )
    deadline = case_deadline(case, rules=rules, today=today)
    if deadline.due is not None and today > deadline.due:
        raise ValidationError(_("The deadline has passed: an extension must come before it."))
    case.extension_days = days
    case.extended_on = today


def _consult_third_party(case: DisclosureRequest, *, today, **kwargs) -> None:
    if case.third_party_started_on is not None:
        raise ValidationError(_("The third party has already been consulted on this request."))
    case.third_party_started_on = today


def _record_third_party(case: DisclosureRequest, *, values, today, **kwargs) -> None:
    answered = _date(values, "third_party_answered_on")
    _not_future("third_party_answered_on", answered, today)
    if answered < case.third_party_started_on:
        raise ValidationError(
            {"third_party_answered_on": _("The answer cannot come before the consultation.")}
        )
    case.third_party_answered_on = answered


def _assign(case: Case, *, values, **kwargs) -> None:
    department = values.get("department")
    if not isinstance(department, Department) or department.site_id != case.site_id:
        raise ValidationError({"department": _("Choose a department of this institution.")})
    case.department = department


def _answer(case: Case, *, values, today, **kwargs) -> None:
    reply = (values.get("reply") or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply.")})
    if isinstance(case, DisclosureRequest):
        outcome = values.get("outcome")
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        case.outcome = outcome
        publication = values.get("publication")
        if publication is not None:
            if not isinstance(publication, Page) or not publication.live:
                raise ValidationError({"publication": _("Choose a live publication.")})
            site = publication.get_site()
            if site is None or site.pk != case.site_id:
                raise ValidationError(
                    {"publication": _("Choose a publication of this institution.")}
                )
            case.publication = publication
    case.reply = reply
    case.answered_on = today
    if values.get("release"):
        case.reply_released_on = today


def _release(case: Case, *, today, **kwargs) -> None:
    if case.reply_released_on is not None:
        raise ValidationError(_("The reply has already been released."))
    case.reply_released_on = today


def _close(case: Case, **kwargs) -> None:
    pass


_HANDLERS = {
    CaseAction.ACCEPT: _accept,
    CaseAction.REQUEST_CORRECTION: _request_correction,
    CaseAction.RECORD_CORRECTION: _record_correction,
    CaseAction.EXTEND: _extend,
    CaseAction.CONSULT_THIRD_PARTY: _consult_third_party,
    CaseAction.RECORD_THIRD_PARTY: _record_third_party,
    CaseAction.ASSIGN: _assign,
    CaseAction.ANSWER: _answer,
    CaseAction.RELEASE: _release,
    CaseAction.ARCHIVE: _close,
    CaseAction.WITHDRAW: _withdraw,
    CaseAction.ABANDON: _abandon,
}


# A lost lookup code -------------------------------------------------------------------------


def recover_lookup_code(*, site: Site, number: str, contact: str) -> bool:
    """Send a new lookup code for case ``number`` to the e-mail address given on it, when
    ``contact`` is that address.

    The code itself is never stored, so it cannot be sent again: a new one replaces it, and the
    old one stops working. A phone number, even the right one, sends nothing (there is no SMS);
    the applicant calls the office. Returns whether a code was sent; the public page must not
    tell the applicant (it says the same thing either way).
    """
    number = number.strip().upper()
    contact = contact.strip()
    tracking = parse_tracking_number(number)
    if "@" not in contact or tracking is None:
        return False
    model = CASE_MODELS[tracking.kind]
    with transaction.atomic():
        case = model.objects.select_for_update().filter(site=site, number=number).first()
        if case is None or not case.email or case.email.strip().lower() != contact.lower():
            return False
        code = new_lookup_code()
        case.lookup_digest = lookup_digest(site_id=site.pk, number=number, code=code)
        case._change_reason = pgettext("disclosure", "A new lookup code was sent by e-mail")
        case.save(update_fields=["lookup_digest"])
    address = case.email
    transaction.on_commit(lambda: _send_lookup_code(case, address, code), robust=True)
    return True


def _send_lookup_code(case: Case, address: str, code: str) -> None:
    send_templated_mail("lookup_code", {"case": case, "lookup_code": code}, [address])
