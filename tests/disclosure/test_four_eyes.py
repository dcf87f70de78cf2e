"""Four eyes, in order: nobody approves what they wrote, and the office approves last.

Two holes an outside review found: a head approved a draft they had written because an editor
had submitted it; and after the office asked for changes, the resubmitted revision went to the
office first and the department's approval, coming last, published it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState

from disclosure.models import PublicationPage
from disclosure.models.publishing import revision_is_cleared
from disclosure.services.moderation import FULL_CHECKLIST, approve, reject, submit_for_review

from .test_moderation import ITEM, create_through_admin, publication_form


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def draft(demo_item):
    page = PublicationPage(title="专家门诊调整（草稿）", slug="four-eyes-draft", live=False)
    demo_item(ITEM).add_child(instance=page)
    return page


def current_task(page) -> str:
    page = PublicationPage.objects.get(pk=page.pk)
    return page.current_workflow_task.specific.__class__.__name__


def test_a_head_cannot_approve_a_draft_they_wrote_that_an_editor_submitted(draft):
    draft.summary = "负责人亲自起草"
    draft.save_revision(user=user("medical-head"))
    submit_for_review(page=draft, user=user("medical-editor"))  # unchanged, by an editor

    with pytest.raises(PermissionDenied):
        approve(page=draft, user=user("medical-head"))
    assert current_task(draft) == "DepartmentHeadTask"


def test_an_office_member_cannot_approve_a_revision_they_edited_before_submission(draft):
    draft.summary = "办公室修改过"
    draft.save_revision(user=user("office-deputy"))
    submit_for_review(page=draft, user=user("medical-editor"))
    approve(page=draft, user=user("medical-head"))

    with pytest.raises(PermissionDenied):
        approve(page=draft, user=user("office-deputy"), checklist=FULL_CHECKLIST)
    approve(page=draft, user=user("office"), checklist=FULL_CHECKLIST)
    assert PublicationPage.objects.get(pk=draft.pk).live


def test_what_was_written_before_the_last_publication_does_not_count(draft):
    """Once live, the earlier authors may review the next change written by someone else."""
    draft.save_revision(user=user("medical-head"))
    submit_for_review(page=draft, user=user("medical-editor"))
    with pytest.raises(PermissionDenied):
        approve(page=draft, user=user("medical-head"))
    # Another head of the department approves, then the office.
    other_head = get_user_model().objects.create_user("medical-deputy-head", password="x")
    other_head.groups.add(*user("medical-head").groups.all())
    approve(page=draft, user=other_head)
    approve(page=draft, user=user("office"), checklist=FULL_CHECKLIST)

    page = PublicationPage.objects.get(pk=draft.pk)
    page.summary = "编辑更新"
    page.save_revision(user=user("medical-editor"))
    submit_for_review(page=page, user=user("medical-editor"))
    approve(page=page, user=user("medical-head"))  # did not write this revision
    assert current_task(page) == "OfficeReviewTask"


def resubmit_through_admin(client, page):
    """The editor fixes the page and resubmits it from the editor (Wagtail resumes the
    workflow at the step that asked for changes)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = publication_form(page.title, body="<p>已按办公室意见修改。</p>")
    data["slug"] = page.slug
    return client.post(url, {**data, "action-submit": "1"})


def test_a_resubmission_goes_to_the_department_first_and_the_office_publishes(
    client, login, demo_item
):
    login("medical-editor")
    create_through_admin(client, demo_item(ITEM), "专家出诊变更通知")
    page = PublicationPage.objects.get(title="专家出诊变更通知")
    approve(page=page, user=user("medical-head"))
    reject(page=page, user=user("office"), comment="请补充停诊原因。")

    response = resubmit_through_admin(client, page)
    assert response.status_code == 302, response.content.decode()[:3000]
    # Not the office: the department has not approved the new revision.
    assert current_task(page) == "DepartmentHeadTask"
    skipped = TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_CANCELLED
    ).latest("pk")
    assert "科室尚未审核" in skipped.comment

    approve(page=page, user=user("medical-head"))
    assert current_task(page) == "OfficeReviewTask"
    approve(page=page, user=user("office"), checklist=FULL_CHECKLIST)

    page = PublicationPage.objects.get(pk=page.pk)
    assert page.live
    published = PageLogEntry.objects.filter(page=page, action="wagtail.publish").latest("pk")
    assert published.user == user("office")  # the office's approval published it


def test_the_office_is_told_when_the_department_has_not_approved_what_it_sees(client, login, draft):
    submit_for_review(page=draft, user=user("medical-editor"))
    approve(page=draft, user=user("medical-head"))
    page = PublicationPage.objects.get(pk=draft.pk)
    page.summary = "办公室审核期间又修改"
    page.save_revision(user=user("medical-editor"))

    login("office")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "科室尚未审核" in edit
    assert 'data-workflow-action-name="return_to_department"' in edit
    assert 'data-workflow-action-name="approve"' not in edit
    with pytest.raises(PermissionDenied, match="科室尚未审核"):
        approve(page=page, user=user("office"), checklist=FULL_CHECKLIST)


def test_a_revision_approved_out_of_order_cannot_go_live(draft):
    """Whatever path reached it: the office's approval must be the last, after the
    department's, by two different people, neither of them its author."""
    submit_for_review(page=draft, user=user("medical-editor"))
    approve(page=draft, user=user("medical-head"))
    revision = PublicationPage.objects.get(pk=draft.pk).get_latest_revision()
    office_state = TaskState.objects.get(revision=revision, status=TaskState.STATUS_IN_PROGRESS)
    head_state = TaskState.objects.get(revision=revision, status=TaskState.STATUS_APPROVED)
    # The two approvals the other way round.
    office_state.status = TaskState.STATUS_APPROVED
    office_state.finished_by = user("office")
    office_state.finished_at = head_state.finished_at
    office_state.save()
    head_state.finished_at = office_state.finished_at + dt.timedelta(minutes=1)
    head_state.save()

    assert not revision_is_cleared(draft, revision)
    with pytest.raises(PermissionDenied):
        PublicationPage.objects.get(pk=draft.pk).publish(revision, user=user("office"))
