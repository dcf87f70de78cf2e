"""Wagtail's page serve view, kept to each page's readers: the ``before_serve_page`` hooks."""

from __future__ import annotations

from django.http import Http404

from ..models import PageReadability
from ..models.moderation import ModeratedPageMixin
from ..selectors.catalog import ancestors_of
from ..selectors.visibility import may_view


def staff_pages_only_for_their_institution(page, request, serve_args, serve_kwargs):
    """Wagtail lets any logged-in user through a login restriction; a staff-only page is for
    the staff of its institution (anonymous visitors were already sent to log in)."""
    if request.user.is_authenticated and not may_view(page, request.user):
        raise Http404


def nothing_under_an_unpublished_page(page, request, serve_args, serve_kwargs):
    """Wagtail serves a live page whatever its ancestors; a disclosure page is not served
    while a page above it is unpublished (unpublishing takes the pages below along, so this
    only guards against what got around that).

    The router has just read every page above it (``ancestors_of``): their ``live`` is read
    from those, as ``unpublished_ancestor`` would read it from the database."""
    if isinstance(page, ModeratedPageMixin) and any(
        not ancestor.live for ancestor in ancestors_of(page)
    ):
        raise Http404


def nothing_without_its_stored_readers(page, request, serve_args, serve_kwargs):
    """The site fails closed as every other face does: a page whose stored readers
    (``PageReadability``) are missing, or were written for another path or while it was not
    live, is nobody's until they are refreshed (``manage.py refresh_visibility``). Who may read
    it is then decided as always: Wagtail's restrictions and the checks above."""
    current = PageReadability.objects.filter(page_id=page.pk, path=page.path, live=page.live)
    if not current.exists():
        raise Http404
