"""Requests and consultations as visitors, front-end developers and staff meet them: the public
forms and tracking page, the API, and the admin register with its export."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from wagtail.models import APIToken

from disclosure.models import Consultation, DisclosureRequest, RequestCentrePage, RequestFile
from disclosure.rules.requests import CaseAction, CaseState, Outcome
from disclosure.services.requests import perform, submit

API = "/api/disclosure/v1"
VALID_ID = "11010519491231002X"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def centre(demo_site) -> RequestCentrePage:
    return RequestCentrePage.objects.live().descendant_of(demo_site.root_page).get()


def _url(centre, route: str) -> str:
    return centre.url + centre.reverse_subpage(route)


def _request_form(**overrides) -> dict:
    return {
        "applicant_type": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13912345678",
        "email": "zhangsan@example.com",
        "address": "示范市健康路1号",
        "description": "2025年度门诊收费标准调整的文件。",
        "purpose": "自身生活需要",
        "provision_form": "email",
        "delivery": "email",
        **overrides,
    }


def _token(username: str) -> dict:
    user = get_user_model().objects.get(username=username)
    _record, plaintext = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


# The public site -------------------------------------------------------------------------


def test_the_request_centre_is_linked_from_every_public_page(client, centre):
    response = client.get("/")
    assert response.status_code == 200
    assert f'href="{centre.relative_url(centre.get_site())}"' in response.content.decode()


def test_a_valid_request_gets_a_number_and_a_code_shown_once(
    client, centre, django_capture_on_commit_callbacks
):
    before = DisclosureRequest.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(centre, "request_form"), _request_form())
    assert response.status_code == 302
    # On the host that served the form, whatever the site's own host name: the demo holds
    # several institutions, and an absolute address would name the site's host instead.
    assert response["Location"] == (
        centre.relative_url(centre.get_site()) + centre.reverse_subpage("received")
    )
    assert response["Location"].startswith("/")
    case = DisclosureRequest.objects.order_by("-pk").first()
    assert DisclosureRequest.objects.count() == before + 1
    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert case.number in page
    code = receipt.context["lookup_code"]
    assert len(code) == 8 and code in page
    # The receipt is shown once: reloading it goes back to the centre.
    assert client.get(response["Location"]).status_code == 302
    # The applicant's email names the number but never the code.
    assert len(mail.outbox) == 1
    assert case.number in mail.outbox[0].body
    assert code not in mail.outbox[0].body


def test_bad_input_gets_chinese_field_errors_and_stores_nothing(client, centre):
    before = DisclosureRequest.objects.count()
    response = client.post(
        _url(centre, "request_form"),
        _request_form(id_number="110105194912310021", phone="12345", description="短"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"id_number", "phone", "description"}
    page = response.content.decode()
    assert "身份证号码" in page
    assert DisclosureRequest.objects.count() == before


def test_an_organisation_must_give_a_credit_code_and_a_contact(client, centre):
    response = client.post(
        _url(centre, "request_form"),
        _request_form(applicant_type="commercial", contact_person=""),
    )
    assert response.status_code == 400
    assert {"id_type", "contact_person"} <= set(response.context["form"].errors)


def test_the_honeypot_refuses_a_bot_and_stores_nothing(client, centre):
    before = DisclosureRequest.objects.count()
    response = client.post(_url(centre, "request_form"), _request_form(website="http://spam"))
    assert response.status_code == 400
    assert DisclosureRequest.objects.count() == before


def test_attachments_are_checked_by_content(client, centre):
    disguised = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        _url(centre, "request_form"), {**_request_form(), "attachments": [disguised]}
    )
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors

    real = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    response = client.post(_url(centre, "request_form"), {**_request_form(), "attachments": [real]})
    assert response.status_code == 302
    stored = RequestFile.objects.get(request=DisclosureRequest.objects.order_by("-pk").first())
    assert stored.original_name == "证明.pdf"
    assert stored.file.read() == PDF
    # Applicants' files live outside MEDIA_ROOT: they have no public URL.
    assert "private" in stored.file.path


@override_settings(DISCLOSURE_INTAKE_RATE_LIMIT=(2, 3600))
def test_the_intake_is_rate_limited_with_a_chinese_429(client, centre):
    url = _url(centre, "consultation_form")
    data = {"name": "李四", "phone": "13812345678", "question": "请问体检报告多久可以领取？"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()


def test_a_consultation_needs_a_way_to_answer(client, centre):
    before = Consultation.objects.count()
    response = client.post(
        _url(centre, "consultation_form"), {"name": "李四", "question": "请问几点开门？"}
    )
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    assert Consultation.objects.count() == before


def _submitted(demo_site, **values):
    return submit(
        DisclosureRequest,
        site=demo_site,
        values=_request_form(**values),
        acknowledge=False,
    )


def test_tracking_shows_the_state_and_nothing_personal(client, centre, demo_site):
    submitted = _submitted(demo_site)
    response = client.post(
        _url(centre, "track"),
        {"number": submitted.case.number, "code": submitted.lookup_code.lower()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert submitted.case.number in page
    assert "登记" in page
    for personal in ("张三", "13912345678", VALID_ID, "zhangsan@example.com"):
        assert personal not in page


def test_a_wrong_code_reveals_nothing_and_matches_a_wrong_number(client, centre, demo_site):
    submitted = _submitted(demo_site)
    wrong_code = client.post(
        _url(centre, "track"), {"number": submitted.case.number, "code": "AAAAAAAA"}
    )
    wrong_number = client.post(
        _url(centre, "track"), {"number": "YSQ-2099-999999", "code": submitted.lookup_code}
    )
    assert wrong_code.status_code == wrong_number.status_code == 404
    for response in (wrong_code, wrong_number):
        page = response.content.decode()
        assert "没有与此查询编号和查询码相符的事项" in page
        assert "登记" not in page
        assert "case" not in response.context


def test_a_released_reply_and_its_file_reach_the_applicant(client, centre, demo_site):
    office = get_user_model().objects.get(username="office")
    submitted = _submitted(demo_site)
    case = perform(submitted.case, action=CaseAction.ACCEPT, user=office, note="受理")
    reply_file = SimpleUploadedFile("答复书.pdf", PDF)
    case = perform(
        case,
        action=CaseAction.ANSWER,
        user=office,
        note="答复",
        values={"outcome": Outcome.DISCLOSED, "reply": "您申请的信息予以公开。", "release": True},
        reply_file=reply_file,
    )
    response = client.post(
        _url(centre, "track"), {"number": case.number, "code": submitted.lookup_code}
    )
    assert "您申请的信息予以公开。" in response.content.decode()
    (_file, token), *_rest = response.context["reply_files"]
    download = client.get(centre.url + centre.reverse_subpage("tracked_file", args=[token]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    tampered = centre.url + centre.reverse_subpage("tracked_file", args=[token[:-2] + "00"])
    assert client.get(tampered).status_code == 404


# The API ---------------------------------------------------------------------------------


def _post(client, path: str, body: dict, **headers):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json", **headers)


def test_the_api_takes_a_request_and_tracks_it(client, demo_site):
    response = _post(client, "/requests/", _request_form())
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["number"].startswith("YSQ-")
    tracked = _post(
        client, "/tracking/", {"number": receipt["number"], "code": receipt["lookup_code"]}
    )
    assert tracked.status_code == 200
    assert tracked.json()["state"] == CaseState.REGISTERED
    assert "张三" not in tracked.content.decode()
    wrong = _post(client, "/tracking/", {"number": receipt["number"], "code": "AAAAAAAA"})
    assert wrong.status_code == 404
    assert receipt["number"] not in wrong.content.decode()


def test_the_api_gives_field_errors_and_stores_nothing(client, demo_site):
    before = DisclosureRequest.objects.count()
    response = _post(client, "/requests/", _request_form(id_number="123", phone="1"))
    assert response.status_code == 422
    fields = {tuple(error["loc"]) for error in response.json()["errors"]}
    assert {("body", "id_number"), ("body", "phone")} <= fields
    assert DisclosureRequest.objects.count() == before


def test_the_register_api_masks_personal_data_except_for_the_office(client, demo_site):
    submitted = _submitted(demo_site)
    number = submitted.case.number

    def find(username):
        response = client.get(f"{API}/cases/?limit=100", **_token(username))
        assert response.status_code == 200
        return next(item for item in response.json()["items"] if item["number"] == number)

    office = find("office")
    assert (office["applicant"], office["phone"], office["id_number"]) == (
        "张三",
        "13912345678",
        VALID_ID,
    )
    supervisor = find("supervisor")
    assert supervisor["applicant"] == "张*"
    assert supervisor["phone"] == "139****5678"
    assert VALID_ID not in json.dumps(supervisor)
    assert client.get(f"{API}/cases/").status_code == 401
    # A department that was not assigned the case does not see it.
    response = client.get(f"{API}/cases/?limit=100", **_token("nursing-editor"))
    assert number not in response.content.decode()


# The admin -------------------------------------------------------------------------------


def test_the_export_masks_personal_data_for_the_supervisor(client, login, demo_site):
    submitted = _submitted(demo_site)
    login("supervisor")
    export = client.get("/admin/disclosure/requests/?export=csv")
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    assert submitted.case.number in text
    assert "139****5678" in text
    assert "13912345678" not in text and VALID_ID not in text

    client.logout()
    login("office")
    text = b"".join(client.get("/admin/disclosure/requests/?export=csv").streaming_content)
    assert "13912345678" in text.decode()


def test_a_department_outside_the_case_gets_a_404(client, login, demo_site):
    submitted = _submitted(demo_site)
    login("nursing-editor")
    response = client.get(f"/admin/disclosure/cases/request/{submitted.case.pk}/")
    assert response.status_code == 404


def test_the_office_handles_a_case_from_its_page(client, login, demo_site):
    submitted = _submitted(demo_site)
    login("office")
    url = f"/admin/disclosure/cases/request/{submitted.case.pk}/"
    response = client.post(url, {"action": "accept", "accept-note": "材料齐全，予以受理。"})
    assert response.status_code == 302
    case = DisclosureRequest.objects.get(pk=submitted.case.pk)
    assert case.state == CaseState.ACCEPTED
    page = client.get(url).content.decode()
    assert "材料齐全，予以受理。" in page
    # An extension beyond the limit is refused with the field's error, nothing saved.
    response = client.post(
        url, {"action": "extend", "extend-note": "延期", "extend-extension_days": "30"}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.extension_days == 0


def test_the_supervisor_reads_a_case_but_cannot_act(client, login, demo_site):
    submitted = _submitted(demo_site)
    login("supervisor")
    url = f"/admin/disclosure/cases/request/{submitted.case.pk}/"
    page = client.get(url).content.decode()
    assert submitted.case.number in page and "139****5678" in page
    assert "13912345678" not in page
    # Wagtail's admin answers a refused permission by sending the user to the dashboard.
    response = client.post(url, {"action": "accept", "accept-note": "x"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert DisclosureRequest.objects.get(pk=submitted.case.pk).state == CaseState.REGISTERED


def test_a_handling_note_is_masked_for_whoever_sees_the_case_masked(client, login, demo_site):
    submitted = _submitted(demo_site)
    office = get_user_model().objects.get(username="office")
    perform(submitted.case, action=CaseAction.ACCEPT, user=office, note="已电话联系13987654321")
    url = f"/admin/disclosure/cases/request/{submitted.case.pk}/"

    login("supervisor")
    page = client.get(url).content.decode()
    assert "13987654321" not in page and "139****4321" in page
    login("office")
    assert "13987654321" in client.get(url).content.decode()


def test_the_office_registers_a_request_received_on_paper(client, login, demo_site):
    login("office")
    data = {
        **_request_form(),
        "institution": demo_site.pk,
        "received_on": "2026-11-02",
    }
    response = client.post("/admin/disclosure/cases/request/register/", data)
    assert response.status_code == 302
    case = DisclosureRequest.objects.order_by("-pk").first()
    assert case.received_on.isoformat() == "2026-11-02"
    assert case.history.first().history_user.username == "office"


def test_only_the_office_registers_cases(client, login, demo_site):
    login("supervisor")
    response = client.get("/admin/disclosure/cases/request/register/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def _queries(client, url: str, **headers) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_the_register_costs_the_same_queries_for_more_cases(client, login, demo_site):
    headers = _token("office")
    login("office")
    for _index in range(3):
        _submitted(demo_site)
    # Warm the per-process caches (content types, the calendar, the token's last use).
    _queries(client, f"{API}/cases/?limit=100", **headers)
    _queries(client, "/admin/disclosure/requests/")
    api_few = _queries(client, f"{API}/cases/?limit=100", **headers)
    admin_few = _queries(client, "/admin/disclosure/requests/")
    for _index in range(30):
        _submitted(demo_site)
    assert _queries(client, f"{API}/cases/?limit=100", **headers) == api_few
    assert _queries(client, "/admin/disclosure/requests/") == admin_few


def test_only_the_office_downloads_the_applicants_own_files(client, login, demo_site):
    upload = SimpleUploadedFile("身份证.pdf", PDF)
    submitted = submit(
        DisclosureRequest,
        site=demo_site,
        values=_request_form(),
        files=[upload],
        acknowledge=False,
    )
    file = submitted.case.files.get()
    url = f"/admin/disclosure/cases/request/{submitted.case.pk}/files/{file.pk}/"
    login("supervisor")
    assert client.get(url).status_code == 404
    assert (
        "身份证.pdf"
        not in client.get(f"/admin/disclosure/cases/request/{submitted.case.pk}/").content.decode()
    )
    client.logout()
    login("office")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
