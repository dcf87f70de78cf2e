"""Moving a page never changes who may read live or reviewed content without a review.

An outside review moved a publication from a staff-only item to a public one (the admin's move
and the v3 API's): it was public at once, attachments included. A move that changes who may
read a page (its audience, a restriction, its institution) now needs the review its new place
requires; a move that changes nothing of the kind stays direct, and is on record.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from treebeard.mp_tree import MP_Node

from disclosure.models import Placement, PublicationPage
from disclosure.services.moderation import submit_for_review

STAFF_ITEM = "大额资金使用"  # 财务科, 职工
PUBLIC_ITEM = "医疗服务项目价格"  # 财务科, 社会公众
OTHER_PUBLIC_ITEM = "医用耗材价格"  # 财务科, 社会公众


def office():
    return get_user_model().objects.get(username="office")


@pytest.fixture
def staff_publication(demo_item) -> PublicationPage:
    return PublicationPage.objects.child_of(demo_item(STAFF_ITEM)).live().first()


def parent_of(page):
    return PublicationPage.objects.get(pk=page.pk).get_parent().title


def test_the_office_cannot_move_a_staff_only_publication_to_a_public_item_in_the_admin(
    client, login, demo_item, staff_publication
):
    public = demo_item(PUBLIC_ITEM)
    login("office")
    url = reverse("wagtailadmin_pages:move_confirm", args=[staff_publication.pk, public.pk])
    response = client.post(url, follow=True)

    assert parent_of(staff_publication) == STAFF_ITEM
    assert "会改变可阅读" in response.content.decode()  # the refusal says why
    client.logout()
    assert client.get(staff_publication.url).status_code == 302  # still asks for a login


def test_the_move_chooser_does_not_offer_a_place_where_others_would_read_it(
    demo_item, staff_publication
):
    tester = staff_publication.specific.permissions_for_user(office())
    assert not tester.can_move_to(demo_item(PUBLIC_ITEM))
    assert tester.can_move_to(demo_item("干部任免"))  # another staff-only item (党办)


def test_the_api_refuses_the_same_move(client, demo_item, staff_publication, token_for):
    public = demo_item(PUBLIC_ITEM)
    response = client.post(
        f"/api/v3/pages/{staff_publication.pk}/actions/move/",
        {"destination_id": public.pk, "position": "last-child"},
        content_type="application/json",
        **token_for("office"),
    )
    assert response.status_code == 403, response.content
    assert "会改变可阅读" in response.json()["detail"]  # the refusal says why, as in the admin
    assert parent_of(staff_publication) == STAFF_ITEM


def test_the_api_tells_no_reason_to_whoever_may_not_move_the_page_at_all(
    client, demo_item, staff_publication, token_for
):
    response = client.post(
        f"/api/v3/pages/{staff_publication.pk}/actions/move/",
        {"destination_id": demo_item(PUBLIC_ITEM).pk, "position": "last-child"},
        content_type="application/json",
        **token_for("medical-editor"),  # another department's editor
    )
    assert response.status_code == 403, response.content
    assert "可阅读" not in response.json()["detail"]
    assert parent_of(staff_publication) == STAFF_ITEM


def test_code_cannot_make_the_move_either(demo_item, staff_publication):
    public = demo_item(PUBLIC_ITEM)
    with pytest.raises(PermissionDenied):
        staff_publication.move(public, pos="last-child")  # no user: no permission check
    assert parent_of(staff_publication) == STAFF_ITEM


def test_moving_a_category_into_another_institution_is_refused(demo_item, fresh_site_item):
    other_item = fresh_site_item("内科")
    other_index = other_item.get_parent().get_parent()
    category = demo_item(PUBLIC_ITEM).get_parent()
    admin = get_user_model().objects.get(username="admin")  # may move anything anywhere
    with pytest.raises(PermissionDenied):
        category.move(other_index, pos="last-child", user=admin)
    assert category.get_parent().specific.get_site().pk != other_index.get_site().pk


def test_a_move_that_keeps_the_readers_stays_direct_and_is_on_record(client, login, demo_item):
    publication = PublicationPage.objects.child_of(demo_item(PUBLIC_ITEM)).live().first()
    destination = demo_item(OTHER_PUBLIC_ITEM)
    login("office")
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[publication.pk, destination.pk]))

    assert parent_of(publication) == OTHER_PUBLIC_ITEM
    placement = Placement.objects.filter(page=publication).first()
    assert placement.cause == Placement.Cause.MOVED
    assert placement.parent_id == destination.pk
    assert placement.recorded_by == office()
    assert _check_audit_problems() == ""


def test_a_draft_may_move_anywhere_it_is_reviewed_where_it_stands(demo_item):
    draft = PublicationPage(title="尚未提交的草稿", slug="unsubmitted-draft", live=False)
    demo_item(STAFF_ITEM).add_child(instance=draft)
    draft.move(demo_item(PUBLIC_ITEM), pos="last-child", user=office())
    assert parent_of(draft) == PUBLIC_ITEM


def test_a_page_under_review_cannot_move_where_others_would_read_it(demo_item):
    page = PublicationPage(title="审核中的职工信息", slug="under-review", live=False)
    demo_item(STAFF_ITEM).add_child(instance=page)
    submit_for_review(page=page, user=get_user_model().objects.get(username="finance-editor"))
    with pytest.raises(PermissionDenied):
        page.move(demo_item(PUBLIC_ITEM), pos="last-child", user=office())


def _check_audit_problems() -> str:
    """What ``check_audit`` reports ("" when it passes)."""
    err = io.StringIO()
    try:
        call_command("check_audit", stdout=io.StringIO(), stderr=err)
    except CommandError:
        assert err.getvalue()
    return err.getvalue()


def test_check_audit_names_a_page_moved_around_its_review(demo_item, staff_publication):
    # What got around every guard: the tree itself rewritten (treebeard, no Wagtail action).
    MP_Node.move(staff_publication, demo_item(PUBLIC_ITEM), pos="last-child")
    problems = _check_audit_problems()
    assert "unapproved-position" in problems
    assert staff_publication.title in problems
