"""Moderation through the admin's HTTP views: who may act, in what order, and nothing else."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions import action_registry
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from disclosure.models import (
    ActingHead,
    ConfidentialityReview,
    Department,
    EmergencyPublication,
    InstitutionSettings,
    OfficeReviewTask,
    PublicationPage,
)
from disclosure.models.checklist import CHECKLIST
from disclosure.services.moderation import FULL_CHECKLIST, approve, reject, submit_for_review

ITEM = "专家出诊信息"  # owned by 医务科


def publication_form(title, body="<p>下周专家门诊安排如下。</p>", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": f"moderation-{abs(hash(title)) % 10**8}",
            "publication_date": "2026-11-20",
            "summary": "",
            "body": streamfield([("paragraph", rich_text(body))]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def create_through_admin(client, item, title, action="action-submit", **kwargs):
    url = reverse("wagtailadmin_pages:add", args=["disclosure", "publicationpage", item.pk])
    return client.post(url, {**publication_form(title, **kwargs), action: "1"})


def workflow_action(client, page, action, data=None):
    state = TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    ).get()
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, data or {})


def reviewable_titles(user):
    return {
        state.workflow_state.content_object.title for state in TaskState.objects.reviewable_by(user)
    }


@pytest.fixture
def item(demo_item):
    return demo_item(ITEM)


@pytest.fixture
def submitted(client, login, item):
    login("medical-editor")
    response = create_through_admin(client, item, "2026年12月专家出诊信息")
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return PublicationPage.objects.get(title="2026年12月专家出诊信息")


def test_the_whole_cycle_in_the_admin(client, login, item, submitted, django_user_model):
    assert not submitted.live
    assert submitted.workflow_in_progress

    head = login("medical-head")
    assert submitted.title in reviewable_titles(head)
    assert submitted.title in client.get(reverse("wagtailadmin_home")).content.decode()
    workflow_action(client, submitted, "approve")
    submitted.refresh_from_db()
    assert not submitted.live  # the office has not approved yet

    office = login("office")
    assert submitted.title in reviewable_titles(office)
    workflow_action(client, submitted, "approve", dict.fromkeys(FULL_CHECKLIST, "on"))
    submitted.refresh_from_db()
    assert submitted.live
    review = ConfidentialityReview.objects.get(task_state__revision=submitted.live_revision)
    assert review.reviewer == office
    assert all(getattr(review, name) for name, _label in CHECKLIST)
    assert client.get(submitted.url).status_code == 200


def test_a_head_of_another_department_neither_sees_nor_approves(client, login, submitted):
    other = login("finance-head")
    assert submitted.title not in reviewable_titles(other)
    assert submitted.title not in client.get(reverse("wagtailadmin_home")).content.decode()
    response = workflow_action(client, submitted, "approve")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.current_workflow_task.specific.__class__.__name__ == "DepartmentHeadTask"
    assert not TaskState.objects.filter(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_APPROVED
    ).exists()


def test_a_new_publication_names_the_review_it_will_go_to(client, login, item):
    institution = InstitutionSettings.for_site(item.get_site())
    login("medical-editor")
    page = client.get(
        reverse("wagtailadmin_pages:add", args=["disclosure", "publicationpage", item.pk])
    ).content.decode()
    # Wagtail would name the item's own workflow (the catalog review).
    assert f"提交给{institution.publication_workflow.name}" in page
    assert institution.catalog_workflow.name not in page


def test_the_editor_cannot_publish(client, login, item):
    login("medical-editor")
    create_through_admin(client, item, "编辑想直接发布的信息", action="action-publish")
    page = PublicationPage.objects.get(title="编辑想直接发布的信息")
    assert not page.live
    assert not page.permissions_for_user(page.owner).can_publish()


def test_the_office_cannot_approve_without_the_checklist(client, login, submitted):
    approve(page=submitted, user=login("medical-head"))
    office = login("office")
    partial = dict.fromkeys(list(FULL_CHECKLIST)[:-1], "on")
    workflow_action(client, submitted, "approve", partial)
    submitted.refresh_from_db()
    assert not submitted.live
    with pytest.raises(PermissionDenied):
        approve(page=submitted, user=office)  # the service needs the checklist too


def test_nobody_approves_their_own_revision(client, login, item, django_user_model):
    head = login("medical-head")
    create_through_admin(client, item, "负责人自己起草的信息")
    page = PublicationPage.objects.get(title="负责人自己起草的信息")
    assert page.workflow_in_progress
    assert page.title not in reviewable_titles(head)
    workflow_action(client, page, "approve")
    assert (
        PublicationPage.objects.get(pk=page.pk).current_workflow_task_state.status == "in_progress"
    )
    with pytest.raises(PermissionDenied):
        approve(page=page, user=head)

    # The office too: an office member who edits at the office step cannot approve it.
    acting = ActingHead.objects.create(
        department=Department.objects.get(site__is_default_site=True, name="医务科"),
        user=django_user_model.objects.get(username="nursing-head"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    approve(page=page, user=acting.user)
    deputy = django_user_model.objects.get(username="office-deputy")
    page = PublicationPage.objects.get(pk=page.pk)
    page.summary = "办公室修改了摘要"
    page.save_revision(user=deputy)
    with pytest.raises(PermissionDenied):
        approve(page=page, user=deputy, checklist=FULL_CHECKLIST)


def test_an_acting_head_approves_only_within_their_dates(submitted, django_user_model):
    nurse = django_user_model.objects.get(username="nursing-head")
    delegation = ActingHead.objects.create(
        department=Department.objects.get(site__is_default_site=True, name="医务科"),
        user=nurse,
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        approve(page=submitted, user=nurse)
    delegation.ends_on = timezone.localdate()
    delegation.save()
    approve(page=submitted, user=nurse)
    next_step = PublicationPage.objects.get(pk=submitted.pk).current_workflow_task.specific
    assert isinstance(next_step, OfficeReviewTask)


def test_a_head_in_the_office_approves_one_step_only(submitted, django_user_model):
    head = django_user_model.objects.get(username="medical-head")
    office = InstitutionSettings.objects.get(site__is_default_site=True).office_group
    head.groups.add(office)
    approve(page=submitted, user=head)
    step = PublicationPage.objects.get(pk=submitted.pk).current_workflow_task.specific
    assert isinstance(step, OfficeReviewTask)
    assert step.get_actions(submitted, head) == []
    with pytest.raises(PermissionDenied, match="另一人"):
        approve(page=submitted, user=head, checklist=FULL_CHECKLIST)
    assert not PublicationPage.objects.get(pk=submitted.pk).live


def test_every_bypass_is_refused(client, login, item, submitted, django_user_model):
    office = django_user_model.objects.get(username="office")
    revision = submitted.get_latest_revision()

    with pytest.raises(PermissionDenied):
        revision.publish(user=office)
    with pytest.raises(PermissionDenied):
        action_registry.get_action_class(Page, "publish")(revision, user=office).execute()
    with pytest.raises(PermissionDenied):
        submitted.copy(keep_live=True, update_attrs={"slug": "copy", "live": True}, user=office)

    # Direct publish in the admin, by the office.
    login("office")
    edit = reverse("wagtailadmin_pages:edit", args=[submitted.pk])
    client.post(edit, {**publication_form(submitted.title), "action-publish": "1"})
    # Bulk publish.
    bulk = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={submitted.pk}"
    )
    client.post(bulk, {"include_descendants": "on"})
    # Scheduled publishing of an unapproved revision.
    revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    revision.save()
    with pytest.raises(PermissionDenied, match="须经审核"):
        call_command("publish_scheduled")

    submitted.refresh_from_db()
    assert not submitted.live


def test_editing_after_approval_needs_approval_again(submitted, django_user_model):
    users = django_user_model.objects
    approve(page=submitted, user=users.get(username="medical-head"))
    page = PublicationPage.objects.get(pk=submitted.pk)
    page.summary = "审核后又改了内容"
    page.save_revision(user=users.get(username="medical-editor"))
    # The office sees that the department has not approved this revision, and cannot.
    with pytest.raises(PermissionDenied, match="科室尚未审核"):
        approve(page=page, user=users.get(username="office"), checklist=FULL_CHECKLIST)
    state = page.current_workflow_task_state
    assert [
        name
        for name, _label, _modal in state.task.specific.get_actions(
            page, users.get(username="office")
        )
    ] == ["reject", "return_to_department"]
    state.task.specific.on_action(state, users.get(username="office"), "return_to_department")
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.specific.__class__.__name__ == "DepartmentHeadTask"


def test_emergency_publication_is_flagged_and_tracked(client, login, item, submitted):
    login("medical-editor")
    url = reverse("disclosure_admin:emergency_publish", args=[submitted.pk])
    assert client.get(url).status_code == 302  # editors may not

    login("office")
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert not PublicationPage.objects.get(pk=submitted.pk).live
    response = client.post(url, {"reason": "突发公共卫生事件，须立即发布就医指引"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.live
    emergency = EmergencyPublication.objects.get(page=submitted)
    assert emergency.awaiting_confirmation
    assert submitted.title in client.get(reverse("disclosure_admin:emergencies")).content.decode()

    login("finance-head")
    client.post(reverse("disclosure_admin:emergency_confirm", args=[emergency.pk]))
    emergency.refresh_from_db()
    assert emergency.awaiting_confirmation
    login("medical-head")
    client.post(
        reverse("disclosure_admin:emergency_confirm", args=[emergency.pk]), {"comment": "同意"}
    )
    emergency.refresh_from_db()
    assert not emergency.awaiting_confirmation
    assert emergency.confirmed_by.username == "medical-head"


def test_submission_notifies_exactly_the_right_heads(submitted, django_user_model):
    heads = {
        u.email
        for u in Department.objects.get(
            site__is_default_site=True, name="医务科"
        ).heads_group.user_set.all()
    }
    requests = [m for m in mail.outbox if submitted.title in m.subject]
    assert {address for m in requests for address in m.to} == heads
    assert "finance-head@hospital.example" not in {a for m in mail.outbox for a in m.to}


def test_rejection_returns_the_page_with_the_comment(client, login, submitted):
    mail.outbox.clear()
    login("medical-head")
    workflow_action(client, submitted, "reject", {"comment": "出诊时间与排班表不一致，请核对"})
    submitted.refresh_from_db()
    assert not submitted.workflow_in_progress
    to_editor = [m for m in mail.outbox if "medical-editor@hospital.example" in m.to]
    assert to_editor
    assert "出诊时间与排班表不一致" in to_editor[0].body


def test_the_final_approval_tells_the_editor_and_the_department_head(submitted, django_user_model):
    users = django_user_model.objects
    approve(page=submitted, user=users.get(username="medical-head"))
    mail.outbox.clear()
    approve(page=submitted, user=users.get(username="office"), checklist=FULL_CHECKLIST)
    recipients = {address for m in mail.outbox for address in m.to}
    assert {"medical-editor@hospital.example", "medical-head@hospital.example"} <= recipients


def test_personal_information_blocks_submission_and_says_where(client, login, item):
    login("medical-editor")
    response = create_through_admin(
        client, item, "含身份证号的信息", body="<p>患者身份证号11010519491231002X，请核对。</p>"
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert "身份证" in errors
    assert "11010519491231002X" not in errors  # the error shows where, masked
    assert "【110***********002X】" in errors
    assert not PublicationPage.objects.filter(title="含身份证号的信息").exists()


def test_personal_information_blocks_approval(item, django_user_model):
    users = django_user_model.objects
    page = PublicationPage(title="事后加入手机号的信息", slug="phone-later", live=False)
    item.add_child(instance=page)
    submit_for_review(page=page, user=users.get(username="medical-editor"))
    page = PublicationPage.objects.get(pk=page.pk)
    page.summary = "联系人手机13812345678"
    page.save_revision(user=users.get(username="medical-editor"))
    with pytest.raises(PermissionDenied, match="手机"):
        approve(page=page, user=users.get(username="medical-head"))
    reject(page=page, user=users.get(username="medical-head"), comment="请删除手机号")


def test_masked_numbers_pass(item, django_user_model, publish_reviewed):
    page = PublicationPage(
        title="联系方式", slug="masked", summary="联系人手机138****5678", live=False
    )
    item.add_child(instance=page)
    assert publish_reviewed(page).live


def test_catalog_changes_need_a_second_office_member(demo_item, django_user_model):
    users = django_user_model.objects
    item = demo_item("药品价格")
    item.notes = "价格随集采结果调整"
    submit_for_review(page=item, user=users.get(username="office"))
    with pytest.raises(PermissionDenied):
        approve(page=item, user=users.get(username="office"))
    with pytest.raises(PermissionDenied):
        approve(page=item, user=users.get(username="finance-head"))
    approve(page=item, user=users.get(username="office-deputy"))
    assert demo_item("药品价格").notes == "价格随集采结果调整"


@pytest.fixture
def office_token(django_user_model):
    from wagtail.models import APIToken

    office = django_user_model.objects.get(username="office")
    _token, plaintext = APIToken.create_token(user=office, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_the_api_cannot_publish_copy_live_or_revert_into_publication(
    client, submitted, office_token
):
    api = f"/api/v3/pages/{submitted.pk}/actions"
    published = client.post(f"{api}/publish/", content_type="application/json", **office_token)
    assert published.status_code == 403
    assert "须经审核" in published.json()["detail"]

    copied = client.post(
        f"{api}/copy/",
        {"destination_page_id": submitted.get_parent().pk, "slug": "api-copy", "keep_live": True},
        content_type="application/json",
        **office_token,
    )
    assert copied.status_code == 403  # nobody may publish under a disclosure item
    reverted = client.post(
        f"{api}/revert/",
        {"revision_id": submitted.get_latest_revision().pk},
        content_type="application/json",
        **office_token,
    )
    assert reverted.status_code == 200  # a revert is a new draft, which needs review
    submitted.refresh_from_db()
    assert not submitted.live
    assert not PublicationPage.objects.filter(slug="api-copy", live=True).exists()


def test_page_permissions_follow_the_items_department(
    demo_item, publish_reviewed, django_user_model
):
    users = django_user_model.objects
    item = demo_item("药品价格")  # 药学部
    pharmacy, finance = users.get(username="pharmacy-editor"), users.get(username="finance-editor")
    assert item.permissions_for_user(pharmacy).can_add_subpage()
    assert not item.permissions_for_user(finance).can_add_subpage()

    item.department = Department.objects.get(site__is_default_site=True, name="财务科")
    publish_reviewed(item)

    item = demo_item("药品价格")
    # Fresh user objects: Wagtail caches a user's page permissions on the instance.
    pharmacy, finance = users.get(username="pharmacy-editor"), users.get(username="finance-editor")
    assert item.permissions_for_user(finance).can_add_subpage()
    assert not item.permissions_for_user(pharmacy).can_add_subpage()


def test_the_checklist_names_every_ground_of_article_seven(client, login, submitted):
    """《医疗卫生机构信息公开管理办法》第七条, (一) to (六), in the regulation's wording."""
    approve(page=submitted, user=login("medical-head"))
    login("office")
    state = TaskState.objects.get(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data", args=[submitted.pk, "approve", state.pk]
    )
    form = client.get(url).json()["html"]  # the approval modal
    for ground in (
        "不涉及国家秘密",
        "不涉及商业秘密",
        "不涉及自然人个人信息保护",
        "国家安全、公共安全、经济安全、执业安全、社会稳定及正常医疗秩序",
        "《中华人民共和国广告法》",
        "不属于法律、法规、规章等规定的不予公开的信息",
    ):
        assert ground in form, ground
    partial = {**dict.fromkeys(FULL_CHECKLIST, "on")}
    del partial["no_other_prohibited"]
    workflow_action(client, submitted, "approve", partial)
    assert not PublicationPage.objects.get(pk=submitted.pk).live


def test_a_department_cannot_edit_its_catalog_item_only_add_under_it(client, login, demo_item):
    item = demo_item("大额资金使用")  # 财务科, 职工
    editor = login("finance-editor")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    tester = item.permissions_for_user(editor)
    assert tester.can_add_subpage() and not tester.can_edit() and not tester.can_unpublish()


def test_a_catalog_change_written_outside_the_office_is_not_approved(demo_item, django_user_model):
    """An editor's draft setting a staff-only item to 社会公众 must not pass on one office
    member's approval (the catalog's changes need two office members)."""
    users = django_user_model.objects
    item = demo_item("大额资金使用")
    item.audience = "public"
    item.save_revision(user=users.get(username="finance-editor"))
    submit_for_review(page=item, user=users.get(username="office"))
    with pytest.raises(PermissionDenied, match="信息公开办公室"):
        approve(page=item, user=users.get(username="office-deputy"))
    item.refresh_from_db()
    assert item.audience == "staff"


def test_the_offices_dialog_shows_the_departments_approval_and_comment(client, login, submitted):
    approve(page=submitted, user=login("medical-head"), comment="已核对出诊时间，同意公开。")
    login("office")
    state = TaskState.objects.get(
        workflow_state__object_id=str(submitted.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    for action in ("approve", "reject"):
        url = reverse(
            "wagtailadmin_pages:collect_workflow_action_data", args=[submitted.pk, action, state.pk]
        )
        dialog = client.get(url).json()["html"]
        assert "科室审核意见" in dialog and "已核对出诊时间，同意公开。" in dialog
        assert "医务科 负责人" in dialog
