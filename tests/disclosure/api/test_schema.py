"""The OpenAPI documents are pinned: a change to the API shows up as a change to these files."""

from pathlib import Path

from disclosure.api.openapi import documents, dumps

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api"
REGENERATE = "python manage.py export_openapi docs/api"


def test_the_served_documents_are_the_committed_snapshots():
    current = documents()
    assert set(current) == {"disclosure-openapi.json", "wagtail-v3-openapi.json"}
    for name, document in current.items():
        committed = (DOCS / name).read_text(encoding="utf-8")
        assert dumps(document) == committed, f"{name} changed: review it, then run {REGENERATE}"


def test_the_disclosure_page_types_are_typed_in_wagtails_pages_schema():
    schemas = documents()["wagtail-v3-openapi.json"]["components"]["schemas"]
    item = schemas["CatalogItemPageSchema"]["properties"]
    assert item["channels"]["type"] == "array"
    assert "wechat" in item["channels"]["items"]["enum"]
    assert item["department"]["anyOf"][0]["$ref"].endswith("DepartmentForeignKeySchema")
    notice = schemas["ProcurementNoticePageSchema"]["properties"]
    assert {"budget", "bid_deadline", "winning_supplier", "publication_date", "body"} <= set(notice)
    positions = schemas["RecruitmentNoticePageSchema"]["properties"]["positions"]
    assert positions["items"]["$ref"].endswith("RecruitmentPositionSchema")
    # Attachments are served by the disclosure API, which filters private documents.
    assert "attachments" not in schemas["PublicationPageSchema"]["properties"]


def test_the_disclosure_schema_types_its_codes_and_limits():
    document = documents()["disclosure-openapi.json"]
    schemas = document["components"]["schemas"]
    assert set(schemas["Standing"]["properties"]["status"]["enum"]) == {
        "on_time",
        "due_soon",
        "overdue",
        "missing",
        "no_schedule",
    }
    limit = next(
        parameter
        for parameter in document["paths"]["/api/disclosure/v1/items/"]["get"]["parameters"]
        if parameter["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 100
    operations = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    assert operations == {
        "institutions_list",
        "institutions_detail",
        "departments_list",
        "catalog_tree",
        "items_list",
        "items_detail",
        "items_history",
        "publications_list",
        "publications_detail",
        "compliance_departments",
        "submit_request",
        "submit_consultation",
        "track_case",
        "list_cases",
        "search",
        "public_ledger",
        "published_scores",
        "list_findings",
        "list_inspections",
        "price_changes_list",
        "price_lists_price_on",
        "price_lists_list",
        "price_lists_rows",
    }
    # The register's personal fields say they are masked; intake documents its rate limit.
    case = document["components"]["schemas"]["Case"]["properties"]
    assert "Masked" in case["phone"]["description"]
    intake = document["paths"]["/api/disclosure/v1/requests/"]["post"]["responses"]
    assert {"201", "422", "429"} <= set(intake)
