"""The OpenAPI documents of both APIs, as committed under ``docs/api/`` and served live."""

from __future__ import annotations

import json
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation

DOCUMENTS = {
    "disclosure-openapi.json": "disclosure.api.main",
    "wagtail-v3-openapi.json": "wagtail.api.v3.api",
}


def documents() -> dict[str, dict[str, Any]]:
    """File name → OpenAPI document, for each API this project mounts, in the site's language
    (as they are served)."""
    result = {}
    with translation.override(settings.LANGUAGE_CODE):
        for name, module in DOCUMENTS.items():
            if module.startswith("wagtail.") and not apps.is_installed("wagtail.api.v3"):
                continue
            document = import_module(module).api.get_openapi_schema()
            # Lazy strings (verbose names) become text in the active language.
            result[name] = json.loads(json.dumps(document, cls=DjangoJSONEncoder))
    return result


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
