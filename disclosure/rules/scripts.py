"""Simplified (简体) and Traditional (繁體) Chinese: conversion with OpenCC.

The catalog is written in Simplified Chinese. Visitors from Hong Kong, Macao, Taiwan and abroad
read and type Traditional characters, so the public site can be rendered in Traditional script
and search accepts queries written in it. OpenCC converts by phrase, not only by character
(后 is 後 in 之后 but stays 后 in 皇后).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

import opencc


class Script(StrEnum):
    """The script a visitor reads the public site in; the value is the BCP 47 language tag."""

    SIMPLIFIED = "zh-Hans"
    TRADITIONAL = "zh-Hant"


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    """Simplified → Traditional (OpenCC ``s2t``: the standard OpenCC forms, not a region's)."""
    return _converter("s2t").convert(text) if text else text


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``); Simplified text passes through unchanged."""
    return _converter("t2s").convert(text) if text else text


# Whole pages: the text a visitor reads is converted; markup, links, scripts and what a visitor
# typed into a form (a name in an input's value, a textarea) are left as they are. Character
# references (&#31616;) are markup too: text written with them is never converted.

_MARKUP = re.compile(r"(<!--.*?-->|<[^>]+>)", re.DOTALL)
_RAW_TEXT = re.compile(r"<(script|style|textarea)\b", re.IGNORECASE)
_READABLE_ATTRIBUTE = re.compile(
    r"""(\s(?:title|alt|placeholder|aria-label|aria-description|content|data-label)\s*=\s*)("[^"]*"|'[^']*')""",
    re.IGNORECASE,
)
_HTML_LANG = re.compile(r"""(<html\b[^>]*?\blang=)(["'])zh-Hans\2""", re.IGNORECASE)


def html_to_traditional(html: str) -> str:
    """An HTML page in Traditional script, marked ``lang="zh-Hant"``."""
    parts = _MARKUP.split(html)
    raw_until: str | None = None
    for index, part in enumerate(parts):
        if index % 2 == 0:  # text between tags
            if raw_until is None and part:
                parts[index] = to_traditional(part)
            continue
        if raw_until is not None:
            if part.lower().startswith(raw_until):
                raw_until = None
            continue
        if part.startswith("<!--"):
            continue
        raw = _RAW_TEXT.match(part)
        if raw:
            raw_until = f"</{raw.group(1).lower()}"
        parts[index] = _READABLE_ATTRIBUTE.sub(
            lambda match: match.group(1) + to_traditional(match.group(2)), part
        )
    return _HTML_LANG.sub(rf"\1\2{Script.TRADITIONAL}\2", "".join(parts), count=1)
