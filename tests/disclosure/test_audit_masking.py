"""An applicant's identifiers never reach the audit trail's readers in full: not through a file
named with an ID number, not in a note, not in the entries indexed before masking existed."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import AuditEntry, DisclosureRequest
from disclosure.rules.privacy import mask
from disclosure.rules.requests import ApplicantType, DeliveryWay, IdDocument, ProvisionForm
from disclosure.services import audit as audit_service
from disclosure.services.requests import submit

pytestmark = pytest.mark.django_db

RESIDENT_ID, MASKED_ID = "11010519491231002X", "110***********002X"
PHONE, MASKED_PHONE = "13812345678", "138****5678"
NEW_PHONE = "13900001111"
FILE_NAME = f"张三身份证{RESIDENT_ID}手机{PHONE}.pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPORT = "/admin/reports/disclosure-audit/"
QUERY = "?object_repr=张三身份证"  # the start of the file's name, as the entries hold it


def submit_request(site) -> DisclosureRequest:
    """A request from the public with the applicant's identity document, named by its owner."""
    values = {
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": "张三",
        "id_type": IdDocument.RESIDENT_ID,
        "id_number": RESIDENT_ID,
        "phone": PHONE,
        "description": "本院2026年医疗服务收费标准调整的依据文件",
        "provision_form": ProvisionForm.EMAIL,
        "delivery": DeliveryWay.EMAIL,
        "email": "zhang.san@example.com",
    }
    upload = SimpleUploadedFile(FILE_NAME, PDF, content_type="application/pdf")
    case = submit(DisclosureRequest, site=site, values=values, files=[upload]).case
    # The office notes the applicant's callback number in a field that is not personal.
    case.description += f"（申请人来电补充，回电{PHONE}）"
    case.phone = NEW_PHONE
    case._change_reason = f"申请人来电，身份证号{RESIDENT_ID}"
    case.save()
    return case


def shown_in_full(text: str) -> list[str]:
    return [value for value in (RESIDENT_ID, PHONE, NEW_PHONE) if value in text]


def what_the_supervisor_sees(client, case) -> dict[str, str]:
    """The report, its two exports and the history of the file and of the case, as text."""
    csv_response = client.get(f"{REPORT}{QUERY}&export=csv")
    xlsx_response = client.get(f"{REPORT}{QUERY}&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content))).active
    [attachment] = case.files.all()
    file_history = reverse(
        "disclosure_admin:model_history", args=["disclosure", "requestfile", attachment.pk]
    )
    case_history = reverse(
        "disclosure_admin:model_history", args=["disclosure", "disclosurerequest", case.pk]
    )
    case_rows = client.get(f"{REPORT}?object_repr={case.number}&export=csv")
    return {
        "report": client.get(f"{REPORT}results/{QUERY}").content.decode(),
        "csv": "\n".join(
            ",".join(row)
            for row in csv.reader(
                io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))
            )
        ),
        "xlsx": "\n".join(
            ",".join(str(cell) for cell in row) for row in sheet.iter_rows(values_only=True)
        ),
        "file history": client.get(file_history).content.decode(),
        "case history": client.get(case_history).content.decode(),
        "case entries": b"".join(case_rows.streaming_content).decode("utf-8-sig"),
    }


def test_a_supervisor_sees_an_uploaded_files_identifiers_masked_everywhere(
    client, login, demo_site
):
    case = submit_request(demo_site)
    login("supervisor")
    pages = what_the_supervisor_sees(client, case)
    for name, text in pages.items():
        assert shown_in_full(text) == [], name
    for name in ("report", "csv", "xlsx", "file history"):
        assert f"张三身份证{MASKED_ID}手机{MASKED_PHONE}.pdf" in pages[name], name
    # The note on the case and the change of its description are masked as well.
    assert f"回电{MASKED_PHONE}" in pages["case history"]
    assert f"身份证号{MASKED_ID}" in pages["case history"]
    assert "139****1111" in pages["case history"]  # the applicant's own field, by its mask
    assert f"回电{MASKED_PHONE}" in pages["case entries"]


def test_the_trail_stores_the_masked_text(demo_site):
    case = submit_request(demo_site)
    [attachment] = case.files.all()
    entries = AuditEntry.objects.filter(
        content_type__model="disclosurerequest", object_id=str(case.pk)
    ) | AuditEntry.objects.filter(content_type__model="requestfile", object_id=str(attachment.pk))
    stored = " ".join(f"{e.object_repr} {e.comment} {e.data}" for e in entries)
    assert entries.count() == 3 and shown_in_full(stored) == []
    [file_entry] = AuditEntry.objects.filter(
        content_type__model="requestfile", object_id=str(attachment.pk)
    )
    assert file_entry.object_repr == f"张三身份证{MASKED_ID}手机{MASKED_PHONE}.pdf"


def test_entries_indexed_before_masking_are_masked_when_shown(
    client, login, demo_site, monkeypatch
):
    # As the trail was indexed until now: the texts as they came. The rows stay as they are.
    monkeypatch.setattr(audit_service, "mask_identifiers", lambda text: text)
    monkeypatch.setattr(audit_service, "mask_identifiers_in", lambda value: value)
    monkeypatch.setattr(
        audit_service,
        "mask_change",
        lambda field, value, personal: (
            mask(field, str(value or "")) if field in personal else str(value)
        ),
    )
    case = submit_request(demo_site)
    monkeypatch.undo()
    raw = AuditEntry.objects.filter(object_repr=FILE_NAME)
    assert raw.exists()  # the raw text is still stored…

    login("supervisor")
    for name, text in what_the_supervisor_sees(client, case).items():
        assert shown_in_full(text) == [], name  # …and never shown

    call_command("check_audit", stdout=io.StringIO(), stderr=io.StringIO())  # nothing rewritten
