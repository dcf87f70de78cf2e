"""Attachments (Wagtail documents): only allowed types, checked by content, always served as
downloads, and only to the audience of the pages that use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from disclosure.selectors.visibility import documents_visible_to

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADD = "/admin/documents/add/"


def _upload(client, name: str, content: bytes):
    return client.post(
        ADD,
        {
            "title": "门诊收费说明",
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("收费说明.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows program, renamed
        ("收费说明.pdf", b"<html><script>alert(1)</script></html>"),  # a web page, renamed
        ("收费说明.docx", PDF),  # a PDF that says it is a Word file
        ("收费说明.html", b"<html></html>"),  # not an allowed type at all
    ],
)
def test_an_upload_that_is_not_what_it_says_is_refused(client, db, login, name, content):
    login("finance-editor")
    before = get_document_model().objects.count()
    response = _upload(client, name, content)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert get_document_model().objects.count() == before


def test_a_real_pdf_is_accepted(client, db, login):
    login("finance-editor")
    response = _upload(client, "收费说明.pdf", PDF)
    assert response.status_code == 302
    assert get_document_model().objects.filter(title="门诊收费说明").exists()


def test_a_refusal_is_explained_in_chinese(client, db, login):
    login("finance-editor")
    response = _upload(client, "收费说明.pdf", b"MZ" + b"\x00" * 100)
    assert "只接受 PDF、Word、Excel、JPG 和 PNG 文件" in response.content.decode()


def test_a_public_attachment_is_a_download_the_browser_may_not_sniff(client, db):
    document = documents_visible_to(None).first()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
