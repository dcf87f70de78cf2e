from .calendar import CalendarDay, CalendarDayKind, CalendarSource, CalendarYear
from .catalog import (
    Audience,
    CatalogCategoryPage,
    CatalogItemPage,
    Channel,
    DisclosureIndexPage,
    PublicationKind,
)
from .compliance import Attestation, ChangeEvent
from .institutions import Department, InstitutionSettings
from .moderation import (
    ActingHead,
    CatalogReviewTask,
    ConfidentialityReview,
    DepartmentHeadTask,
    EmergencyPublication,
    OfficeReviewTask,
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
from .reminders import ReminderKind, ReminderLog

__all__ = [
    "ActingHead",
    "Attestation",
    "Audience",
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
    "Department",
    "DepartmentHeadTask",
    "DisclosureIndexPage",
    "EmergencyPublication",
    "InstitutionSettings",
    "OfficeReviewTask",
    "PolicyDocumentPage",
    "PolicyInterpretationPage",
    "ProcurementNoticePage",
    "PublicationAttachment",
    "PublicationKind",
    "PublicationPage",
    "RecruitmentNoticePage",
    "RecruitmentPosition",
    "ReminderKind",
    "ReminderLog",
]
