"""Whose login lockouts (django-axes) a user may see and lift, and whose staff a locked-out
account is.

Superusers see every lockout. A member of an institution's disclosure office sees only those
of its staff: existing accounts, never a superuser's, in a group of that institution (its
departments' editors or heads, its office or its supervisors). A failed login names a username,
not an account: an unknown name, or another institution's account, is none of the office's
business, and the office must not learn from where someone else tried to log in.

``axes`` is optional for the plugin, so its models are imported where they are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Department, InstitutionSettings
from .scope import is_office_member

if TYPE_CHECKING:
    from axes.models import AccessAttempt

# The list shows the most recent failures only: a flood of guesses must not make it unusable.
RECENT_FAILURES_SHOWN = 500


def can_manage_lockouts(user) -> bool:
    """Superusers and members of any institution's disclosure office."""
    return user.is_active and (user.is_superuser or is_office_member(user))


def _staff_group_filter(institutions: QuerySet[InstitutionSettings]) -> Q:
    """Accounts in a group of one of ``institutions``: its departments' editors or heads, its
    office or its supervisors."""
    departments = Department.objects.filter(site__in=institutions.values("site_id"))
    return (
        Q(groups__in=departments.values("editors_group_id"))
        | Q(groups__in=departments.values("heads_group_id"))
        | Q(groups__in=institutions.values("office_group_id"))
        | Q(groups__in=institutions.values("supervisors_group_id"))
    )


def _usernames_of_staff(institutions: QuerySet[InstitutionSettings]) -> QuerySet:
    """The usernames of the non-superuser accounts on the staff of ``institutions``."""
    User = get_user_model()
    return (
        User.objects.filter(is_superuser=False)
        .filter(_staff_group_filter(institutions))
        .values(User.USERNAME_FIELD)
    )


def lockouts_visible_to(user) -> QuerySet[AccessAttempt]:
    """The failed-login records ``user`` may see and clear, most recent first (one query).

    Superusers: all. An office member: those of their institutions' staff. Anyone else: none.
    """
    from axes.models import AccessAttempt  # optional: only a site with django-axes asks

    attempts = AccessAttempt.objects.order_by("-attempt_time", "-pk")
    if not user.is_active:
        return attempts.none()
    if user.is_superuser:
        return attempts
    offices = InstitutionSettings.objects.filter(office_group__in=user.groups.all())
    return attempts.filter(username__in=_usernames_of_staff(offices))


def recent_failures(user) -> list[AccessAttempt]:
    """Failed logins that ``user`` may see and that still count (within the cool-off), most
    recent first, each marked ``locked`` once it reached the failure limit."""
    from axes.helpers import get_cool_off  # optional: only a site with django-axes asks

    attempts = lockouts_visible_to(user)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = list(attempts[:RECENT_FAILURES_SHOWN])
    for attempt in rows:
        attempt.locked = attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    return rows


def staff_site_ids(username: str) -> list[int]:
    """The institutions (sites) whose staff the account ``username`` is, by the same rule as
    :func:`lockouts_visible_to`: none for a superuser or a name no account has."""
    User = get_user_model()
    account = User.objects.filter(**{User.USERNAME_FIELD: username}, is_superuser=False).first()
    if account is None:
        return []
    groups = account.groups.all()
    from_departments = Department.objects.filter(
        Q(editors_group__in=groups) | Q(heads_group__in=groups)
    ).values_list("site_id", flat=True)
    from_institutions = InstitutionSettings.objects.filter(
        Q(office_group__in=groups) | Q(supervisors_group__in=groups)
    ).values_list("site_id", flat=True)
    return sorted(set(from_departments) | set(from_institutions))
