"""The user guide in the admin (Help → 使用指南): one short guide per role, with screenshots taken
by the browser tests (``e2e/test_user_guide.py``, ``make guide-images``).

The guides are documents written in Chinese for the hospitals that use the plugin, kept as
templates of their own (``disclosure/guide/<role>.html``) rather than as hundreds of
translatable sentences; every admin user may read every guide (an office member also answers
the editors' questions).
"""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ..selectors.scope import memberships_of

#: The guides, in the order of the daily path: who drafts, who approves, who publishes, who
#: oversees.
GUIDES: dict[str, str] = {
    "editor": _("Guide for department editors"),
    "head": _("Guide for department heads"),
    "office": _("Guide for the disclosure office"),
    "supervisor": _("Guide for supervisors"),
}


def own_guide(user) -> str:
    """The guide of ``user``'s role (the office's where they hold several)."""
    memberships = memberships_of(user)
    if memberships.office_sites:
        return "office"
    if memberships.supervisor_sites:
        return "supervisor"
    if memberships.head_departments:
        return "head"
    return "editor"


def guide_view(request, role: str | None = None):
    role = role or own_guide(request.user)
    if role not in GUIDES:
        raise Http404
    return TemplateResponse(
        request,
        f"disclosure/guide/{role}.html",
        {"role": role, "title": GUIDES[role], "guides": GUIDES.items()},
    )
