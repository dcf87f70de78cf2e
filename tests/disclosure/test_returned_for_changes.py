"""A page returned for changes says so where its editor looks: on the dashboard and at the top
of its edit view, naming the step, the reviewer and the comment."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from disclosure.models import PublicationPage
from disclosure.services.moderation import reject, submit_for_review

ITEM = "健康讲座与义诊"  # 医务科's


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def returned(demo_item):
    page = PublicationPage(title="义诊活动安排（待修改）", slug="returned-draft", live=False)
    demo_item(ITEM).add_child(instance=page)
    submit_for_review(page=page, user=_user("medical-editor"))
    reject(page=page, user=_user("medical-head"), comment="请补充义诊地点和时间。")
    return page


def test_the_editors_dashboard_lists_it_with_the_reviewer_and_the_comment(returned, client, login):
    login("medical-editor")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="disclosure-returned-pages-section"', 1)[1]
    assert "义诊活动安排（待修改）" in panel and "请补充义诊地点和时间。" in panel
    assert "医务科 负责人" in panel  # who returned it
    assert reverse("wagtailadmin_pages:edit", args=[returned.pk]) in panel


def test_the_edit_view_opens_with_why_it_was_returned(returned, client, login):
    login("medical-editor")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[returned.pk])).content.decode()
    assert "退回修改" in html and "请补充义诊地点和时间。" in html


def test_once_resubmitted_it_is_no_longer_listed(returned, client, login):
    submit_for_review(
        page=PublicationPage.objects.get(pk=returned.pk), user=_user("medical-editor")
    )
    login("medical-editor")
    assert (
        'id="disclosure-returned-pages-section"'
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_another_department_does_not_see_it(returned, client, login):
    login("pharmacy-editor")
    assert "义诊活动安排（待修改）" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_reviewer_who_returned_it_is_not_shown_it_as_returned(returned, client, login):
    login("medical-head")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="disclosure-returned-pages-section"' not in html
