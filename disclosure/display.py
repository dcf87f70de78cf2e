"""The public site's display choices, each kept in a cookie the visitor sets
(``disclosure.views.preferences``): 简体/繁體, and the large-text mode for older readers.

Read by the middleware (the 繁體 conversion), by the page cache (an answer is kept per choice)
and by the templates (the html element's class), so they live below all three.
"""

from __future__ import annotations

from .rules.scripts import Script

SCRIPT_COOKIE = "disclosure_script"
LARGE_TEXT_COOKIE = "disclosure_large_text"


def reads_traditional(request) -> bool:
    return request.COOKIES.get(SCRIPT_COOKIE) == Script.TRADITIONAL


def wants_large_text(request) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
