"""Wagtail's document edit, delete and usage views, saying why a document on record is refused.

The lock is the document permission policy's (``disclosure.permissions``), which refuses
changing or deleting a document on record on every path. Wagtail's own views would answer with
"Sorry, you do not have permission to access this area" on the dashboard; these views tell whoever
could otherwise change the document why it is refused and what to do instead, and let them see
where it is used. They are registered ahead of Wagtail's at the same addresses
(``wagtail_hooks.py``): should Wagtail move its addresses, the refusal stands without its reason.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.documents import get_document_model
from wagtail.documents.views import documents
from wagtail.permissions import policy_registry

from ..permissions import DocumentsOnRecordPermissionPolicy


def _policy() -> DocumentsOnRecordPermissionPolicy | None:
    policy = policy_registry.get_by_type(get_document_model())
    return policy if isinstance(policy, DocumentsOnRecordPermissionPolicy) else None


class _SayWhyARecordIsKept:
    """Before Wagtail's own checks: a document on record is refused with the reason to
    whoever holds ``permission`` on it but for the record (the rest are refused by Wagtail,
    as before, and told nothing about it)."""

    # Not "action": Wagtail's edit view keeps the submitted button's action there.
    permission: str

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        policy = _policy()
        document = get_object_or_404(get_document_model(), pk=kwargs["document_id"])
        refusal = policy.refusal(request.user, self.permission, document) if policy else None
        if refusal is not None:
            messages.error(request, refusal)
            return redirect(
                get_valid_next_url_from_request(request) or reverse("wagtaildocs:index")
            )
        return super().dispatch(request, *args, **kwargs)


class DocumentEditView(_SayWhyARecordIsKept, documents.EditView):
    permission = "change"


class DocumentDeleteView(_SayWhyARecordIsKept, documents.DeleteView):
    permission = "delete"


class DocumentUsageView(documents.UsageView):
    """Wagtail opens a document's usage to whoever may change it; where a document on record
    is used is what explains its lock, so it stays open to whoever could change it but for
    the record."""

    def user_has_permission(self, permission: str) -> bool:
        policy = _policy()
        if policy is None:
            return super().user_has_permission(permission)
        return policy.may_act_but_for_the_record(self.request.user, permission, self.object)


def document_lock_urls():
    """A ``register_admin_urls`` hook, registered before Wagtail's documents (``order=-1``)."""
    return [
        path("documents/edit/<int:document_id>/", DocumentEditView.as_view()),
        path("documents/delete/<int:document_id>/", DocumentDeleteView.as_view()),
        path("documents/usage/<int:document_id>/", DocumentUsageView.as_view()),
    ]
