"""The notices of a request as its case page lists them, masked for whoever sees the case
masked: they see that a notice was issued and sent, not its text or the address it went to."""

from __future__ import annotations

from dataclasses import dataclass

from ..models.notices import Notice, NoticeTemplate
from ..models.requests import DisclosureRequest
from ..rules.privacy import mask
from .requests import CaseAccess


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    unmasked: bool

    @property
    def sent_to(self) -> str:
        value = self.notice.sent_to
        return value if self.unmasked else mask("email", value)

    @property
    def awaits_sending(self) -> bool:
        return self.notice.sent_on is None


def notice_rows(case: DisclosureRequest, *, access: CaseAccess) -> list[NoticeRow]:
    """The notices issued on ``case``, oldest first (one query)."""
    unmasked = access.sees_personal_data(case)
    return [
        NoticeRow(notice=notice, unmasked=unmasked)
        for notice in Notice.objects.filter(request=case).select_related("issued_by", "sent_by")
    ]


def latest_notice_id(case) -> int:
    """The id of the case's latest notice (0 for none), to find those an action issues."""
    if not isinstance(case, DisclosureRequest):
        return 0
    return (
        Notice.objects.filter(request=case).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )


def issued_since(case, last_id: int) -> list[Notice]:
    """The notices issued on ``case`` after the one with ``last_id``."""
    if not isinstance(case, DisclosureRequest):
        return []
    return list(Notice.objects.filter(request=case, pk__gt=last_id).order_by("pk"))


def templates_for(access: CaseAccess):
    """The notice templates ``access``'s user may edit: their institutions' (the office)."""
    templates = NoticeTemplate.objects.select_related("site")
    if access.superuser:
        return templates
    return templates.filter(site_id__in=access.office_sites)
