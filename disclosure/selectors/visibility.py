"""Which pages a user may see: the one audience filter every face uses."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet


def _passes(restriction: PageViewRestriction, user: User) -> bool:
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return True
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if user.is_superuser:
            return True
        user_groups = set(user.groups.values_list("pk", flat=True))
        return any(group.pk in user_groups for group in restriction.groups.all())
    # Password restrictions are unlocked per session, never for a listing.
    return False


def visible_to(queryset: PageQuerySet, user: User | AnonymousUser | None) -> PageQuerySet:
    """Live pages that ``user`` may view: anonymous callers see only unrestricted pages.

    Costs one query for the restrictions (two for a logged-in user with group restrictions),
    whatever the size of ``queryset``.
    """
    queryset = queryset.live()
    if user is None or not user.is_authenticated:
        return queryset.public()
    failing = Q()
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    for restriction in restrictions:
        if not _passes(restriction, user):
            failing |= Q(path__startswith=restriction.page.path)
    return queryset.exclude(failing) if failing else queryset
