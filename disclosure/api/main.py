"""The disclosure API: one django-ninja ``NinjaAPI`` with its OpenAPI document and docs."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from wagtail.api.v3.errors import PROBLEM_JSON

from . import catalog, compliance, errors, ledger, price_changes, publications, requests, search

DESCRIPTION = """
The hospital's disclosure catalog (信息公开目录) and its publications, for WeChat pages, lobby
screens and apps.

* **Anonymous** calls see live, public content only.
* With `Authorization: Bearer <token>` (a Wagtail API token, created in the admin under
  *Account → API tokens* or with `manage.py api_tokens create`), staff also see the staff-only
  (职工) items of their own institutions; `/compliance/…` needs a token.
* Requests (依申请公开) and consultations (咨询): anyone may submit one (`POST /requests/`,
  `POST /consultations/`) and follow it with its number and lookup code (`POST /tracking/`);
  the register (`GET /cases/`) needs a token, and masks personal data except for the
  institution's disclosure office. Submissions are rate-limited per client (429).
* Lists are paginated with `limit` (at most 100) and `offset`.
* Errors are `application/problem+json`: `{type, title, status, detail, errors?}`.
* Public answers carry `ETag`, `Last-Modified` and `Cache-Control: public`; answers to a token
  are `private`.

Pages themselves (with every field of the disclosure page types) are served by Wagtail's v3 API
at `/api/v3/`.
""".strip()


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese text as text, not ``\\uXXXX`` escapes (the body is UTF-8)."""

    json_dumps_params = {"ensure_ascii": False}


class DisclosureAPI(NinjaAPI):
    """Ninja's document, told two things it cannot know: errors are ``problem+json``, and a
    public operation works with a token or without one (OpenAPI's empty requirement)."""

    def get_openapi_schema(self, *args, **kwargs):
        document = super().get_openapi_schema(*args, **kwargs)
        for path in document["paths"].values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
                operation["security"] = [
                    {} if "AllowAnonymous" in requirement else requirement
                    for requirement in operation.get("security", [])
                ]
        schemes = document.get("components", {}).get("securitySchemes", {})
        schemes.pop("AllowAnonymous", None)
        if "TokenAuth" in schemes:
            schemes["TokenAuth"]["description"] = (
                "A Wagtail API token: Account → API tokens in the admin, or "
                "`manage.py api_tokens create --user NAME --name LABEL`."
            )
        return document


api = DisclosureAPI(
    renderer=UnicodeJSONRenderer(),
    title="Hospital information disclosure API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="disclosure_api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
errors.register(api)
api.add_router("/", catalog.router)
api.add_router("/", publications.router)
api.add_router("/", compliance.router)
api.add_router("/", requests.router)
api.add_router("/", search.router)
api.add_router("/", ledger.router)
api.add_router("/", price_changes.router)
api.add_router("/", "disclosure.api.prices.router")
