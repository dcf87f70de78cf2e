"""The band over a revision shown in the admin, saying what it is, so that a draft or an old
version is never taken for the live page (nor indexed, nor bookmarked as it)."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Page, Revision

from ..rules.people import full_name
from ..selectors.supervision import RevisionKind, RevisionStanding, may_supervise

_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b[^>]*>", re.IGNORECASE)


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def banner_words(standing: RevisionStanding) -> tuple[str, str]:
    """(the short word put before the page's title, the band's full statement)."""
    periods = "、".join(
        _("%(start)s to %(end)s") % {"start": _day(start), "end": _day(end)}
        for start, end in standing.periods
    )
    if standing.kind is RevisionKind.LIVE:
        return pgettext("disclosure", "Live version"), _(
            "Live version (public since %(since)s)"
        ) % {"since": _day(standing.periods[-1][0])}
    if standing.kind is RevisionKind.PAST:
        return _("Earlier version"), _("Earlier version (public from %(periods)s)") % {
            "periods": periods
        }
    if standing.kind is RevisionKind.DRAFT:
        return pgettext("disclosure", "Draft"), _("Draft (not reviewed, not published)")
    return pgettext("disclosure", "Not published"), _(
        "Not published: this revision never went live"
    )


def with_revision_banner(
    request, response, *, page: Page, revision: Revision, standing: RevisionStanding
):
    """``response`` (the page rendered from ``revision``) with the band at the top of its body,
    the short word before its title and a ``noindex`` robots tag."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    short, statement = banner_words(standing)
    band = render_to_string(
        "disclosure/admin/revision_banner.html",
        {
            "kind": standing.kind.value,
            "statement": statement,
            "revision": revision,
            "author": full_name(revision.user),
            "page": page,
            "may_list_revisions": may_supervise(request.user),
        },
        request=request,
    ).encode()
    content = response.content
    content = _HEAD.sub(
        lambda m: m.group(0) + b'<meta name="robots" content="noindex, nofollow">', content, 1
    )
    content = _TITLE.sub(lambda m: m.group(0) + escape(f"【{short}】").encode(), content, 1)
    if _BODY.search(content):
        content = _BODY.sub(lambda m: m.group(0) + band, content, 1)
    else:
        content = band + content
    response.content = content
    return response
