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
from django.db.models import Q

from ..fields import ChoiceListField


def _codes(field: ChoiceListField) -> Any:
    return list[Literal[tuple(field.choices_class.values)]]


def register_field_schemas() -> None:
    from wagtail.api.v3.schemas.generators import (
        create_generator,
        patch_generator,
        read_generator,
    )

    read_generator.register_field_schema(
        ChoiceListField, lambda generator, field: (_codes(field), [], None)
    )
    for generator in (create_generator, patch_generator):
        generator.register_field_schema(
            ChoiceListField, lambda generator, field: (_codes(field), [])
        )


def restrict_documents(**signal_kwargs) -> None:
    """Wrap Wagtail's documents queryset once (connected to the first ``request_started``)."""
    from django.core.signals import request_started
    from wagtail.documents import get_document_model
    from wagtail.documents.api.v3 import router
    from wagtail.permissions import policy_registry

    from ..selectors.visibility import documents_visible_to

    request_started.disconnect(dispatch_uid=restrict_documents)
    wagtail_queryset = getattr(router, "get_documents_queryset", None)
    if getattr(wagtail_queryset, "restricted_by_disclosure", False):
        return
    if wagtail_queryset is None:
        # Never leave the documents API open because Wagtail renamed its seam.
        raise ImproperlyConfigured(
            "wagtail.documents.api.v3.router.get_documents_queryset is gone: the disclosure "
            "plugin cannot restrict Wagtail's documents API."
        )
    policy = policy_registry.get_by_type(get_document_model())

    def get_documents_queryset(request):
        # What the reader may know of: the documents their audience may see, and those they
        # may work on in the admin (their own institution's collection, not another's).
        documents = wagtail_queryset(request)
        visible = documents_visible_to(request.user, documents)
        if not policy.user_has_any_permission(request.user, ["add", "change", "choose"]):
            return visible
        their_own = policy.instances_user_has_any_permission_for(
            request.user, ["add", "change", "choose"]
        )
        return documents.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=their_own.values("pk")))

    get_documents_queryset.restricted_by_disclosure = True
    router.get_documents_queryset = get_documents_queryset


def restrict_pages(**signal_kwargs) -> None:
    """Wrap Wagtail's pages queryset once (connected to the first ``request_started``)."""
    from django.core.signals import request_started
    from wagtail.api.v3.routers import pages as router

    from ..selectors.visibility import visible_to

    request_started.disconnect(dispatch_uid=restrict_pages)
    wagtail_queryset = getattr(router, "get_pages_queryset", None)
    if getattr(wagtail_queryset, "restricted_by_disclosure", False):
        return
    if wagtail_queryset is None:
        raise ImproperlyConfigured(
            "wagtail.api.v3.routers.pages.get_pages_queryset is gone: the disclosure plugin "
            "cannot restrict Wagtail's pages API."
        )

    def get_pages_queryset(request, *args, **kwargs):
        pages = wagtail_queryset(request, *args, **kwargs)
        if request.user.is_authenticated:
            return pages  # what they may edit, drafts included (Wagtail's own rule)
        # Anonymous callers: the live public pages, none below an unpublished one.
        return pages.filter(pk__in=visible_to(pages.model.objects.all(), None).values("pk"))

    get_pages_queryset.restricted_by_disclosure = True
    router.get_pages_queryset = get_pages_queryset
