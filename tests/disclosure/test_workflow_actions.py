"""Approving and returning from the dashboard's queue: each action taken is confirmed, each
refusal shows its reason where the reviewer is looking (the dialog, or the dashboard)."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from lxml import html
from wagtail.models import Page, Task, TaskState, WorkflowState
from wagtail.permissions import policy_registry
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


@pytest.fixture
def another(demo_item, django_user_model):
    """A second publication in review, under 财务科's item."""
    item = demo_item("收费依据与费用查询")
    editor = django_user_model.objects.get(username="finance-editor")
    page = PublicationPage(title="收费标准调整说明", slug="workflow-actions-other", live=False)
    item.add_child(instance=page)
    page.save_revision(user=editor)
    submit_for_review(page=page, user=editor)
    return PublicationPage.objects.get(pk=page.pk)


@pytest.mark.parametrize("view", ["workflow_action", "collect_workflow_action_data"])
def test_a_task_state_of_another_page_is_not_found(
    client, login, submitted, another, django_user_model, view
):
    # The office reviews the other page; the dialog must not show the first page's approval.
    approve(page=submitted, user=django_user_model.objects.get(username="medical-head"))
    approve(page=another, user=django_user_model.objects.get(username="finance-head"))
    login("office")
    foreign = TaskState.objects.get(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse(f"wagtailadmin_pages:{view}", args=[another.pk, "approve", foreign.pk])
    headers = {"x-requested-with": "XMLHttpRequest"}
    assert client.get(url, headers=headers).status_code == 404
    assert client.post(url, dict.fromkeys(FULL_CHECKLIST, "on"), headers=headers).status_code == 404
    assert not PublicationPage.objects.get(pk=submitted.pk).live


def test_an_action_the_user_may_not_take_says_why(client, login, submitted):
    login("supervisor")  # reads the page's drafts, approves nothing
    response = act(client, submitted, "approve")
    assert response.status_code == 302
    assert said(response) == ["您不是本环节的审核人。"]


def test_who_may_not_read_the_drafts_learns_nothing_of_the_review(
    client, login, submitted, django_user_model
):
    """Wagtail's workflow views name the page by its latest draft's title, or its step, before
    they check anything: here they answer only those who may read its drafts."""
    submitted.title = "草稿中的新标题"
    submitted.save_revision(user=django_user_model.objects.get(username="medical-editor"))
    state = TaskState.objects.get(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    approve(page=submitted, user=django_user_model.objects.get(username="medical-head"))
    login("finance-head")  # another department's head
    urls = [
        # A finished step of the page: Wagtail said the page "is not awaiting moderation".
        reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", state.pk]),
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[submitted.pk, "approve", state.pk],
        ),
        reverse("wagtailadmin_pages:workflow_preview", args=[submitted.pk, state.task_id]),
        reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[submitted.pk]),
    ]
    for url in urls:
        for response in (
            client.get(url, follow=True),
            client.get(url, headers={"x-requested-with": "XMLHttpRequest"}),
        ):
            text = response.content.decode() + " ".join(said(response))
            assert "草稿中的新标题" not in text, url
            assert "审核" not in " ".join(said(response)), url  # nor its step


def test_a_step_already_over_says_so(client, login, submitted, django_user_model):
    state = TaskState.objects.get(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    approve(page=submitted, user=django_user_model.objects.get(username="medical-head"))
    login("medical-head")
    url = reverse("wagtailadmin_pages:workflow_action", args=[submitted.pk, "approve", state.pk])
    response = client.post(f"{url}?next={DASHBOARD}")
    assert response.status_code == 302 and response.url == DASHBOARD
    assert said(response) == ["这一审核环节已经结束。"]


def options(response, name) -> set[str]:
    tree = html.fromstring(response.content.decode())
    return {
        option.text_content().strip()
        for option in tree.xpath(f'//select[@name="{name}"]/option')
        if option.get("value")
    }


def test_the_workflow_reports_filters_name_only_what_the_user_sees(client, login, submitted):
    user = login("medical-editor")
    # The pages the report lists for them, as Wagtail's report asks the permission policy.
    editable = (
        policy_registry.get_by_type(Page)
        .instances_user_has_permission_for(user, "change")
        .values_list("pk", flat=True)
    )
    theirs = WorkflowState.objects.filter(object_id__in=[str(pk) for pk in editable])
    everyone = set(WorkflowState.objects.values_list("requested_by__username", flat=True))
    listed = set(theirs.values_list("requested_by__username", flat=True))
    assert everyone - listed, "others requested reviews elsewhere (else nothing to hide)"

    response = client.get(reverse("wagtailadmin_reports:workflow"))
    offered = options(response, "requested_by")
    assert "medical-editor" in offered and offered <= listed
    workflows = options(response, "workflow")
    assert workflows and workflows <= set(theirs.values_list("workflow__name", flat=True))
    tasks = options(client.get(reverse("wagtailadmin_reports:workflow_tasks")), "task")
    listed_tasks = set(
        TaskState.objects.filter(workflow_state__in=theirs).values_list("task__name", flat=True)
    )
    assert tasks and tasks <= listed_tasks
    assert Task.objects.exclude(name__in=listed_tasks).exists()  # others' steps, not offered


def test_the_workflow_reports_name_an_item_by_its_live_title_to_its_department(
    client, login, demo_item, django_user_model
):
    """The office renames a department's item and sends the rename to the catalog review: the
    department reads the new name once it is published, not before."""
    item = demo_item(ITEM)
    office = django_user_model.objects.get(username="office")
    item.title = "改名草稿（尚未审核）"
    item.save_revision(user=office)
    submit_for_review(page=item, user=office)
    login("medical-editor")
    for name in ("workflow", "workflow_tasks"):
        listing = client.get(reverse(f"wagtailadmin_reports:{name}")).content.decode()
        exported = client.get(reverse(f"wagtailadmin_reports:{name}") + "?export=csv")
        text = listing + b"".join(exported.streaming_content).decode("utf-8-sig")
        assert "改名草稿" not in text, name
    assert ITEM in listing  # listed, by the name the department knows
