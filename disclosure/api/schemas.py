"""What the disclosure API answers: typed schemas, one per shape, shared by every operation.

Choice fields are typed as the literal values of their ``TextChoices`` so that a generated client
(TypeScript, say) gets a union of the codes; each carries its Chinese label beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from ..models import Audience, Channel, PublicationKind
from ..models.institutions import InstitutionGrade
from ..models.publications import PolicyStatus, ProcurementMethod, ProcurementResult
from ..rules.deadlines import ComplianceStatus, PeriodStatus
from ..rules.inspections import InspectionKind, InspectionState
from ..rules.rectification import OVERDUE, FindingSource, FindingState
from ..rules.request_clock import ClockStatus
from ..rules.requests import (
    ApplicantType,
    CaseKind,
    CaseState,
    DeliveryWay,
    IdDocument,
    Outcome,
    ProvisionForm,
)
from ..rules.update_rules import Period, RuleKind


def _codes(choices) -> Any:
    return Literal[tuple(choices.values)]


AudienceCode = _codes(Audience)
ChannelCode = _codes(Channel)
PublicationKindCode = _codes(PublicationKind)
StatusCode = _codes(ComplianceStatus)
PeriodStatusCode = _codes(PeriodStatus)
RuleKindCode = _codes(RuleKind)
PeriodCode = _codes(Period)
GradeCode = _codes(InstitutionGrade)
CaseKindCode = _codes(CaseKind)
CaseStateCode = _codes(CaseState)
ClockStatusCode = _codes(ClockStatus)
OutcomeCode = _codes(Outcome)
ApplicantTypeCode = _codes(ApplicantType)
IdDocumentCode = _codes(IdDocument)
ProvisionFormCode = _codes(ProvisionForm)
DeliveryWayCode = _codes(DeliveryWay)
FindingSourceCode = _codes(FindingSource)
InspectionKindCode = _codes(InspectionKind)
InspectionStateCode = _codes(InspectionState)
#: A finding's state as the ledger shows it: its stored state, or overdue.
FindingShownStateCode = Literal[(*FindingState.values, OVERDUE)]

#: An id in a path or a filter: what the database's ids can hold (64-bit), so that a huge
#: number is a 422 for the caller, not an overflow in the database.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Ref(Schema):
    """A page this one points to: its id and title."""

    id: int
    title: str


class DepartmentRef(Schema):
    id: int
    name: str


class Institution(Schema):
    id: int = Field(description="The institution's id (its Wagtail site's id).")
    name: str
    hostname: str
    is_default: bool
    grade: GradeCode
    grade_label: str
    address: str
    phone: str
    legal_representative: str = Field(description="第一责任人")
    office_name: str
    office_contact: str
    office_phone: str
    office_email: str
    office_address: str
    catalog_url: str | None = Field(description="The public disclosure catalog (信息公开).")


class Department(Schema):
    id: int
    institution_id: int
    name: str
    description: str
    phone: str


class UpdateRule(Schema):
    """The item's update rule (公开时限)."""

    kind: RuleKindCode
    period: PeriodCode | None
    working_days: int | None = Field(
        description="Working days allowed after a change or after a period ends (the "
        "institution's default when the item sets none)."
    )
    review_months: int | None
    fixed_date: str | None = Field(
        default=None,
        description="For a yearly rule due on a fixed date of the next year: its month and "
        "day (MM-DD), e.g. 01-31 for 每年1月31日前; null otherwise.",
    )
    description: str = Field(
        description="The rule in words, e.g. 信息形成或变更之日起20个工作日内."
    )


class Standing(Schema):
    """Where the item stands against its rule today, on the working-day calendar."""

    status: StatusCode
    status_label: str
    last_updated: dt.date | None = Field(
        description="The day the latest live publication went live (deadlines count from it; "
        "a publication's own document date never moves them)."
    )
    next_due: dt.date | None
    estimated: bool = Field(
        description="The due date falls in a year without an official holiday schedule."
    )


class Item(Schema):
    """A catalog item (二级事项)."""

    id: int
    title: str
    url: str | None
    institution_id: int | None
    category: Ref
    department: DepartmentRef | None
    audience: AudienceCode
    audience_label: str
    channels: list[ChannelCode]
    channel_labels: list[str]
    content_elements: str
    legal_basis: str
    notes: str
    publication_kinds: list[PublicationKindCode]
    rule: UpdateRule
    standing: Standing


class Category(Schema):
    """A catalog category (一级事项) with the items the caller may see."""

    id: int
    title: str
    url: str | None
    intro: str
    items: list[Item]


class Catalog(Schema):
    institution: Institution
    categories: list[Category]


class PeriodRecord(Schema):
    """One period of a periodic item: published on time, late, missing or not due yet."""

    start: dt.date
    end: dt.date
    due: dt.date
    published_on: dt.date | None
    status: PeriodStatusCode
    status_label: str


class Publication(Schema):
    """A publication (公开信息) in a list."""

    id: int
    title: str
    type: str = Field(description="The page type, e.g. disclosure.ProcurementNoticePage.")
    kind: PublicationKindCode
    kind_label: str
    publication_date: dt.date
    summary: str
    url: str | None
    institution_id: int | None
    item: Ref
    category: Ref
    department: DepartmentRef | None
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None


class ItemHistory(Schema):
    """An item's record: its periods (periodic items) and its publications, newest first."""

    item: Item
    periods: list[PeriodRecord]
    publication_count: int
    publications: list[Publication]


class Attachment(Schema):
    title: str
    url: str
    file_extension: str
    file_size: int | None


class Block(Schema):
    """One block of a publication body: ``heading`` (text), ``paragraph`` (rich text HTML) or
    ``table`` (TableBlock data)."""

    type: str
    id: str | None
    value: Any


class Procurement(Schema):
    project_number: str
    method: _codes(ProcurementMethod)
    method_label: str
    budget: Decimal | None
    bid_deadline: dt.datetime | None
    result: _codes(ProcurementResult)
    result_label: str
    winning_supplier: str
    award_amount: Decimal | None
    result_date: dt.date | None
    result_note: str


class Position(Schema):
    title: str
    headcount: int
    requirements: str


class Recruitment(Schema):
    application_start: dt.date | None
    application_deadline: dt.date | None
    contact: str
    positions: list[Position]


class Policy(Schema):
    document_number: str
    issuing_body: str
    effective_date: dt.date | None
    status: _codes(PolicyStatus)
    status_label: str
    interpretations: list[Ref]


class Interpretation(Schema):
    policy: Ref | None = Field(description="The interpreted policy, if the caller may see it.")


class ReportTableRow(Schema):
    code: str = Field(
        description="The row's code in the national table, e.g. 三（三）4; blank for a heading."
    )
    label: str = Field(description="The national wording of the row.")
    level: int = Field(description="0 for 一 to 四, 1 for a group of 三, 2 for a numbered sub-row.")
    values: list[int] = Field(
        description="自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计 "
        "(empty for a heading)."
    )


class ReportCategory(Schema):
    title: str
    publications: int
    on_time: int
    late: int
    attested: int = Field(description="“Checked, no change” records made in the period.")


class ReportDepartment(Schema):
    name: str
    on_time: int
    late: int
    on_time_rate: int | None


class ReportConsultations(Schema):
    received: int
    answered: int
    answered_on_time: int
    average_working_days: Decimal | None


class ReportAppeals(Schema):
    group: Literal["review", "suit_direct", "suit_after_review"]
    label: str
    upheld: int
    corrected: int
    other: int
    pending: int
    total: int


class AnnualReport(Schema):
    """The tables of an annual report (信息公开工作年度报告), as frozen when it was generated."""

    year: int
    period_start: dt.date
    period_end: dt.date
    generator: str
    generated_on: dt.date
    overview: str
    categories: list[ReportCategory]
    departments: list[ReportDepartment]
    policy_documents: int
    policy_interpretations: int
    emergency_publications: int
    table_three_columns: list[str]
    table_three: list[ReportTableRow]
    consultations: ReportConsultations
    appeals: list[ReportAppeals]
    problems: str
    other_matters: str
    fee_notices: int
    fees_charged: Decimal


class PublicationDetail(Publication):
    """A publication with its body, attachments and the fields of its kind."""

    body: list[Block]
    body_html: str
    attachments: list[Attachment]
    procurement: Procurement | None
    recruitment: Recruitment | None
    policy: Policy | None
    interpretation: Interpretation | None
    annual_report: AnnualReport | None = Field(
        None, description="An annual report's tables (annual_report publications only)."
    )


class DepartmentCompliance(Schema):
    """How a department's items stand (staff only)."""

    institution_id: int | None
    institution: str
    department: DepartmentRef | None
    total: int
    on_time: int
    due_soon: int
    overdue: int
    missing: int = Field(description="Items never published.")
    no_schedule: int
    on_time_rate: int | None = Field(
        description="Percentage of scheduled items that are not late, rounded down."
    )
