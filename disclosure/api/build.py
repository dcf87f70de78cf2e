"""Turn what the selectors read into the API's schemas. No query is made here that a selector
could make once for a whole list; every audience decision was taken by the selector."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpRequest
from wagtail.models import Site

from ..models import (
    Audience,
    Channel,
    Department,
    PolicyDocumentPage,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationKind,
    PublicationPage,
    RecruitmentNoticePage,
)
from ..models.institutions import InstitutionGrade, institution_name
from ..rules.annual_report import (
    appeal_group_label,
    appeal_values,
    column_labels,
    table_three_rows,
)
from ..rules.deadlines import PeriodRecord
from ..rules.update_rules import DEFAULT_REVIEW_MONTHS, RuleKind
from ..selectors.catalog import Institution, site_of, site_roots
from ..selectors.compliance import ItemCompliance
from . import schemas


def page_url(page, request: HttpRequest) -> str | None:
    return page.get_full_url(request)


def institution(row: Institution, request: HttpRequest) -> schemas.Institution:
    site: Site = row.site
    settings = row.settings
    grade = settings.grade if settings else InstitutionGrade.UNGRADED

    def text(name: str) -> str:
        return getattr(settings, name, "") if settings else ""

    return schemas.Institution(
        id=site.pk,
        name=institution_name(site, settings),
        hostname=site.hostname,
        is_default=site.is_default_site,
        grade=grade,
        grade_label=str(InstitutionGrade(grade).label),
        address=text("address"),
        phone=text("phone"),
        legal_representative=text("legal_representative"),
        office_name=text("office_name"),
        office_contact=text("office_contact"),
        office_phone=text("office_phone"),
        office_email=text("office_email"),
        office_address=text("office_address"),
        catalog_url=page_url(row.index, request) if row.index else None,
    )


def department(department: Department) -> schemas.Department:
    return schemas.Department(
        id=department.pk,
        institution_id=department.site_id,
        name=department.name,
        description=department.description,
        phone=department.phone,
    )


def department_ref(department: Department | None) -> schemas.DepartmentRef | None:
    if department is None:
        return None
    return schemas.DepartmentRef(id=department.pk, name=department.name)


def item(row: ItemCompliance, request: HttpRequest) -> schemas.Item:
    page = row.item
    rule = page.update_rule
    channel_labels = dict(Channel.choices)
    return schemas.Item(
        id=page.pk,
        title=page.title,
        url=page_url(page, request),
        institution_id=row.institution_id,
        category=schemas.Ref(id=row.category_id, title=row.category),
        department=department_ref(page.department),
        audience=page.audience,
        audience_label=str(Audience(page.audience).label),
        channels=[code for code in page.channels or [] if code in channel_labels],
        channel_labels=[str(label) for label in page.channel_labels()],
        content_elements=page.content_elements,
        legal_basis=page.legal_basis,
        notes=page.notes,
        publication_kinds=[
            kind for kind in page.publication_kinds or [] if kind in PublicationKind.values
        ],
        rule=schemas.UpdateRule(
            kind=rule.kind,
            period=rule.period or None,
            working_days=(rule.working_days or row.default_working_days)
            if rule.kind == RuleKind.ON_CHANGE
            or (rule.kind == RuleKind.PERIODIC and rule.fixed_date is None)
            else None,
            review_months=(rule.review_months or DEFAULT_REVIEW_MONTHS)
            if rule.kind == RuleKind.REVIEW
            else None,
            fixed_date="{:02d}-{:02d}".format(*rule.fixed_date) if rule.fixed_date else None,
            description=row.rule_words,
        ),
        standing=schemas.Standing(
            status=row.deadline.status,
            status_label=row.status_label,
            last_updated=page.last_published_on,
            next_due=row.deadline.due,
            estimated=row.deadline.estimated,
        ),
    )


def period(record: PeriodRecord) -> schemas.PeriodRecord:
    return schemas.PeriodRecord(
        start=record.start,
        end=record.end,
        due=record.due,
        published_on=record.published_on,
        status=record.status,
        status_label=record.status_label,
    )


def publication(
    page: PublicationPage,
    request: HttpRequest,
    *,
    departments: dict[int, Department],
    site_id: int | None,
) -> schemas.Publication:
    """A publication as annotated by ``publications_visible_to``."""
    model = page.specific_class or PublicationPage
    return schemas.Publication(
        id=page.pk,
        title=page.title,
        type=model._meta.label,
        kind=model.publication_kind,
        kind_label=str(PublicationKind(model.publication_kind).label),
        publication_date=page.publication_date,
        summary=page.summary,
        url=page_url(page, request),
        institution_id=site_id,
        item=schemas.Ref(id=page.item_id, title=page.item_title),
        category=schemas.Ref(id=page.category_id, title=page.category_title),
        department=department_ref(departments.get(page.item_department_id)),
        first_published_at=page.first_published_at,
        last_published_at=page.last_published_at,
    )


def publications(pages: list[PublicationPage], request: HttpRequest) -> list[schemas.Publication]:
    """Publications annotated by ``publications_visible_to``: two queries for any number."""
    departments = Department.objects.in_bulk({page.item_department_id for page in pages} - {None})
    roots = site_roots()
    return [
        publication(
            page,
            request,
            departments=departments,
            site_id=getattr(site_of(page.path, roots), "pk", None),
        )
        for page in pages
    ]


def ref(page) -> schemas.Ref | None:
    return schemas.Ref(id=page.pk, title=page.title) if page is not None else None


def attachment(attachment: PublicationAttachment, request: HttpRequest) -> schemas.Attachment:
    document = attachment.document
    return schemas.Attachment(
        title=attachment.display_title,
        url=request.build_absolute_uri(document.url),
        file_extension=document.file_extension,
        file_size=document.file_size,
    )


def procurement(page: ProcurementNoticePage) -> schemas.Procurement:
    return schemas.Procurement(
        project_number=page.project_number,
        method=page.procurement_method,
        method_label=page.get_procurement_method_display(),
        budget=page.budget,
        bid_deadline=page.bid_deadline,
        result=page.result_status,
        result_label=page.get_result_status_display(),
        winning_supplier=page.winning_supplier,
        award_amount=page.award_amount,
        result_date=page.result_date,
        result_note=page.result_note,
    )


def recruitment(page: RecruitmentNoticePage) -> schemas.Recruitment:
    return schemas.Recruitment(
        application_start=page.application_start,
        application_deadline=page.application_deadline,
        contact=page.contact,
        positions=[
            schemas.Position(
                title=position.title,
                headcount=position.headcount,
                requirements=position.requirements,
            )
            for position in page.positions.all()
        ],
    )


def policy(page: PolicyDocumentPage, interpretations) -> schemas.Policy:
    return schemas.Policy(
        document_number=page.document_number,
        issuing_body=page.issuing_body,
        effective_date=page.effective_date,
        status=page.status,
        status_label=page.get_status_display(),
        interpretations=[ref(interpretation) for interpretation in interpretations],
    )


def annual_report(page) -> schemas.AnnualReport | None:
    """The report's frozen tables; ``None`` before its statistics are generated."""
    statistics = page.frozen_statistics
    if statistics is None:
        return None
    proactive = statistics.proactive
    return schemas.AnnualReport(
        year=page.year,
        period_start=statistics.start,
        period_end=statistics.end,
        generator=statistics.generator,
        generated_on=statistics.generated_on,
        overview=page.overview,
        categories=[schemas.ReportCategory(**asdict(c)) for c in proactive.categories],
        departments=[
            schemas.ReportDepartment(**asdict(d), on_time_rate=d.on_time_rate)
            for d in proactive.departments
        ],
        policy_documents=proactive.policy_documents,
        policy_interpretations=proactive.policy_interpretations,
        emergency_publications=proactive.emergency_publications,
        table_three_columns=column_labels(),
        table_three=[
            schemas.ReportTableRow(code=r.code, label=r.label, level=r.level, values=list(r.values))
            for r in table_three_rows(statistics.table_three)
        ],
        consultations=schemas.ReportConsultations(**asdict(statistics.consultations)),
        appeals=[
            schemas.ReportAppeals(group=group, label=appeal_group_label(group), **values)
            for group, values in appeal_values(page.appeals or {}).items()
        ],
        problems=page.problems,
        other_matters=page.other_matters,
        fee_notices=page.fee_notices,
        fees_charged=page.fees_charged,
    )
