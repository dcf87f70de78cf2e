"""Where a page stands decides who may read it; a move must not change that around the review.

A disclosure page's readers follow from its place in the tree: the institution (site) it is in,
the audience of the catalog item it falls under (社会公众 / 患者 / 职工) and the view
restrictions above it. The review approves a revision *at a place*. So a move that would change
who may read live or reviewed content (a publication from a staff-only item to a public one, a
category into another institution) is refused on every path (the admin, the API, code), and
the page must be unpublished or withdrawn from review, moved, and reviewed again at its new
place. A move that changes nothing of the kind stays direct.

Each time a revision gets its final approval, each time a disclosure page goes live, and each
time a live one is moved within the same readership, a :class:`Placement` records its parent:
a revision goes live only where the same people read it as where it was approved, and
``check_audit`` compares the latest with where the page stands now.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.models import Page, PageViewRestriction, Revision, WorkflowState

from ..rules.readers import path_and_ancestors
from .institutions import holder_of, institution_roots, move_overlap_refusal


@dataclass(frozen=True)
class Readership:
    """Who may read a page placed under some parent page."""

    site_id: int | None
    # The audience of the nearest catalog item at or above the parent (None: not under one).
    audience: str | None
    # (type, groups, password) of every view restriction at or above the parent.
    restrictions: frozenset[tuple[str, frozenset[int], str]]


def readership_under(parent: Page) -> Readership:
    """Who may read a page that stands under ``parent``: four queries."""
    ancestors = Page.objects.filter(path__in=path_and_ancestors(parent.path))
    # The nearest item's audience, read through the page tree's link to the item's table: the
    # catalog's pages stand above this module, which their review uses.
    audience = (
        ancestors.filter(catalogitempage__isnull=False)
        .order_by("-depth")
        .values_list("catalogitempage__audience", flat=True)
        .first()
    )
    restrictions = PageViewRestriction.objects.filter(page__in=ancestors).prefetch_related("groups")
    site = holder_of(parent.path, institution_roots())
    return Readership(
        site_id=site.pk if site is not None else None,
        audience=audience,
        restrictions=frozenset(
            (r.restriction_type, frozenset(g.pk for g in r.groups.all()), r.password or "")
            for r in restrictions
        ),
    )


def _on_record_below(page: Page) -> bool:
    """Is ``page``, or a page below it, live, under review or approved to go live at a set
    time (scheduled)? One query."""
    under_review = (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            status__in=(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES),
        )
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )
    scheduled = (
        Revision.page_revisions.filter(approved_go_live_at__isnull=False)
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )
    return (
        Page.objects.filter(path__startswith=page.path)
        .filter(Q(live=True) | Q(pk__in=under_review) | Q(pk__in=scheduled))
        .exists()
    )


def same_readers_since(page: Page, revision: Revision) -> bool:
    """Does ``page`` stand where the same people read it as where ``revision`` was given its
    final approval (its ``approved`` placement)? A revision without one (an emergency
    publication, which goes live where it is; a page published before placements were
    recorded) stands where it went live."""
    approved_parent_id = (
        Placement.objects.filter(page=page, revision=revision, cause=Placement.Cause.APPROVED)
        .order_by("-recorded_at", "-pk")
        .values_list("parent_id", flat=True)
        .first()
    )
    now = page.get_parent()
    return same_readers_under(approved_parent_id, now.pk if now is not None else None)


def approved_parents(pages_and_revisions) -> dict[tuple[int, int], int]:
    """The parent each ``(page, revision)``'s latest ``approved`` placement records, by
    ``(page id, revision id)``, in one query (the audit check reads every live page's)."""
    rows = (
        Placement.objects.filter(
            revision_id__in=[revision.pk for _page, revision in pages_and_revisions],
            cause=Placement.Cause.APPROVED,
        )
        .order_by("recorded_at", "pk")
        .values_list("page_id", "revision_id", "parent_id")
    )
    return {(page_id, revision_id): parent_id for page_id, revision_id, parent_id in rows}


def same_readers_under(approved_parent_id: int | None, parent_id: int | None) -> bool:
    """Do the same people read under ``parent_id`` (where a page stands) as under
    ``approved_parent_id`` (where its revision was approved; ``None``: no approved placement,
    so it stands where it went live)?"""
    if approved_parent_id is None:
        return True
    if parent_id is None:
        return False
    if approved_parent_id == parent_id:
        return True
    parents = Page.objects.in_bulk([approved_parent_id, parent_id])
    return readership_under(parents[approved_parent_id]) == readership_under(parents[parent_id])


def move_refusal(page: Page, destination: Page) -> str | None:
    """Why ``page`` may not be moved under ``destination`` directly, or ``None``."""
    parent = page.get_parent()
    if parent is None or parent.pk == destination.pk:
        return None
    overlap = move_overlap_refusal(page, destination)
    if overlap is not None:
        return overlap  # whatever is below, drafts included: no institution inside another
    if readership_under(parent) == readership_under(destination):
        return None
    if not _on_record_below(page):
        return None  # drafts: reviewed where they stand when they are submitted
    return gettext(
        "Moving “%(title)s” under “%(destination)s” would change who may read it. Unpublish it "
        "(or withdraw it from review) first: after the move it goes through the review its new "
        "place requires."
    ) % {"title": page.title, "destination": destination.title}


class Placement(models.Model):
    """Where a live disclosure page stands, as approved: recorded when it goes live and when a
    live page is moved within the same readership (see the module's docstring)."""

    class Cause(models.TextChoices):
        APPROVED = "approved", _("Approved here (final approval)")
        PUBLISHED = "published", _("Went live")
        MOVED = "moved", _("Moved without changing who may read it")

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    parent = models.ForeignKey(
        Page,
        verbose_name=_("parent page"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    revision = models.ForeignKey(
        Revision,
        verbose_name=pgettext_lazy("disclosure", "revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page} ({self.get_cause_display()})"

    def audit_page(self) -> Page:
        """The page placed: the row is filed under its scope in the audit trail."""
        return self.page

    @classmethod
    def record(cls, *, page: Page, cause: str, revision=None, user=None) -> Placement:
        """Record where ``page`` stands now, in ``user``'s name (its history row too)."""
        placement = cls(
            page=page,
            parent=page.get_parent(),
            revision=revision,
            cause=cause,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        placement._history_user = placement.recorded_by
        placement.save()
        return placement
