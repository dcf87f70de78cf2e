"""What supervisors (纪检监察) read: the catalog with each item's standing, the pages under
review and for how long, the pages with unpublished changes, and where a revision stands
against what the public saw. Every list is a fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState
from wagtail.query import PageQuerySet

from ..models.catalog import Audience
from ..models.moderation import ModeratedPageMixin
from . import workdays
from .admin_pages import pages_with_readable_drafts
from .catalog import site_of, site_roots
from .compliance import ItemCompliance, item_compliance
from .scope import held_by, overseen_items, overseen_site_ids

PUBLISH = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH = ("wagtail.unpublish", "wagtail.unpublish.scheduled")


def may_supervise(user) -> bool:
    """Superusers and members of an institution's disclosure office or supervisors group:
    whoever reads an institution as a whole."""
    return user.is_authenticated and (user.is_superuser or bool(overseen_site_ids(user)))


def supervised_pages(user) -> PageQuerySet:
    """The disclosure pages of the institutions ``user`` oversees whose drafts they may read
    (every page of them, for a supervisor)."""
    if not may_supervise(user):
        return Page.objects.none()
    pages = Page.objects.type(ModeratedPageMixin)
    if not user.is_superuser:
        roots = [root for root, site in site_roots() if site.pk in set(overseen_site_ids(user))]
        pages = pages.filter(held_by(roots))
    return pages.filter(pk__in=pages_with_readable_drafts(user).values("pk"))


# The catalog --------------------------------------------------------------------------------


@dataclass
class CategoryRows:
    institution: str
    title: str
    items: list[ItemCompliance]


def catalog_overview(user, *, today: dt.date | None = None) -> list[CategoryRows]:
    """The items ``user`` oversees grouped by institution and category, each with its standing
    from the deadline engine and ``live`` (whether the item is published)."""
    items = overseen_items(user)
    rows = item_compliance(items=items, today=today, summaries=True)
    live = dict(items.values_list("pk", "live"))
    groups: dict[tuple[str, str], CategoryRows] = {}
    for row in rows:
        row.live = live.get(row.item.pk, False)
        row.audience_label = _audience_label(row.item.audience)
        key = (row.institution, row.item.path[: -Page.steplen])
        if key not in groups:
            groups[key] = CategoryRows(institution=row.institution, title=row.category, items=[])
        groups[key].items.append(row)
    return list(groups.values())


def _audience_label(code: str) -> str:
    try:
        return str(Audience(code).label)
    except ValueError:
        return code


# Under review -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InReview:
    page: Page
    item: Page | None
    institution: str
    task: str
    submitted_by: object
    submitted_at: dt.datetime
    task_since: dt.datetime
    working_days: int
    estimated: bool


def _workdays_since(moment: dt.datetime, today: dt.date) -> tuple[int, bool]:
    """Working days from the day of ``moment`` to ``today`` (the day itself not counted), and
    whether the calendar of either year is only an estimate."""
    day = timezone.localtime(moment).date()
    if day >= today:
        return 0, workdays.is_estimated(today)
    return (
        workdays.working_days_between(day, today),
        workdays.is_estimated(day) or workdays.is_estimated(today),
    )


def pages_in_review(user, *, today: dt.date | None = None) -> list[InReview]:
    """Every page of ``user``'s institutions in a workflow now, oldest submission first: its
    current step, who submitted it, since when, and for how many working days. Four queries."""
    today = today or timezone.localdate()
    pages = supervised_pages(user).annotate(key=Cast("pk", CharField()))
    states = list(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.values("key"),
        )
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at", "pk")
    )
    by_id = Page.objects.in_bulk([int(state.object_id) for state in states])
    parents = _parents(by_id.values())
    roots = site_roots()
    rows = []
    for state in states:
        page = by_id.get(int(state.object_id))
        if page is None:
            continue
        task_state = state.current_task_state
        since = task_state.started_at if task_state else state.created_at
        days, estimated = _workdays_since(state.created_at, today)
        site = site_of(page.path, roots)
        rows.append(
            InReview(
                page=page,
                item=parents.get(page.path[: -Page.steplen]),
                institution=(site.site_name or site.hostname) if site else "",
                task=task_state.task.name if task_state else "",
                submitted_by=state.requested_by,
                submitted_at=state.created_at,
                task_since=since,
                working_days=days,
                estimated=estimated,
            )
        )
    return rows


def _parents(pages) -> dict[str, Page]:
    paths = {page.path[: -Page.steplen] for page in pages}
    return {page.path: page for page in Page.objects.filter(path__in=paths)}


# Drafts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    page: Page
    item: Page | None
    revision: Revision
    ever_live: bool
    in_review: bool


def pages_with_drafts(user) -> list[Draft]:
    """Every page of ``user``'s institutions with changes nobody published yet (a new page, or
    a live page with a newer draft), newest draft first, with that draft. Four queries."""
    pages = list(
        supervised_pages(user)
        .filter(has_unpublished_changes=True, latest_revision__isnull=False)
        .select_related("latest_revision__user")
        .order_by("-latest_revision__created_at", "-pk")
    )
    parents = _parents(pages)
    in_review = set(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
        )
        .values_list("object_id", flat=True)
    )
    return [
        Draft(
            page=page,
            item=parents.get(page.path[: -Page.steplen]),
            revision=page.latest_revision,
            ever_live=page.first_published_at is not None,
            in_review=str(page.pk) in in_review,
        )
        for page in pages
    ]


# A revision against what the public saw ------------------------------------------------------


class RevisionKind(enum.Enum):
    LIVE = "live"  # the page's live revision now
    PAST = "past"  # went live, and was later replaced or withdrawn
    DRAFT = "draft"  # the latest revision, not published
    UNPUBLISHED = "unpublished"  # an earlier revision that never went live


@dataclass(frozen=True)
class RevisionStanding:
    kind: RevisionKind
    periods: list[tuple[dt.datetime, dt.datetime | None]]

    @property
    def went_live(self) -> bool:
        return bool(self.periods)


def revision_standing(page: Page, revision: Revision) -> RevisionStanding:
    """Whether ``revision`` of ``page`` is live, was live (and from when to when, read from the
    page's publish and unpublish log entries), is the page's draft or never went live."""
    return revision_standings(page, [revision])[revision.pk]


def revision_standings(page: Page, revisions) -> dict[int, RevisionStanding]:
    """:func:`revision_standing` of each of ``revisions`` of ``page``, in one query."""
    events = list(
        PageLogEntry.objects.filter(page_id=page.pk, action__in=PUBLISH + UNPUBLISH)
        .order_by("timestamp", "pk")
        .values_list("action", "revision_id", "timestamp")
    )
    periods: dict[int, list] = {}
    current: tuple[int, dt.datetime] | None = None
    for action, revision_id, timestamp in events:
        if current is not None:
            periods.setdefault(current[0], []).append((current[1], timestamp))
            current = None
        if action in PUBLISH and revision_id:
            current = (revision_id, timestamp)
    if current is not None:
        periods.setdefault(current[0], []).append((current[1], None))
    return {
        revision.pk: _standing(page, revision, periods.get(revision.pk, []))
        for revision in revisions
    }


def _standing(page: Page, revision: Revision, periods: list) -> RevisionStanding:
    if page.live and page.live_revision_id == revision.pk:
        if not periods:  # live without a publish record (e.g. a page created live)
            periods = [(page.last_published_at or revision.created_at, None)]
        return RevisionStanding(RevisionKind.LIVE, periods)
    if periods:
        closed = [(start, end or page.last_published_at) for start, end in periods]
        return RevisionStanding(RevisionKind.PAST, closed)
    latest = page.latest_revision_id == revision.pk and (
        page.has_unpublished_changes or not page.live
    )
    return RevisionStanding(RevisionKind.DRAFT if latest else RevisionKind.UNPUBLISHED, [])
