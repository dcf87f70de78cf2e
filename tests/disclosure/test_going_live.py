"""An approval takes a revision live once, where it was given.

Found by the second outside attack: after the office unpublished a staff-only publication and
moved it under a public item (allowed: it was no longer live), the v3 API's publish put the
old, once-approved revision live there, for the office or for another institution's office,
anyone holding a publish permission somewhere. And a scheduled publication, approved but not
yet live, was moved by its editor under a public item and went live there on schedule.
"""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone
from treebeard.mp_tree import MP_Node
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page

from disclosure.models import PublicationPage
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review

STAFF_ITEM = "大额资金使用"  # 财务科, 职工
PUBLIC_ITEM = "医疗服务项目价格"  # 财务科, 社会公众


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def staff_publication(demo_item) -> PublicationPage:
    return PublicationPage.objects.child_of(demo_item(STAFF_ITEM)).live().first()


def test_the_v3_api_never_publishes_a_disclosure_page(client, staff_publication, token_for):
    UnpublishPageAction(staff_publication, user=user("office")).execute()
    for who in ("office", "admin"):
        response = client.post(
            f"/api/v3/pages/{staff_publication.pk}/actions/publish/",
            content_type="application/json",
            **token_for(who),
        )
        assert response.status_code == 403, who
        assert "须经审核" in response.json()["detail"]
    assert not Page.objects.get(pk=staff_publication.pk).live


def test_an_unpublished_page_goes_through_the_review_again(staff_publication):
    UnpublishPageAction(staff_publication, user=user("office")).execute()
    page = PublicationPage.objects.get(pk=staff_publication.pk)
    with pytest.raises(PermissionDenied, match="重新审核"):
        page.get_latest_revision().publish(user=user("office"))
    assert not Page.objects.get(pk=page.pk).live


def test_unpublish_move_and_republish_is_refused(demo_item, staff_publication):
    UnpublishPageAction(staff_publication, user=user("office")).execute()
    page = PublicationPage.objects.get(pk=staff_publication.pk)
    page.move(demo_item(PUBLIC_ITEM), pos="last-child", user=user("office"))  # a draft now
    page = PublicationPage.objects.get(pk=page.pk)
    with pytest.raises(PermissionDenied):
        page.get_latest_revision().publish(user=user("office"))
    assert not Page.objects.get(pk=page.pk).live


@pytest.fixture
def scheduled(demo_item) -> PublicationPage:
    """Approved by the department and the office, to go live in an hour."""
    page = PublicationPage(title="职工福利发放计划（定时）", slug="scheduled-welfare", live=False)
    page.go_live_at = timezone.now() + dt.timedelta(hours=1)
    demo_item(STAFF_ITEM).add_child(instance=page)
    submit_for_review(page=page, user=user("finance-editor"))
    approve(page=page, user=user("finance-head"))
    approve(page=page, user=user("office"), checklist=FULL_CHECKLIST)
    page = PublicationPage.objects.get(pk=page.pk)
    assert not page.live and page.get_latest_revision().approved_go_live_at
    return page


def test_a_scheduled_publication_cannot_be_moved_where_others_read(demo_item, scheduled):
    with pytest.raises(PermissionDenied):
        scheduled.move(demo_item(PUBLIC_ITEM), pos="last-child", user=user("finance-editor"))
    assert Page.objects.get(pk=scheduled.pk).get_parent().title == STAFF_ITEM


def test_a_scheduled_publication_moved_behind_the_guards_does_not_go_live(demo_item, scheduled):
    MP_Node.move(scheduled, demo_item(PUBLIC_ITEM), pos="last-child")  # behind every guard
    with pytest.raises(PermissionDenied):
        scheduled.get_latest_revision().publish(user=user("office"))


def later(hours: int):
    """Run the block as if it were ``hours`` hours from now."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(hours=hours)
    )


def test_a_scheduled_publication_goes_live_where_it_was_approved(scheduled):
    with later(2):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert Page.objects.get(pk=scheduled.pk).live


def test_a_scheduled_publication_unpublished_after_going_live_needs_review_again(scheduled):
    with later(2):
        call_command("publish_scheduled", stdout=io.StringIO())
    page = PublicationPage.objects.get(pk=scheduled.pk)
    UnpublishPageAction(page, user=user("office")).execute()
    with later(3), pytest.raises(PermissionDenied):
        PublicationPage.objects.get(pk=page.pk).get_latest_revision().publish(user=user("office"))


def test_check_audit_names_a_revision_put_live_twice_with_one_approval(staff_publication):
    # Behind every guard: the page unpublished, then its old revision put live again.
    UnpublishPageAction(staff_publication, user=user("office")).execute()
    page = PublicationPage.objects.get(pk=staff_publication.pk)
    revision = page.get_latest_revision()
    from wagtail.actions.publish_page_revision import PublishPageRevisionAction

    PublishPageRevisionAction(revision, user=user("office")).execute(skip_permission_checks=True)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_audit", stdout=io.StringIO(), stderr=err)
    assert "republished-without-review" in err.getvalue()
