"""Taking a page live the only way there is, for tests that need live pages of their own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import Page

from disclosure.models import PublicationPage
from disclosure.models.catalog import catalog_item_for
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review


def publish_reviewed(page: Page) -> Page:
    """Submitted, then approved by the right people: the department's editor submits a
    publication, its head and the office approve; the office submits a catalog page and a
    second office member approves."""
    users = get_user_model().objects
    if isinstance(page, PublicationPage):
        department = catalog_item_for(page).department
        submit_for_review(page=page, user=department.editors_group.user_set.first())
        approve(page=page, user=department.heads_group.user_set.first())
        approve(page=page, user=users.get(username="office"), checklist=FULL_CHECKLIST)
    else:
        submit_for_review(page=page, user=users.get(username="office"))
        approve(page=page, user=users.get(username="office-deputy"))
    page.refresh_from_db()
    return page
