"""Issuing the notices of a request (补正告知书, 延期答复告知书, 答复书, 第三方意见征询函) and
sending them to the applicant by the way they chose.

Numbers: a notice's number is drawn from its counter row (:mod:`disclosure.services.numbering`) in
the transaction that stores the notice, as tracking numbers are
(:mod:`disclosure.services.requests`): the row is locked by the ``UPDATE`` that increments it, so
two notices never share a number, and a notice that fails rolls its number back, so a series has no
gaps.

Delivery: a notice to an applicant who chose e-mail is mailed after the commit, its text in the
message and its printable page attached, and recorded as sent once the mail server took it. By
post, in person, online or by fax, the office prints it, hands it over, and marks it as sent.
The third-party letter goes to the third party, never to the applicant: the office marks it.

Only the institution's disclosure office issues, sends and edits templates.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..data.notice_templates import DEFAULT_TEMPLATES
from ..models.institutions import institution_name
from ..models.notices import Notice, NoticeTemplate
from ..models.requests import DisclosureRequest
from ..rules.notices import (
    NoticeKind,
    NoticeSeries,
    fill,
    notice_number,
    series_of,
    unknown_placeholders,
)
from ..rules.request_clock import third_party_reply_due
from ..rules.requests import DeliveryWay, national_outcome_label
from ..selectors import workdays
from ..selectors.requests import CaseAccess, case_deadline, explain_deadline, rules_by_site
from .numbering import atomic_retrying_on_sqlite_lock, next_number


def chinese_date(day: dt.date) -> str:
    """A date as documents write it: 2026年11月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def ensure_templates(site: Site) -> list[NoticeTemplate]:
    """The institution's templates, every missing one created from the default text."""
    existing = {t.kind: t for t in NoticeTemplate.objects.filter(site=site)}
    for kind in NoticeKind.values:
        if kind not in existing:
            title, body = DEFAULT_TEMPLATES[kind]
            template = NoticeTemplate(site=site, kind=kind, title=title, body=body)
            template._change_reason = _("Default text")
            template.save()
            existing[kind] = template
    return [existing[kind] for kind in NoticeKind.values]


def _require_office(user, site_id: int) -> None:
    if not CaseAccess.of(user).is_office(site_id):
        raise PermissionDenied(_("Only the institution's disclosure office may do this."))


def save_template(template: NoticeTemplate, *, user, title: str, body: str) -> NoticeTemplate:
    """Change an institution's template (its office only); the history keeps each version."""
    _require_office(user, template.site_id)
    unknown = unknown_placeholders(body) + unknown_placeholders(title)
    if unknown:
        raise ValidationError(
            {
                "body": _("Unknown placeholders: %(names)s. Use only those listed.")
                % {"names": "、".join("{" + name + "}" for name in unknown)}
            }
        )
    template.title = title.strip()
    template.body = body
    template._history_user = user
    template.save()
    return template


def _values(case: DisclosureRequest, *, kind: str, number: str, name: str, today: dt.date):
    """What each placeholder stands for on this case today."""
    rules = rules_by_site([case.site_id])[case.site_id]
    calendar = workdays.calendar()
    deadline = case_deadline(case, rules=rules, today=today)
    explanation = explain_deadline(case, rules=rules, today=today)
    before_extension = (
        explanation.due_before_extension(calendar) if explanation is not None else None
    )
    consulted = case.third_party_started_on or today
    return {
        "机构名称": name,
        "文书编号": number,
        "申请人": case.name,
        "查询编号": case.number,
        "收到日期": chinese_date(case.received_on),
        # The templates close the quotation themselves: “…”。
        "申请内容": case.description.strip().rstrip("。."),
        "补正内容": case.correction_note,
        "补正期限": chinese_date(case.correction_due) if case.correction_due else "",
        "延长天数": str(case.extension_days or ""),
        "原答复期限": chinese_date(before_extension) if before_extension else "",
        "答复期限": chinese_date(deadline.due) if deadline.due else "",
        "处理结果": national_outcome_label(case.outcome),
        "答复内容": case.reply,
        "获取方式": case.get_delivery_display(),
        "第三方": "＿＿＿＿＿＿",
        "征询期限": chinese_date(third_party_reply_due(consulted, rules=rules, calendar=calendar)),
        "日期": chinese_date(today),
    }


def issue(
    case: DisclosureRequest, *, kind: str, user, today: dt.date | None = None, send: bool = True
) -> Notice:
    """Issue a notice of ``kind`` on ``case`` from the institution's template, with the next
    number of its series, and (``send``) mail it to an applicant who chose e-mail.

    Raises :class:`PermissionDenied` unless ``user`` is the institution's disclosure office.
    """
    _require_office(user, case.site_id)
    kind = NoticeKind(kind)
    series = series_of(kind)
    today = today or timezone.localdate()
    ensure_templates(case.site)
    template = NoticeTemplate.objects.get(site_id=case.site_id, kind=kind)
    name = institution_name(case.site)
    notice = atomic_retrying_on_sqlite_lock(
        lambda: _store(
            case, kind=kind, series=series, name=name, template=template, user=user, today=today
        )
    )
    if send and mails_to_applicant(notice):
        transaction.on_commit(lambda: send_by_email(notice, user=user), robust=True)
    return notice


def _store(case, *, kind, series, name, template, user, today) -> Notice:
    sequence = next_number(site_id=case.site_id, series=series, year=today.year)
    number = notice_number(series=series, year=today.year, sequence=sequence)
    values = _values(case, kind=kind, number=number, name=name, today=today)
    notice = Notice(
        request=case,
        site_id=case.site_id,
        kind=kind,
        series=series,
        year=today.year,
        sequence=sequence,
        number=number,
        institution_name=name,
        title=fill(template.title, values),
        body=fill(template.body, values).strip(),
        issued_on=today,
        issued_by=user,
        # The third party's letter is posted or handed to the third party.
        delivery=DeliveryWay.POST if series == NoticeSeries.THIRD_PARTY else case.delivery,
    )
    notice._history_user = user
    notice._change_reason = _("Issued")
    notice.save()
    return notice


def mails_to_applicant(notice: Notice) -> bool:
    """Whether the notice goes to the applicant by e-mail: they chose e-mail and gave an
    address, and it is not the third party's letter."""
    return (
        notice.series != NoticeSeries.THIRD_PARTY
        and notice.delivery == DeliveryWay.EMAIL
        and bool(notice.request.email)
    )


def send_by_email(notice: Notice, *, user, today: dt.date | None = None) -> Notice:
    """Mail the notice to the applicant's address (its text inline, its printable page
    attached) and record it as sent."""
    _require_office(user, notice.site_id)
    if not mails_to_applicant(notice):
        raise ValidationError(_("The applicant did not choose e-mail, or gave no address."))
    address = notice.request.email
    with translation.override(settings.LANGUAGE_CODE):
        page = render_to_string("disclosure/admin/notice_print.html", {"notice": notice})
        message = EmailMessage(
            subject=f"{notice.title}（{notice.number}）",
            body=notice.body,
            to=[address],
        )
    message.attach(f"{notice.number}.html", page, "text/html")
    message.send()
    return _record_sent(notice, user=user, to=address, today=today)


def mark_sent(notice: Notice, *, user, today: dt.date | None = None) -> Notice:
    """Record that the office posted or handed over the notice."""
    _require_office(user, notice.site_id)
    if notice.sent_on is not None:
        raise ValidationError(_("This notice is already recorded as sent."))
    return _record_sent(notice, user=user, to="", today=today)


def _record_sent(notice: Notice, *, user, to: str, today: dt.date | None) -> Notice:
    notice.sent_on = today or timezone.localdate()
    notice.sent_to = to
    notice.sent_by = user
    notice._history_user = user
    notice._change_reason = _("Sent")
    notice.save(update_fields=["sent_on", "sent_to", "sent_by"])
    return notice
