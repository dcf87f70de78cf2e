"""The rectification ledger's writes (raise, answer, verify, release a finding) and the monthly
patrol (take it, add to it, write its draft 自查自纠 report). Each checks who asks
(:class:`~disclosure.selectors.rectification.LedgerAccess`) and leaves a history row naming them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from ..models import (
    CatalogItemPage,
    Commission,
    Department,
    Evidence,
    Finding,
    Inspection,
    Patrol,
    PatrolProblem,
    PatrolStanding,
    PublicationPage,
)
from ..models.institutions import institution_name
from ..rules.deadlines import ComplianceStatus, urgency
from ..rules.privacy import find_identifiers, personal_information_refusal
from ..rules.rectification import (
    FINDING_SERIES,
    MAX_WORKING_DAYS,
    UNFINISHED,
    FindingSource,
    FindingState,
    ProblemKind,
    finding_number,
)
from ..selectors.catalog import free_slug
from ..selectors.commissions import CommissionAccess
from ..selectors.compliance import item_compliance
from ..selectors.inspections import site_items
from ..selectors.links import check_links
from ..selectors.rectification import LedgerAccess
from .inspections import require_own_evidence
from .locked import change_locked
from .numbering import atomic_retrying_on_sqlite_lock, next_number

#: The column standings a patrol lists as problems.
LATE = {
    ComplianceStatus.OVERDUE: ProblemKind.OVERDUE_ITEM,
    ComplianceStatus.MISSING: ProblemKind.MISSING_ITEM,
}


def _require_office(user, site_id: int) -> LedgerAccess:
    access = LedgerAccess.of(user)
    if not access.is_office(site_id):
        raise PermissionDenied(_("Only the institution's disclosure office may do this."))
    return access


def _require_commission_over(user, commission: Commission, site_id: int) -> None:
    """A member of ``commission``, whose area holds the institution."""
    access = CommissionAccess.of(user)
    if not access.reads_commission(commission.pk):
        raise PermissionDenied(_("Only the commission's members may do this."))
    if site_id not in access.area(commission.pk):
        raise PermissionDenied(_("This institution is not in the commission's area."))


# The ledger ---------------------------------------------------------------------------------


def identifier_errors(**texts: str) -> dict[str, str]:
    """A refusal for each text that holds a personal identifier (an ID number, a phone…).
    A ledger's texts are read beyond the department that writes them (the office, the
    supervisors, the leadership, the health commission): they name problems and measures,
    never a person's identifiers."""
    errors = {}
    for name, text in texts.items():
        if hits := find_identifiers(text):
            errors[name] = personal_information_refusal([("", hit) for hit in hits])
    return errors


def finding_errors(
    *,
    site: Site,
    department: Department,
    item: CatalogItemPage | None,
    problem: str,
    measure: str,
    working_days: int | None,
    due_date: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with a finding for ``site`` (by field), whoever writes it: the ledger's
    own form, or a commission's notice drafting one to issue later."""
    errors = identifier_errors(problem=problem, measure=measure)
    if department.site_id != site.pk:
        errors["department"] = _("Choose a department of this institution.")
    if item is not None and not item.path.startswith(site.root_page.path):
        errors["item"] = _("Choose a catalog item of this institution.")
    if not problem.strip():
        errors["problem"] = _("Describe the problem.")
    if not measure.strip():
        errors["measure"] = _("Say what must be done.")
    if bool(working_days) == bool(due_date):
        errors["working_days"] = _("Give either a number of working days or a due date.")
    elif working_days and not 0 < working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = _("Give between 1 and %(most)s working days.") % {
            "most": MAX_WORKING_DAYS
        }
    elif due_date is not None and due_date < today:
        errors["due_date"] = _("The due date has already passed.")
    return errors


def raise_finding(
    *,
    site: Site,
    user,
    source: str,
    department: Department,
    problem: str,
    measure: str,
    working_days: int | None = None,
    due_date: dt.date | None = None,
    item: CatalogItemPage | None = None,
    source_detail: str = "",
    inspection: Inspection | None = None,
    patrol_problem: PatrolProblem | None = None,
    commission: Commission | None = None,
    today: dt.date | None = None,
) -> Finding:
    """Enter a finding in the institution's ledger (its office only), numbered in the year.

    A health commission's notice enters its findings itself (``commission``: ``user`` is a
    member, the institution in its area, the source the commission); the institution answers
    them as any other.

    Its time limit is ``working_days`` counted from today on the working-day calendar, or a
    fixed ``due_date``: never both, never neither."""
    if commission is None:
        _require_office(user, site.pk)
    else:
        _require_commission_over(user, commission, site.pk)
    today = today or timezone.localdate()
    source = FindingSource(source)
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
    if commission is not None and source != FindingSource.COMMISSION:
        errors["source"] = _("A commission's finding has the commission as its source.")
    if inspection is not None and inspection.site_id != site.pk:
        errors["inspection"] = _("Choose an inspection of this institution.")
    if patrol_problem is not None:
        if patrol_problem.patrol.site_id != site.pk:
            errors["patrol_problem"] = _("Choose a problem found in this institution.")
        elif Finding.objects.filter(patrol_problem=patrol_problem).exists():
            errors["patrol_problem"] = _("This problem is already in the ledger.")
    if errors:
        raise ValidationError(errors)

    def store() -> Finding:
        sequence = next_number(site_id=site.pk, series=FINDING_SERIES[0], year=today.year)
        finding = Finding(
            site=site,
            number=finding_number(year=today.year, sequence=sequence),
            source=source,
            source_detail=source_detail.strip(),
            inspection=inspection,
            patrol_problem=patrol_problem,
            department=department,
            item=item,
            problem=problem.strip(),
            measure=measure.strip(),
            raised_on=today,
            working_days=working_days or None,
            due_date=due_date,
            created_by=user,
        )
        finding._history_user = user
        finding.save()
        return finding

    return atomic_retrying_on_sqlite_lock(store)


def answer_finding(
    finding: Finding, *, user, response: str, done: bool, today: dt.date | None = None
) -> Finding:
    """The department says what it did: still in progress, or done (for the office to verify)."""
    access = LedgerAccess.of(user)
    if not access.may_view(finding):
        raise PermissionDenied(_("This finding is not your department's."))
    if not access.may_answer(finding):
        if finding.state in UNFINISHED:
            # A reader (supervisors, the leadership, a health commission) answers nothing.
            raise PermissionDenied(_("This finding is not your department's."))
        raise ValidationError(_("This finding is no longer open to an answer."))
    if not response.strip():
        raise ValidationError({"response": _("Say what was done.")})
    if errors := identifier_errors(response=response):
        raise ValidationError(errors)
    changes = {
        "state": FindingState.DONE if done else FindingState.IN_PROGRESS,
        "response": response.strip(),
        "answered_by": user,
        "done_on": (today or timezone.localdate()) if done else None,
    }
    return _move(finding, user=user, **changes)


def verify_finding(
    finding: Finding, *, user, accepted: bool, note: str = "", today: dt.date | None = None
) -> Finding:
    """The office checks a finding marked done: verified, or back in progress with a note."""
    access = LedgerAccess.of(user)
    if not access.is_office(finding.site_id):
        raise PermissionDenied(_("Only the institution's disclosure office may verify."))
    if not access.may_verify(finding):
        raise ValidationError(_("Only a finding marked done can be verified."))
    if not accepted and not note.strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    if errors := identifier_errors(note=note):
        raise ValidationError(errors)
    if accepted:
        changes = {
            "state": FindingState.VERIFIED,
            "verified_by": user,
            "verified_on": today or timezone.localdate(),
            "verification_note": note.strip(),
        }
    else:
        changes = {
            "state": FindingState.IN_PROGRESS,
            "done_on": None,
            "verification_note": note.strip(),
        }
    return _move(finding, user=user, **changes)


def release_finding(
    finding: Finding,
    *,
    user,
    released: bool,
    public_problem: str = "",
    public_measure: str = "",
    public_progress: str = "",
) -> Finding:
    """Put a finding on the public ledger in public wording (the office only), or take it off.

    The public wording is what the public reads: all three texts are required, and none may
    hold personal information."""
    _require_office(user, finding.site_id)
    texts = {
        "public_problem": public_problem.strip(),
        "public_measure": public_measure.strip(),
        "public_progress": public_progress.strip(),
    }
    if released:
        errors = {}
        for name, text in texts.items():
            hits = find_identifiers(text)
            if not text:
                errors[name] = _("Write this in public wording.")
            elif hits:
                # The refusal stands on the field itself: no place to name.
                errors[name] = personal_information_refusal([("", hit) for hit in hits])
        if errors:
            raise ValidationError(errors)
    return _move(finding, user=user, released=released, **texts)


def add_finding_evidence(
    finding: Finding, *, user, page=None, document=None, url: str = "", label: str = ""
) -> Evidence:
    """Attach what shows the fix (a page, a document, a URL): whoever may answer or verify."""
    access = LedgerAccess.of(user)
    if not (access.may_answer(finding) or access.is_office(finding.site_id)):
        raise PermissionDenied(_("This finding is not your department's."))
    if not (page or document or url.strip()):
        raise ValidationError(_("Choose a page or a document, or give a URL."))
    require_own_evidence(finding.site, page=page, document=document)
    evidence = Evidence(
        finding=finding,
        page=page,
        document=document,
        url=url.strip(),
        label=label.strip(),
        added_by=user,
    )
    evidence.full_clean()
    evidence._history_user = user
    evidence.save()
    return evidence


def _move(finding: Finding, *, user, **changes) -> Finding:
    return change_locked(
        finding, user=user, stale=_("Someone else changed this finding; reload it."), **changes
    )


# The patrol ---------------------------------------------------------------------------------


@transaction.atomic
def run_patrol(*, site: Site, user, today: dt.date | None = None) -> Patrol:
    """Patrol the institution's columns today (its office only): every catalog item's standing
    as the overdue report gives it, frozen; a problem for each late column; and the link check
    of every live disclosure page."""
    _require_office(user, site.pk)
    today = today or timezone.localdate()
    rows = sorted(
        item_compliance(items=site_items(site), today=today, summaries=True),
        key=lambda row: urgency(
            status=row.deadline.status, due=row.deadline.due, path=row.item.path
        ),
    )
    links = check_links(site=site)
    patrol = Patrol(site=site, patrolled_on=today, run_by=user, pages_checked=links.pages_checked)
    patrol._history_user = user
    patrol.save()
    PatrolStanding.objects.bulk_create(
        PatrolStanding.frozen(row, position=position, patrol=patrol)
        for position, row in enumerate(rows)
    )
    problems = [
        PatrolProblem(
            patrol=patrol,
            kind=LATE[row.deadline.status],
            item_id=row.item.pk,
            page_id=row.item.pk,
            page_title=row.item.title,
            detail=_late_detail(row),
        )
        for row in rows
        if row.deadline.status in LATE
    ]
    problems += [
        PatrolProblem(
            patrol=patrol,
            kind=problem.kind,
            page_id=problem.page_id,
            page_title=problem.page_title,
            target=problem.target[:500],
            detail=problem.detail,
        )
        for problem in links.problems
    ]
    for problem in problems:
        # One by one, so that each problem has its history row (bulk_create writes none).
        problem._history_user = user
        problem.save()
    return patrol


def _late_detail(row) -> str:
    if row.deadline.status == ComplianceStatus.MISSING:
        return _("%(item)s has never been published (%(rule)s).") % {
            "item": row.item.title,
            "rule": row.rule_words,
        }
    return _("%(item)s was due on %(due)s and has not been updated (%(rule)s).") % {
        "item": row.item.title,
        "due": row.deadline.due.isoformat() if row.deadline.due else "",
        "rule": row.rule_words,
    }


def add_patrol_problem(
    patrol: Patrol, *, user, detail: str, page: Page | None = None
) -> PatrolProblem:
    """A problem the office found by hand on the patrol."""
    _require_office(user, patrol.site_id)
    if not detail.strip():
        raise ValidationError({"detail": _("Describe the problem.")})
    if page is not None and not page.path.startswith(patrol.site.root_page.path):
        raise ValidationError({"page": _("Choose a page of this institution.")})
    problem = PatrolProblem(
        patrol=patrol,
        kind=ProblemKind.MANUAL,
        page=page,
        page_title=page.title if page else "",
        detail=detail.strip(),
        added_by=user,
    )
    problem._history_user = user
    problem.save()
    return problem


def report_refusal(item: CatalogItemPage, user) -> str | None:
    """Why ``user`` may not write a patrol's report under ``item``, or ``None``."""
    if not PublicationPage.can_create_at(item):
        return _("This catalog item does not take publications.")
    if not item.permissions_for_user(user).can_add_subpage():
        return _("You may not add publications under this catalog item.")
    return None


@transaction.atomic
def draft_report(patrol: Patrol, *, item: CatalogItemPage, user) -> PublicationPage:
    """The patrol's 自查自纠 report as a draft publication under ``item``, to be reviewed and
    published through moderation like any other."""
    _require_office(user, patrol.site_id)
    if not item.path.startswith(patrol.site.root_page.path):
        raise ValidationError({"item": _("Choose a catalog item of this institution.")})
    refusal = report_refusal(item, user)
    if refusal:
        raise PermissionDenied(refusal)
    if patrol.report_id is not None and Page.objects.filter(pk=patrol.report_id).exists():
        raise ValidationError(_("This patrol's report has already been written."))
    standings = list(patrol.standings.all())
    problems = list(patrol.problems.select_related("finding"))
    late = sum(1 for row in standings if row.status in LATE)
    name = institution_name(patrol.site)
    title = _("%(institution)s self-inspection of disclosure columns, %(month)s") % {
        "institution": name,
        "month": f"{patrol.patrolled_on:%Y-%m}",
    }
    summary = _(
        "On %(date)s the disclosure office checked %(columns)s columns and %(pages)s pages; "
        "%(late)s columns were late and %(problems)s problems were found."
    ) % {
        "date": patrol.patrolled_on.isoformat(),
        "columns": len(standings),
        "pages": patrol.pages_checked,
        "late": late,
        "problems": len(problems),
    }
    table = [[_("No."), _("Problem found"), _("Rectification")]] + [
        [
            str(number),
            problem.detail,
            problem.finding.measure if hasattr(problem, "finding") else "",
        ]
        for number, problem in enumerate(problems, start=1)
    ]
    body = [
        {"type": "paragraph", "value": f"<p>{escape(summary)}</p>"},
        {
            "type": "table",
            "value": {
                "data": table,
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        },
    ]
    page = PublicationPage(
        title=title,
        slug=free_slug(item, f"patrol-{patrol.patrolled_on:%Y-%m}"),
        summary=summary,
        body=body,
        owner=user,
        live=False,
    )
    item.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    patrol.report = page
    patrol._history_user = user
    patrol.save(update_fields=["report"])
    return page
