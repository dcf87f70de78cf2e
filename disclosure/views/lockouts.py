"""Login lockouts (django-axes) in the admin: who is locked out, and unlocking them.

Registered only when ``axes`` is installed. Superusers, and the disclosure office for its own
institutions' staff, may see and lift lockouts: the office is who staff call when they are
locked out (:mod:`disclosure.selectors.lockouts` says whose).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from ..selectors.lockouts import can_manage_lockouts, lockouts_visible_to, recent_failures
from ..services.lockouts import lift_lockout

logger = logging.getLogger(__name__)


def _require_manager(request) -> None:
    if not can_manage_lockouts(request.user):
        raise PermissionDenied


def lockout_list_view(request):
    _require_manager(request)
    return TemplateResponse(
        request,
        "disclosure/admin/lockouts.html",
        {"attempts": recent_failures(request.user), "scoped": not request.user.is_superuser},
    )


@require_POST
def unlock_view(request, attempt_id: int):
    _require_manager(request)
    # Someone else's lockout (a superuser's, another institution's staff's, an unknown name's)
    # answers as a missing one does: the office learns nothing of it.
    attempt = get_object_or_404(lockouts_visible_to(request.user), pk=attempt_id)
    logger.warning(
        "Login lockout lifted by %s: username %r from %s",
        request.user.get_username(),
        attempt.username,
        attempt.ip_address,
    )
    lift_lockout(attempt=attempt, user=request.user)
    messages.success(
        request, _("“%(username)s” may log in again.") % {"username": attempt.username}
    )
    return redirect("disclosure_admin:lockouts")
