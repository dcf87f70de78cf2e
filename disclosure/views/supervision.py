"""The supervisors' (纪检监察) read-only screens, menu 监督: the catalog with each item's
standing, the pages under review and for how long, the pages with unpublished changes, and
the revisions of a page, each opened under a band that says what it is. Nothing here changes
anything, and nothing offered here is an action the reader could not take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.components import Component

from ..selectors.scope import memberships_of
from ..selectors.supervision import (
    catalog_overview,
    may_supervise,
    pages_in_review,
    pages_with_drafts,
    revision_standings,
    supervised_pages,
)
from .audit import shown_title


def _require_supervisor(request) -> None:
    if not may_supervise(request.user):
        raise PermissionDenied


def _render(request, template: str, title, **context):
    return TemplateResponse(
        request, f"disclosure/admin/supervision/{template}", {"page_title": title, **context}
    )


def catalog_view(request):
    """目录总览: categories → items, with department, audience, update rule, standing and
    whether the item is published."""
    _require_supervisor(request)
    return _render(
        request,
        "catalog.html",
        _("Catalog overview"),
        categories=catalog_overview(request.user),
    )


def in_review_view(request):
    """审核中: every page in a review step now, with the step, who submitted it, since when and
    for how many working days."""
    _require_supervisor(request)
    return _render(request, "in_review.html", _("Under review"), rows=pages_in_review(request.user))


def drafts_view(request):
    """草稿: every page with changes nobody published yet, with its latest draft."""
    _require_supervisor(request)
    return _render(
        request,
        "drafts.html",
        pgettext_lazy("disclosure", "Drafts"),
        rows=pages_with_drafts(request.user),
    )


def page_revisions_view(request, page_id):
    """Every revision of one page, newest first, each with what it is (live, earlier version
    with its public period, draft, never published) and a link to read it."""
    _require_supervisor(request)
    # Pages of the reader's institutions whose drafts they may read; any other answers 404,
    # as a page that does not exist.
    page = get_object_or_404(supervised_pages(request.user), pk=page_id)
    revisions = list(page.revisions.select_related("user").order_by("-created_at", "-pk"))
    standings = revision_standings(page, revisions)
    rows = [(revision, standings[revision.pk]) for revision in revisions]
    return _render(
        request,
        "revisions.html",
        _("Revisions"),
        page=page,
        page_name=shown_title(request.user, page),
        rows=rows,
    )


# The dashboard -------------------------------------------------------------------------------


class SupervisionPanel(Component):
    """On a supervisor's dashboard: where to read the catalog, the reviews in progress and the
    drafts (Wagtail's page explorer offers a supervisor nothing: they edit no page)."""

    name = "disclosure_supervision"
    template_name = "disclosure/panels/supervision.html"
    order = 60

    def __init__(self, *, in_review: int, drafts: int):
        self.in_review = in_review
        self.drafts = drafts

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"in_review": self.in_review, "drafts": self.drafts}


def add_supervision_panel(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook: the supervision panel, for supervisors."""
    if not memberships_of(request.user).supervisor_sites:
        return
    panels.append(
        SupervisionPanel(
            in_review=len(pages_in_review(request.user)),
            drafts=len(pages_with_drafts(request.user)),
        )
    )
