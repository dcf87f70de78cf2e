"""Personal identifiers that must never be published (第七条): a scanner for disclosure text.

Finds Chinese resident ID numbers (GB 11643 checksum), mainland mobile numbers and bank card
numbers (Luhn). Masked values (``138****1234``, ``4101**********1234``) are not identifiers and
pass; so do digit runs that fail the checksums, such as order numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifierKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID number")
    MOBILE = "mobile", _("Mobile phone number")
    BANK_CARD = "bank_card", _("Bank card number")


@dataclass(frozen=True)
class PrivacyHit:
    kind: str
    start: int
    end: int
    context: str  # the text around the hit, with the identifier itself masked

    @property
    def label(self) -> str:
        return str(IdentifierKind(self.kind).label)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Digits not glued to other digits, letters or mask characters on either side.
_EDGE_BEFORE = r"(?<![0-9A-Za-z*＊×xX])"
_EDGE_AFTER = r"(?![0-9A-Za-z*＊×])"
_RESIDENT_ID = re.compile(_EDGE_BEFORE + r"(\d{17}[\dXx])" + _EDGE_AFTER)
_MOBILE = re.compile(r"(?<![0-9*＊])(?:\+?86[-\s]?)?(1[3-9]\d[-\s]?\d{4}[-\s]?\d{4})(?![0-9*＊])")
_CARD = re.compile(_EDGE_BEFORE + r"(\d{4}(?:[\s-]?\d{4}){2,3}(?:[\s-]?\d{1,3})?)" + _EDGE_AFTER)


def is_resident_id(value: str) -> bool:
    value = value.upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not 1900 <= int(value[6:10]) <= dt.date.today().year:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    hit = text[start:end]
    masked = hit[:3] + "*" * max(len(hit) - 7, 0) + hit[-4:] if len(hit) > 7 else "*" * len(hit)
    return f"{text[max(start - width, 0) : start]}【{masked}】{text[end : end + width]}".strip()


def find_identifiers(text: str) -> list[PrivacyHit]:
    """Every unmasked personal identifier in ``text``, in order of position."""
    hits: list[PrivacyHit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        hits.append(PrivacyHit(kind, start, end, _context(text, start, end)))

    for match in _RESIDENT_ID.finditer(text):
        if is_resident_id(match.group(1)):
            add(IdentifierKind.RESIDENT_ID, match.start(1), match.end(1))
    for match in _MOBILE.finditer(text):
        add(IdentifierKind.MOBILE, match.start(1), match.end(1))
    for match in _CARD.finditer(text):
        digits = re.sub(r"[\s-]", "", match.group(1))
        if 16 <= len(digits) <= 19 and luhn_valid(digits):
            add(IdentifierKind.BANK_CARD, match.start(1), match.end(1))
    return sorted(hits, key=lambda hit: hit.start)


_TAGS = re.compile(r"<[^>]+>")


def _texts(value) -> list[str]:
    """The strings inside a value: text, rich text, stream data, lists and dicts, walked down."""
    if value is None:
        return []
    if isinstance(value, str):
        return [_TAGS.sub(" ", value)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    if hasattr(value, "get_prep_value"):  # a StreamField value
        return _texts(value.get_prep_value())
    if hasattr(value, "source"):  # rich text
        return _texts(value.source)
    return []


def scan_values(values) -> list[tuple[str, PrivacyHit]]:
    """Scan ``(label, value)`` pairs; returns ``(label, hit)`` for every identifier found."""
    return [
        (label, hit)
        for label, value in values
        for text in _texts(value)
        for hit in find_identifiers(text)
    ]


# Masking for lists and exports ---------------------------------------------------------------


def mask_name(value: str) -> str:
    """张三 → 张*; 某某有限公司 → 某*****."""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


def mask_digits(value: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """13812345678 → 138****5678; 110101199003071234 → 110***********1234."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_email(value: str) -> str:
    """zhang.san@example.com → z***@example.com."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(value)


def mask_address(value: str) -> str:
    """Keep the first six characters (province and city), hide the rest."""
    return value[:6] + "****" if len(value) > 6 else "*" * len(value)


MASKS = {
    "name": mask_name,
    "contact_person": mask_name,
    "phone": mask_digits,
    "id_number": mask_digits,
    "email": mask_email,
    "address": mask_address,
}


def mask(field: str, value: str) -> str:
    """``value`` of a personal field, masked; unknown fields are hidden entirely."""
    return MASKS.get(field, lambda v: "*" * len(v))(value or "")
