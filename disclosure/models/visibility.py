"""Who may read each page, stored: what every face filters by (see ``rules/readers.py``).

Computing it per request cost several queries and ``NOT IN`` subqueries over paths; stored, a
listing joins one row per page on its primary key. The rows are kept current in the
transaction of every change that moves them (``services/visibility.py``) and read fail-closed:
a page without its row, or whose row was written for another path or live state, is read by
nobody. Whether a row still matches its page is kept by the database itself, in ``current``
(migration ``0026``), so that a reader's filter is a condition on one table, which the planner
estimates well, rather than a comparison across two, which it takes to match one row in all.
``check_audit`` compares the rows with the computed rule.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from ..rules import readers as rule


class Readers(models.TextChoices):
    PUBLIC = rule.PUBLIC, _("The public")
    STAFF = rule.STAFF, _("The institution's staff")
    GROUPS = rule.GROUPS, _("Members of the groups it is restricted to")
    SUPERUSERS = rule.SUPERUSERS, _("Superusers only (password or other restriction)")
    NOBODY = rule.NOBODY, _("Nobody (not live, or below an unpublished page)")


class PageReadability(models.Model):
    """One page's readers, derived from the tree: never edited by hand."""

    page = models.OneToOneField(
        Page,
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="readability",
    )
    readers = models.CharField(_("readers"), max_length=10, choices=Readers.choices)
    # The topmost login restriction at or above the page: staff of an institution whose root
    # is at or above it pass (read against the user's institutions when asked).
    staff_path = models.CharField(_("staff-only from"), max_length=255, blank=True)
    # The page's path and live flag when the row was written: a row whose path is not the
    # page's is stale (a move that did not refresh it) and reads as nobody's.
    path = models.CharField(_("path"), max_length=255)
    live = models.BooleanField(pgettext_lazy("page readability", "live"))
    # Whether ``path`` and ``live`` are still the page's, and nothing above it has changed
    # since: set by the database's triggers when the row is written, cleared when its page, a
    # page above it or a view restriction at or above it is written (by any writer: Django,
    # treebeard's moves in SQL, raw SQL), never set by the application, whose value the
    # triggers overwrite (see ``visibility_triggers.py``).
    current = models.BooleanField(
        pgettext_lazy("page readability", "current"), default=False, editable=False
    )
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        verbose_name = _("page readability")
        verbose_name_plural = _("page readability")

    def __str__(self) -> str:
        return f"{self.page_id}: {self.readers}"
