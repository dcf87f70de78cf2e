from .annual_report import AnnualReportPage
from .audit import (
    AuditChainHead,
    AuditEntry,
    AuditScope,
    AuditSource,
    RevisionHold,
)
from .calendar import CalendarDay, CalendarDayKind, CalendarSource, CalendarYear
from .catalog import (
    Audience,
    CatalogCategoryPage,
    CatalogItemPage,
    Channel,
    DisclosureIndexPage,
    PublicationKind,
    page_audit_scope,
)
from .checklist import ConfidentialityReview
from .commissions import (
    Commission,
    CommissionNotice,
    ComplianceSnapshot,
    NoticeAttachment,
    NoticeFinding,
    UpdateCheck,
    UpdateCheckItem,
)
from .compliance import Attestation, ChangeEvent
from .emergency import EmergencyPublication
from .inspections import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Evidence,
    Inspection,
    InspectionScore,
)
from .institutions import Department, InstitutionSettings
from .ledger_page import RectificationLedgerPage
from .moderation import CatalogReviewTask, DepartmentHeadTask, OfficeReviewTask
from .notices import Notice, NoticeTemplate
from .numbering import NumberCounter
from .placement import Placement, Readership
from .prices import (
    ChangeKind,
    ImportStatus,
    PriceChange,
    PriceListPage,
    PriceListVersion,
    PriceRow,
)
from .publications import (
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationPage,
    RecruitmentNoticePage,
    RecruitmentPosition,
)
from .rectification import Finding, Patrol, PatrolProblem, PatrolStanding
from .reminders import ReminderKind, ReminderLog
from .requests import (
    Consultation,
    DisclosureRequest,
    FileRole,
    RequestCentrePage,
    RequestFile,
)
from .reviewers import ActingHead
from .routing import PathRoutingMixin
from .visibility import PageReadability, Readers

__all__ = [
    "ActingHead",
    "AnnualReportPage",
    "Attestation",
    "Audience",
    "AuditChainHead",
    "AuditEntry",
    "AuditScope",
    "AuditSource",
    "CalendarDay",
    "CalendarDayKind",
    "CalendarSource",
    "CalendarYear",
    "CatalogCategoryPage",
    "CatalogItemPage",
    "CatalogReviewTask",
    "ChangeEvent",
    "ChangeKind",
    "Channel",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "Commission",
    "CommissionNotice",
    "ComplianceSnapshot",
    "ConfidentialityReview",
    "Consultation",
    "Department",
    "DepartmentHeadTask",
    "DisclosureIndexPage",
    "DisclosureRequest",
    "EmergencyPublication",
    "Evidence",
    "FileRole",
    "Finding",
    "ImportStatus",
    "Inspection",
    "InspectionScore",
    "InstitutionSettings",
    "Notice",
    "NoticeAttachment",
    "NoticeFinding",
    "NoticeTemplate",
    "NumberCounter",
    "OfficeReviewTask",
    "PageReadability",
    "PathRoutingMixin",
    "Patrol",
    "PatrolProblem",
    "PatrolStanding",
    "Placement",
    "PolicyDocumentPage",
    "PolicyInterpretationPage",
    "PriceChange",
    "PriceListPage",
    "PriceListVersion",
    "PriceRow",
    "ProcurementNoticePage",
    "PublicationAttachment",
    "PublicationKind",
    "PublicationPage",
    "Readers",
    "Readership",
    "RecruitmentNoticePage",
    "RecruitmentPosition",
    "RectificationLedgerPage",
    "ReminderKind",
    "ReminderLog",
    "RequestCentrePage",
    "RequestFile",
    "RevisionHold",
    "UpdateCheck",
    "UpdateCheckItem",
    "page_audit_scope",
]
