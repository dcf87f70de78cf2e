"""The price list's diff in the reviewers' dialogs (Wagtail's workflow action modal)."""

from django import template

from ..selectors.price_history import DIALOG_ROWS, dialog_diff

register = template.Library()


@register.simple_tag
def price_review_diff(page):
    """The diff of a price list under review against its live list (``None`` for other
    pages): ``diff.changes`` in full, and ``rows``, the first of them for the dialog."""
    diff = dialog_diff(page)
    if diff is None:
        return None
    diff.rows = diff.changes[:DIALOG_ROWS]
    return diff
