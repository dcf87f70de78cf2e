"""Template tags of the audit trail's screens."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..rules.people import full_name
from ..views.revision_banner import banner_words

register = template.Library()


@register.simple_tag
def person(user, login: str = ""):
    """A person by full name, their login beside it as a detail (also in the tooltip); the
    login recorded with an entry when its account no longer exists; "system" for no one."""
    login = user.get_username() if user is not None else (login or "")
    name = full_name(user) or login
    if not name:
        return _("system")
    if name == login:
        return format_html('<span class="dc-person">{}</span>', name)
    return format_html(
        '<span class="dc-person" title="{}">{} '
        '<span class="w-text-grey-400 dc-login">{}</span></span>',
        _("Login: %(login)s") % {"login": login},
        name,
        login,
    )


@register.simple_tag
def revision_state(standing) -> str:
    """What a revision is (live, an earlier version with its public period, a draft, never
    published), in the words of the band over it."""
    return banner_words(standing)[1]
