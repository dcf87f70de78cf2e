"""Who may read a page, from facts about the pages on its path: the rule behind the stored
visibility (``PageReadability``).

A page is read by nobody unless it and every page above it is live. Then the view restrictions
at or above it decide: none, and the public reads it; login restrictions only (a staff-only
item, 职工), and the staff of the institution holding the topmost of them do; a group
restriction, and those who pass every restriction above it (decided at read time, by
membership); a password (or any other kind), and no listing shows it but a superuser's.
Superusers read every page that is not ``nobody``'s.

Pure: paths in, readers out, so that the refresh of a whole tree, the data migration and the
audit's check ask the same function.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

STEPLEN = 4  # treebeard's path step, as Wagtail's Page uses it

PUBLIC, STAFF, GROUPS, SUPERUSERS, NOBODY = "public", "staff", "groups", "superusers", "nobody"

# The kinds of Wagtail's PageViewRestriction (its restriction_type values).
LOGIN_RESTRICTION, GROUPS_RESTRICTION = "login", "groups"


@dataclass(frozen=True)
class PageReaders:
    """Who may read one page. ``staff_path``: the path of the topmost login restriction at or
    above it (``""`` when none), whose institution's staff pass it."""

    readers: str
    staff_path: str = ""


def path_and_ancestors(path: str) -> list[str]:
    """The paths from the root down to ``path`` itself."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def readers_of(
    path: str, *, live: Mapping[str, bool], restrictions: Mapping[str, Set[str]]
) -> PageReaders:
    """Who may read the page at ``path``, given ``live`` (path -> live, for it and every page
    above it; a path missing counts as not live) and ``restrictions`` (path -> the kinds of view
    restriction on that page)."""
    chain = path_and_ancestors(path)
    if not all(live.get(step, False) for step in chain):
        return PageReaders(NOBODY)
    kinds: set[str] = set()
    staff_path = ""
    for step in chain:
        here = restrictions.get(step, ())
        if LOGIN_RESTRICTION in here and not staff_path:
            staff_path = step
        kinds.update(here)
    if kinds - {LOGIN_RESTRICTION, GROUPS_RESTRICTION}:
        # A password is unlocked per session, never for a listing; an unknown kind fails closed.
        return PageReaders(SUPERUSERS)
    if GROUPS_RESTRICTION in kinds:
        return PageReaders(GROUPS, staff_path)
    if LOGIN_RESTRICTION in kinds:
        return PageReaders(STAFF, staff_path)
    return PageReaders(PUBLIC)
