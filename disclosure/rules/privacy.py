"""Personal identifiers that must never be published (第七条): a scanner for disclosure text.

Finds Chinese resident ID numbers (GB 11643 checksum and a real birth date), mainland mobile
numbers and bank card numbers (Luhn), however they are written: full-width digits, characters
that show nothing (soft hyphens, zero-width and direction marks, combining marks), groups of
digits set apart by any amount of white space, by dashes, dots, slashes, underscores or
parentheses, or by a star or a times sign (``110105 1949 1231 002X``, ``(138)1234-5678``,
``1 3 8 1 2 3 4 5 6 7 8``, ``138*1234*5678``), and with letters written right against them
(``ID11010519491231002X``, ``tel13812345678``). Masked values (``138****1234``,
``4101**********1234``) are not identifiers and pass: their digits are not all there. So do
digit runs that fail the checks, such as order numbers, dates, landlines and amounts.

The text is read once: it is folded (NFKC, what shows nothing dropped) with a map back to the
original, cut into runs of digits, and only runs joined by separators are tried together, at
most 19 digits at a time, so the cost grows linearly with the text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from urllib.parse import unquote

from django.core.exceptions import FieldDoesNotExist
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

# What a browser draws as nothing, so that a number split by it reads as one: format characters
# (Cf: soft hyphen, zero-width spaces and joiners, direction marks and embeddings, word joiner
# and invisible separators, byte order mark, Mongolian vowel separator, tags), marks that only
# change the character before them (Mn, Me: the combining grapheme joiner, variation selectors,
# accents), and control characters that are not white space.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc"})
_ASCII_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")  # the control characters of ASCII
# Letters and symbols that fonts draw as an empty space (Hangul fillers, the blank Braille
# pattern): read as a space.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Besides white space (any amount, but not line breaks) and every dash (Unicode category Pd):
# what people put between groups of digits. Full-width forms (．－／（）) are folded first.
_SEPARATORS = frozenset("./\\()[]_·•・‧∙⋅⁃−⁄∕,、:~|+")  # ，：～｜＋ fold into these
# "138 - 1234", "(138) 1234", "138----1234"; more than that, and the numbers are apart.
_MAX_SEPARATORS = 6
# Stars and times signs (＊, Ｘ and ｘ fold into *, X and x). One between two groups of digits
# sets them apart as a dot does (138*1234*5678); two or more stand for hidden digits
# (138****5678), unless the very same stand between every group (138**1234**5678).
_MASKS = frozenset("*×xX∗⁎✱✕")
_DIGIT_RUN = re.compile(r"[0-9]+")
_SPACES = re.compile(r"[^\S\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*")  # no line breaks
# Any character that reads as a digit: decimal digits in any script (full-width ones
# included), superscripts and subscripts, circled, parenthesised and dotted digits.
_ANY_DIGIT = re.compile(
    r"[\d\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u249b\u24ea-\u24ff"
    r"\u2776-\u2793\u3220-\u3229\u3280-\u3289\U0001f100-\U0001f10a]"
)
# Right-to-left override: a browser shows what follows it, up to the pop (or the end of the
# line), in reverse order, so 87654321831 after it reads as 13812345678.
_RIGHT_TO_LEFT_OVERRIDE = "\u202e"
_OVERRIDE_ENDS = frozenset("\u202c\u2069\u202a\u202b\u202d\u2066\u2067\u2068") | _LINE_BREAKS


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


def _is_space(char: str) -> bool:
    return char.isspace() and char not in _LINE_BREAKS


def _is_separator(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) == "Pd"


@cache
def _fold_char(char: str) -> str:
    """What ``char`` reads as: its NFKC form, in ASCII digits, without what shows nothing."""
    folded = []
    for part in unicodedata.normalize("NFKC", char):
        if part in _BLANKS:
            folded.append(" ")
        elif unicodedata.category(part) in _INVISIBLE_CATEGORIES and not part.isspace():
            continue
        elif (digit := unicodedata.digit(part, None)) is not None:  # ➀ has no NFKC form
            folded.append(str(digit))
        else:
            folded.append(part)
    return "".join(folded)


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """``text`` as it reads (:func:`_fold_char`), and for each character of the result the
    position of the character it came from."""
    if text.isascii() and not _ASCII_INVISIBLE.search(text):
        return text, range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index in _display_order(text):
        char = text[index]
        folded = char if char.isascii() and char.isprintable() else _fold_char(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def _display_order(text: str) -> Iterator[int]:
    """The positions of ``text`` in the order a browser shows them, as far as digits go: what
    follows a right-to-left override is shown reversed."""
    if _RIGHT_TO_LEFT_OVERRIDE not in text:
        yield from range(len(text))
        return
    index = 0
    while index < len(text):
        if text[index] != _RIGHT_TO_LEFT_OVERRIDE:
            yield index
            index += 1
            continue
        end = index + 1
        while end < len(text) and text[end] not in _OVERRIDE_ENDS:
            end += 1
        yield index
        yield from reversed(range(index + 1, end))
        index = end


@dataclass(slots=True)
class _Run:
    """A run of digits in the folded text, and how it is joined to the next one."""

    start: int
    end: int
    # What stands between this run and the next without its white space, when it only sets
    # them apart (separators and masks); None when the two are separate numbers.
    gap: str | None = None
    masks: int = 0  # the stars and times signs in the gap


def _gap(gap: str) -> tuple[str | None, int]:
    """``gap`` without its white space, and its count of masks, when it only sets two groups
    of digits apart: any amount of white space, a few separators, masks; ``(None, 0)`` when the
    groups on either side of it are separate numbers."""
    if _SPACES.fullmatch(gap):
        return "", 0
    return _short_gap(gap) if len(gap) <= 8 else _read_gap(gap)


def _read_gap(gap: str) -> tuple[str | None, int]:
    kept: list[str] = []
    masks = 0
    for char in gap:
        if _is_space(char):
            continue
        if char in _MASKS:
            masks += 1
        elif not _is_separator(char) or len(kept) - masks >= _MAX_SEPARATORS:
            return None, 0
        kept.append(char)
    return "".join(kept), masks


_short_gap = lru_cache(maxsize=1024)(_read_gap)  # the same few gaps come back: "-", "年", "、"


def _check_x_end(folded: str, end: int) -> int | None:
    """An X right after a run of digits (or after white space and a separator or two): the
    check character of a resident ID, whatever follows it."""
    separators = 0
    for position in range(end, len(folded)):
        char = folded[position]
        if char in "Xx":
            return position + 1
        if _is_space(char):
            continue
        separators += 1
        if not _is_separator(char) or separators > _MAX_SEPARATORS:
            return None
    return None


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int  # in the folded text
    end: int


# When candidates overlap, the one with the stronger check is kept.
_PRIORITY = {IdentifierKind.RESIDENT_ID: 0, IdentifierKind.BANK_CARD: 1, IdentifierKind.MOBILE: 2}
# How many digits an identifier may have, by its first digit: a mobile number 11 (13 with 86
# before it), a resident ID 17 and an X or 18 (it starts with a province's code, 11 to 82) and
# a bank card 16 to 19.
_ID_LENGTHS = (17, 18)
_CARD_LENGTHS = (16, 17, 18, 19)
_LENGTHS = {
    "1": (11, *_ID_LENGTHS),
    "2": _ID_LENGTHS,
    "3": _CARD_LENGTHS,
    "4": _CARD_LENGTHS,
    "5": _CARD_LENGTHS,
    "6": _CARD_LENGTHS,
    "7": _ID_LENGTHS,
    "8": (13, *_ID_LENGTHS),
    "0": (15,),  # 0086 and a mobile number
    "9": _CARD_LENGTHS,
}


class _Runs:
    """The runs of digits of a folded text, with running counts that tell in constant time
    whether a stretch of them reads as one number: each run is tried once as the first digits
    of an identifier of each length it may have, so the cost grows linearly with the text.

    Runs are read together when only separators stand between them, and when they are digits
    typed one by one or groups of two and more (the last may be shorter): a mix of single
    digits and groups, such as "第 1 3 5 7 9 11 13 15 床", is a list of separate numbers. Groups
    set apart by several masks are a masked value (138****5678 2025 is a masked mobile number
    and a year), unless the very same masks stand between every group (138**1234**5678)."""

    def __init__(self, folded: str):
        self.folded = folded
        self.runs = runs = [_Run(*match.span()) for match in _DIGIT_RUN.finditer(folded)]
        for previous, run in pairwise(runs):
            previous.gap, previous.masks = _gap(folded[previous.end : run.start])
        self.digits = "".join(folded[run.start : run.end] for run in runs)
        # Counted over the runs before each one (and over all of them, at the end): digits,
        # runs of a single digit, gaps of several masks, gaps unlike the gap before them.
        self.digits_before, self.singles, self.masked, self.changes = [0], [0], [0], [0]
        previous_gap = None
        for run in runs:
            self.digits_before.append(self.digits_before[-1] + run.end - run.start)
            self.singles.append(self.singles[-1] + (run.end - run.start == 1))
            self.masked.append(self.masked[-1] + (run.masks > 1))
            self.changes.append(self.changes[-1] + (run.gap != previous_gap))
            previous_gap = run.gap
        self.last_of = {total: index for index, total in enumerate(self.digits_before[1:])}
        self.chain_end = list(range(len(runs)))  # the last run joined to each one
        for index in reversed(range(len(runs) - 1)):
            if runs[index].gap is not None:
                self.chain_end[index] = self.chain_end[index + 1]

    def candidates(self) -> Iterator[_Candidate]:
        for first, head in enumerate(self.runs):
            before = self.digits_before[first]
            for length in _LENGTHS.get(self.digits[before], ()):
                last = self.last_of.get(before + length)  # the run that brings it to length
                if last is None or last > self.chain_end[first]:
                    continue
                # The digits are checked first: they rarely pass, and cheaply fail.
                found = self._identifiers(before, length, head, self.runs[last])
                if found and self._one(first, last):
                    yield from found

    def _one(self, first: int, last: int) -> bool:
        """Whether runs ``first`` … ``last``, joined by separators, read as one number."""
        count = last - first + 1
        singles = self.singles[last + 1] - self.singles[first] == count
        groups = self.singles[last] == self.singles[first]  # the last run may be a single
        if not (singles or groups):
            return False
        if self.masked[last] == self.masked[first]:
            return True
        return count >= 3 and self.changes[last] == self.changes[first + 1]

    def _identifiers(self, start: int, size: int, head: _Run, tail: _Run) -> list[_Candidate]:
        """What the ``size`` digits of ``head`` … ``tail`` are, from ``start`` in ``digits``,
        checked as each kind of identifier. Letters or a mask written right against them do not
        matter: the digits are all there."""
        if size in (16, 19):  # only a card has as many
            if self._luhn_valid(start, size):
                return [_Candidate(IdentifierKind.BANK_CARD, head.start, tail.end)]
            return []
        digits = self.digits[start : start + size]
        found = []
        if size == 11:
            if _MOBILE.fullmatch(digits):
                found.append(_Candidate(IdentifierKind.MOBILE, head.start, tail.end))
            return found
        if size in (13, 15):
            # +86, 86 or 0086 written straight before the number (apart from it, it is a run of
            # its own, and the number is tried without it).
            prefix = size - 11
            if (
                head.end - head.start > prefix
                and digits[:prefix] in ("86", "0086")
                and _MOBILE.fullmatch(digits, prefix)
            ):
                found.append(_Candidate(IdentifierKind.MOBILE, head.start + prefix, tail.end))
            return found
        if digits[6:8] in ("19", "20"):  # a resident ID's year of birth, checked cheaply first
            x_end = size == 17 and _check_x_end(self.folded, tail.end)
            if x_end and is_resident_id(digits + "X"):
                found.append(_Candidate(IdentifierKind.RESIDENT_ID, head.start, x_end))
            if size == 18 and is_resident_id(digits):
                found.append(_Candidate(IdentifierKind.RESIDENT_ID, head.start, tail.end))
        if digits[0] in _CARD_FIRST_DIGITS and self._luhn_valid(start, size):
            found.append(_Candidate(IdentifierKind.BANK_CARD, head.start, tail.end))
        return found

    def _luhn_valid(self, start: int, size: int) -> bool:
        """:func:`luhn_valid` for ``size`` digits from ``start``, in constant time: from the
        right, every second digit is doubled, so the sum is that of the running sums that
        double the digits in the same places."""
        end = start + size
        sums = self._luhn_sums[end % 2]
        return (sums[end] - sums[start]) % 10 == 0

    @cached_property
    def _luhn_sums(self) -> tuple[list[int], list[int]]:
        """Running sums of all the digits, those in even places doubled (Luhn's way: 7 → 14 →
        5), and the same with the odd places doubled."""
        doubling_even, doubling_odd = [0], [0]
        for index, char in enumerate(self.digits):
            digit = int(char)
            doubled = digit * 2 - 9 if digit > 4 else digit * 2
            even, odd = (doubled, digit) if index % 2 == 0 else (digit, doubled)
            doubling_even.append(doubling_even[-1] + even)
            doubling_odd.append(doubling_odd[-1] + odd)
        return doubling_even, doubling_odd


def _identifier_spans(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every identifier in ``text``, positions in ``text`` itself."""
    if not _ANY_DIGIT.search(text):
        return []
    folded, origin = _fold(text)
    candidates = sorted(
        _Runs(folded).candidates(), key=lambda c: (_PRIORITY[c.kind], c.start, -c.end)
    )
    taken = bytearray(len(folded))
    spans = []
    for candidate in candidates:
        if any(taken[candidate.start : candidate.end]):
            continue
        taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
        # Where it stands in ``text`` (a reversed stretch reads backwards: its first and last
        # characters as shown are its last and first as written).
        ends = (origin[candidate.start], origin[candidate.end - 1])
        spans.append((candidate.kind, min(ends), max(ends) + 1))
    return sorted(spans, key=lambda span: span[1])


def _mask_span(value: str) -> str:
    """An identifier as written, with all but its first three and last four digits hidden (the
    last X of a resident ID counts as one), as :func:`mask_digits` does; the spaces, dashes and
    other characters between them stay."""
    positions = [index for index, char in enumerate(value) if _fold_char(char).isdigit()]
    if _fold_char(value[-1]) in ("X", "x"):
        positions.append(len(value) - 1)
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
_BLOCK_END = "\ue000"  # a private-use character standing for a block tag while reading
_HTML_WHITE_SPACE = re.compile(r"[\n\r\v\f\x85\u2028\u2029]")
_ATTRIBUTE_VALUES = re.compile(r"""\s[^\s=<>"'/]+\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _visible(value: str) -> list[str]:
    """The text of a string that may be HTML, and the addresses its links show on hover."""
    if "<" not in value:
        return [html.unescape(value)] if "&" in value else [value]
    # A browser shows a line break written inside the HTML (or as &#10;) as a space: only
    # the block tags end a line.
    text = html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub(_BLOCK_END, value)))
    text = _HTML_WHITE_SPACE.sub(" ", text).replace(_BLOCK_END, "\n")
    # Attribute values: the address a link shows on hover, a title shown as a tooltip, the
    # rest read by anyone who looks at the page's source.
    values = [
        unquote(html.unescape(next(part for part in match.groups() if part is not None)))
        for tag in _TAGS.finditer(value)
        for match in _ATTRIBUTE_VALUES.finditer(tag.group())
    ]
    return [text, *values]


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
    # Deferred to the call: the rules load no app's models when imported.
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


@dataclass(frozen=True)
class PublicText:
    """A piece of text the public reads: ``field`` names the field it stands in, or that
    attaches or links to the document it is the title or file name of; ``place`` says where it
    stands when it is not that field's own value (``None`` when it is)."""

    field: str
    place: str | None
    value: object


def public_texts(model, values: Mapping[str, object], *, documents) -> list[PublicText]:
    """What the public reads of an object of ``model`` (a page, an attachment, a position)
    whose fields hold ``values`` (``{name: value}``, as a form cleans them or the object
    stores them): each value, and the title and file name of the document a value is and of
    every document a rich text or stream value links to. ``documents(ids)`` returns those
    documents by id (``in_bulk``: the rules read no database)."""
    # Deferred to the call, as in linked_document_ids: the rules load no app's models.
    from wagtail.documents import get_document_model

    document_model = get_document_model()
    texts, linked = [], []
    for name, value in values.items():
        if isinstance(value, document_model):
            place = str(model._meta.verbose_name)
            texts += [
                PublicText(name, where, text) for where, text in document_values(place, value)
            ]
            continue
        texts.append(PublicText(name, None, value))
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        place = gettext("document linked in %(field)s") % {"field": field.verbose_name}
        linked += [(document_id, name, place) for document_id in linked_document_ids(field, value)]
    if linked:
        found = documents({document_id for document_id, _name, _place in linked})
        for document_id, name, place in sorted(linked, key=lambda link: link[0]):
            if (document := found.get(document_id)) is not None:
                texts += [
                    PublicText(name, where, text)
                    for where, text in document_values(place, document)
                ]
    return texts


def personal_information_refusal(hits) -> str:
    """The refusal of text that holds personal identifiers, wherever it is checked: ``hits``
    are ``(place, hit)``, the place named when it is not the field the refusal stands on."""
    return gettext("Personal information must not be disclosed: %(hits)s") % {
        "hits": "；".join(
            gettext("%(field)s: %(kind)s “%(context)s”")
            % {"field": place, "kind": hit.label, "context": hit.context}
            if place
            else f"{hit.label}“{hit.context}”"
            for place, hit in hits
        )
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
