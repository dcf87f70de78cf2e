"""Approving and returning from the dashboard's queue: each action taken is confirmed, each
refusal shows its reason where the reviewer is looking (the dialog, or the dashboard)."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.rich_text import RichText

from disclosure.models import PublicationPage
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review

ITEM = "专家出诊信息"  # owned by 医务科
DASHBOARD = reverse("wagtailadmin_home")


@pytest.fixture
def submitted(demo_item, django_user_model):
    item = demo_item(ITEM)
    page = PublicationPage(title="2027年1月专家出诊信息", slug="workflow-actions", live=False)
    item.add_child(instance=page)
    page.save_revision(user=django_user_model.objects.get(username="medical-editor"))
    submit_for_review(page=page, user=django_user_model.objects.get(username="medical-editor"))
    return PublicationPage.objects.get(pk=page.pk)


def act(client, page, action, data=None, *, ajax=False):
    state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    headers = {"x-requested-with": "XMLHttpRequest"} if ajax else {}
    return client.post(f"{url}?next={DASHBOARD}", data or {}, headers=headers)


def said(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def test_the_head_is_told_the_page_went_on_to_the_office(client, login, submitted):
    login("medical-head")
    response = act(client, submitted, "approve")
    assert response.status_code == 302 and response.url == DASHBOARD
    office_step = PublicationPage.objects.get(pk=submitted.pk).current_workflow_task.name
    assert said(response) == [f"“{submitted.title}”已审核通过，已转交下一步：{office_step}。"]


def test_the_office_is_told_the_page_is_now_public(client, login, submitted, django_user_model):
    approve(page=submitted, user=django_user_model.objects.get(username="medical-head"))
    login("office")
    response = act(client, submitted, "approve", dict.fromkeys(FULL_CHECKLIST, "on"))
    assert PublicationPage.objects.get(pk=submitted.pk).live
    assert said(response) == [f"“{submitted.title}”已审核通过并已公开。"]


def test_a_return_for_changes_is_confirmed(client, login, submitted):
    login("medical-head")
    response = act(client, submitted, "reject", {"comment": "请补充停诊安排。"}, ajax=True)
    assert json.loads(response.content)["step"] == "success"
    assert said(response) == [
        f"已将“{submitted.title}”退回修改，编辑会在工作台和页面顶部看到您的意见。"
    ]


@pytest.fixture
def with_an_id_number(submitted, django_user_model):
    """An ID number written into the draft after it was submitted: approval must refuse it."""
    submitted.body = [("paragraph", RichText("<p>补充：患者身份证号 110105 1949 1231 002X</p>"))]
    submitted.save_revision(user=django_user_model.objects.get(username="medical-editor"))
    return submitted


def test_a_refusal_shows_its_reason_in_the_dialog(client, login, with_an_id_number):
    login("medical-head")
    response = act(client, with_an_id_number, "approve", {"comment": "同意"}, ajax=True)
    answer = json.loads(response.content)
    assert answer["step"] == "action"  # the dialog again, with the reason at its top
    assert "居民身份证号码" in answer["html"]
    assert "110105 1949 1231 002X" not in answer["html"]
    assert said(response) == []
    assert not TaskState.objects.filter(
        workflow_state__object_id=str(with_an_id_number.pk), status=TaskState.STATUS_APPROVED
    ).exists()


def test_a_refusal_without_a_dialog_is_said_on_the_page_returned_to(
    client, login, with_an_id_number
):
    login("medical-head")
    response = act(client, with_an_id_number, "approve")
    assert response.status_code == 302 and response.url == DASHBOARD
    (message,) = said(response)
    assert "居民身份证号码" in message
    assert "权限" not in message
    assert not TaskState.objects.filter(
        workflow_state__object_id=str(with_an_id_number.pk), status=TaskState.STATUS_APPROVED
    ).exists()
