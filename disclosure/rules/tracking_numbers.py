"""A case's tracking number (查询编号): ``YSQ-2026-000123`` for a request, ``ZX-2026-000045``
for a consultation, the kind's prefix, the year of receipt and the case's sequence in its
institution's year. Written and read here only, so that the two never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .requests import CaseKind

TRACKING_PREFIXES = {CaseKind.REQUEST: "YSQ", CaseKind.CONSULTATION: "ZX"}
TRACKING_NUMBER = re.compile(rf"({'|'.join(TRACKING_PREFIXES.values())})-(\d{{4}})-(\d{{6}})")
_KIND_BY_PREFIX = {prefix: kind for kind, prefix in TRACKING_PREFIXES.items()}


@dataclass(frozen=True)
class TrackingNumber:
    kind: CaseKind
    year: int
    sequence: int


def format_tracking_number(*, kind: str, year: int, sequence: int) -> str:
    """The number of the ``sequence``-th case of ``kind`` received in ``year``."""
    return f"{TRACKING_PREFIXES[kind]}-{year}-{sequence:06d}"


def parse_tracking_number(number: str) -> TrackingNumber | None:
    """What a number says, or ``None`` when it is not one (``number`` taken as typed: strip and
    upper-case it first)."""
    match = TRACKING_NUMBER.fullmatch(number)
    if match is None:
        return None
    prefix, year, sequence = match.groups()
    return TrackingNumber(kind=_KIND_BY_PREFIX[prefix], year=int(year), sequence=int(sequence))
