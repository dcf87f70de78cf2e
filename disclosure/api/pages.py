"""The plugin inside Wagtail's v3 API (``DisclosureConfig.ready`` calls both functions).

* The disclosure page types' ``api_fields`` become typed fields of the OpenAPI schema. Wagtail
  types a JSON field as an object; a ``ChoiceListField`` is a list of choice codes, so its schema
  is registered before the API builds its schemas.
* Wagtail's documents endpoints list every document outside a private collection to anyone,
  among them the attachments of drafts and of staff-only items. A caller without permissions on
  documents sees only the documents of pages they may see.
* Wagtail's pages endpoints show an anonymous caller every live public page, even one below an
  unpublished page. An anonymous caller sees no page below an unpublished one.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.db.models import Q
from wagtail.api.v3.schemas.generators import create_generator, patch_generator, read_generator
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from ..fields import ChoiceListField
from ..selectors.visibility import documents_visible_to, visible_to


def _codes(field: ChoiceListField) -> Any:
    return list[Literal[tuple(field.choices_class.values)]]


def register_field_schemas() -> None:
    read_generator.register_field_schema(
        ChoiceListField, lambda generator, field: (_codes(field), [], None)
    )
    for generator in (create_generator, patch_generator):
        generator.register_field_schema(
            ChoiceListField, lambda generator, field: (_codes(field), [])
        )


def _wrap_seam(router, name: str, wrap) -> None:
    """Replace ``router.<name>`` (a Wagtail API's queryset function) by ``wrap(original)``,
    once; refuse to start should Wagtail have renamed it, rather than leave its API open."""
    original = getattr(router, name, None)
    if getattr(original, "restricted_by_disclosure", False):
        return
    if original is None:
        raise ImproperlyConfigured(
            f"{router.__name__}.{name} is gone: the disclosure plugin cannot restrict "
            "Wagtail's API that reads it."
        )
    restricted = wrap(original)
    restricted.restricted_by_disclosure = True
    setattr(router, name, restricted)


def restrict_documents(**signal_kwargs) -> None:
    """Wrap Wagtail's documents queryset once (connected to the first ``request_started``)."""
    # Deferred to the first request: Wagtail's documents router builds its schemas when it is
    # imported, from registrations made once every app is ready.
    from wagtail.documents.api.v3 import router as documents_router

    request_started.disconnect(dispatch_uid=restrict_documents)
    policy = policy_registry.get_by_type(get_document_model())

    def wrap(wagtail_queryset):
        def get_documents_queryset(request):
            # What the reader may know of: the documents their audience may see, and those
            # they may work on in the admin (their own institution's collection, not another's).
            documents = wagtail_queryset(request)
            visible = documents_visible_to(request.user, documents)
            if not policy.user_has_any_permission(request.user, ["add", "change", "choose"]):
                return visible
            their_own = policy.instances_user_has_any_permission_for(
                request.user, ["add", "change", "choose"]
            )
            return documents.filter(
                Q(pk__in=visible.values("pk")) | Q(pk__in=their_own.values("pk"))
            )

        return get_documents_queryset

    _wrap_seam(documents_router, "get_documents_queryset", wrap)


def restrict_pages(**signal_kwargs) -> None:
    """Wrap Wagtail's pages queryset once (connected to the first ``request_started``)."""
    # Deferred to the first request: Wagtail's pages router builds the page types' schemas when
    # it is imported, which must follow register_field_schemas and every app's ready().
    from wagtail.api.v3.routers import pages as pages_router

    request_started.disconnect(dispatch_uid=restrict_pages)

    def wrap(wagtail_queryset):
        def get_pages_queryset(request, *args, **kwargs):
            pages = wagtail_queryset(request, *args, **kwargs)
            if request.user.is_authenticated:
                return pages  # what they may edit, drafts included (Wagtail's own rule)
            # Anonymous callers: the live public pages, none below an unpublished one.
            return pages.filter(pk__in=visible_to(pages.model.objects.all(), None).values("pk"))

        return get_pages_queryset

    _wrap_seam(pages_router, "get_pages_queryset", wrap)
