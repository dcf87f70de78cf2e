"""Wagtail's admin listings of pages, each showing only the pages the user may know of.

The rule is :func:`disclosure.selectors.admin_pages.known_pages`; this module applies it to
every admin view that lists pages or names them, each through the least invasive way Wagtail
leaves open (``wagtail_hooks.py`` registers them):

* **the page permission policy** (``KnownPagesPermissionPolicy``, registered for ``Page``):
  Wagtail's explorer, page search, "pages using a type", the admin API behind the explorer
  menu and the site history all list the policy's ``explorable_instances``. Wagtail counts the
  parents of one's own pages among them, whatever they are; the policy keeps only those the
  user may know of.
* **hooks**: ``construct_page_chooser_queryset`` (the rows of the page chooser, in browse and
  search, for links, moving, copying and choosing a parent), ``construct_admin_api`` (the
  admin API's ancestors and translations), ``register_bulk_action`` (bulk action
  confirmations), ``construct_homepage_panels`` (the dashboard's page panels).
* **a page viewset** for ``Page`` (``KnownPagesViewSet``): the explorer's parent page, the
  parent column of search results, and the parent page forms of move, copy and "create a page
  of type X".
* **views Wagtail offers no way to change** (the chooser's first row, the parent column of
  its search results, "chosen multiple", the page types usage report): subclasses in this
  module that ``disclosure.middleware.AdminPagesMiddleware`` serves in place of Wagtail's,
  keyed on the resolved URL name (``REPLACED_VIEWS``). A project cannot put its own URL before
  Wagtail's admin URLs on a host's behalf, and Wagtail's ``register_admin_urls`` comes after
  them, so a middleware is the one plugin-side way; ``disclosure.checks`` stops
  ``manage.py check`` without it.

A page the user may not know of never appears by its title. Where Wagtail must show the
parent of something the user may see (the chooser's first row, a search result's parent, the
ancestors the admin API lists) and that parent is only the way to the user's own pages (a
catalog page still in review above their item), it shows as a placeholder
(:func:`~disclosure.views.titles.as_placeholder`); any other page answers 404, as a page that
does not exist.

A page the user may know of but not edit is named by its live title: Wagtail names pages in
the admin by their latest draft's title, which nobody may have reviewed yet. Each view above
passes the pages it shows through :func:`~disclosure.views.titles.show_live_titles` (or
``with_live_title``), which asks :func:`~disclosure.selectors.admin_pages.draft_readable_ids`
once for all of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin.api.serializers import (
    AdminPageSerializer,
    PageAncestorsField,
    PageTranslationsField,
)
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.auth import require_admin_access
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views import chooser
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
)
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction
from wagtail.admin.views.pages.choose_parent import GenericChooseParentView
from wagtail.admin.views.pages.copy import CopyView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.move import MoveChooseDestinationView, MoveConfirmView
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.views.pages.usage import ContentTypeUseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.api.v2.serializers import get_serializer_class
from wagtail.models import Page, PageLogEntry, Site
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.query import PageQuerySet

from ..selectors.admin_pages import KnownPages, known_pages
from .explorer import catalog_columns
from .titles import as_placeholder, show_live_titles, with_live_title
from .workflow import (
    ExplainedCollectWorkflowActionDataView,
    ExplainedWorkflowActionView,
    KnownPageConfirmWorkflowCancellationView,
    KnownPagePreviewForTaskView,
    KnownWorkflowReportView,
    KnownWorkflowTasksReportView,
)

# Titles ------------------------------------------------------------------------------------


def _shown_parent(page: Page, known: KnownPages) -> Page:
    """``page`` if the user may know of it; else its placeholder if it leads to pages they
    may know of; else 404."""
    if known.includes(page):
        return page
    if known.leads_to(page):
        return as_placeholder(page)
    raise Http404


def _shown_ancestors(pages: list[Page], user) -> list[Page]:
    """A page's ancestors as the user may see them: placeholders for those they may not know
    of (the way to their own pages), live titles where they may not read the drafts."""
    known_ids = known_pages(user).ids_among(page.pk for page in pages)
    shown = [page if page.pk in known_ids else as_placeholder(page) for page in pages]
    show_live_titles(shown, user)
    return shown


class _AncestorsAsShown(PageQuerySet):
    """Ancestors read as :func:`_shown_ancestors` names them (see
    :func:`_name_ancestors_as_shown`)."""

    viewer = None

    def _clone(self):
        clone = super()._clone()
        clone.viewer = self.viewer
        return clone

    def _fetch_all(self):
        unread = self._result_cache is None
        super()._fetch_all()
        if unread and self.viewer is not None:
            pages = [page for page in self._result_cache if isinstance(page, Page)]
            if len(pages) == len(self._result_cache):
                self._result_cache = _shown_ancestors(pages, self.viewer)


def _name_ancestors_as_shown(page: Page, user) -> None:
    """Let ``page`` give its ancestors named as the user may see them.

    Wagtail's ``page_breadcrumbs`` tag (the explorer's breadcrumbs, the chooser's) reads the
    ancestors of the page it is given from the database, through ``page.get_ancestors()``,
    and names each by its latest draft's title; no view can hand it other pages."""

    def get_ancestors(inclusive=False):
        ancestors = _AncestorsAsShown(Page)
        ancestors.viewer = user
        return ancestors.ancestor_of(page, inclusive=inclusive)

    page.get_ancestors = get_ancestors


def _mask_unknown_parents(pages: Iterable[Page], known: KnownPages) -> None:
    """Replace the parents Wagtail annotated on listed pages (``_parent_page`` for its
    "Parent" column, ``annotated_parent_page`` under a title while searching) by placeholders
    where the user may not know of them (one query for the whole listing)."""
    pages = list(pages)
    parents = [getattr(page, "_parent_page", None) for page in pages]
    known_ids = known.ids_among(parent.pk for parent in parents if parent is not None)
    placeholders: dict[int, Page] = {}
    for page in pages:
        for attribute in ("_parent_page", "annotated_parent_page"):
            parent = getattr(page, attribute, None)
            if parent is not None and parent.pk not in known_ids:
                if parent.pk not in placeholders:
                    placeholders[parent.pk] = as_placeholder(parent)
                setattr(page, attribute, placeholders[parent.pk])


def _restrict_parent_field(form, field_name: str, user) -> None:
    """Let a form's page field (a new parent) take only pages the user may know of, named
    by their live titles unless the user may read their drafts.

    A posted page they may not know of answers 404 before the form is read: an invalid
    choice would be shown again by its title. The field's initial page (the current parent)
    shows as a placeholder when it is only the way to the user's pages."""
    known = known_pages(user)
    field = form.fields[field_name]
    field.queryset = known.filter(field.queryset)
    if form.is_bound:
        value = form.data.get(form.add_prefix(field_name))
        if value and not (str(value).isdigit() and known.ids_among([int(value)])):
            raise Http404
    elif isinstance(field.initial, Page):
        if known.includes(field.initial):
            field.initial = with_live_title(field.initial.specific, user)
        else:
            field.initial = as_placeholder(field.initial)
    _name_chosen_pages_by_live_title(field.widget, user)


def _name_chosen_pages_by_live_title(widget, user) -> None:
    """Wagtail's page chooser widget names the chosen page (a posted one, read again from the
    database when the form is shown with its errors) by its admin title."""
    if not hasattr(widget, "get_instance"):
        return
    get_instance = widget.get_instance

    def get_shown_instance(value):
        instance = get_instance(value)
        return None if instance is None else with_live_title(instance, user)

    widget.get_instance = get_shown_instance


# The permission policy ---------------------------------------------------------------------


class KnownPagesPermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, with the explorer's pages limited to those the user
    may know of. Permissions themselves (what one may edit, publish, move…) are Wagtail's."""

    _known_root_cache_name = "_disclosure_explorable_root_page_cache"

    def explorable_instances(self, user):
        return known_pages(user).filter(super().explorable_instances(user))

    def explorable_root_instance(self, user):
        """Wagtail's explorer root (the closest common ancestor of the pages one holds
        permissions on), or its closest ancestor the user may know of."""
        if hasattr(user, self._known_root_cache_name):
            return getattr(user, self._known_root_cache_name)
        root = super().explorable_root_instance(user)
        known = known_pages(user)
        if root is not None and not known.includes(root):
            ancestor_paths = [root.path[: depth * Page.steplen] for depth in range(1, root.depth)]
            root = known.pages().filter(path__in=ancestor_paths).order_by("-depth").first()
        setattr(user, self._known_root_cache_name, root)
        return root


# The page chooser --------------------------------------------------------------------------


def restrict_chooser(pages, request):
    """Hook ``construct_page_chooser_queryset``: the rows of the chooser, browsing or
    searching, whatever it chooses for (a link, a move, a copy, a new page's parent)."""
    return known_pages(request.user).filter(pages)


def _show_chooser_rows(parent_context, *, with_parents: bool) -> None:
    """Prepare every row of a chooser table at its first cell (Wagtail builds and renders the
    table in one go): parents read at once and masked where the user may not know of them
    (search results), and every title shown live where the user may not read the drafts."""
    table = parent_context["table"]
    if getattr(table, "_disclosure_rows_shown", False):
        return
    table._disclosure_rows_shown = True
    rows = list(table.data)
    user = parent_context["request"].user
    if with_parents:
        Page.objects.annotate_parent_page(rows)
        _mask_unknown_parents(rows, known_pages(user))
    show_live_titles([*rows, *(getattr(row, "_parent_page", None) for row in rows)], user)


class KnownTitleColumn(chooser.PageTitleColumn):
    """The chooser's "Title" column, the first with a title in each row."""

    with_parents = False

    def get_cell_context_data(self, instance, parent_context):
        _show_chooser_rows(parent_context, with_parents=self.with_parents)
        return super().get_cell_context_data(instance, parent_context)


class KnownSearchResultTitleColumn(KnownTitleColumn):
    with_parents = True


class KnownParentPageColumn(chooser.ParentPageColumn):
    """The chooser's "Parent" column for search results, without the titles of parents the
    user may not know of. Wagtail reads each result's parent on its own; they are all read
    at the first cell, with one query for which the user may know of."""

    def get_value(self, instance):
        return getattr(instance, "_parent_page", None) or instance.get_parent()

    def get_cell_context_data(self, instance, parent_context):
        _show_chooser_rows(parent_context, with_parents=True)
        return super().get_cell_context_data(instance, parent_context)


def _chooser_columns(columns, title_column: type[KnownTitleColumn]) -> list:
    shown = []
    for column in columns:
        if isinstance(column, chooser.PageTitleColumn):
            column = title_column(
                column.name, label=column.label, is_multiple_choice=column.is_multiple_choice
            )
        elif isinstance(column, chooser.ParentPageColumn):
            column = KnownParentPageColumn(column.name, label=column.label)
        shown.append(column)
    return shown


class KnownPagesBrowseView(chooser.BrowseView):
    """The chooser's browse step. Its rows come through ``restrict_chooser``; Wagtail always
    shows the page being browsed as the first row, from any id in the URL."""

    @property
    def columns(self):
        return _chooser_columns(super().columns, KnownTitleColumn)

    def get_object_list(self):
        # Wagtail calls this right after loading the page being browsed.
        self.parent_page = _shown_parent(self.parent_page, known_pages(self.request.user))
        _name_ancestors_as_shown(self.parent_page, self.request.user)
        return super().get_object_list()


class KnownPagesChooserSearchView(chooser.SearchView):
    """The chooser's search step: its rows come through ``restrict_chooser``, their parents
    through ``KnownParentPageColumn``."""

    @property
    def columns(self):
        return _chooser_columns(super().columns, KnownSearchResultTitleColumn)


class KnownPagesChosenMultipleView(chooser.ChosenMultipleView):
    """What the chooser returns for the pages ticked in it: Wagtail answers for any id."""

    def get(self, request):
        ids = [int(pk) for pk in request.GET.getlist("id") if pk.isdigit()]
        pages = list(known_pages(request.user).filter(Page.objects.filter(pk__in=ids)).specific())
        show_live_titles(pages, request.user)
        return self.render_chosen_response(
            [
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
                for page in pages
            ]
        )


class KnownPagesExternalLinkView(chooser.ExternalLinkView):
    """The chooser's external link step. Wagtail turns a URL of the site into a link to the
    page it matches, or offers to, naming that page by its latest draft's title, whoever
    asks. Here a page the user may not know of is not matched (the link stays as typed, as
    for a URL that matches no page), and one whose drafts they may not read is named live."""

    def post(self, request):
        response = super().post(request)
        data = json.loads(response.content)
        internal = data.get("internal") or data.get("result")
        if not isinstance(internal, dict) or "id" not in internal:
            return response
        page = Page.objects.filter(pk=internal["id"]).first()
        if page is None or not known_pages(request.user).includes(page):
            return self.render_chosen_response(self.get_result_data())
        shown = with_live_title(page, request.user)
        if shown is page:
            return response
        internal["adminTitle"] = shown.get_admin_display_title()
        if data.get("step") != "confirm_external_to_internal":
            return self.render_chosen_response(internal)
        return render_modal_workflow(
            request,
            "wagtailadmin/chooser/confirm_external_to_internal.html",
            None,
            {
                "submitted_url": data["external"]["url"],
                "internal_url": self._page_url(shown, data["external"]["url"]),
                "page": internal["adminTitle"],
            },
            json_data=data,
        )

    def _page_url(self, page: Page, submitted_url: str) -> str:
        # The URL Wagtail offers in place of the one typed, worked out as it does.
        sites = getattr(self.request, "_wagtail_cached_site_root_paths", None)
        if sites is None:
            sites = Site.get_site_root_paths()
        if submitted_url.startswith("/") and len(sites) == 1:
            return page.get_url_parts(request=self.request)[-1]
        return page.get_full_url(request=self.request)


# The page viewset --------------------------------------------------------------------------


class KnownParentsMixin:
    """For Wagtail's page listings: the "Parent" column and the parents shown under titles in
    search results, masked where the user may not know of them, and every title live where
    the user may not read the drafts."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = list(context["object_list"])
        _mask_unknown_parents(pages, known_pages(self.request.user))
        parents = [
            getattr(page, attribute, None)
            for page in pages
            for attribute in ("_parent_page", "annotated_parent_page")
        ]
        show_live_titles([*pages, *parents], self.request.user)
        return context


class KnownPagesExplorableIndexView(KnownParentsMixin, ExplorableIndexView):
    """The explorer. Its rows are the policy's; the page being explored is shown with its
    title, from any id under the explorer root, so it must be one the user may know of."""

    def get_context_data(self, **kwargs):
        # Before Wagtail reads the subtitle and the column header from it.
        show_live_titles([self.parent_page], self.request.user)
        _name_ancestors_as_shown(self.parent_page, self.request.user)
        return super().get_context_data(**kwargs)

    def get_table(self, object_list):
        # The catalog's columns: titles that open categories, items' departments and due dates.
        return self.table_class(
            catalog_columns(self.explorable_columns, object_list),
            object_list,
            **self.get_table_kwargs(),
        )

    def get(self, request, parent_page_id=None):
        if parent_page_id:
            page = get_object_or_404(Page, id=parent_page_id)
            known = known_pages(request.user)
            if not known.includes(page):
                if not known.leads_to(page):
                    raise Http404
                # The way to their own pages, which the explorer shows only by its title:
                # start them where Wagtail starts them.
                root = self.permission_policy.explorable_root_instance(request.user)
                return redirect("wagtailadmin_explore", root.pk)
        return super().get(request, parent_page_id)


class KnownPagesSearchView(KnownParentsMixin, SearchView):
    pass


class KnownPagesContentTypeUseView(KnownParentsMixin, ContentTypeUseView):
    pass


class KnownPagesShownMixin:
    """For Wagtail's views that choose a parent or name the pages they act on: the form's
    parent field (``parent_field``) takes only pages the user may know of, and the pages in
    the context (``shown_pages``) are named as the user may read them, as copies: the pages
    themselves are acted on when the form is sent."""

    parent_field: str | None = None
    shown_pages: tuple[str, ...] = ()

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if self.parent_field:
            _restrict_parent_field(form, self.parent_field, self.request.user)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name in self.shown_pages:
            context[name] = with_live_title(context[name], self.request.user)
        return context


class KnownPagesMoveView(KnownPagesShownMixin, MoveChooseDestinationView):
    parent_field = "new_parent_page"
    shown_pages = ("page_to_move",)


class KnownPagesMoveConfirmView(KnownPagesShownMixin, MoveConfirmView):
    """The move confirmation ("Move this page into …?"): Wagtail shows both titles for any two
    ids, and checks permissions only when the move is sent."""

    shown_pages = ("page_to_move", "destination")

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        known = known_pages(request.user)
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        if not (known.includes(page) and known.includes(destination)):
            raise Http404
        # As Wagtail's first step (choosing the destination) asks.
        if not page.permissions_for_user(request.user).can_move():
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


class KnownPagesCopyView(KnownPagesShownMixin, CopyView):
    parent_field = "new_parent_page"
    shown_pages = ("page",)

    def post(self, request, page_id, *args, **kwargs):
        # Wagtail loads the posted parent before the form checks it, to show it again.
        parent_id = request.POST.get("new_parent_page", "")
        if not (parent_id.isdigit() and known_pages(request.user).ids_among([int(parent_id)])):
            raise Http404
        return super().post(request, page_id, *args, **kwargs)


class KnownPagesChooseParentView(KnownPagesShownMixin, GenericChooseParentView):
    """Choosing the parent of a new page of a type: refusing a parent, Wagtail's form names
    it."""

    parent_field = "parent_page"


class KnownPagesViewSet(PageViewSet):
    """The base page viewset, with the views above. Registered for ``Page`` after Wagtail's
    own, it serves every page type that has no viewset of its own (a project adding one for
    its page type should build it on these views)."""

    index_view_class = KnownPagesExplorableIndexView
    search_view_class = KnownPagesSearchView
    content_type_use_view_class = KnownPagesContentTypeUseView
    move_view_class = KnownPagesMoveView
    move_confirm_view_class = KnownPagesMoveConfirmView
    copy_view_class = KnownPagesCopyView
    choose_parent_view_class = KnownPagesChooseParentView


# Reports -----------------------------------------------------------------------------------


class KnownPageTypesUsageReportView(PageTypesUsageReportView):
    """Reports → Page types usage: Wagtail counts every page of each type and names the last
    edited one, whoever may see it. Here both come from the pages of the user's explorer
    (those "pages using" each type lists)."""

    def get_queryset(self):
        pages = self.permission_policy.explorable_instances(self.request.user)
        queryset = ContentType.objects.filter(model__in=self.page_models)
        page_content_type = ContentType.objects.get_for_model(Page)
        if not pages.filter(depth__gt=1, content_type=page_content_type).exists():
            queryset = queryset.exclude(id=page_content_type.id)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)

        language_code = self.filters.form.cleaned_data.get("page_locale", None)
        site_root_path = self.filters.form.cleaned_data.get("site", None)
        counted = Q(pages__pk__in=pages.values("pk"))
        if language_code:
            pages = pages.filter(locale__language_code=language_code)
            counted &= Q(pages__locale__language_code=language_code)
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
            counted &= Q(pages__path__startswith=site_root_path)
        last_edited = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=counted),
            last_edited_page_id=Subquery(last_edited.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        show_live_titles((item.last_edited_page for item in page_types), self.request.user)
        return page_types


# The admin API -----------------------------------------------------------------------------


class KnownAncestorsField(PageAncestorsField):
    """A page's ancestors (the explorer menu's breadcrumb), the unknown ones as
    placeholders."""

    def to_representation(self, page):
        ancestors = _shown_ancestors(list(page.get_ancestors()), self.context["request"].user)
        serializer_class = get_serializer_class(
            Page,
            ["id", "type", "detail_url", "html_url", "title", "admin_display_title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=AdminPageSerializer,
        )
        serializer = serializer_class(context=self.context, many=True)
        return serializer.to_representation(ancestors)


class KnownTranslationsField(PageTranslationsField):
    def to_representation(self, page):
        known = known_pages(self.context["request"].user)
        serializer_class = get_serializer_class(
            Page,
            ["id", "type", "detail_url", "html_url", "locale", "title", "admin_display_title"],
            meta_fields=["type", "detail_url", "html_url", "locale"],
            base=AdminPageSerializer,
        )
        serializer = serializer_class(context=self.context, many=True)
        translations = list(known.filter(page.get_translations()))
        show_live_titles(translations, self.context["request"].user)
        return serializer.to_representation(translations)


class KnownPagesAdminSerializer(AdminPageSerializer):
    ancestors = KnownAncestorsField(read_only=True)
    translations = KnownTranslationsField(read_only=True)


class KnownPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    """``/admin/api/main/pages/``: its pages are the policy's; a page's ancestors and
    translations are read apart from them. ``admin_display_title`` is the live title where
    the user may not read the drafts."""

    base_serializer_class = KnownPagesAdminSerializer

    def paginate_queryset(self, queryset):
        pages = list(super().paginate_queryset(queryset))
        show_live_titles(pages, self.request.user)
        return pages

    def get_object(self):
        page = super().get_object()
        show_live_titles([page], self.request.user)
        return page


def register_known_pages_endpoint(router) -> None:
    """Hook ``construct_admin_api``."""
    router.register_endpoint("pages", KnownPagesAdminAPIViewSet)


# Bulk actions ------------------------------------------------------------------------------


class KnownPagesBulkActionMixin:
    """A bulk action's confirmation lists the chosen pages the user may not act on, by title,
    whatever they are (and ``id=all&childOf=…`` chooses every child). Only those the user may
    know of are listed."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        known = known_pages(self.request.user)
        # Wagtail's own lists hold pages or {"item": page, "can_edit": …} entries.
        listed = [
            entry.get("item") if isinstance(entry, dict) else entry
            for entries in extra.values()
            for entry in entries
        ]
        known_ids = known.ids_among(page.pk for page in listed)
        return objects, {
            name: [
                entry
                for entry in entries
                if (entry.get("item") if isinstance(entry, dict) else entry).pk in known_ids
            ]
            for name, entries in extra.items()
        }

    def get_context_data(self, **kwargs):
        # For the confirmation only: when it is sent, the pages are read again to act on.
        context = super().get_context_data(**kwargs)
        listed = [
            entry.get("item") if isinstance(entry, dict) else entry
            for value in context.values()
            if isinstance(value, list)
            for entry in value
        ]
        show_live_titles((page for page in listed if isinstance(page, Page)), self.request.user)
        return context


class KnownPagesDeleteBulkAction(KnownPagesBulkActionMixin, DeleteBulkAction):
    pass


class KnownPagesMoveBulkAction(KnownPagesBulkActionMixin, MoveBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        _restrict_parent_field(form, "chooser", self.request.user)
        return form


class KnownPagesPublishBulkAction(KnownPagesBulkActionMixin, PublishBulkAction):
    pass


class KnownPagesUnpublishBulkAction(KnownPagesBulkActionMixin, UnpublishBulkAction):
    pass


PAGE_BULK_ACTIONS = (
    KnownPagesDeleteBulkAction,
    KnownPagesMoveBulkAction,
    KnownPagesPublishBulkAction,
    KnownPagesUnpublishBulkAction,
)


# Dashboard panels --------------------------------------------------------------------------


class KnownRecentEditsPanel(RecentEditsPanel):
    """The dashboard's "Your most recent edits": Wagtail lists the pages one last edited,
    including those one may no longer see (after moving to another department, or the page
    moving away). Here the edits are read among the pages one may know of, before Wagtail's
    limit."""

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        limit = getattr(settings, "WAGTAILADMIN_RECENT_EDITS_LIMIT", 5)
        last_edits = (
            PageLogEntry.objects.filter(
                user=request.user,
                action="wagtail.edit",
                page_id__in=known_pages(request.user).pages().values("pk"),
            )
            .values("page_id")
            .annotate(latest_date=Max("timestamp"))
            .order_by("-latest_date")[:limit]
        )
        pages = (
            Page.objects.specific()
            .prefetch_workflow_states()
            .annotate_approved_schedule()
            .in_bulk([edit["page_id"] for edit in last_edits])
        )
        # One may have edited a page one may no longer edit (after moving to another
        # department): its drafts since are not one's own to read.
        show_live_titles(pages.values(), request.user)
        return {
            "request": request,
            "last_edits": [
                (edit["latest_date"], pages[edit["page_id"]])
                for edit in last_edits
                if edit["page_id"] in pages
            ],
        }


class KnownLockedPagesPanel(LockedPagesPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["locked_pages"] = list(known_pages(user).filter(context["locked_pages"]))
        show_live_titles(context["locked_pages"], user)
        return context


class KnownUserObjectsInWorkflowModerationPanel(UserObjectsInWorkflowModerationPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        states = context["workflow_states"]
        user = parent_context["request"].user
        pages = [state.content_object for state in states if isinstance(state.content_object, Page)]
        known_ids = known_pages(user).ids_among(p.pk for p in pages)
        context["workflow_states"] = [
            state
            for state in states
            if not isinstance(state.content_object, Page) or state.content_object.pk in known_ids
        ]
        show_live_titles(pages, user)
        return context


_KNOWN_PANELS: dict[type, type] = {
    RecentEditsPanel: KnownRecentEditsPanel,
    LockedPagesPanel: KnownLockedPagesPanel,
    UserObjectsInWorkflowModerationPanel: KnownUserObjectsInWorkflowModerationPanel,
}


def replace_page_panels(request, panels: list) -> None:
    """Hook ``construct_homepage_panels``: Wagtail's panels that list one's own pages (recent
    edits, locked pages, pages one sent for review) list only those one may still know of.
    "Awaiting your review" lists the pages one reviews, which one may know of by definition."""
    for index, panel in enumerate(panels):
        replacement = _KNOWN_PANELS.get(type(panel))
        if replacement is not None:
            panels[index] = replacement()


# Views served by AdminPagesMiddleware ------------------------------------------------------

REPLACED_VIEWS: dict[str, Callable] = {
    name: require_admin_access(view)
    for name, view in {
        "wagtailadmin_choose_page": KnownPagesBrowseView.as_view(),
        "wagtailadmin_choose_page_child": KnownPagesBrowseView.as_view(),
        "wagtailadmin_choose_page_search": KnownPagesChooserSearchView.as_view(),
        "wagtailadmin_choose_page_chosen_multiple": KnownPagesChosenMultipleView.as_view(),
        "wagtailadmin_choose_page_external_link": KnownPagesExternalLinkView.as_view(),
        "wagtailadmin_reports:page_types_usage": KnownPageTypesUsageReportView.as_view(),
        "wagtailadmin_reports:page_types_usage_results": KnownPageTypesUsageReportView.as_view(
            results_only=True
        ),
        "wagtailadmin_pages:workflow_action": ExplainedWorkflowActionView.as_view(),
        "wagtailadmin_pages:collect_workflow_action_data": (
            ExplainedCollectWorkflowActionDataView.as_view()
        ),
        "wagtailadmin_pages:workflow_preview": KnownPagePreviewForTaskView.as_view(),
        "wagtailadmin_pages:confirm_workflow_cancellation": (
            KnownPageConfirmWorkflowCancellationView.as_view()
        ),
        "wagtailadmin_reports:workflow": KnownWorkflowReportView.as_view(),
        "wagtailadmin_reports:workflow_results": KnownWorkflowReportView.as_view(results_only=True),
        "wagtailadmin_reports:workflow_tasks": KnownWorkflowTasksReportView.as_view(),
        "wagtailadmin_reports:workflow_tasks_results": KnownWorkflowTasksReportView.as_view(
            results_only=True
        ),
    }.items()
}
