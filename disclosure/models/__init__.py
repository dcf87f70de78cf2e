from .catalog import (
    Audience,
    CatalogCategoryPage,
    CatalogItemPage,
    Channel,
    DisclosureIndexPage,
    PublicationKind,
)
from .institutions import Department, InstitutionSettings
from .publications import (
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationPage,
    RecruitmentNoticePage,
    RecruitmentPosition,
)

__all__ = [
    "Audience",
    "CatalogCategoryPage",
    "CatalogItemPage",
    "Channel",
    "Department",
    "DisclosureIndexPage",
    "InstitutionSettings",
    "PolicyDocumentPage",
    "PolicyInterpretationPage",
    "ProcurementNoticePage",
    "PublicationAttachment",
    "PublicationKind",
    "PublicationPage",
    "RecruitmentNoticePage",
    "RecruitmentPosition",
]
