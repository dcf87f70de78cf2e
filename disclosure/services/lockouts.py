"""Lifting a login lockout (django-axes), on the record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import InstitutionSettings
from ..selectors.lockouts import staff_site_ids

if TYPE_CHECKING:
    from axes.models import AccessAttempt

LOCKOUT_LIFT_ACTION = "disclosure.lockout_lift"


@transaction.atomic
def lift_lockout(*, attempt: AccessAttempt, user) -> int:
    """Let ``attempt``'s username log in again from its address, recorded in the audit trail
    with ``user`` as the one who lifted it. Returns how many failed-login records were cleared.

    Axes counts the failures of a username and address together, whatever browser sent them,
    so every record of that pair is cleared, not only the one shown.

    The record is a log entry against each institution whose staff the account is, so that the
    audit trail files it under those institutions: their office and supervisors see it, and
    nobody else's. A lockout of an account outside every institution (a superuser, a name no
    account has) only a superuser lifts; its entry belongs to no institution, and every office
    and supervisor reads such shared entries, so its address stays in the entry's details and
    out of its title.
    """
    details = {"username": attempt.username, "ip_address": attempt.ip_address}
    institutions = InstitutionSettings.objects.filter(site_id__in=staff_site_ids(attempt.username))
    for institution in institutions:
        title = _("%(username)s from %(address)s") % {
            "username": attempt.username,
            "address": attempt.ip_address or "—",
        }
        log(institution, LOCKOUT_LIFT_ACTION, user=user, title=title, data=details)
    if not institutions:
        log(attempt, LOCKOUT_LIFT_ACTION, user=user, title=attempt.username, data=details)
    model = type(attempt)
    _total, cleared = model.objects.filter(
        username=attempt.username, ip_address=attempt.ip_address
    ).delete()
    return cleared.get(model._meta.label, 0)
