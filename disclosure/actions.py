"""Wagtail's page actions, closed where they would bypass the review.

Wagtail publishes through ``Page.publish()`` (admin, bulk actions, scheduled publishing) and
through the action registry (the v3 API). The page types guard the first; the actions here,
registered for ``Page`` in ``wagtail_hooks``, guard the second with the same rules: publishing
needs the approvals, a move must not change who may read live or reviewed content (the admin
asks the page's own permission tester; a ``pre_page_move`` receiver guards code), and a page on
record is not deleted.
"""

from django.utils.translation import gettext
from wagtail.actions.delete_page import DeletePageAction, DeletePagePermissionError
from wagtail.actions.move_page import MovePageAction, MovePagePermissionError
from wagtail.actions.publish_page_revision import (
    PublishPagePermissionError,
    PublishPageRevisionAction,
)
from wagtail.models import PagePermissionTester

from .models.moderation import ModeratedPageMixin
from .models.placement import move_refusal
from .services.audit import deletion_refusal


class ModeratedPublishPageRevisionAction(PublishPageRevisionAction):
    """The v3 API's publish: never for a disclosure page, which goes live through the final
    approval of its review (or an emergency publication in the admin), never on a request to
    publish, whoever holds a publish permission somewhere."""

    def check(self, skip_permission_checks: bool = False):
        if isinstance(self.object, ModeratedPageMixin):
            raise PublishPagePermissionError(
                gettext(
                    "A disclosure page goes live through the final approval of its review, "
                    "not by publishing it directly."
                )
            )
        super().check(skip_permission_checks=skip_permission_checks)


class RecordKeepingDeletePageAction(DeletePageAction):
    """Deleting a disclosure page that was ever submitted or published is refused on every
    path that goes through the action registry (the v3 API); the admin's hooks say the same."""

    def check(self, skip_permission_checks: bool = False):
        if (refusal := deletion_refusal([self.page])) is not None:
            raise DeletePagePermissionError(refusal)
        super().check(skip_permission_checks=skip_permission_checks)


class ReadershipKeepingMovePageAction(MovePageAction):
    """The v3 API moves a page it read as a plain ``Page``, whose permission tester is
    Wagtail's own: the readership rule is asked here, for whoever moves."""

    def check(self, parent_after, skip_permission_checks: bool = False):
        refusal = move_refusal(self.page, parent_after)
        if refusal is not None and self.user and not skip_permission_checks:
            # Whoever may move the page there but for the readership rule is told why, as in
            # the admin; whoever may not gets Wagtail's own refusal and learns nothing of it.
            tester = self.page.specific.permissions_for_user(self.user)
            if PagePermissionTester.can_move_to(tester, parent_after):
                raise MovePagePermissionError(refusal)
        super().check(parent_after, skip_permission_checks=skip_permission_checks)
        if refusal is not None:
            raise MovePagePermissionError(refusal)
