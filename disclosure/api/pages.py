"""The disclosure page types in Wagtail's v3 pages API: their ``api_fields`` become typed
fields of the OpenAPI schema. Wagtail types a JSON field as an object; a ``ChoiceListField`` is
a list of choice codes, so its schema is registered here, before the API builds its schemas
(``DisclosureConfig.ready``)."""

from __future__ import annotations

from typing import Any, Literal

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
