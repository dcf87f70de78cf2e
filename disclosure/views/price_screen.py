"""A price list's lobby faces: the 电子屏 that pages through the list by itself, and the
查询一体机 (kiosk) with an on-screen keyboard.

Both are routes of the list's page (``PriceListPage.screen_route`` / ``kiosk_route``), so they
are served through the page's ``serve``: the view restrictions of a staff-only item and the
site's audience checks apply before either view runs, and the page cache and the 繁體
conversion treat them as any public page. Each is whole without JavaScript (the screen pages by
a ``<meta http-equiv="refresh">`` inside ``<noscript>``, the kiosk's keys are buttons of a GET
form); ``disclosure/js/price-screen.js`` makes them smoother (the next page fetched and swapped
in place, so a network blip never leaves an error page on the screen; the kiosk back at its
start after the visitor leaves). The CSP forbids inline script: the settings reach the script
through ``data-`` attributes.
"""

from __future__ import annotations

import string

from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from wagtail.models import Site

from ..models import InstitutionSettings
from ..models.institutions import institution_name
from ..models.prices import PriceListPage
from ..selectors.prices import PriceQuery, live_rows, rows_page

#: The screen's settings a deployment may pass in the address (``screen/?rows=8&interval=20``),
#: each (default, lowest, highest).
SCREEN_ROWS = (10, 3, 30)
SCREEN_SECONDS = (15, 2, 600)
#: The kiosk: results per page, and the seconds without a touch before it starts again.
KIOSK_ROWS = 6
KIOSK_IDLE_SECONDS = (60, 5, 600)
KEYS = [*string.ascii_uppercase, *string.digits]


def _bounded(params: QueryDict, name: str, bounds: tuple[int, int, int]) -> int:
    default, lowest, highest = bounds
    try:
        value = int(params.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, lowest), highest)


def _institution(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    if site is None:
        return ""
    return institution_name(site, InstitutionSettings.for_request(request))


def _query_string(**values) -> str:
    params = QueryDict(mutable=True)
    for name, value in values.items():
        if value not in ("", None):
            params[name] = str(value)
    return params.urlencode()


def lobby_screen(request: HttpRequest, page: PriceListPage) -> HttpResponse:
    """电子屏: one screenful of the live list in very large type, with the list's effective
    date and basis and the institution's name, and the address of the next screenful (the
    first again after the last), which the page moves to after ``interval`` seconds."""
    per_page = _bounded(request.GET, "rows", SCREEN_ROWS)
    seconds = _bounded(request.GET, "interval", SCREEN_SECONDS)
    rows = rows_page(live_rows(page), number=request.GET.get("page", 1), per_page=per_page)
    following = rows.next_page_number() if rows.has_next() else 1
    base = page.get_url(request=request) + page.reverse_subpage("screen")
    settings = {
        "rows": per_page if per_page != SCREEN_ROWS[0] else "",
        "interval": seconds if seconds != SCREEN_SECONDS[0] else "",
    }
    return TemplateResponse(
        request,
        "disclosure/price_screen.html",
        {
            "page": page,
            "self": page,
            "institution_name": _institution(request),
            "price_version": page.rows_version if page.rows_version_id else None,
            "price_rows": rows,
            "interval": seconds,
            "next_url": f"{base}?{_query_string(page=following, **settings)}",
        },
    )


def kiosk(request: HttpRequest, page: PriceListPage) -> HttpResponse:
    """查询一体机: the list searched by touch. The keys are buttons of a GET form, each sending
    the query typed so far with its letter or digit added (pinyin initials or a code), so the
    kiosk needs no keyboard and no script; the script brings it back to its start when nobody
    has touched it for a while."""
    query = PriceQuery.from_params(request.GET)
    typed = query.q.upper()
    rows = query.results(page, per_page=KIOSK_ROWS) if typed else None
    idle = _bounded(request.GET, "idle", KIOSK_IDLE_SECONDS)
    # A deployment's idle time stays in every address the kiosk goes to.
    kept = {"idle": idle} if idle != KIOSK_IDLE_SECONDS[0] else {}
    start = page.get_url(request=request) + page.reverse_subpage("kiosk")
    if kept:
        start = f"{start}?{_query_string(**kept)}"
    return TemplateResponse(
        request,
        "disclosure/price_kiosk.html",
        {
            "page": page,
            "self": page,
            "institution_name": _institution(request),
            "price_version": page.rows_version if page.rows_version_id else None,
            "typed": typed,
            "keys": [(key, typed + key) for key in KEYS],
            "backspace": typed[:-1],
            "price_rows": rows,
            "price_params": _query_string(q=typed, **kept),
            "idle_seconds": idle,
            "kept": kept,
            "start_url": start,
        },
    )
