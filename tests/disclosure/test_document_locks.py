"""Documents on record: the attachment of a disclosure page that is live, scheduled or under
review is what its reviewers approved, so nobody changes or deletes it in place, whatever door
they use; a new document, attached in a new revision, goes through the review. And no document
is uploaded with a personal identifier in its title or file name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from disclosure.models import PublicationAttachment, PublicationPage
from disclosure.services.departments import institution_collection
from disclosure.services.moderation import submit_for_review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ANNUAL_REPORT = "示范市人民医院2024年度信息公开工作报告"  # live, with its report attached
RESIDENT_ID = "110105 1949 1231 002X"
MOBILE = "13812345678"
EVERYONE_WHO_MAY_CHANGE_DOCUMENTS = ["finance-editor", "office", "admin"]
REFUSAL = "不能修改或删除"


@pytest.fixture
def report(demo_site) -> PublicationPage:
    return PublicationPage.objects.descendant_of(demo_site.root_page).get(title=ANNUAL_REPORT)


@pytest.fixture
def attachment(report):
    """The document attached to the live annual report."""
    return report.attachments.get().document


def _as_it_is(document) -> tuple:
    """What a document is, read afresh: title, file name, collection, tags."""
    document = get_document_model().objects.get(pk=document.pk)
    return (
        document.title,
        document.filename,
        document.collection_id,
        sorted(document.tags.names()),
    )


def _document(demo_site, title: str, name: str):
    document = get_document_model()(title=title, collection=institution_collection(demo_site))
    document.file.save(name, ContentFile(PDF))
    return document


def _draft_with(demo_item, document, *, slug: str, **fields) -> PublicationPage:
    """A draft publication of 财务科 with ``document`` attached, saved as editors save drafts."""
    draft = PublicationPage(title="门诊收费标准调整说明", slug=slug, live=False, **fields)
    draft.attachments.set([PublicationAttachment(document=document)])
    demo_item("医疗服务项目价格").add_child(instance=draft)
    draft.save_revision(user=get_user_model().objects.get(username="finance-editor"))
    return draft


def _edit(client, document, *, title: str, file_name: str | None = None, follow=False):
    data = {"title": title, "collection": document.collection_id, "tags": ""}
    if file_name is not None:
        data["file"] = SimpleUploadedFile(file_name, PDF)
    return client.post(f"/admin/documents/edit/{document.pk}/", data, follow=follow)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# The admin's doors, for everyone who may change documents, superusers included. -------------


@pytest.mark.parametrize("username", EVERYONE_WHO_MAY_CHANGE_DOCUMENTS)
def test_nobody_renames_or_replaces_the_attachment_of_a_live_publication(
    client, login, attachment, username
):
    login(username)
    before = _as_it_is(attachment)
    response = _edit(
        client, attachment, title=f"{ANNUAL_REPORT}（修订）", file_name="report-v2.pdf", follow=True
    )
    assert response.redirect_chain == [("/admin/documents/", 302)]
    assert REFUSAL in _messages(response)
    assert "上传新文档" in _messages(response)  # and what to do instead
    assert _as_it_is(attachment) == before


@pytest.mark.parametrize("username", EVERYONE_WHO_MAY_CHANGE_DOCUMENTS)
def test_nobody_deletes_the_attachment_of_a_live_publication(client, login, attachment, username):
    login(username)
    before = _as_it_is(attachment)
    opened = client.get(f"/admin/documents/delete/{attachment.pk}/", follow=True)
    assert REFUSAL in _messages(opened)
    response = client.post(f"/admin/documents/delete/{attachment.pk}/", follow=True)
    assert response.redirect_chain == [("/admin/documents/", 302)]
    assert REFUSAL in _messages(response)
    assert _as_it_is(attachment) == before


@pytest.mark.parametrize("username", EVERYONE_WHO_MAY_CHANGE_DOCUMENTS)
def test_nobody_deletes_the_attachment_of_a_live_publication_in_bulk(
    client, login, attachment, username
):
    login(username)
    before = _as_it_is(attachment)
    bulk = f"/admin/bulk/wagtaildocs/document/delete/?id={attachment.pk}"
    confirmation = client.get(bulk)
    assert confirmation.status_code == 200
    assert [item["item"] for item in confirmation.context["items_with_no_access"]] == [attachment]
    assert not confirmation.context["items"]
    client.post(bulk)
    assert _as_it_is(attachment) == before


@pytest.mark.parametrize(
    ("door", "data"),
    [
        ("add_tags", {"tags": "已修订"}),
        ("add_to_collection", {"collection": lambda: Collection.get_first_root_node().pk}),
    ],
)
def test_nor_retags_or_moves_it_in_bulk(client, login, attachment, door, data):
    login("admin")
    before = _as_it_is(attachment)
    data = {key: value() if callable(value) else value for key, value in data.items()}
    client.post(f"/admin/bulk/wagtaildocs/document/{door}/?id={attachment.pk}", data)
    assert _as_it_is(attachment) == before


def test_nor_through_the_multiple_upload_screen(client, login, attachment):
    login("finance-editor")
    before = _as_it_is(attachment)
    prefix = f"doc-{attachment.pk}"
    edited = client.post(
        f"/admin/documents/multiple/{attachment.pk}/",
        {f"{prefix}-title": "改过的标题", f"{prefix}-collection": attachment.collection_id},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    deleted = client.post(
        f"/admin/documents/multiple/{attachment.pk}/delete/",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert (edited.status_code, deleted.status_code) == (403, 403)
    assert _as_it_is(attachment) == before


@pytest.mark.parametrize("username", ["finance-editor", "admin"])
def test_nor_through_wagtails_documents_api(client, token_for, attachment, username):
    before = _as_it_is(attachment)
    bearer = token_for(username)
    url = f"/api/v3/documents/{attachment.pk}/"
    patched = client.patch(url, {"title": "改过的标题"}, content_type="application/json", **bearer)
    deleted = client.delete(url, **bearer)
    assert (patched.status_code, deleted.status_code) == (403, 403)
    assert _as_it_is(attachment) == before


def test_where_it_is_used_still_shows_to_its_institutions_staff(client, login, attachment):
    login("finance-editor")
    response = client.get(f"/admin/documents/usage/{attachment.pk}/")
    assert response.status_code == 200
    assert ANNUAL_REPORT in response.content.decode()


def test_another_institutions_staff_are_refused_without_the_reason(
    client, attachment, fresh_site, django_user_model
):
    """Who could not change the document anyway learns nothing about it: Wagtail's refusal."""
    from disclosure.services.departments import ensure_department

    outsider = django_user_model.objects.create_user(username="other-finance-editor")
    outsider.groups.add(ensure_department(site=fresh_site, name="财务科").editors_group)
    client.force_login(outsider)
    response = _edit(client, attachment, title="改过的标题", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert REFUSAL not in _messages(response)
    assert ANNUAL_REPORT not in _messages(response)


# The attack as it was reported, and what the public sees. ------------------------------------


def test_the_reported_attack_changes_nothing_the_public_sees(client, login, report, attachment):
    login("finance-editor")
    _edit(client, attachment, title=f"{ANNUAL_REPORT} {RESIDENT_ID}", file_name=f"{MOBILE}.pdf")
    client.logout()
    page = client.get(report.url).content.decode()
    api = client.get(f"/api/disclosure/v1/publications/{report.pk}/").content.decode()
    for seen in (page, api):
        assert ANNUAL_REPORT in seen
        assert attachment.filename in seen
        assert RESIDENT_ID not in seen and MOBILE not in seen


# Which documents are on record. ----------------------------------------------------------------


def test_the_attachment_of_a_never_submitted_draft_is_still_its_departments_to_edit(
    client, login, demo_site, demo_item
):
    document = _document(demo_site, "门诊收费标准（征求意见稿）", "fees-draft.pdf")
    _draft_with(demo_item, document, slug="fees-draft")
    login("finance-editor")
    response = _edit(client, document, title="门诊收费标准（修订稿）", file_name="fees-v2.pdf")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "门诊收费标准（修订稿）"
    assert document.filename.startswith("fees-v2")


def test_the_attachment_of_a_draft_under_review_is_locked(client, login, demo_site, demo_item):
    document = _document(demo_site, "门诊收费标准（送审稿）", "fees-review.pdf")
    draft = _draft_with(demo_item, document, slug="fees-review")
    editor = login("finance-editor")
    submit_for_review(page=draft, user=editor)
    before = _as_it_is(document)
    response = _edit(client, document, title="门诊收费标准（偷改）", follow=True)
    assert REFUSAL in _messages(response)
    assert _as_it_is(document) == before


def test_a_new_attachment_in_a_revision_under_review_of_a_live_page_is_locked(
    client, login, demo_site, report
):
    """The reference index holds the live page's content; the revision under review carries
    its new attachment, which is locked as well."""
    document = _document(demo_site, "2024年度报告附表", "annex.pdf")
    report.attachments.add(PublicationAttachment(document=document))
    submit_for_review(
        page=report, user=get_user_model().objects.get(username="hospital-office-editor")
    )
    login("finance-editor")
    before = _as_it_is(document)
    response = _edit(client, document, title="2024年度报告附表（偷改）", follow=True)
    assert REFUSAL in _messages(response)
    assert _as_it_is(document) == before


def test_the_attachment_of_a_scheduled_publication_is_locked(
    client, login, demo_site, demo_item, publish_reviewed
):
    document = _document(demo_site, "门诊收费标准（下月起执行）", "fees-scheduled.pdf")
    draft = _draft_with(
        demo_item, document, slug="fees-scheduled", go_live_at=timezone.now() + timedelta(days=7)
    )
    scheduled = publish_reviewed(draft)
    assert not scheduled.live and scheduled.scheduled_revision is not None
    login("office")
    before = _as_it_is(document)
    response = client.post(f"/admin/documents/delete/{document.pk}/", follow=True)
    assert REFUSAL in _messages(response)
    assert _as_it_is(document) == before


# No personal identifier in what an upload makes public. ----------------------------------------


@pytest.mark.parametrize("identifier", [RESIDENT_ID, MOBILE])
@pytest.mark.parametrize(
    ("field", "title", "file_name", "named"),
    [
        ("title", "退费申请人{}", "refund.pdf", "标题"),
        ("file", "退费申请表", "退费{}.pdf", "文件名"),
    ],
)
def test_an_upload_naming_a_person_is_refused_at_that_field(
    client, db, login, identifier, field, title, file_name, named
):
    login("finance-editor")
    before = get_document_model().objects.count()
    response = client.post(
        "/admin/documents/add/",
        {
            "title": title.format(identifier),
            "file": SimpleUploadedFile(file_name.format(identifier), PDF),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert named in errors[field][0] and "个人信息" in errors[field][0]
    assert get_document_model().objects.count() == before
