"""Personal identifiers that must never be published (第七条): a scanner for disclosure text.

Finds Chinese resident ID numbers (GB 11643 checksum and a real birth date), mainland mobile
numbers and bank card numbers (Luhn), however they are written: full-width digits, zero-width
characters, and groups of digits set apart by spaces, dashes, dots, slashes, underscores or
parentheses (``110105 1949 1231 002X``, ``(138)1234-5678``, ``1 3 8 1 2 3 4 5 6 7 8``). Masked
values (``138****1234``, ``4101**********1234``) are not identifiers and pass; so do digit runs
that fail the checks, such as order numbers, dates, landlines and amounts.

The text is read once: it is folded (NFKC, zero-width characters dropped) with a map back to
the original, cut into runs of digits, and only runs joined by a few separator characters are
tried together, at most 19 digits at a time, so the cost grows linearly with the text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import unquote

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class IdentifierKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID number")
    MOBILE = "mobile", _("Mobile phone number")
    BANK_CARD = "bank_card", _("Bank card number")


@dataclass(frozen=True)
class PrivacyHit:
    kind: str
    start: int  # where the identifier stands in the original text
    end: int
    context: str  # the text around the hit, with the identifier itself masked

    @property
    def label(self) -> str:
        return str(IdentifierKind(self.kind).label)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"1[3-9]\d{9}")
# A bank card's first digit (ISO/IEC 7812 major industry identifier): 3 travel (JCB), 4 and 5
# banking (Visa, Mastercard), 6 banking (UnionPay 62…), 9 national (the old 95… cards). Years,
# dates and phone numbers, which start with 0, 1 or 2, are never taken for cards.
_CARD_FIRST_DIGITS = "34569"

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Besides white space (but not line breaks) and every dash (Unicode category Pd): what people
# put between groups of digits. Full-width forms (．－／（）) are folded into these first.
_SEPARATORS = frozenset("./\\()[]_·•・‧∙⁃−⁄∕")
_MAX_SEPARATORS = 3  # "138 - 1234", "(138) 1234"; more than that, and the numbers are apart
_MASKS = frozenset("*×")  # ＊ folds into *
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGIT_RUN = re.compile(r"[0-9]+")
_ANY_DIGIT = re.compile(r"\d")  # any decimal digit, full-width ones included


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


def _is_separator(char: str) -> bool:
    if char in _SEPARATORS:
        return True
    if char.isspace():
        return char not in _LINE_BREAKS
    return unicodedata.category(char) == "Pd"


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """``text`` in NFKC without zero-width characters, and for each character of the result
    the position of the character it came from."""
    if text.isascii():
        return text, range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _ZERO_WIDTH:
            continue
        folded = char if char.isascii() else unicodedata.normalize("NFKC", char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


@dataclass
class _Run:
    """A run of digits in the folded text, and what stands right next to it."""

    start: int
    end: int
    x_end: int | None  # where a check character X after the run ends (a resident ID's last)
    glued_before: str  # the character right before the run, when it is a letter or a mask
    glued_after: str
    joined_to_next: bool  # only separators (a few) stand between this run and the next

    @property
    def size(self) -> int:
        return self.end - self.start


def _runs(folded: str) -> list[_Run]:
    runs: list[_Run] = []
    for match in _DIGIT_RUN.finditer(folded):
        start, end = match.span()
        before = folded[start - 1] if start else ""
        after = folded[end] if end < len(folded) else ""
        runs.append(
            _Run(
                start=start,
                end=end,
                x_end=_check_x_end(folded, end),
                glued_before=before if before in _LETTERS or before in _MASKS else "",
                glued_after=after if after in _LETTERS or after in _MASKS else "",
                joined_to_next=False,
            )
        )
    for previous, run in pairwise(runs):
        gap = folded[previous.end : run.start]
        previous.joined_to_next = len(gap) <= _MAX_SEPARATORS and all(
            _is_separator(char) for char in gap
        )
    return runs


def _check_x_end(folded: str, end: int) -> int | None:
    """An X right after a run of digits (or a separator or two later), standing alone."""
    position = end
    while position < len(folded) and position - end < _MAX_SEPARATORS:
        if not _is_separator(folded[position]):
            break
        position += 1
    if position < len(folded) and folded[position] in "Xx":
        following = folded[position + 1] if position + 1 < len(folded) else ""
        if not (following.isascii() and following.isalnum()) and following not in _MASKS:
            return position + 1
    return None


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int  # in the folded text
    end: int


# When candidates overlap, the one with the stronger check is kept.
_PRIORITY = {IdentifierKind.RESIDENT_ID: 0, IdentifierKind.BANK_CARD: 1, IdentifierKind.MOBILE: 2}
_LONGEST = 19  # a bank card's most digits
_LENGTHS = frozenset({11, 13, 16, 17, 18, 19})  # mobile, +86 mobile, card, ID (17 and an X)


def _candidates(folded: str, runs: list[_Run], first: int) -> Iterator[_Candidate]:
    """The identifiers made of ``runs[first]`` and the runs joined to it, up to 19 digits.

    The runs are taken together only when they are digits typed one by one, or groups of two
    and more (the last may be shorter): a mix of single digits and groups, such as
    "第 1 3 5 7 9 11 13 15 床", is a list of separate numbers."""
    head = runs[first]
    digits = ""
    singles = groups = True  # every run so far has one digit / every run but the last has two+
    for index in range(first, len(runs)):
        tail = runs[index]
        digits += folded[tail.start : tail.end]
        if len(digits) > _LONGEST:
            return
        if index > first:
            groups = groups and runs[index - 1].size >= 2
        singles = singles and tail.size == 1
        if (singles or groups) and len(digits) in _LENGTHS:
            yield from _identifiers(digits, head, tail)
        if not tail.joined_to_next:
            return


def _identifiers(digits: str, head: _Run, tail: _Run) -> Iterator[_Candidate]:
    """What the digits of ``head`` … ``tail`` are, checked as each kind of identifier."""
    apart = not head.glued_before and not tail.glued_after  # no letter or mask on either side
    masked = head.glued_before in _MASKS or tail.glued_after in _MASKS
    with_x = len(digits) == 17 and tail.x_end is not None
    if with_x and not head.glued_before and is_resident_id(digits + "X"):
        yield _Candidate(IdentifierKind.RESIDENT_ID, head.start, tail.x_end)
    if len(digits) == 18 and apart and is_resident_id(digits):
        yield _Candidate(IdentifierKind.RESIDENT_ID, head.start, tail.end)
    if len(digits) == 11 and not masked and _MOBILE.fullmatch(digits):
        yield _Candidate(IdentifierKind.MOBILE, head.start, tail.end)
    # +86 or 86 written straight before the number (apart from it, it is a run of its own).
    prefixed = len(digits) == 13 and head.size >= 3 and digits.startswith("86")
    if prefixed and not masked and _MOBILE.fullmatch(digits, 2):
        yield _Candidate(IdentifierKind.MOBILE, head.start + 2, tail.end)
    card_length = 16 <= len(digits) <= _LONGEST
    if card_length and apart and digits[0] in _CARD_FIRST_DIGITS and luhn_valid(digits):
        yield _Candidate(IdentifierKind.BANK_CARD, head.start, tail.end)


def _identifier_spans(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every identifier in ``text``, positions in ``text`` itself."""
    if not _ANY_DIGIT.search(text):
        return []
    folded, origin = _fold(text)
    runs = _runs(folded)
    candidates = [
        candidate for first in range(len(runs)) for candidate in _candidates(folded, runs, first)
    ]
    candidates.sort(key=lambda c: (_PRIORITY[c.kind], c.start, -c.end))
    taken = bytearray(len(folded))
    spans = []
    for candidate in candidates:
        if any(taken[candidate.start : candidate.end]):
            continue
        taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        spans.append((candidate.kind, origin[candidate.start], origin[candidate.end - 1] + 1))
    return sorted(spans, key=lambda span: span[1])


def _mask_span(value: str) -> str:
    """An identifier as written, with all but its first three and last four digits hidden, as
    :func:`mask_digits` does; the spaces, dashes and other characters between them stay."""
    positions = [
        index
        for index, char in enumerate(value)
        if (char if char.isascii() else unicodedata.normalize("NFKC", char)).isalnum()
    ]
    hidden = set(positions[3:-4]) if len(positions) > 7 else set(positions)
    return "".join("*" if index in hidden else char for index, char in enumerate(value))


def _masked(text: str, spans: list[tuple[str, int, int]]) -> str:
    parts, done = [], 0
    for _kind, start, end in spans:
        parts += [text[done:start], _mask_span(text[start:end])]
        done = end
    return "".join(parts) + text[done:]


def _context(masked_text: str, start: int, end: int, width: int = 12) -> str:
    before = masked_text[max(start - width, 0) : start]
    return f"{before}【{masked_text[start:end]}】{masked_text[end : end + width]}".strip()


def find_identifiers(text: str) -> list[PrivacyHit]:
    """Every unmasked personal identifier in ``text``, in order of position."""
    spans = _identifier_spans(text)
    # Masking keeps every character in its place, so the context of one hit never shows
    # another identifier next to it.
    masked_text = _masked(text, spans)
    return [
        PrivacyHit(kind, start, end, _context(masked_text, start, end))
        for kind, start, end in spans
    ]


def mask_identifiers(text: str) -> str:
    """``text`` with every identifier in it masked (``身份证11010519491231002X.pdf`` →
    ``身份证110***********002X.pdf``): for free text that people other than the disclosure
    office read, such as the audit trail's descriptions of uploaded files."""
    spans = _identifier_spans(text) if text else []
    return _masked(text, spans) if spans else text


def mask_identifiers_in(value):
    """``value`` (JSON: strings, lists, dicts) with the identifiers in every string masked."""
    if isinstance(value, str):
        return mask_identifiers(value)
    if isinstance(value, dict):
        return {key: mask_identifiers_in(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_identifiers_in(item) for item in value]
    return value


# What the public reads -----------------------------------------------------------------------

# Tags that end a line where they stand; every other tag (bold, links…) is inline and leaves
# the text on either side joined, as a browser shows it.
_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|br|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAGS = re.compile(r"<[^>]+>")
_LINK_TARGETS = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def _visible(value: str) -> list[str]:
    """The text of a string that may be HTML, and the addresses its links show on hover."""
    if "<" not in value:
        return [html.unescape(value)] if "&" in value else [value]
    text = html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub("\n", value)))
    targets = [unquote(html.unescape(target)) for target in _LINK_TARGETS.findall(value)]
    return [text, *targets]


def _texts(value) -> list[str]:
    """The strings inside a value: text, rich text, stream data, lists and dicts, walked down."""
    if value is None:
        return []
    if isinstance(value, str):
        return _visible(value)
    if isinstance(value, dict):
        # A block of stream data: its id (a UUID) and its type name are not content.
        skipped = ("id", "type") if "type" in value and "value" in value else ()
        return [text for key, item in value.items() if key not in skipped for text in _texts(item)]
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


def document_values(place: str, document) -> list[tuple[str, str]]:
    """What the public reads of a Wagtail document attached or linked at ``place``: its title,
    and its file name, which stands in the address it is downloaded from."""
    return [
        (gettext("%(place)s: document title") % {"place": place}, document.title),
        (gettext("%(place)s: file name") % {"place": place}, document.filename),
    ]


def linked_document_ids(field, value) -> set[int]:
    """The documents that ``value`` of a rich text or stream ``field`` links to."""
    from wagtail.documents import get_document_model

    extract = getattr(field, "extract_references", None)
    if extract is None or value is None:
        return set()
    document_model = get_document_model()
    return {
        int(object_id)
        for model, object_id, _model_path, _content_path in extract(value)
        if issubclass(model, document_model) and str(object_id).isdigit()
    }


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


def mask_change(field: str, value, *, personal: Collection[str]) -> str:
    """A field's value as the audit trail shows it: a personal field (``personal``) by its own
    mask, any other with the identifiers in its text masked (a file named with an ID number)."""
    if field in personal:
        return mask(field, str(value or ""))
    return mask_identifiers(str(value))
