"""The disclosure API: one django-ninja ``NinjaAPI`` with its OpenAPI document and docs."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import catalog, compliance, errors, publications

DESCRIPTION = """
The hospital's disclosure catalog (信息公开目录) and its publications, for WeChat pages, lobby
screens and apps.

* **Anonymous** calls see live, public content only.
* With `Authorization: Bearer <token>` (a Wagtail API token, created in the admin under
  *Account → API tokens* or with `manage.py api_tokens create`), staff also see the staff-only
  (职工) items of their own institutions; `/compliance/…` needs a token.
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


api = NinjaAPI(
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
