"""Health commissions (卫生健康委员会): their levels, how deep one may oversee another, and the
states of a notice (通报)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

#: A commission oversees its own institutions and those of the commissions below it, at most
#: this many levels down (national → provincial → municipal → county).
MAX_LEVELS_BELOW = 3


class CommissionLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County or district")


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


def area_of(
    commission_id: int,
    *,
    institutions: Mapping[int, Iterable[int]],
    below: Mapping[int, Iterable[int]],
) -> frozenset[int]:
    """The institutions (site ids) in ``commission_id``'s area: its own and, recursively, those
    of every commission it oversees. A cycle (which the forms refuse) ends the walk instead of
    looping."""
    area: set[int] = set()
    seen: set[int] = set()
    stack = [commission_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        area.update(institutions.get(current, ()))
        stack.extend(below.get(current, ()))
    return frozenset(area)


def depth_below(commission_id: int, *, below: Mapping[int, Iterable[int]]) -> int | None:
    """How many levels of commissions lie below ``commission_id`` (0: none); None when the
    oversight loops back onto a commission already on the path."""

    def walk(current: int, path: frozenset[int]) -> int | None:
        deepest = 0
        for child in below.get(current, ()):
            if child in path:
                return None
            depth = walk(child, path | {child})
            if depth is None:
                return None
            deepest = max(deepest, depth + 1)
        return deepest

    return walk(commission_id, frozenset({commission_id}))
