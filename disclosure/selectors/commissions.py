"""Who belongs to which health commission, and which institutions each commission's area holds.

A commission's members read the institutions of its area (its own and those of every
commission below it) and change nothing there; its assessors also score them. Every face asks
:class:`CommissionAccess` and nothing else, so the area is computed in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Site

from ..models import Commission
from ..request_memo import memoized
from ..rules.commissions import area_of


def oversight_edges() -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Every commission's own institutions and the commissions it oversees (two queries)."""
    institutions: dict[int, list[int]] = defaultdict(list)
    for commission_id, site_id in Commission.institutions.through.objects.values_list(
        "commission_id", "site_id"
    ):
        institutions[commission_id].append(site_id)
    below: dict[int, list[int]] = defaultdict(list)
    for upper, lower in Commission.oversees.through.objects.values_list(
        "from_commission_id", "to_commission_id"
    ):
        below[upper].append(lower)
    return institutions, below


def commission_areas(commission_ids) -> dict[int, frozenset[int]]:
    """Each commission's area: the site ids of its institutions and those below it."""
    institutions, below = memoized(("commission-edges",), oversight_edges)
    return {pk: area_of(pk, institutions=institutions, below=below) for pk in commission_ids}


@dataclass(frozen=True)
class CommissionAccess:
    """A user's standing towards the commissions, read once: the commissions they read (as a
    reader or an assessor), those they assess for, and the institutions of each area."""

    superuser: bool = False
    reads: frozenset[int] = frozenset()
    assesses: frozenset[int] = frozenset()
    areas: tuple[tuple[int, frozenset[int]], ...] = ()

    @classmethod
    def of(cls, user) -> CommissionAccess:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(superuser=True)
        return memoized(("commission-access", user.pk), lambda: cls._read(user))

    @classmethod
    def _read(cls, user) -> CommissionAccess:
        groups = user.groups.all()
        rows = list(
            Commission.objects.filter(
                Q(readers_group__in=groups) | Q(assessors_group__in=groups)
            ).values_list("pk", "assessors_group_id")
        )
        if not rows:
            return cls()
        group_ids = set(user.groups.values_list("pk", flat=True))
        areas = commission_areas(pk for pk, _ in rows)
        return cls(
            reads=frozenset(pk for pk, _ in rows),
            assesses=frozenset(pk for pk, group in rows if group in group_ids),
            areas=tuple(sorted(areas.items())),
        )

    @property
    def any(self) -> bool:
        return bool(self.superuser or self.reads)

    @property
    def site_ids(self) -> frozenset[int]:
        """Every institution the user reads as a commission member."""
        return frozenset().union(*(area for _, area in self.areas)) if self.areas else frozenset()

    @property
    def assessed_site_ids(self) -> frozenset[int]:
        """The institutions the user may score, as an assessor of a commission over them."""
        return (
            frozenset().union(*(area for pk, area in self.areas if pk in self.assesses))
            if self.assesses
            else frozenset()
        )

    def area(self, commission_id: int) -> frozenset[int]:
        """The institutions of the commission's area as this user reaches them: a member, of
        their commission only; a superuser, of any."""
        if self.superuser:
            return commission_areas([commission_id])[commission_id]
        return dict(self.areas).get(commission_id, frozenset())

    def reads_commission(self, commission_id: int) -> bool:
        return self.superuser or commission_id in self.reads

    def assesses_for(self, commission_id: int) -> bool:
        return self.superuser or commission_id in self.assesses

    def reads_site(self, site_id: int) -> bool:
        return site_id in self.site_ids


def commissions_visible_to(user, *, access: CommissionAccess | None = None) -> QuerySet:
    access = access or CommissionAccess.of(user)
    if access.superuser:
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=access.reads)


def sites_of_area(commission_id: int) -> QuerySet:
    """The institutions of one commission's area, by name."""
    area = commission_areas([commission_id])[commission_id]
    return Site.objects.filter(pk__in=area).order_by("site_name", "hostname")
