"""Routing below the catalog's root in one query, instead of Wagtail's two per level.

Wagtail's ``Page.route`` reads each level of a URL with two queries: the child by its slug, then
that child's specific object. A publication six levels down took twelve. ``PathRoutingMixin``
reads every page on the remaining path at once (by slug, within this page's subtree), checks
that they form a chain of children, and fetches only the last one's specific object.

It answers exactly as Wagtail's ``route`` would: a missing level is a 404, the last page must
be live, and a page type with its own ``route`` (``RoutablePageMixin``) takes over the rest of
the path from its own level.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Page


def _specific(page: Page, model: type[Page] | None) -> Page:
    """``page.specific``, with the relations its type names in ``route_select_related`` (a
    catalog item's department, shown on its page) read in the same query."""
    related = getattr(model, "route_select_related", ())
    if not related:
        return page.specific
    specific = model._default_manager.select_related(*related).get(pk=page.pk)
    specific._cached_parent_obj = page._cached_parent_obj
    return specific


def _routes_like_wagtail(model: type[Page]) -> bool:
    return model.route in (Page.route, PathRoutingMixin.route)


class PathRoutingMixin:
    """Route the rest of the path in one query (see the module's docstring)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        rows = Page.objects.filter(
            path__startswith=self.path,
            depth__gt=self.depth,
            depth__lte=self.depth + len(path_components),
            slug__in=set(path_components),
        )
        by_level = {(row.depth, row.slug, row.path[: -Page.steplen]): row for row in rows}
        parent = self
        for level, slug in enumerate(path_components):
            page = by_level.get((self.depth + level + 1, slug, parent.path))
            if page is None:
                raise Http404
            page._cached_parent_obj = parent
            model = page.specific_class
            remaining = path_components[level + 1 :]
            if not remaining or model is None or not _routes_like_wagtail(model):
                return _specific(page, model).route(request, remaining)
            parent = page
