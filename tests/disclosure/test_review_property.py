"""Whatever people do, in any order, nothing reaches readers it was not approved for.

Generated sequences of actions (edit, submit, approve, reject, resubmit, move, unpublish,
publish, emergency publication) by generated users of the demo hospital, on publications under
a staff-only item and two public ones. After every step, for each page an anonymous visitor or
another institution's staff can read:

* it is not staff-only content (nothing above it is a staff-only item);
* its live revision went live through two different people's approvals, the department's then
  the office's last, neither of them an author of what went live, while the page stood where
  it stands now or somewhere with the same readers; or it is a logged emergency publication of
  a publication under a public item.

This oracle is written here from the records (task states, revisions, log entries), not with
the plugin's own ``revision_is_cleared``. And ``check_audit``'s page checks find nothing wrong
on every state the actions reach; when a step goes around every guard (the tree or the page
row rewritten directly), they must name the page whenever the oracle fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from treebeard.exceptions import InvalidMoveToDescendant
from treebeard.mp_tree import MP_Node
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, PageLogEntry, Revision, Site, TaskState

from disclosure.models import (
    CatalogItemPage,
    DepartmentHeadTask,
    EmergencyPublication,
    OfficeReviewTask,
    PublicationPage,
)
from disclosure.selectors.visibility import visible_to
from disclosure.services.audit import live_page_problems
from disclosure.services.departments import ensure_department_groups
from disclosure.services.moderation import (
    FULL_CHECKLIST,
    approve,
    emergency_publish,
    reject,
    submit_for_review,
)
from disclosure.services.visibility import visibility_problems

from ..properties import explored

pytestmark = pytest.mark.slow

ITEMS = (
    "大额资金使用",
    "医疗服务项目价格",
    "健康讲座与义诊",
)  # staff (财务科), public, public (医务科)

USERS = (
    "finance-editor",
    "finance-head",
    "medical-editor",
    "medical-head",
    "office",
    "office-deputy",
    "supervisor",
)
PAGES = 3  # one draft under each item, plus one live staff-only publication of the demo
REFUSED = (PermissionDenied, ValidationError, InvalidMoveToDescendant)

user = st.integers(0, len(USERS) - 1)
# Mostly the public item's draft, so that sequences go deep into one review.
page = st.sampled_from([1, 1, 1, 0, 2, 3])
# "advance" and "send_back" are taken by whoever the current step expects (its department's
# head, then an office member who wrote nothing), and a "round" takes a page through a whole
# review (submitted or resubmitted by its department's editor, then advanced until the
# department or the office sends it back, or until it goes through): they carry sequences
# deep into the review, where users picked at random are mostly refused. The rest are by
# anyone, as generated.
VERBS = ["advance", "advance", "send_back", "submit", "resubmit", "edit", "approve", "reject"]
actions = st.one_of(
    st.tuples(st.just("round"), page, user, st.sampled_from(["through", "office", "head"])),
    st.tuples(st.sampled_from(VERBS), page, user),
    st.tuples(st.just("move"), page, user, st.integers(0, len(ITEMS) - 1)),
    st.tuples(st.sampled_from(["unpublish", "publish", "emergency"]), page, user),
    st.tuples(st.just("unpublish_item"), st.integers(0, len(ITEMS) - 1), user),
)
BYPASSES = st.sampled_from(["raw_move", "raw_live", "raw_audience"])


@dataclass
class World:
    site: Site
    items: list[CatalogItemPage]
    pages: list[PublicationPage]
    users: list
    outsider: object  # another institution's staff

    def page(self, index: int) -> PublicationPage:
        return PublicationPage.objects.get(pk=self.pages[index].pk)

    def user(self, index: int):
        return self.users[index]


def build(fresh_site_item) -> World:
    site = Site.objects.get(is_default_site=True)
    items = [
        CatalogItemPage.objects.descendant_of(site.root_page).get(title=title) for title in ITEMS
    ]
    users = [get_user_model().objects.get(username=name) for name in USERS]
    pages = []
    for number, item in enumerate(items):
        draft = PublicationPage(title=f"生成的公开信息{number}", slug=f"generated-{number}")
        draft.live = False
        item.add_child(instance=draft)
        editor = item.department.editors_group.user_set.first()
        draft.save_revision(user=editor)
        pages.append(draft)
    pages.append(PublicationPage.objects.child_of(items[0]).live().first())
    department = ensure_department_groups(department=fresh_site_item("内科").department)
    outsider = get_user_model().objects.create_user("outsider", password="x")
    outsider.groups.add(department.editors_group)
    return World(site=site, items=items, pages=pages, users=users, outsider=outsider)


def act(world: World, action: tuple) -> None:
    name, target, who = action[0], action[1], world.user(action[2])
    if name == "unpublish_item":
        item = CatalogItemPage.objects.get(pk=world.items[target].pk)
        UnpublishPageAction(item, user=who).execute()
        return
    page = world.page(target)
    if name == "round":
        review_round(page, stop_at=action[3])
    elif name in ("advance", "send_back"):
        who = expected_reviewer(page)
        if who is None:
            return
        if name == "advance":
            approve(page=page, user=who, checklist=FULL_CHECKLIST)
        else:
            reject(page=page, user=who, comment="请修改")
    elif name == "edit":
        page.summary = f"{who.username}修改"
        page.save_revision(user=who)
    elif name == "submit":
        submit_for_review(page=page, user=who)
    elif name == "approve":
        approve(page=page, user=who, checklist=FULL_CHECKLIST)
    elif name == "reject":
        reject(page=page, user=who, comment="请修改")
    elif name == "resubmit":  # the admin's resubmit: a new revision, then Wagtail's resume
        state = page.current_workflow_state
        if state is None or state.status != state.STATUS_NEEDS_CHANGES:
            return
        page.save_revision(user=who)
        state.resume(user=who)
    elif name == "move":
        page.move(world.items[action[3]], pos="last-child", user=who)
    elif name == "unpublish":
        UnpublishPageAction(page, user=who).execute()
    elif name == "publish":
        page.get_latest_revision().publish(user=who)
    elif name == "emergency":
        emergency_publish(page=page, user=who, reason="突发事件")


def review_round(page: PublicationPage, *, stop_at: str) -> None:
    """Its editor submits (or resubmits) it; then the expected reviewers approve until the
    step named by ``stop_at`` ("head", "office") sends it back, or until it goes through."""
    editor = page.get_parent().specific.department.editors_group.user_set.first()
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        page.save_revision(user=editor)
        state.resume(user=editor)
    elif state is None:
        submit_for_review(page=page, user=editor)
    for _step in range(4):
        page = PublicationPage.objects.get(pk=page.pk)
        task_state = page.current_workflow_task_state
        who = expected_reviewer(page)
        if task_state is None or who is None:
            return
        step = "head" if isinstance(task_state.task.specific, DepartmentHeadTask) else "office"
        if step == stop_at:
            reject(page=page, user=who, comment="请修改")
            return
        approve(page=page, user=who, checklist=FULL_CHECKLIST)


def expected_reviewer(page: PublicationPage):
    """Who the page's current step expects: a head of its department, or an office member
    who wrote nothing since it last went live."""
    state = page.current_workflow_task_state
    if state is None:
        return None
    task = state.task.specific
    candidates = get_user_model().objects.filter(pk__in=task.approver_ids(page)).order_by("pk")
    authors = set(
        Revision.page_revisions.filter(object_id=str(page.pk)).values_list("user_id", flat=True)
    )
    return next((u for u in candidates if u.pk not in authors), None)


def bypass(world: World, name: str, target: int) -> None:
    """A step around every guard: what only the database itself could do."""
    page = world.page(target)
    if name == "raw_move":
        MP_Node.move(page, world.items[(target + 1) % len(ITEMS)], pos="last-child")
    elif name == "raw_live" and page.latest_revision_id:
        Page.objects.filter(pk=page.pk).update(live=True, live_revision=page.latest_revision)
    elif name == "raw_audience":
        CatalogItemPage.objects.filter(pk=world.items[0].pk).update(audience="public")
        world.items[0].view_restrictions.all().delete()


# The oracle ------------------------------------------------------------------------------------


def _under_staff_item(page: Page) -> bool:
    return CatalogItemPage.objects.filter(
        pk__in=page.get_ancestors().values("pk"), audience="staff"
    ).exists()


def _readers(parent: Page) -> tuple:
    """Who may read a page under ``parent``, as the oracle sees it: the institution and the
    audience of the item above."""
    item = (
        CatalogItemPage.objects.filter(pk__in=parent.get_ancestors(inclusive=True).values("pk"))
        .order_by("-depth")
        .first()
    )
    return (parent.get_site().pk if parent.get_site() else None, item.audience if item else None)


def _parent_at(page: Page, revision: Revision, moment) -> Page | None:
    """Where ``page`` stood at ``moment``: under the parent its revision was saved under, then
    wherever the logged moves took it."""
    parent = Page.objects.filter(path=revision.content["path"][: -Page.steplen]).first()
    for move in PageLogEntry.objects.filter(
        page=page, action="wagtail.move", timestamp__gt=revision.created_at, timestamp__lte=moment
    ).order_by("timestamp", "pk"):
        parent = Page.objects.filter(pk=move.data["destination"]["id"]).first()
    return parent


def why_not_approved(page: PublicationPage) -> str | None:
    """Why ``page`` should not be readable by the public, from the records, or ``None``."""
    if _under_staff_item(page):
        return "staff-only content is readable"
    item = page.get_parent().specific
    if isinstance(item, CatalogItemPage) and (
        item.live_revision is None or item.live_revision.content.get("audience") != item.audience
    ):
        return "its item is open to readers it was not approved for"
    revision = page.live_revision
    if revision is None:
        return "live without a live revision"
    if EmergencyPublication.objects.filter(revision=revision).exists():
        return None if getattr(item, "audience", None) != "staff" else "emergency under staff"
    approvals = list(
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .select_related("task")
        .order_by("finished_at", "pk")
    )
    if len(approvals) < 2:
        return "fewer than two approvals"
    head, office = approvals[-2], approvals[-1]
    if not isinstance(head.task.specific, DepartmentHeadTask) or not isinstance(
        office.task.specific, OfficeReviewTask
    ):
        return "approvals out of order"
    if head.finished_by_id == office.finished_by_id:
        return "one person approved twice"
    previous = (
        PageLogEntry.objects.filter(
            page=page, action="wagtail.publish", timestamp__lt=office.finished_at
        )
        .exclude(revision=revision)
        .order_by("-timestamp")
        .first()
    )
    authors = Revision.page_revisions.filter(object_id=str(page.pk), pk__lte=revision.pk)
    if previous is not None:
        authors = authors.filter(created_at__gt=previous.timestamp)
    if {head.finished_by_id, office.finished_by_id} & set(
        authors.values_list("user_id", flat=True)
    ):
        return "an approver wrote what went live"
    # Both approvals, and every move since, with the same readers as where it stands now.
    now = page.get_parent()
    places = [
        _parent_at(page, revision, head.finished_at),
        _parent_at(page, revision, office.finished_at),
        _parent_at(page, revision, page.last_published_at),
    ]
    if any(place is None or _readers(place) != _readers(now) for place in places):
        return "approved where other people read it"
    if places[-1].pk != now.pk and _readers(places[-1]) != _readers(now):
        return "moved to other readers without a record"
    return None


def readable_pages(world: World) -> set[int]:
    ours = Page.objects.descendant_of(world.site.root_page)
    return set(visible_to(ours, None).values_list("pk", flat=True)) | set(
        visible_to(ours, world.outsider).values_list("pk", flat=True)
    )


def violations(world: World) -> dict[int, str]:
    readable = readable_pages(world)
    found = {}
    for tracked in world.pages:
        page = PublicationPage.objects.get(pk=tracked.pk)
        if page.pk in readable:
            why = why_not_approved(page)
            if why is not None:
                found[page.pk] = why
    return found


@explored(60)
@given(steps=st.lists(actions, min_size=1, max_size=20), around=st.lists(BYPASSES, max_size=1))
def test_nothing_reaches_readers_it_was_not_approved_for(fresh_site_item, steps, around):
    with transaction.atomic():
        world = build(fresh_site_item)
        tracked = [page.pk for page in world.pages] + [item.pk for item in world.items]
        for step in steps:
            try:
                with transaction.atomic():
                    act(world, step)
            except REFUSED:
                pass
            assert violations(world) == {}, step
            assert [str(p) for p in live_page_problems(tracked)] == [], step
            # Who may read each page, as stored, is who may read it, as computed.
            pages = Page.objects.filter(pk__in=tracked)
            assert [str(p) for p in visibility_problems(pages)] == [], step
        for name in around:
            bypass(world, name, steps[-1][1] % len(world.pages))
            if violations(world):
                assert list(live_page_problems(tracked)), (name, violations(world))
        transaction.set_rollback(True)
