"""A health commission's notices (通报): drafted by its members (the text, the results of an
update check, the attachments, and the findings for named institutions of its area), then
issued once, when each finding lands in its institution's rectification ledger
(:func:`~disclosure.services.rectification.raise_finding`, the commission as its source).

An issued notice is frozen: what it said is what the institutions received.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Site

from ..models import (
    CatalogItemPage,
    Commission,
    CommissionNotice,
    Department,
    Finding,
    InstitutionSettings,
    NoticeAttachment,
    NoticeFinding,
    UpdateCheck,
)
from ..rules.commissions import NoticeState
from ..rules.privacy import find_identifiers
from ..rules.rectification import FindingSource
from ..rules.uploads import MAX_UPLOAD_BYTES, check_upload
from ..selectors.commissions import CommissionAccess
from .locked import change_locked
from .mail import send_templated_mail
from .numbering import atomic_retrying_on_sqlite_lock
from .rectification import finding_errors, raise_finding

logger = logging.getLogger(__name__)


def _require_member(user, commission_id: int) -> CommissionAccess:
    access = CommissionAccess.of(user)
    if not access.reads_commission(commission_id):
        raise PermissionDenied(_("Only the commission's members may do this."))
    return access


def _require_draft(notice: CommissionNotice) -> None:
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("This notice has been issued: it can no longer be changed."))


def _checked_fields(
    *,
    commission_id: int,
    title: str,
    number: str,
    period_start: dt.date,
    period_end: dt.date,
    text: str,
    update_check: UpdateCheck | None,
) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the notice a title.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if update_check is not None and update_check.commission_id != commission_id:
        errors["update_check"] = _("Choose an update check of this commission.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title.strip(),
        "number": number.strip(),
        "period_start": period_start,
        "period_end": period_end,
        "text": text.strip(),
        "update_check": update_check,
    }


def create_notice(
    *,
    commission: Commission,
    user,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    text: str = "",
    number: str = "",
    update_check: UpdateCheck | None = None,
) -> CommissionNotice:
    """A draft notice of ``commission`` (its members only)."""
    _require_member(user, commission.pk)
    values = _checked_fields(
        commission_id=commission.pk,
        title=title,
        number=number,
        period_start=period_start,
        period_end=period_end,
        text=text,
        update_check=update_check,
    )
    notice = CommissionNotice(commission=commission, created_by=user, **values)
    notice._history_user = user
    notice.save()
    return notice


def edit_notice(
    notice: CommissionNotice,
    *,
    user,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    text: str,
    number: str = "",
    update_check: UpdateCheck | None = None,
) -> CommissionNotice:
    """Change a draft notice (its commission's members only); an issued one is refused."""
    _require_member(user, notice.commission_id)
    _require_draft(notice)
    values = _checked_fields(
        commission_id=notice.commission_id,
        title=title,
        number=number,
        period_start=period_start,
        period_end=period_end,
        text=text,
        update_check=update_check,
    )
    return change_locked(
        notice, user=user, stale=_("Someone else issued this notice; reload it."), **values
    )


# The findings for institutions ---------------------------------------------------------------


def add_line(
    notice: CommissionNotice,
    *,
    user,
    site: Site,
    department: Department,
    problem: str,
    measure: str,
    item: CatalogItemPage | None = None,
    working_days: int | None = None,
    due_date: dt.date | None = None,
    today: dt.date | None = None,
) -> NoticeFinding:
    """A finding the draft notice will issue to an institution of the commission's area, as
    the ledger's finding form takes it: a department and (optionally) a catalog item of that
    institution, and a number of working days or a due date."""
    access = _require_member(user, notice.commission_id)
    _require_draft(notice)
    today = today or timezone.localdate()
    errors = finding_errors(
        site=site,
        department=department,
        item=item,
        problem=problem,
        measure=measure,
        working_days=working_days,
        due_date=due_date,
        today=today,
    )
    if site.pk not in access.area(notice.commission_id):
        errors["site"] = _("This institution is not in the commission's area.")
    if errors:
        raise ValidationError(errors)
    line = NoticeFinding(
        notice=notice,
        site=site,
        department=department,
        item=item,
        problem=problem.strip(),
        measure=measure.strip(),
        working_days=working_days or None,
        due_date=due_date,
    )
    line._history_user = user
    line.save()
    return line


def remove_line(line: NoticeFinding, *, user) -> None:
    """Take a finding out of a draft notice."""
    _require_member(user, line.notice.commission_id)
    _require_draft(line.notice)
    line._history_user = user
    line.delete()


# Attachments ----------------------------------------------------------------------------------


def attach_document(
    notice: CommissionNotice, *, user, file: UploadedFile, title: str = ""
) -> NoticeAttachment:
    """Upload a document into the commission's collection and attach it to the draft notice.

    The same files as everywhere in the plugin: PDF, Word, Excel, JPG or PNG, checked by their
    content, and no personal identifier in the file name (it stands in the download address)."""
    _require_member(user, notice.commission_id)
    _require_draft(notice)
    commission = notice.commission
    if commission.document_collection_id is None:
        raise ValidationError(_("The commission has no document collection; ask an administrator."))
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("“%(name)s” is larger than %(size)s MB.")
                % {"name": file.name, "size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    head = file.read(8192)
    file.seek(0)
    if not check_upload(file.name, head).ok:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, Word, Excel, JPG and PNG files are accepted, and the file's "
                    "content must match its type."
                )
            }
        )
    name = os.path.basename(file.name)
    if find_identifiers(name) or find_identifiers(title):
        raise ValidationError(
            {"file": _("The file name or title contains a personal identifier: remove it.")}
        )
    document = get_document_model()(
        title=title.strip() or os.path.splitext(name)[0],
        file=file,
        collection=commission.document_collection,
        uploaded_by_user=user,
    )
    document._set_document_file_metadata()
    document.save()
    return NoticeAttachment.objects.create(notice=notice, document=document)


def remove_attachment(attachment: NoticeAttachment, *, user) -> None:
    """Detach a document from a draft notice (the document stays in the collection)."""
    _require_member(user, attachment.notice.commission_id)
    _require_draft(attachment.notice)
    attachment.delete()


# Issuing ------------------------------------------------------------------------------------


def source_detail(notice: CommissionNotice) -> str:
    """How the ledger names the notice a finding came from."""
    return f"{notice.commission.name} {notice.number or notice.title}"[:200]


def issue_notice(
    notice: CommissionNotice, *, user, today: dt.date | None = None
) -> CommissionNotice:
    """Issue the draft notice today (its commission's members only), once: each of its findings
    enters its institution's ledger, due on the working-day calendar from today. All or nothing:
    a finding refused (a due date passed since it was drafted) issues none."""
    _require_member(user, notice.commission_id)
    _require_draft(notice)
    if not notice.text.strip():
        raise ValidationError({"text": _("Write the notice's text before issuing it.")})
    today = today or timezone.localdate()

    def issue() -> CommissionNotice:
        issued = change_locked(
            notice,
            user=user,
            stale=_("Someone else issued this notice; reload it."),
            state=NoticeState.ISSUED,
            issued_on=today,
            issued_by=user,
        )
        detail = source_detail(issued)
        findings: list[Finding] = []
        lines = issued.lines.select_related("site__root_page", "department", "item")
        for line in lines.order_by("pk"):
            try:
                finding = raise_finding(
                    site=line.site,
                    user=user,
                    commission=issued.commission,
                    source=FindingSource.COMMISSION,
                    source_detail=detail,
                    department=line.department,
                    item=line.item,
                    problem=line.problem,
                    measure=line.measure,
                    working_days=line.working_days,
                    due_date=line.due_date,
                    today=today,
                )
            except ValidationError as error:
                raise ValidationError(
                    _("The finding for %(institution)s was refused: %(reasons)s")
                    % {"institution": line.site.site_name, "reasons": " ".join(error.messages)}
                ) from error
            line.finding = finding
            line._history_user = user
            line.save(update_fields=["finding"])
            findings.append(finding)
        transaction.on_commit(lambda: tell_the_offices(issued, findings))
        return issued

    return atomic_retrying_on_sqlite_lock(issue)


def tell_the_offices(notice: CommissionNotice, findings: list[Finding]) -> None:
    """Once the notice is issued, each named institution's disclosure office hears of its
    findings by e-mail. A refused address is logged: the findings are in the ledgers anyway."""
    by_site: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_site[finding.site_id].append(finding)
    offices = dict(
        InstitutionSettings.objects.filter(
            site_id__in=by_site, office_group__isnull=False
        ).values_list("site_id", "office_group_id")
    )
    ledger_url = settings.WAGTAILADMIN_BASE_URL + reverse("disclosure_admin:ledger")
    for site_id, site_findings in by_site.items():
        if site_id not in offices:
            continue
        recipients = sorted(
            get_user_model()
            .objects.filter(groups=offices[site_id], is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not recipients:
            continue
        context = {
            "notice": notice,
            "institution": site_findings[0].site.site_name,
            "findings": site_findings,
            "ledger_url": ledger_url,
        }
        try:
            send_templated_mail("commission_notice_issued", context, recipients)
        except OSError:  # smtplib.SMTPException included
            logger.exception("Notice %s to %s could not be sent", notice.pk, ", ".join(recipients))
