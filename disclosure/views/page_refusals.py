"""Wagtail's page delete, bulk delete and move, refused in the editor's words.

The refusals themselves are the rules' (``services.audit.deletion_refusal``,
``models.placement.move_refusal``), enforced on every path by the page actions and a
``pre_page_move`` receiver; these ``before_*`` hooks of Wagtail's admin views say why, back on
the explorer page of the page's parent.
"""

from __future__ import annotations

from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.models import Page

from ..models.placement import move_refusal
from ..services.audit import deletion_refusal


def _refuse_deleting_records(request, pages):
    refusal = deletion_refusal(pages)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)


def keep_disclosure_records(request, page):
    """The ``before_delete_page`` hook."""
    return _refuse_deleting_records(request, [page])


def keep_disclosure_records_in_bulk(request, action_type, objects, action_class_instance):
    """The ``before_bulk_action`` hook, for the bulk delete of pages."""
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return _refuse_deleting_records(request, objects)
    return None


def refuse_moves_that_change_readers(request, page, destination):
    """The ``before_move_page`` hook: the admin's move confirmation says why a move is refused
    (the action and a ``pre_page_move`` receiver refuse it on every other path)."""
    if not page.permissions_for_user(request.user).can_move():
        return None  # Wagtail refuses them, without naming the page or the destination
    refusal = move_refusal(page, destination)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", page.get_parent().pk)
