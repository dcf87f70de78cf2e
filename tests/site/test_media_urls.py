"""Uploaded files in development (``make demo``, ``DEBUG`` on): images and the rest of
``MEDIA_ROOT`` are served, but a document's file only ever through Wagtail's document view, which
applies its audience; and ``manage.py check`` warns a host project that would serve them raw."""

import importlib
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.urls.static import static
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import clear_url_caches
from django.utils import timezone
from wagtail.documents import get_document_model

from disclosure.media import check_documents_are_not_served_raw, media_urlpatterns
from disclosure.models import PublicationAttachment, PublicationPage
from disclosure.services.departments import institution_collection

from ..growth import add_pages

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
STAFF_ITEM = "大额资金使用"  # 财务科, audience 职工


def _reload_site_urls() -> None:
    import portal.urls

    importlib.reload(portal.urls)
    clear_url_caches()


@pytest.fixture
def development_urls():
    """The site's URLs as ``make demo`` serves them: read with ``DEBUG`` on."""
    with override_settings(DEBUG=True):
        _reload_site_urls()
        yield
    _reload_site_urls()


@pytest.fixture
def staff_attachment(demo_site, demo_item):
    """The attachment of a live staff-only publication, stored under MEDIA_ROOT/documents/.
    (Written directly: the review that takes a page live is not what is tested here.)"""
    document = get_document_model()(
        title="职工福利专项资金审批表（内部）", collection=institution_collection(demo_site)
    )
    document.file.save("welfare-approvals.pdf", ContentFile(PDF))
    [page] = add_pages(
        demo_item(STAFF_ITEM),
        [
            PublicationPage(
                title="2026年职工福利专项资金使用明细（内部）",
                slug="welfare-fund-details",
                publication_date=timezone.localdate(),
            )
        ],
    )
    PublicationAttachment.objects.create(page=page, document=document)
    return document


@pytest.fixture
def floor_plan():
    """An image under MEDIA_ROOT, outside the documents."""
    name = default_storage.save("original_images/floor-plan.png", ContentFile(PNG))
    yield name
    default_storage.delete(name)


def test_a_staff_only_attachments_file_is_not_served_from_media(
    client, development_urls, staff_attachment
):
    name = staff_attachment.file.name
    assert name.startswith("documents/")
    assert (Path(settings.MEDIA_ROOT) / name).is_file()
    assert client.get(f"/media/{name}").status_code == 404
    # Wagtail's document view still applies the item's audience: a visitor is asked to log in.
    response = client.get(staff_attachment.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "spelling",
    [
        "./documents/{name}",
        "Documents/{name}",
        "original_images/../documents/{name}",
        "/documents/{name}",
        "documents//{name}",
    ],
)
def test_no_spelling_of_the_path_reaches_a_documents_file(
    client, development_urls, staff_attachment, spelling
):
    name = Path(staff_attachment.file.name).name
    assert client.get("/media/" + spelling.format(name=name)).status_code == 404


def test_a_symbolic_link_leads_neither_to_the_documents_nor_out_of_media_root(
    client, development_urls, staff_attachment
):
    media_root = Path(settings.MEDIA_ROOT)
    links = {"papers": media_root / "documents", "elsewhere": Path(settings.BASE_DIR) / "site"}
    for name, target in links.items():
        (media_root / name).symlink_to(target, target_is_directory=True)
    try:
        name = Path(staff_attachment.file.name).name
        assert client.get(f"/media/papers/{name}").status_code == 404
        assert client.get("/media/elsewhere/settings/base.py").status_code == 404
    finally:
        for name in links:
            (media_root / name).unlink()


def test_other_media_are_still_served_in_development(client, development_urls, floor_plan):
    response = client.get(f"/media/{floor_plan}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG


def test_nothing_outside_media_root_is_served(client, db, development_urls):
    assert client.get("/media/../site/settings/base.py").status_code == 404


def test_without_debug_no_media_is_served(client, floor_plan, staff_attachment):
    assert client.get(f"/media/{floor_plan}").status_code == 404
    assert client.get(f"/media/{staff_attachment.file.name}").status_code == 404


# The check a host project gets. ---------------------------------------------------------------


def _urlconf(patterns) -> types.ModuleType:
    module = types.ModuleType("urls_under_test")
    module.urlpatterns = patterns
    return module


def _warnings() -> list[str]:
    return [message.id for message in check_documents_are_not_served_raw(None)]


def test_the_check_warns_of_the_static_line_that_wagtail_start_writes(db):
    with override_settings(DEBUG=True):
        served_raw = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        with override_settings(ROOT_URLCONF=_urlconf(served_raw)):
            assert _warnings() == ["disclosure.W001"]
            assert "disclosure.W001" in [message.id for message in run_checks()]
        with override_settings(ROOT_URLCONF=_urlconf(media_urlpatterns())):
            assert _warnings() == []


def test_the_check_passes_the_sites_own_urls_in_development(db, development_urls):
    assert _warnings() == []


def test_the_check_passes_the_sites_own_urls_in_production(db):
    assert _warnings() == []


def test_the_check_warns_when_whitenoise_serves_media(db):
    with override_settings(WHITENOISE_ROOT=settings.MEDIA_ROOT):
        assert _warnings() == ["disclosure.W002"]
