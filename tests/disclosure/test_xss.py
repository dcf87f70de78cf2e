"""Whatever people type comes back as text: escaped in every page and report that shows it,
and never a formula in an export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from disclosure.models import CatalogItemPage, DisclosureRequest, PublicationPage, RequestCentrePage
from disclosure.rules.spreadsheets import neutralise_formula
from disclosure.services.catalog_io import export_catalog, read_table
from disclosure.services.compliance import record_attestation, record_change
from disclosure.services.requests import submit

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMAGE = '"><img src=x onerror=alert(1)>'
IMAGE_ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
FORMULA = "=cmd|' /C calc'!A0"
PUBLIC_ITEM = "医疗服务项目价格"  # 财务科, public


def assert_shown_as_text(body: str, *payloads: str) -> None:
    escaped = {SCRIPT: SCRIPT_ESCAPED, IMAGE: IMAGE_ESCAPED}
    for payload in payloads:
        assert payload not in body
        assert escaped[payload] in body


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


@pytest.fixture
def centre(demo_site) -> RequestCentrePage:
    return RequestCentrePage.objects.live().descendant_of(demo_site.root_page).get()


def _case(demo_site, **values) -> DisclosureRequest:
    return submit(
        DisclosureRequest,
        site=demo_site,
        values={
            "applicant_type": "natural_person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
            "email": "zhangsan@example.com",
            "address": "示范市健康路1号",
            "description": "2025年度门诊收费标准调整的文件。",
            "purpose": "自身生活需要",
            "provision_form": "email",
            "delivery": "email",
            **values,
        },
        acknowledge=False,
    ).case


# The public site -----------------------------------------------------------------------------


@pytest.fixture
def hostile_publication(demo_item, publish_reviewed) -> PublicationPage:
    item = demo_item(PUBLIC_ITEM)
    page = PublicationPage(
        title=f"价格公示{IMAGE}",
        slug="hostile-prices",
        publication_date=timezone.localdate(),
        summary=f"收费说明{SCRIPT}",
        live=False,
    )
    item.add_child(instance=page)
    return publish_reviewed(page)


def test_a_publications_title_and_summary_are_text_on_every_public_page(
    client, hostile_publication, demo_index
):
    item = hostile_publication.get_parent()
    for url in (hostile_publication.url, item.url, item.get_parent().url, demo_index.url, "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert IMAGE not in response.content.decode(), url
        assert SCRIPT not in response.content.decode(), url
    assert_shown_as_text(client.get(hostile_publication.url).content.decode(), IMAGE)


def test_search_highlights_and_the_query_echo_are_text(client, hostile_publication):
    response = client.get(reverse("disclosure:search"), {"q": "价格公示"})
    body = response.content.decode()
    assert hostile_publication.relative_url(hostile_publication.get_site()) in body
    assert_shown_as_text(body, IMAGE)
    for payload in (SCRIPT, IMAGE):
        response = client.get(reverse("disclosure:search"), {"q": payload})
        assert_shown_as_text(response.content.decode(), payload)


def test_the_feed_carries_the_title_as_text(client, hostile_publication):
    body = client.get(reverse("disclosure:publications_feed")).content.decode()
    assert "价格公示" in body
    assert "<img src=x" not in body


def test_a_refused_request_form_shows_what_was_typed_as_text(client, centre):
    url = centre.url + centre.reverse_subpage("request_form")
    response = client.post(
        url, {"name": IMAGE, "address": SCRIPT, "phone": "1", "description": "短"}
    )
    assert response.status_code == 400
    assert_shown_as_text(response.content.decode(), IMAGE, SCRIPT)


def test_a_refused_consultation_shows_what_was_typed_as_text(client, centre):
    url = centre.url + centre.reverse_subpage("consultation_form")
    response = client.post(url, {"name": IMAGE, "question": SCRIPT})
    assert response.status_code == 400
    assert_shown_as_text(response.content.decode(), IMAGE, SCRIPT)


def test_the_tracking_page_shows_a_typed_number_as_text(client, centre):
    url = centre.url + centre.reverse_subpage("track")
    response = client.post(url, {"number": IMAGE, "code": SCRIPT})
    assert response.status_code in (400, 404)
    body = response.content.decode()
    assert IMAGE not in body and SCRIPT not in body


def test_a_javascript_url_is_never_a_link_back(client):
    response = client.get(
        reverse("disclosure:text_size", args=["large"]), {"next": "javascript:alert(1)"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


# The admin -----------------------------------------------------------------------------------


def test_the_case_page_and_register_show_an_applicants_input_as_text(client, login, demo_site):
    case = _case(demo_site, name=IMAGE, description=f"申请公开{SCRIPT}的文件。")
    login("office")
    page = client.get(f"/admin/disclosure/cases/request/{case.pk}/")
    assert page.status_code == 200
    assert_shown_as_text(page.content.decode(), IMAGE, SCRIPT)
    register = client.get("/admin/disclosure/requests/")
    assert_shown_as_text(register.content.decode(), IMAGE)


def test_the_overdue_report_shows_an_items_title_as_text(client, login, demo_item):
    item = demo_item(PUBLIC_ITEM)
    CatalogItemPage.objects.filter(pk=item.pk).update(title=f"价格{IMAGE}")
    login("office")
    body = client.get(reverse("disclosure_admin:overdue_report")).content.decode()
    assert_shown_as_text(body, IMAGE)


def test_the_timeline_and_record_forms_show_notes_as_text(
    client, login, demo_item, django_capture_on_commit_callbacks
):
    item = demo_item(PUBLIC_ITEM)
    editor = _user("finance-editor")
    with django_capture_on_commit_callbacks(execute=True):
        record_change(
            item=item,
            user=editor,
            changed_on=timezone.localdate(),
            description=f"收费标准调整{IMAGE}",
        )
        record_attestation(item=item, user=editor, note=f"已核对{SCRIPT}")
    login("office")
    timeline = client.get(reverse("disclosure_admin:item_timeline", args=[item.pk]))
    assert_shown_as_text(timeline.content.decode(), IMAGE)
    attest = client.get(reverse("disclosure_admin:item_attest", args=[item.pk]))
    assert_shown_as_text(attest.content.decode(), IMAGE, SCRIPT)
    audit = client.get(reverse("disclosure_admin:audit_report"))
    assert audit.status_code == 200
    assert SCRIPT not in audit.content.decode() and IMAGE not in audit.content.decode()


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# Exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("门诊收费标准", "门诊收费标准"),
        (42, 42),
    ],
)
def test_a_formula_becomes_text(value, cell):
    assert neutralise_formula(value) == cell


def test_the_overdue_export_holds_no_formula(client, login, demo_item):
    item = demo_item(PUBLIC_ITEM)
    CatalogItemPage.objects.filter(pk=item.pk).update(title=FORMULA)
    login("office")
    url = reverse("disclosure_admin:overdue_report")
    rows = list(csv.reader(io.StringIO(_content(client.get(url, {"export": "csv"})))))
    titles = [row[2] for row in rows]
    assert "'" + FORMULA in titles
    assert FORMULA not in titles
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(url, {"export": "xlsx"}).streaming_content))
    )
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert any(cell.value == FORMULA and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)


def test_the_request_register_export_holds_no_formula(client, login, demo_site):
    case = _case(demo_site, name=FORMULA, description=f"{FORMULA} 的有关文件。")
    login("office")
    text = _content(client.get("/admin/disclosure/requests/", {"export": "csv"}))
    row = next(row for row in csv.reader(io.StringIO(text)) if case.number in row)
    assert "'" + FORMULA in row
    assert FORMULA not in row


def test_the_catalog_export_to_xlsx_holds_text_not_formulas(demo_site, demo_item, tmp_path):
    item = demo_item(PUBLIC_ITEM)
    CatalogItemPage.objects.filter(pk=item.pk).update(title=FORMULA)
    path = tmp_path / "catalog.xlsx"
    export_catalog(site=demo_site, path=path)
    cells = [cell for row in load_workbook(path).active.iter_rows() for cell in row]
    assert any(cell.value == FORMULA and cell.data_type == "s" for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)
    # Still lossless: the import reads the same title back.
    assert any(row[1] == FORMULA for row in read_table(path))
