"""Wagtail's permission policy for documents, with the documents on record locked.

A document used by a disclosure page that is live, scheduled or under review
(``selectors.document_locks``) is what its reviewers approved: nobody changes or deletes it,
superusers included. To change a published attachment, one uploads a new document and
attaches it in a new revision of the page, which goes through the review.

Every door of Wagtail 8 that changes or deletes an existing document asks this policy about
that very document (``user_has_permission_for_instance``): the admin's edit and delete views
(``wagtail/documents/views/documents.py``), the multiple upload's edit and delete
(``wagtail/admin/views/generic/multiple_upload.py``), the bulk actions (delete, add tags, add to
collection: ``check_perm``), and the v3 API's ``PATCH`` and ``DELETE`` through Wagtail's edit and
delete actions (``wagtail/actions/base.py``). Listings (``instances_user_has_…``) still show such
documents: they are the institution's, and a refusal says why. The document chooser's upload
only adds new documents.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from wagtail.documents import get_document_model_string
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .selectors.document_locks import is_on_record

# What a document on record refuses: its tags and collection are changed through "change".
LOCKED_ACTIONS = frozenset({"change", "delete"})


class DocumentsOnRecordPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's own document policy (collection ownership), refusing ``change`` and
    ``delete`` on a document on record to everyone. Registered in ``wagtail_hooks.py``."""

    def __init__(self):
        # As wagtail.documents.get_permission_policy() builds Wagtail's own.
        super().__init__(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        # Wagtail's user_has_permission_for_instance comes here too.
        unlocked = set(actions) - LOCKED_ACTIONS
        if unlocked == set(actions):
            return super().user_has_any_permission_for_instance(user, actions, instance)
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False  # not theirs to change anyway: no need to ask about the record
        if not is_on_record(instance):
            return True
        return bool(unlocked) and super().user_has_any_permission_for_instance(
            user, unlocked, instance
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        unlocked = set(actions) - LOCKED_ACTIONS
        if unlocked != set(actions) and is_on_record(instance):
            if not unlocked:
                return get_user_model().objects.none()
            actions = unlocked
        return super().users_with_any_permission_for_instance(actions, instance)

    def may_act_but_for_the_record(self, user, action: str, instance) -> bool:
        """Whether ``user`` could ``action`` the document if it were not on record (Wagtail's
        own answer): whoever could not is refused as Wagtail refuses them, with no reason
        that would tell them anything about the document."""
        return super().user_has_any_permission_for_instance(user, [action], instance)

    def refusal(self, user, action: str, instance) -> str | None:
        """Why ``user`` may not ``action`` (change or delete) the document, for whoever could
        but for the record; ``None`` when they may, or when it is not theirs anyway."""
        if action not in LOCKED_ACTIONS or not self.may_act_but_for_the_record(
            user, action, instance
        ):
            return None
        if not is_on_record(instance):
            return None
        return gettext(
            "“%(title)s” is used by a disclosure page that is published, scheduled or under "
            "review, so it can be neither changed nor deleted. To change the attachment, "
            "upload a new document and attach it in a new revision of the page, which goes "
            "through the review."
        ) % {"title": instance.title}
