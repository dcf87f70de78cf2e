"""Wagtail's document serve view (``/documents/<id>/<filename>``), kept to the audience of
the pages that use each document."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from ..selectors.visibility import documents_visible_to


def serve_only_to_its_audience(document, request: HttpRequest) -> HttpResponse | None:
    """A ``before_serve_document`` hook: serve a document only to whom it may be shown.

    Wagtail checks collection restrictions only, so a document attached to a staff-only item,
    or to a draft, would otherwise be served to anyone who has (or guesses) its URL. People who
    may choose documents in the admin get every document they could choose, as in the API.
    Anonymous visitors are sent to log in, as for a staff-only page; others get a 404.
    """
    user = request.user
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_permission_for_instance(user, "choose", document):
        return None
    visible = documents_visible_to(user, get_document_model().objects.filter(pk=document.pk))
    if visible.exists():
        return None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404
