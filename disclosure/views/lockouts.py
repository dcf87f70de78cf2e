"""Login lockouts (django-axes) in the admin: who is locked out, and unlocking them.

Registered only when ``axes`` is installed. The disclosure office and superusers may see and
lift lockouts: the office is who staff call when they are locked out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from ..selectors.scope import is_office_member

logger = logging.getLogger(__name__)


def can_manage_lockouts(user) -> bool:
    return user.is_active and (user.is_superuser or is_office_member(user))


def _require_manager(request) -> None:
    if not can_manage_lockouts(request.user):
        raise PermissionDenied


def recent_failures():
    """Failed logins still counted (within the cool-off), most recent first, each marked
    ``locked`` once it reached the failure limit."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.order_by("-attempt_time")
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    limit = settings.AXES_FAILURE_LIMIT
    rows = list(attempts[:500])
    for attempt in rows:
        attempt.locked = attempt.failures_since_start >= limit
    return rows


def lockout_list_view(request):
    _require_manager(request)
    return TemplateResponse(
        request, "disclosure/admin/lockouts.html", {"attempts": recent_failures()}
    )


@require_POST
def unlock_view(request, attempt_id: int):
    from axes.models import AccessAttempt

    _require_manager(request)
    attempt = get_object_or_404(AccessAttempt, pk=attempt_id)
    logger.warning(
        "Login lockout lifted by %s: username %r from %s",
        request.user.get_username(),
        attempt.username,
        attempt.ip_address,
    )
    attempt.delete()
    messages.success(
        request, _("“%(username)s” may log in again.") % {"username": attempt.username}
    )
    return redirect("disclosure_lockouts")
