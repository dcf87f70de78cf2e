"""The privacy check on everything the public will read of a publication: identifiers written
with spaces, dots or brackets, in the page's address, in its attachments' file names and in the
documents its text links to stop the submission, through the service and the admin alike."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from disclosure.models import PublicationAttachment, PublicationPage
from disclosure.services.departments import institution_collection
from disclosure.services.moderation import approve, emergency_publish, submit_for_review

ITEM = "专家出诊信息"  # owned by 医务科
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SPACED_ID = "110105 1949 1231 002X"


@pytest.fixture
def item(demo_item):
    return demo_item(ITEM)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.get(username="medical-editor")


def document(site, *, title: str, file_name: str):
    document = get_document_model()(title=title, collection=institution_collection(site))
    document.file.save(file_name, ContentFile(PDF))
    return document


def draft(item, *, slug="zhuanjia-chuzhen", body="<p>下周专家门诊安排如下。</p>", documents=()):
    page = PublicationPage(
        title="2026年12月专家出诊信息",
        slug=slug,
        publication_date="2026-11-20",
        body=[("paragraph", RichText(body))],
        live=False,
    )
    page.attachments = [PublicationAttachment(document=d) for d in documents]
    item.add_child(instance=page)
    return page


def refusal(page, user) -> str:
    with pytest.raises(ValidationError) as refused:
        submit_for_review(page=page, user=user)
    return " ".join(refused.value.messages)


# Through the service -----------------------------------------------------------------------


def test_an_id_number_written_in_groups_cannot_be_submitted(item, editor):
    page = draft(item, body=f"<p>患者身份证号 {SPACED_ID}，请核对。</p>")
    message = refusal(page, editor)
    assert "正文" in message and "居民身份证号码" in message
    assert "【110*** **** **** 002X】" in message
    assert "1949" not in message
    assert not PublicationPage.objects.get(pk=page.pk).workflow_states.exists()


def test_a_mobile_number_in_the_slug_cannot_be_submitted(item, editor):
    page = draft(item, slug="zhangsan_138_1234_5678")
    message = refusal(page, editor)
    assert "缩略名" in message and "手机号码" in message
    assert "【138_****_5678】" in message


def test_a_mobile_number_in_an_attachments_file_name_cannot_be_submitted(item, editor, demo_site):
    form = document(demo_site, title="报名表", file_name="张三13812345678.pdf")
    page = draft(item, documents=[form])
    message = refusal(page, editor)
    assert "附件" in message and "手机号码" in message
    assert "张三【138****5678】" in message  # the file name, masked
    assert "13812345678" not in message


def test_an_id_number_in_a_linked_documents_title_cannot_be_submitted(item, editor, demo_site):
    linked = document(demo_site, title=f"张三 {SPACED_ID} 申请书", file_name="shenqing.pdf")
    page = draft(item, body=f'<p>详见<a linktype="document" id="{linked.pk}">申请书</a>。</p>')
    message = refusal(page, editor)
    assert "正文" in message and "居民身份证号码" in message
    assert "【110*** **** **** 002X】" in message


def test_an_id_number_added_to_the_body_after_submission_blocks_approval(
    item, editor, django_user_model
):
    page = draft(item)
    submit_for_review(page=page, user=editor)
    page = PublicationPage.objects.get(pk=page.pk)
    page.body = [("paragraph", RichText(f"<p>补充：患者身份证号 {SPACED_ID}</p>"))]
    page.save_revision(user=editor)
    head = django_user_model.objects.get(username="medical-head")
    with pytest.raises(PermissionDenied, match="居民身份证号码"):
        approve(page=page, user=head)


def test_an_emergency_publication_is_refused_the_same(item, demo_site, django_user_model):
    office = django_user_model.objects.get(username="office")
    page = draft(item, slug="dianhua_138_1234_5678")
    with pytest.raises(ValidationError, match="缩略名"):
        emergency_publish(page=page, user=office, reason="突发事件，须立即公开")
    assert not PublicationPage.objects.get(pk=page.pk).live


def test_a_clean_publication_with_attachments_is_submitted(item, editor, demo_site):
    attached = document(demo_site, title="2026年12月出诊表", file_name="chuzhen-2026-12.pdf")
    page = draft(
        item, body="<p>咨询电话0571-88880000，2025-03-01起执行。</p>", documents=[attached]
    )
    submit_for_review(page=page, user=editor)
    assert PublicationPage.objects.get(pk=page.pk).workflow_in_progress


# Through the admin ----------------------------------------------------------------------------


def publication_form(*, body: str, slug: str = "zhuanjia-chuzhen", documents=()):
    return nested_form_data(
        {
            "title": "2026年12月专家出诊信息",
            "slug": slug,
            "publication_date": "2026-11-20",
            "summary": "",
            "body": streamfield([("paragraph", rich_text(body))]),
            "attachments": inline_formset([{"document": d.pk, "title": ""} for d in documents]),
            "comments": inline_formset([]),
        }
    )


def submit_in_admin(client, item, **form):
    url = reverse("wagtailadmin_pages:add", args=["disclosure", "publicationpage", item.pk])
    return client.post(url, {**publication_form(**form), "action-submit": "1"})


def test_the_admin_shows_a_spaced_out_id_number_on_the_body(client, login, item):
    login("medical-editor")
    response = submit_in_admin(client, item, body=f"<p>患者身份证号 {SPACED_ID}，请核对。</p>")
    assert response.status_code == 200
    error = str(response.context["form"].errors["body"])
    assert "居民身份证号码" in error and "【110*** **** **** 002X】" in error
    assert "1949" not in error
    assert not PublicationPage.objects.filter(slug="zhuanjia-chuzhen").exists()


def test_the_admin_shows_a_mobile_number_in_the_slug_on_the_slug(client, login, item):
    login("medical-editor")
    response = submit_in_admin(client, item, body="<p>出诊安排</p>", slug="zhang_138_1234_5678")
    assert response.status_code == 200
    assert "手机号码" in str(response.context["form"].errors["slug"])
    assert not PublicationPage.objects.filter(slug="zhang_138_1234_5678").exists()


def test_the_admin_shows_a_mobile_number_in_a_file_name_on_the_attachment(
    client, login, item, demo_site
):
    attached = document(demo_site, title="报名表", file_name="张三13812345678.pdf")
    login("medical-editor")
    response = submit_in_admin(client, item, body="<p>出诊安排</p>", documents=[attached])
    assert response.status_code == 200
    [attachment] = response.context["form"].formsets["attachments"].forms
    error = str(attachment.errors["document"])
    # The file is stored as 张三13812345678.pdf (or with a suffix when that name is taken).
    assert "附件" in error and "手机号码" in error and "张三【138****5678】" in error
    assert "13812345678" not in response.content.decode()
    assert not PublicationPage.objects.filter(slug="zhuanjia-chuzhen").exists()


def test_a_draft_is_saved_whatever_it_holds(client, login, item):
    """The check guards the way to the public; an editor may save work in progress."""
    login("medical-editor")
    url = reverse("wagtailadmin_pages:add", args=["disclosure", "publicationpage", item.pk])
    response = client.post(url, publication_form(body=f"<p>{SPACED_ID}</p>"))
    assert response.status_code == 302
    assert PublicationPage.objects.filter(slug="zhuanjia-chuzhen").exists()
