"""Who may do what to a disclosure page in Wagtail's admin: its permission tester."""

from __future__ import annotations

from wagtail.models import PagePermissionTester

from .placement import move_refusal
from .reviewers import office_site_ids


class ModeratedPagePermissionTester(PagePermissionTester):
    """Nobody publishes a disclosure page directly: the final approval does it. Nor moves one
    where other people would read it (Wagtail lets whoever holds the publish permission at the
    destination move live pages there). And the pages no department reviews (the catalog's
    index, categories and items) are the disclosure office's: a department, whose page
    permissions on its items let it add publications under them, may not edit, move, copy,
    unpublish or delete the items themselves (an editor changing an item's audience to
    社会公众 would make its staff-only publications public on one office member's
    approval)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser and not page.reviewed_by_department():
            # The site's id from Wagtail's cached site root paths: no query per page listed.
            url_parts = page.get_url_parts()
            site_id = url_parts[0] if url_parts else None
            if site_id is not None and site_id not in office_site_ids(user):
                self.permissions = self.permissions & {"add"}

    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_move_to(self, destination):
        return super().can_move_to(destination) and move_refusal(self.page, destination) is None
