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
from .compliance import Attestation, ChangeEvent
from .emergency import EmergencyPublication
from .institutions import Department, InstitutionSettings
from .moderation import CatalogReviewTask, DepartmentHeadTask, OfficeReviewTask
from .notices import Notice, NoticeTemplate
from .numbering import NumberCounter
from .placement import Placement, Readership
from .publications import (
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationPage,
    RecruitmentNoticePage,
    RecruitmentPosition,
)
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
    "Channel",
    "ConfidentialityReview",
    "Consultation",
    "Department",
    "DepartmentHeadTask",
    "DisclosureIndexPage",
    "DisclosureRequest",
    "EmergencyPublication",
    "FileRole",
    "InstitutionSettings",
    "Notice",
    "NoticeTemplate",
    "NumberCounter",
    "OfficeReviewTask",
    "PathRoutingMixin",
    "Placement",
    "PolicyDocumentPage",
    "PolicyInterpretationPage",
    "ProcurementNoticePage",
    "PublicationAttachment",
    "PublicationKind",
    "PublicationPage",
    "Readership",
    "RecruitmentNoticePage",
    "RecruitmentPosition",
    "ReminderKind",
    "ReminderLog",
    "RequestCentrePage",
    "RequestFile",
    "RevisionHold",
    "page_audit_scope",
]
