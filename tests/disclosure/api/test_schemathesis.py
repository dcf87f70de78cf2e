"""Schemathesis over every operation of the disclosure API, anonymously and with a token: no
server error, and every answer (status, content type, headers, body) as the document says.

Requests go through the project's WSGI application in this process, so they see the test
database inside the test's transaction.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
)
from wagtail.models import Site

from disclosure.api.openapi import documents
from disclosure.api.publications import ISO_DATE
from disclosure.models import (
    Audience,
    CatalogItemPage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationPage,
    RecruitmentNoticePage,
)

# Slow: run once per CI run, on PostgreSQL (see the README's Tests section).
pytestmark = pytest.mark.slow


schema = schemathesis.openapi.from_dict(documents()["disclosure-openapi.json"])
schema.app = WSGIHandler()

# Derandomized: CI explores the same examples on every run, so a failure is reproducible and
# never a matter of luck; widen max_examples (or drop derandomize) to explore further locally.
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def in_test_transaction(db):
    """Keep the WSGI handler from closing the test's connection after each request (Django's
    test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_ids(*, staff: bool) -> dict[str, list[int]]:
    """Ids that exist, for the path parameters: random numbers mostly find nothing, and the
    answers worth checking against the schema are the full ones."""
    items = CatalogItemPage.objects.live().filter(
        audience=Audience.STAFF if staff else Audience.PUBLIC
    )
    publications = [
        model.objects.live().first().pk
        for model in (
            PublicationPage,
            ProcurementNoticePage,
            RecruitmentNoticePage,
            PolicyDocumentPage,
            PolicyInterpretationPage,
        )
    ]
    return {
        "item_id": [items.filter(rule_kind="periodic").first().pk, items.first().pk],
        "publication_id": publications,
        "institution_id": [Site.objects.get(is_default_site=True).pk],
    }


def reversed_dates(case) -> bool:
    """A date range ending before it starts: valid for the schema (which cannot relate two
    parameters), refused by the API with a 422 that names the problem."""
    query = case.query or {}
    dates = [str(query.get(name, "")) for name in ("date_from", "date_to")]
    return all(ISO_DATE.fullmatch(date) for date in dates) and dates[0] > dates[1]


def form_validated(case) -> bool:
    """Intake validates like the public forms (ID checksums, phone formats, a phone or an email),
    which JSON Schema cannot express: a schema-valid body may get a 422 naming its fields."""
    return case.method.upper() == "POST" and case.operation.path.endswith(
        ("/requests/", "/consultations/")
    )


def call_and_validate(case, *, staff: bool, headers=None) -> None:
    if form_validated(case):
        response = case.call_and_validate(
            headers=headers, excluded_checks=[positive_data_acceptance]
        )
        if response.status_code == 422:
            assert all(error["loc"][0] == "body" for error in response.json()["errors"])
        return
    if reversed_dates(case):
        response = case.call_and_validate(
            headers=headers, excluded_checks=[positive_data_acceptance]
        )
        assert response.status_code == 422
        # A case that is also wrong elsewhere (say department=false) is refused for that first:
        # the date range is checked once every parameter has its type.
        others = [
            error
            for error in response.json()["errors"]
            if len(error["loc"]) > 1 and error["loc"][1] not in ("date_from", "date_to")
        ]
        if not others:
            assert "date_from is after date_to" in response.text
        return
    case.call_and_validate(headers=headers)
    ids = real_ids(staff=staff)
    for name in case.path_parameters or {}:
        for pk in ids.get(name, []):
            real = case.operation.Case(path_parameters={name: pk})
            real.call_and_validate(headers=headers)


@schema.parametrize()
@EXAMPLES
def test_anonymous_callers(case, in_test_transaction):
    call_and_validate(case, staff=False)


@schema.parametrize()
@EXAMPLES
def test_callers_with_a_token(case, in_test_transaction, supervisor_token):
    if case.meta.generation.mode.is_negative:
        # The token set here would undo a mutation that drops the Authorization header, so
        # invalid input is held to "no server error" here; the anonymous run above checks
        # that it is refused (validation runs before authentication matters).
        case.call_and_validate(headers=supervisor_token, checks=[not_a_server_error])
        return
    call_and_validate(case, staff=True, headers=supervisor_token)


@pytest.fixture
def supervisor_token(token_for):
    (header,) = token_for("supervisor").values()
    return {"Authorization": header}


# Wagtail's v3 API documents only its 200 answers and ships its own tests of its status codes
# and of what it accepts; here it is held to what the disclosure plugin must guarantee of it:
# no server error on any read, anonymous or with a token; 200 answers as documented (the
# disclosure page types' fields among them); no write without a token. Writes with a token are
# not fuzzed here: Wagtail 8 answers some malformed bodies with a 500 of its own (see the
# README); that writes cannot publish around the review is tested in test_moderation.
# The project registers no snippet model, so the snippets operations have no valid type.
pages_schema = schemathesis.openapi.from_dict(documents()["wagtail-v3-openapi.json"]).exclude(
    path_regex="/snippets/"
)
pages_schema.app = WSGIHandler()
PAGES_CHECKS = [not_a_server_error, response_schema_conformance]


@pages_schema.include(method="GET").parametrize()
@EXAMPLES
def test_wagtails_v3_reads(case, in_test_transaction, supervisor_token):
    case.call_and_validate(checks=PAGES_CHECKS)
    case.call_and_validate(checks=PAGES_CHECKS, headers=supervisor_token)


@pages_schema.exclude(method="GET").parametrize()
@EXAMPLES
def test_wagtails_v3_writes_need_a_token(case, in_test_transaction):
    response = case.call_and_validate(checks=PAGES_CHECKS)
    # 405 where a generated path parameter lands on a read-only route (``pages/find/``); 422
    # where a number beyond 64 bits or a NUL character in the query is refused before
    # authentication (disclosure.middleware).
    query = case.query or {}
    has_nul = any("\x00" in str(name) + str(value) for name, value in query.items())
    refused_input = response.status_code == 422 and ("out_of_range" in response.text or has_nul)
    assert response.status_code in (401, 405) or refused_input
