"""A property over generated page trees and generated sequences of what moves who may read a
page (publish, unpublish, move, add or remove a view restriction of each kind, delete): after
every step, every page's stored readers are what the rule says, and what the stored rows list
for the public, a superuser, each institution's staff and each restricting group is exactly
what the computed selector lists (``visibility_problems``).

The tree is of plain pages under a second institution, taken live and unpublished directly:
the review has its own property (test_review_property.py, which checks the same after each of
its steps); what is tested here is that every path that changes a page or a restriction keeps
the stored rows current.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from treebeard.exceptions import InvalidMoveToDescendant
from wagtail.models import Page, PageViewRestriction

from disclosure.services.visibility import visibility_problems

from ..properties import explored

# Slow: run once per CI run, on PostgreSQL (see the README's Tests section).
pytestmark = pytest.mark.slow

SIZE = 7
REFUSED = (PermissionDenied, ValidationError, InvalidMoveToDescendant)

# Node k hangs under one of the nodes before it, or under the institution's home (-1).
trees = st.lists(
    st.tuples(st.integers(-1, SIZE - 1), st.booleans()), min_size=1, max_size=SIZE
).map(lambda nodes: [(min(parent, k - 1), live) for k, (parent, live) in enumerate(nodes)])
node = st.integers(0, SIZE - 1)
actions = st.one_of(
    st.tuples(st.sampled_from(["publish", "unpublish", "unrestrict", "delete"]), node),
    st.tuples(st.just("restrict"), node, st.sampled_from(["login", "groups", "password"])),
    st.tuples(st.just("move"), node, st.integers(-1, SIZE - 1)),
)


def build(home: Page, tree) -> list[int]:
    pages: list[Page] = []
    for number, (parent, live) in enumerate(tree):
        above = home if parent < 0 else pages[parent]
        pages.append(
            above.add_child(instance=Page(title=f"生成{number}", slug=f"g{number}", live=live))
        )
    return [page.pk for page in pages]


def act(home: Page, ids: list[int], group: Group, action: tuple) -> None:
    name, target = action[0], action[1]
    page = Page.objects.filter(pk=ids[target % len(ids)]).first()
    if page is None:  # deleted by an earlier step
        return
    if name in ("publish", "unpublish"):
        page.live = name == "publish"
        page.save()
    elif name == "restrict":
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=action[2], password="x" if action[2] == "password" else ""
        )
        if action[2] == "groups":
            restriction.groups.add(group)
    elif name == "unrestrict":
        PageViewRestriction.objects.filter(page=page).delete()
    elif name == "delete":
        page.delete()
    elif name == "move":
        destination = (
            home if action[2] < 0 else Page.objects.filter(pk=ids[action[2] % len(ids)]).first()
        )
        if destination is not None:
            page.move(destination, pos="last-child")


@explored(30)
@given(tree=trees, steps=st.lists(actions, min_size=1, max_size=12))
def test_stored_readers_are_computed_readers_after_every_step(fresh_site, tree, steps):
    with transaction.atomic():
        home = fresh_site.root_page
        ids = build(home, tree)
        group = Group.objects.create(name="生成的用户组")
        assert [str(problem) for problem in visibility_problems()] == []
        for step in steps:
            try:
                with transaction.atomic():
                    act(home, ids, group, step)
            except REFUSED:
                pass
            assert [str(problem) for problem in visibility_problems()] == [], step
        transaction.set_rollback(True)
