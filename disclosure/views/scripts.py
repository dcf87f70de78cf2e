"""The 简体/繁體 switch of the public site."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ..middleware import SCRIPT_COOKIE
from ..rules.scripts import Script

_ONE_YEAR = 365 * 24 * 3600


@never_cache
def choose_script(request, script: str):
    """Remember the script the visitor reads the site in, and go back to the page they were
    on (``next``, if it is on this site)."""
    if script not in {choice.value for choice in Script}:
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        SCRIPT_COOKIE,
        script,
        max_age=_ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
