"""Keeping each page's stored readers (``PageReadability``) current.

Every change that moves who may read a page calls :func:`refresh_visibility` in its own
transaction: a page saved (created, published, unpublished, moved: see :func:`page_saved`), a
view restriction added, changed or removed (an item's audience is one), and every bulk writer
of pages (the demo's scale, the tests' growth). A subtree is refreshed in a few queries
whatever its size: one read of its pages, one of the pages and restrictions above it, and one
upsert per thousand rows.

Who reads what is decided by ``rules.readers.readers_of``; ``check_audit`` compares the stored
rows with it and with the computed selector (``visibility_problems``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, PageViewRestriction

from ..models import PageReadability
from ..models.institutions import institution_roots
from ..rules.readers import NOBODY, PUBLIC, PageReaders, path_and_ancestors, readers_of
from ..selectors.visibility import computed_visible_to, stored_visible
from .audit import Problem

BATCH = 500  # paths per ``IN`` and rows per upsert: under SQLite's limit on parameters


def _chunks(values: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def expected_readers(
    rows: list[tuple[int, str, bool]], *, page_model=Page, restriction_model=PageViewRestriction
) -> dict[int, PageReaders]:
    """Who may read each of ``rows`` ((id, path, live) of pages). Reads the restrictions (one
    query: there are as many as restricted items at most) and the pages above ``rows`` that are
    not among them (one query per 500)."""
    live = {path: is_live for _pk, path, is_live in rows}
    above = sorted({step for _pk, path, _live in rows for step in path_and_ancestors(path)})
    missing = [path for path in above if path not in live]
    for chunk in _chunks(missing):
        live.update(page_model.objects.filter(path__in=chunk).values_list("path", "live"))
    restrictions: dict[str, set[str]] = defaultdict(set)
    for path, kind in restriction_model.objects.values_list("page__path", "restriction_type"):
        restrictions[path].add(kind)
    return {pk: readers_of(path, live=live, restrictions=restrictions) for pk, path, _live in rows}


def _write(rows: list[tuple[int, str, bool]], expected: dict[int, PageReaders], model) -> None:
    fields = ["readers", "staff_path", "path", "live", "refreshed_at"]
    for chunk in _chunks(rows):
        model.objects.bulk_create(
            [
                model(
                    page_id=pk,
                    readers=expected[pk].readers,
                    staff_path=expected[pk].staff_path,
                    path=path,
                    live=is_live,
                )
                for pk, path, is_live in chunk
            ],
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=fields,
        )


def refresh_visibility(
    *,
    below: Page | None = None,
    below_path: str | None = None,
    page_ids: Iterable[int] | None = None,
    page_model=Page,
    restriction_model=PageViewRestriction,
    readability_model=PageReadability,
) -> int:
    """Write the readers of ``below`` and every page under it (or of the pages whose path
    starts with ``below_path``), of the pages ``page_ids``, or (none given) of every page.
    Returns how many rows were written.

    The models may be given (a data migration passes its historical ones)."""
    pages = page_model.objects.order_by("path")
    if below is not None:
        pages = pages.filter(path__startswith=below.path)
    elif below_path is not None:
        pages = pages.filter(path__startswith=below_path)
    elif page_ids is not None:
        pages = pages.filter(pk__in=list(page_ids))
    rows = list(pages.values_list("pk", "path", "live"))
    if not rows:
        return 0
    expected = expected_readers(rows, page_model=page_model, restriction_model=restriction_model)
    with transaction.atomic():
        _write(rows, expected, readability_model)
    return len(rows)


def page_saved(page: Page) -> None:
    """After ``page`` was saved: refresh its row, and its subtree's when what it passes on may
    have changed (it is new, it went live or not, or it moved: a move rewrites the paths below
    it too). A save that changes neither (a new draft revision, a title) costs one query.

    Going live or not, the page's subtree is rewritten whatever its answer: the database
    withdrew the rows below it when its live flag changed (``models/visibility_triggers.py``),
    and only a rewrite from the tree marks them current again. So is a page whose row was
    withdrawn (a page above it unpublished around Django, for one)."""
    stored = (
        PageReadability.objects.filter(page_id=page.pk)
        .values_list("path", "live", "current")
        .first()
    )
    if stored is not None and stored == (page.path, page.live, True):
        return
    if stored is not None and stored[0] != page.path:
        # Moved: treebeard renumbered in SQL the siblings it passed, and everything below them,
        # under the parent it left and the one it joined (a reorder is a move among siblings).
        for parent_path in sorted({stored[0][: -Page.steplen], page.path[: -Page.steplen]}):
            refresh_visibility(below_path=parent_path)
        return
    refresh_visibility(below=page)


def restriction_changed(page_id: int) -> None:
    """After a view restriction on the page ``page_id`` was saved or deleted."""
    page = Page.objects.filter(pk=page_id).only("path").first()
    if page is not None:
        refresh_visibility(below=page)


# Checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    """A reader for :func:`computed_visible_to` that no account needs to exist for."""

    is_superuser: bool = False
    is_authenticated: bool = True
    group_ids: tuple[int, ...] = ()

    @property
    def groups(self):
        return Group.objects.filter(pk__in=self.group_ids)


def _stored_problems(rows: list[tuple[int, str, bool]]) -> Iterator[Problem]:
    expected = expected_readers(rows)
    written = PageReadability.objects.all()
    if len(rows) < BATCH:  # a few pages (a test's): not the whole table
        written = written.filter(page_id__in=[pk for pk, _path, _live in rows])
    stored = {
        pk: (readers, staff_path, path, live, current)
        for pk, readers, staff_path, path, live, current in written.values_list(
            "page_id", "readers", "staff_path", "path", "live", "current"
        )
    }
    for pk, path, is_live in rows:
        want = expected[pk]
        have = stored.get(pk)
        name = f"page {pk} ({path})"
        right = have is not None and have[:4] == (want.readers, want.staff_path, path, is_live)
        if have is None:
            yield Problem(
                "readers-missing", f"{name} has no stored readers: nobody reads it until refreshed"
            )
        elif right and not have[4]:
            # Right, but not marked current: withdrawn when a page or a view restriction at or
            # above it was written around Django, or the database's triggers are missing.
            yield Problem(
                "readers-stale",
                f"{name} has the right readers but is not marked current: nobody reads it "
                "until refresh_visibility rewrites it (was a page or a view restriction above "
                "it written around Django? are the triggers of migrations disclosure 0026 and "
                "0027 in place?)",
            )
        elif not right:
            # Read by more people than the rule allows: the critical kind.
            opened = have[0] != want.readers and (have[0] == PUBLIC or want.readers == NOBODY)
            yield Problem(
                "readers-too-open" if opened else "readers-stale",
                f"{name} is stored as read by “{have[0]}” {have[1]} at {have[2]} "
                f"(live: {have[3]}), but is read by “{want.readers}” {want.staff_path} at {path} "
                f"(live: {is_live})",
            )


def _probes() -> list[tuple[str, _Probe, dict]]:
    """The readers whose listings are compared: the public, a superuser, the staff of each
    institution and the members of each group a page is restricted to."""
    probes = [
        ("the public", None, {}),
        ("a superuser", _Probe(is_superuser=True), {"superuser": True}),
    ]
    for root, site in institution_roots():
        probes.append((f"the staff of site {site.pk}", _Probe(), {"staff_roots": [root]}))
    restricting = PageViewRestriction.groups.through.objects.values_list(
        "group_id", flat=True
    ).distinct()
    for group_id in sorted(set(restricting)):
        probes.append(
            (
                f"group {group_id}",
                _Probe(group_ids=(group_id,)),
                {"groups": Group.objects.filter(pk=group_id)},
            )
        )
    return probes


def _listing_problems(pages) -> Iterator[Problem]:
    for who, probe, stored_as in _probes():
        staff_roots = stored_as.get("staff_roots", [])
        computed = set(
            computed_visible_to(pages, probe, staff_roots=staff_roots).values_list("pk", flat=True)
        )
        stored = set(stored_visible(pages.live(), **stored_as).values_list("pk", flat=True))
        for pk in sorted(stored - computed):
            yield Problem("readers-too-open", f"page {pk} is listed for {who}, who may not read it")
        for pk in sorted(computed - stored):
            yield Problem("readers-too-closed", f"page {pk} is hidden from {who}, who may read it")


def _overlapping_sites() -> Iterator[Problem]:
    """Sites rooted at, above or below another's root: refused on every path through Django,
    so a sign of a write around it (each page still belongs to its nearest root)."""
    roots = sorted(institution_roots(), key=lambda row: row[0])
    for number, (outer, outer_site) in enumerate(roots):
        for inner, inner_site in roots[number + 1 :]:
            if inner.startswith(outer):
                yield Problem(
                    "sites-overlap",
                    f"site {inner_site.pk} ({inner_site.hostname}) is rooted at or below the "
                    f"root of site {outer_site.pk} ({outer_site.hostname})",
                )


def visibility_problems(pages=None) -> list[Problem]:
    """Every page's stored readers against the rule (``readers-missing``, ``readers-stale``,
    ``readers-too-open``), and what the stored rows list for each kind of reader against the
    computed selector (``readers-too-open``: listed to someone who may not read it, the
    critical one; ``readers-too-closed``); and sites whose trees overlap (``sites-overlap``).
    ``pages``: only these (a queryset of pages; ``check_audit`` checks all)."""
    pages = Page.objects.all() if pages is None else pages
    rows = list(pages.order_by("path").values_list("pk", "path", "live"))
    return [*_overlapping_sites(), *_stored_problems(rows), *_listing_problems(pages)]
