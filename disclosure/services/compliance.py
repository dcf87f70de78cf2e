"""Recording what keeps an item current: a change (事项变更) and an attestation (无变化确认)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CatalogItemPage
from ..models.compliance import Attestation, ChangeEvent
from ..models.reviewers import office_member_ids
from .audit import create_as


def recording_refusal(item: CatalogItemPage, user) -> str | None:
    """Why ``user`` may not record an attestation or a change on ``item`` (only its department
    and the disclosure office may), or ``None``."""
    department = item.department
    group_ids = {department.editors_group_id, department.heads_group_id} - {None}
    in_department = user.groups.filter(pk__in=group_ids).exists()
    if in_department or user.pk in office_member_ids(item.get_site()):
        return None
    return _("Only the item's department or the disclosure office may do this.")


def _require_department_user(item: CatalogItemPage, user) -> None:
    if (refusal := recording_refusal(item, user)) is not None:
        raise PermissionDenied(refusal)


def record_attestation(
    *, item: CatalogItemPage, user, note: str, on: dt.date | None = None
) -> Attestation:
    """ "Checked, no change": resets a review-interval item's clock from the day it is recorded
    (``on``, the day the check was made, is informational: a past date never moves a deadline
    back). The note is required."""
    _require_department_user(item, user)
    if not note.strip():
        raise ValidationError({"note": _("Say what was checked.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"attested_on": _("A check cannot be dated in the future.")})
    return create_as(
        user, Attestation, item=item, attested_by=user, note=note.strip(), attested_on=on
    )


def record_change(
    *, item: CatalogItemPage, user, changed_on: dt.date, description: str
) -> ChangeEvent:
    """The information changed on ``changed_on``: a publication is now due, counted from that
    day. A change is recorded once it has happened: a later date would push the deadline."""
    _require_department_user(item, user)
    if not description.strip():
        raise ValidationError({"description": _("Say what changed.")})
    if changed_on > timezone.localdate():
        raise ValidationError(
            {"changed_on": _("Record a change once it has happened, not in advance.")}
        )
    return create_as(
        user,
        ChangeEvent,
        item=item,
        recorded_by=user,
        changed_on=changed_on,
        description=description.strip(),
    )
