"""Wagtail's publish action, closed for disclosure pages whose revision lacks its approvals.

Wagtail publishes through ``Page.publish()`` (admin, bulk actions, scheduled publishing) and
through the action registry (the v3 API). The page types guard the first; this action, registered
for ``Page`` in ``wagtail_hooks``, guards the second with the same rule.
"""

from django.core.exceptions import PermissionDenied
from wagtail.actions.publish_page_revision import (
    PublishPagePermissionError,
    PublishPageRevisionAction,
)

from .models.moderation import ModeratedPageMixin, publication_refusal


class ModeratedPublishPageRevisionAction(PublishPageRevisionAction):
    def check(self, skip_permission_checks: bool = False):
        if isinstance(self.object, ModeratedPageMixin):
            try:
                publication_refusal(self.object, self.revision)
            except PermissionDenied as refusal:
                raise PublishPagePermissionError(str(refusal)) from refusal
            # The approvals are the authority to publish this revision.
            skip_permission_checks = True
        super().check(skip_permission_checks=skip_permission_checks)
