"""The public site's display preferences: 简体/繁體, and the large-text mode for older readers
(适老化: larger text, stronger contrast). Each is a cookie; the links work without JavaScript."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ..display import LARGE_TEXT_COOKIE, SCRIPT_COOKIE
from ..rules.scripts import Script

_ONE_YEAR = 365 * 24 * 3600


def _back(request, cookie: str, value: str | None) -> HttpResponseRedirect:
    """Back to the page the visitor was on (``next``, if it is on this site), remembering
    ``value`` in ``cookie`` (or forgetting it for None)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if value is None:
        response.delete_cookie(cookie, samesite="Lax")
    else:
        response.set_cookie(
            cookie,
            value,
            max_age=_ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@never_cache
def choose_script(request, script: str):
    """Read the site in Simplified or Traditional characters."""
    if script not in {choice.value for choice in Script}:
        raise Http404
    return _back(request, SCRIPT_COOKIE, script)


@never_cache
def choose_text_size(request, size: str):
    """Large text and stronger contrast (``large``), or the standard look (``standard``)."""
    if size not in {"large", "standard"}:
        raise Http404
    return _back(request, LARGE_TEXT_COOKIE, "1" if size == "large" else None)
