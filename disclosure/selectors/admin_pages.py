"""Which pages an admin user may know of: the one rule behind every admin listing of pages.

Wagtail's admin lists pages in many places (the page chooser, the explorer, page search, the
admin API behind the explorer menu, reports, dashboard panels, bulk action confirmations), and
several of them list every page of the tree, whatever the user may do with it. In a
disclosure site that shows a department's unsubmitted drafts to every other department, and
another institution's staff-only items to anyone with an admin account. Each of those views
asks :func:`known_pages` instead.

A user may know of a page when they

* may edit it: Wagtail's page permissions (the subtree of each page their groups hold a page
  permission on, as the explorer counts them);
* may read it as a reader of the site (:func:`~disclosure.selectors.visibility.visible_to`:
  live, not under an unpublished page, public or staff-only of their own institution);
* moderate it: it is in a workflow task whose reviewers they are (each task's
  ``get_task_states_user_can_moderate``, e.g. the department head's review);

and everyone knows of the tree's root (it belongs to no institution). Superusers know of every
page. The ancestors of the pages one may edit or moderate are not in the set by themselves: a
catalog page still in review above an item of one's department is only a way to that item.
Where Wagtail must show such a page as the parent of what is listed, it is shown as a
placeholder (:meth:`KnownPages.leads_to`).

Knowing of a page is not reading its drafts. Wagtail names a page in the admin by the title of
its latest draft (``get_admin_display_title``); a live page whose newer draft nobody reviewed
yet would show that draft's title to every reader of the page. :func:`draft_readable_ids` says
whose drafts a user may read: those of the pages they may edit, or review, and the supervisors
(纪检监察) those of every page of their institutions, which they read and never change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, TaskState
from wagtail.permissions import policy_registry
from wagtail.query import PageQuerySet

from ..models import InstitutionSettings
from ..models.moderation import ModeratedPageMixin
from ..request_memo import memoized
from .scope import held_by
from .visibility import visible_to

PageQS = TypeVar("PageQS", bound=QuerySet)

# The page permissions that make a page part of the user's explorer (Wagtail's own set, as
# ``PagePermissionPolicy.explorable_instances`` counts them).
EXPLORE_ACTIONS = frozenset({"add", "change", "publish", "lock", "unlock", "bulk_delete"})


@dataclass(frozen=True)
class KnownPages:
    """The pages one admin user may know of, as a condition on ``Page`` (or any page type).

    ``condition`` is ``None`` for a superuser (every page). It holds subqueries only, so it
    costs the same whatever the size of the tree, and a queryset filtered by it can still be
    searched by Wagtail's search backend.
    """

    condition: Q | None

    def filter(self, queryset: PageQS) -> PageQS:
        """``queryset`` (of pages) without the pages the user may not know of."""
        return queryset if self.condition is None else queryset.filter(self.condition)

    def pages(self) -> PageQuerySet:
        return self.filter(Page.objects.all())

    def includes(self, page: Page) -> bool:
        """Whether the user may know of ``page`` (one query, none for a superuser)."""
        return self.condition is None or self.pages().filter(pk=page.pk).exists()

    def ids_among(self, page_ids) -> set[int]:
        """Which of ``page_ids`` the user may know of (one query)."""
        page_ids = {pk for pk in page_ids if pk is not None}
        if self.condition is None or not page_ids:
            return page_ids
        return set(self.pages().filter(pk__in=page_ids).values_list("pk", flat=True))

    def leads_to(self, page: Page) -> bool:
        """Whether ``page`` is an ancestor of a page the user may know of: the way to a page
        of theirs, which Wagtail may show as a parent, though not by its title unless
        :meth:`includes` says so (one query)."""
        return self.pages().filter(path__startswith=page.path, depth__gt=page.depth).exists()


def _editable(user) -> Q:
    """The subtrees of the pages the user's groups hold an explorer permission on."""
    policy = policy_registry.get_by_type(Page)
    editable = policy.instances_user_has_any_permission_for(user, EXPLORE_ACTIONS)
    return Q(pk__in=editable.values("pk"))


def _moderated(user) -> Q:
    """The pages in a workflow task the user reviews (in progress).

    ``reviewable_by`` asks each active task for the states its reviewers may act on (for the
    disclosure tasks, ``DisclosureTask.get_task_states_user_can_moderate``): one query per
    task, whatever the number of pages, as Wagtail's own dashboard pays."""
    states = TaskState.objects.reviewable_by(user).filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = states.annotate(
        page_id=Cast("workflow_state__object_id", output_field=IntegerField())
    ).values("page_id")
    return Q(pk__in=page_ids)


def _known_condition(user) -> Q:
    readable = visible_to(Page.objects.all(), user).values("pk")
    return Q(depth=1) | _editable(user) | Q(pk__in=readable) | _moderated(user)


def known_pages(user) -> KnownPages:
    """The pages ``user`` may know of in the admin (see the module's docstring).

    Worked out once per request: the user's page permissions, the view restrictions and
    institutions :func:`visible_to` reads, and the workflow tasks they review; the pages
    themselves stay in the database as subqueries.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return KnownPages(condition=Q(pk__in=[]))
    if user.is_superuser:
        return KnownPages(condition=None)
    return memoized(
        ("known-admin-pages", user.pk), lambda: KnownPages(condition=_known_condition(user))
    )


# Whose drafts one may read ----------------------------------------------------------------


def _catalog_content_types() -> list[int]:
    """The disclosure page types other than publications: the index, categories, items and the
    requests page, which belong to their institution's disclosure office."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        and issubclass(model, ModeratedPageMixin)
        and not model.reviewed_by_department()
    ]
    content_types = ContentType.objects.get_for_models(*models)
    return [content_type.pk for content_type in content_types.values()]


def _supervised(user) -> Q:
    """The pages of the institutions whose supervisors (纪检监察) ``user`` is."""
    roots = InstitutionSettings.objects.filter(supervisors_group__user=user).values_list(
        "site__root_page__path", flat=True
    )
    return held_by(roots)


def _drafts_condition(user) -> Q:
    """The pages whose drafts ``user`` may read: those they work on (:func:`_works_on`) and,
    for a supervisor, every page of the institutions they supervise."""
    return _works_on(user) | _supervised(user)


def _works_on(user) -> Q:
    """The pages ``user`` may edit, as Wagtail's ``PagePermissionTester.can_edit`` decides
    through the plugin's ``ModeratedPagePermissionTester``, or reviews (:func:`_moderated`,
    whose reviewers Wagtail lets into the editor).

    Written as one condition, so that a listing asks once for all its pages: the "change"
    permission, except on catalog pages outside the institutions whose disclosure office the
    user belongs to (there a department keeps only "add"); or "add" on a page the user owns."""
    policy = policy_registry.get_by_type(Page)
    changeable = policy.instances_user_has_permission_for(user, "change").values("pk")
    addable = policy.instances_user_has_permission_for(user, "add").values("pk")
    office_roots = InstitutionSettings.objects.filter(office_group__user=user).values_list(
        "site__root_page__path", flat=True
    )
    catalog_elsewhere = Q(content_type__in=_catalog_content_types()) & ~held_by(office_roots)
    return (
        (Q(pk__in=changeable) & ~catalog_elsewhere)
        | Q(pk__in=addable, owner=user)
        | _moderated(user)
    )


def pages_worked_on(user) -> PageQuerySet:
    """The pages ``user`` may edit or review (a supervisor reads drafts without working on
    them): whose returns for changes are theirs to see to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    return Page.objects.filter(memoized(("pages-worked-on", user.pk), lambda: _works_on(user)))


def pages_with_readable_drafts(user) -> PageQuerySet:
    """The pages whose drafts ``user`` may read (see :func:`draft_readable_ids`), as a query
    to filter or annotate with; every page for a superuser, none for anyone inactive."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    condition = memoized(("draft-readable-pages", user.pk), lambda: _drafts_condition(user))
    return Page.objects.filter(condition)


def draft_readable_ids(user, page_ids: Iterable[int]) -> set[int]:
    """Which of ``page_ids`` ``user`` may read the drafts of, titles included: the pages they
    may edit or review, and a supervisor's institutions' pages. Anyone else reads a page as it
    is live (one query; none for a superuser). The one rule for who reads a revision that
    never went live."""
    page_ids = {pk for pk in page_ids if pk is not None}
    if not page_ids or user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return page_ids
    condition = memoized(("draft-readable-pages", user.pk), lambda: _drafts_condition(user))
    return set(Page.objects.filter(condition, pk__in=page_ids).values_list("pk", flat=True))


def may_add_under_ids(user, page_ids: Iterable[int]) -> set[int]:
    """Those of ``page_ids`` under which ``user`` may add a page (Wagtail's "add" permission on
    the page or above it): where the admin offers "新建公开信息" (one query)."""
    ids = list(page_ids)
    if not ids or user is None or not user.is_authenticated:
        return set()
    policy = policy_registry.get_by_type(Page)
    addable = policy.instances_user_has_permission_for(user, "add").filter(pk__in=ids)
    return set(addable.values_list("pk", flat=True))
