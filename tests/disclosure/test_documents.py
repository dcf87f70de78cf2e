"""Attachments (Wagtail documents): only allowed types, checked by content, always served as
downloads, and only to the audience of the pages that use them."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Collection, GroupCollectionPermission

from disclosure.models import Department, InstitutionSettings, PublicationAttachment
from disclosure.selectors.visibility import documents_visible_to
from disclosure.services.departments import ensure_department, institution_collection

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


# One instance, several institutions: each one's staff work on their own documents only. -------


def _chosen(response) -> set[int]:
    """The documents a chooser's results offer."""
    return {document.pk for document in response.context["results"]}


@pytest.fixture
def other_editor(fresh_site, django_user_model):
    """An editor of another institution's 财务科, with the document permissions it is given."""
    department = ensure_department(site=fresh_site, name="财务科")
    user = django_user_model.objects.create_user(username="other-finance-editor")
    user.groups.add(department.editors_group)
    return user


@pytest.fixture
def demo_document(demo_site):
    """A document of the demo institution that no page uses yet (nobody outside may know it)."""
    document = get_document_model()(
        title="本院内部价格测算表", collection=institution_collection(demo_site)
    )
    document.file.save("pricing.pdf", ContentFile(PDF))
    return document


def test_each_institution_files_its_documents_in_its_own_collection(demo_site, fresh_site):
    ours, theirs = institution_collection(demo_site), institution_collection(fresh_site)
    assert ours != theirs
    assert (ours.name, theirs.name) == (demo_site.site_name, fresh_site.site_name)
    assert ours.get_parent() == theirs.get_parent() == Collection.get_first_root_node()
    assert institution_collection(demo_site) == ours  # made once
    # The demo's attachments are in the demo institution's collection.
    attached = get_document_model().objects.filter(
        pk__in=PublicationAttachment.objects.values("document_id")
    )
    assert attached.exists()
    assert set(attached.values_list("collection", flat=True)) == {ours.pk}


def test_another_institutions_editor_cannot_find_change_or_download_a_document(
    client, other_editor, demo_document, fresh_site
):
    client.force_login(other_editor)
    chooser = client.get("/admin/documents/chooser/results/", {"q": demo_document.title})
    assert chooser.status_code == 200
    assert demo_document.pk not in _chosen(chooser)
    edit = f"/admin/documents/edit/{demo_document.pk}/"
    assert client.get(edit).status_code in (302, 403)
    client.post(edit, {"title": "改掉的标题", "collection": demo_document.collection_id})
    demo_document.refresh_from_db()
    assert demo_document.title == "本院内部价格测算表"
    assert client.get(demo_document.url).status_code == 404
    # Nor through Wagtail's documents API, with their token.
    _token, plaintext = APIToken.create_token(user=other_editor, name="他院")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert client.get(f"/api/v3/documents/{demo_document.pk}/", **bearer).status_code == 404
    listed = client.get("/api/v3/documents/", {"limit": 100}, **bearer).json()
    assert demo_document.pk not in {document["id"] for document in listed["items"]}
    # Their own upload goes into their institution's collection.
    client.post(ADD, {"title": "他院文件", "file": SimpleUploadedFile("他院.pdf", PDF)})
    (uploaded,) = get_document_model().objects.filter(title="他院文件")
    assert uploaded.collection == institution_collection(fresh_site)


def test_the_institutions_own_editor_still_finds_changes_and_downloads_it(
    client, login, demo_document, django_user_model
):
    login("finance-editor")
    chooser = client.get("/admin/documents/chooser/results/", {"q": demo_document.title})
    assert demo_document.pk in _chosen(chooser)
    assert client.get(f"/admin/documents/edit/{demo_document.pk}/").status_code == 200
    assert client.get(demo_document.url).status_code == 200
    user = django_user_model.objects.get(username="finance-editor")
    _token, plaintext = APIToken.create_token(user=user, name="本院")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    assert client.get(f"/api/v3/documents/{demo_document.pk}/", **bearer).status_code == 200


def test_the_upgrade_moves_permissions_and_documents_to_each_institution(demo_site, fresh_site):
    """Migration 0013 on a database as it was before it: the groups' document permissions on
    the root collection, every document there, no institution collection."""
    upgrade = importlib.import_module("disclosure.migrations.0013_documents_per_institution")
    root = Collection.get_first_root_node()
    institution = InstitutionSettings.for_site(demo_site)
    finance = Department.objects.get(site=demo_site, name="财务科")
    GroupCollectionPermission.objects.filter(group=finance.editors_group).update(collection=root)
    attached = get_document_model().objects.get(
        pk=PublicationAttachment.objects.values_list("document_id", flat=True).first()
    )
    unused = get_document_model()(title="没有页面使用的文件")
    unused.file.save("unused.pdf", ContentFile(PDF))
    get_document_model().objects.update(collection=root)
    InstitutionSettings.objects.update(document_collection=None)

    upgrade.forwards(django_apps, schema_editor=None)

    institution.refresh_from_db()
    collection = institution.document_collection
    assert collection is not None and collection.get_parent() == root
    held = GroupCollectionPermission.objects.filter(group=finance.editors_group)
    assert set(held.values_list("collection", flat=True)) == {collection.pk}
    assert held.count() == 3  # add, change, choose
    attached.refresh_from_db()
    unused.refresh_from_db()
    assert attached.collection == collection
    assert unused.collection == root  # used by no page: left for a superuser to file
    # A site not set up as an institution (no department, no office) gets none yet.
    assert not InstitutionSettings.objects.filter(
        site=fresh_site, document_collection__isnull=False
    ).exists()
    # A second run changes nothing.
    upgrade.forwards(django_apps, schema_editor=None)
    institution.refresh_from_db()
    assert institution.document_collection == collection
