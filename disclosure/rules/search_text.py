"""How Chinese text is cut into search terms, for the index and for the query alike.

Chinese is written without spaces, so a full-text engine (SQLite FTS5, PostgreSQL ``tsvector``)
sees 门诊收费标准 as a single word and a search for 收费 finds nothing. Here every run of Chinese
characters becomes overlapping character pairs (bigrams), one starting at each character, the
last character alone: 门诊收费标准 → ``门诊 诊收 收费 费标 标准 准``. Each token stands at the
position of its first character, so a query is a phrase of consecutive bigrams and matches
exactly where its characters stand together in the text:

* 收费 → the token ``收费``;
* 招标公告 → the phrase ``招标 标公 公告``;
* a single character 年 → the prefix ``年*`` (every token starting with 年).

Latin letters and digits stay words (``CT``, ``2025``). Text and query are both NFKC-normalised
(full-width ``ＣＴ２０２５`` is ``ct2025``), lower-cased and converted to Simplified characters, so
a query in Traditional script finds Simplified text. No dictionary is needed, so new words (drug
names, department names) are found as soon as they are written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.utils.html import strip_tags

from .scripts import to_simplified

#: A query needs this many characters (spaces not counted): one character matches too much.
MIN_QUERY_LENGTH = 2
#: Longer queries are cut; no visitor types more.
MAX_QUERY_LENGTH = 100
#: At most this many results are ranked and shown for one query.
MAX_RESULTS = 500

# CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B–G.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"([{_CJK}]+)")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """The form text and queries are compared in: NFKC, lower case, Simplified script."""
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def _runs(normalised: str) -> Iterator[tuple[bool, str]]:
    """(is Chinese, run) for each run of Chinese characters or of other letters and digits."""
    for word in _WORD.findall(normalised):
        for piece in _CJK_RUN.split(word):
            if piece:
                yield bool(_CJK_RUN.fullmatch(piece)), piece


def _tokens(text: str) -> list[tuple[bool, str]]:
    tokens: list[tuple[bool, str]] = []
    for chinese, run in _runs(normalise(text)):
        if chinese:
            tokens.extend((len(run) - i > 1, run[i : i + 2]) for i in range(len(run)))
        else:
            tokens.append((False, run))
    return tokens


def index_text(text: str) -> str:
    """``text`` as the full-text engine should index it: space-separated terms."""
    return " ".join(token for _, token in _tokens(text))


def phrase_text(text: str) -> str:
    """The phrase of terms that finds ``text`` wherever it is written. Unlike
    :func:`index_text`, it ends on the last bigram: the text may go on after it."""
    tokens = _tokens(text)
    if len(tokens) > 1 and tokens[-2][0] and len(tokens[-1][1]) == 1:
        tokens.pop()
    return " ".join(token for _, token in tokens)


class TermKind(StrEnum):
    WORD = "word"  # one token, matched whole
    PHRASE = "phrase"  # consecutive bigrams
    PREFIX = "prefix"  # one Chinese character: every token starting with it


@dataclass(frozen=True)
class QueryTerm:
    """One run of a query: ``text`` is how it appears in normalised text."""

    text: str
    kind: TermKind

    @property
    def tokens(self) -> tuple[str, ...]:
        if self.kind is TermKind.PHRASE:
            return tuple(self.text[i : i + 2] for i in range(len(self.text) - 1))
        return (self.text,)


def query_terms(query: str) -> tuple[QueryTerm, ...]:
    """The terms a text must contain to match ``query``, in order, without repeats."""
    terms: dict[str, QueryTerm] = {}
    for chinese, run in _runs(normalise(query[:MAX_QUERY_LENGTH])):
        if not chinese or len(run) == 2:
            kind = TermKind.WORD
        elif len(run) == 1:
            kind = TermKind.PREFIX
        else:
            kind = TermKind.PHRASE
        terms.setdefault(run, QueryTerm(run, kind))
    return tuple(terms.values())


def query_length(query: str) -> int:
    """Characters of ``query`` that count towards :data:`MIN_QUERY_LENGTH`."""
    return sum(1 for char in query if not char.isspace())


def contains_all(text: str, terms: Sequence[QueryTerm]) -> bool:
    """Whether ``text`` holds every term, exactly as the index would find them."""
    normalised = normalise(text)
    return bool(terms) and all(term.text in normalised for term in terms)


def holds_all(texts: Sequence[str], terms: Sequence[QueryTerm]) -> bool:
    """Whether every term stands in one of ``texts`` (a page's title and the names of the
    category and item above it, say), each term whole inside one text."""
    normalised = [normalise(text) for text in texts]
    return bool(terms) and all(any(term.text in text for text in normalised) for term in terms)


# Readable passages: text from tables and blocks joined into sentences.

#: Characters that end a sentence or a clause: a passage may start after one.
_SENTENCE_END = "。！？；!?;"
_CLAUSE_END = _SENTENCE_END + "，,：:、…）)」』”’"


def join_sentences(parts: Sequence[str]) -> str:
    """``parts`` (paragraphs, headings, a table's sentences) as one text that reads on: each
    part that does not end a sentence is closed with 。."""
    text = ""
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        if text and text[-1] not in _CLAUSE_END:
            text += "。"
        text += part
    return text


def table_sentences(rows: Sequence[Sequence[str | None]], *, header_row: bool) -> str:
    """A table as sentences, one per row: with a header row, each cell is named by its
    column (项目名称：普通门诊诊查费，价格（元）：10.00。); without, the cells are joined by ，.
    Empty cells are left out; markup in a cell is dropped."""
    cleaned = [[" ".join(strip_tags(cell or "").split()) for cell in row] for row in rows]
    headers: list[str] = []
    if header_row and cleaned:
        headers, cleaned = cleaned[0], cleaned[1:]
    sentences = []
    for row in cleaned:
        cells = [
            f"{headers[i]}：{cell}" if i < len(headers) and headers[i] else cell
            for i, cell in enumerate(row)
            if cell
        ]
        if cells:
            sentences.append("，".join(cells) + "。")
    return "".join(sentences)


# Highlighting: find the terms in the original text and cut a passage around the first one.


@lru_cache(maxsize=8192)
def _folded_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


def _spans(text: str, terms: Sequence[QueryTerm]) -> list[tuple[int, int]]:
    """Where the terms stand in ``text`` (original offsets), merged and in order."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _folded_char(char):
            folded.append(piece)
            origin.append(index)
    # Converted as a whole, as the index converts it (瞭解 → 了解, though 瞭 alone stays 瞭);
    # OpenCC's Traditional → Simplified keeps the length, which keeps ``origin`` true.
    haystack = to_simplified("".join(folded))
    if len(haystack) != len(folded):
        haystack = "".join(
            converted if len(converted := to_simplified(piece)) == 1 else piece for piece in folded
        )
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = haystack.find(term.text)
        while start != -1:
            end = start + len(term.text)
            spans.append((origin[start], origin[end - 1] + 1))
            start = haystack.find(term.text, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Segment:
    """A piece of a passage; ``hit`` pieces are what the visitor searched for."""

    text: str
    hit: bool = False


def _passage_start(text: str, hit: tuple[int, int], width: int) -> int:
    """Where a passage of ``width`` characters around ``hit`` starts: at the beginning of the
    hit's sentence (or clause) when the hit then stands in its first two thirds, else with the
    hit in the middle."""
    start, end = hit
    for ends in (_SENTENCE_END, _CLAUSE_END):
        boundary = max(text.rfind(char, 0, start) for char in ends) + 1
        if end - boundary <= width * 2 // 3:
            return boundary
    return max(0, start - (width - (end - start)) // 2)


def highlight(text: str, terms: Sequence[QueryTerm], *, width: int | None = None) -> list[Segment]:
    """``text`` cut into segments with every term marked. With ``width``, only a passage of
    about that many characters is kept around the first term (from the start of its sentence
    when that is near, else centred on it; the beginning of the text when no term is found),
    with ``…`` where text was cut."""
    text = " ".join(text.split())
    spans = _spans(text, terms)
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        start = _passage_start(text, spans[0], width) if spans else 0
        end = min(len(text), start + width)
        start = max(0, end - width)
    segments: list[Segment] = [Segment("…")] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            segments.append(Segment(text[cursor:span_start]))
        segments.append(Segment(text[span_start:span_end], hit=True))
        cursor = span_end
    if cursor < end:
        segments.append(Segment(text[cursor:end]))
    if end < len(text):
        segments.append(Segment("…"))
    return segments
