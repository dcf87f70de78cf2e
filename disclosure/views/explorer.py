"""The page explorer's columns for the catalog: what a department sees of its items at a glance.

Wagtail's explorer links a title to the page's edit form, or to nothing when the user may not
edit it; a department editor may edit neither a catalog category nor an item (only the
publications under it), so their titles were dead text and the way down was a small arrow. A
title the user may not edit opens the page's children instead. Where the rows are catalog
items, two columns say whose each item is and when it is next due, from the deadline engine
(the overdue report's own selector, one fixed number of queries for the whole page of rows).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageTitleColumn

from ..models import CatalogCategoryPage, CatalogItemPage, DisclosureIndexPage
from ..selectors.compliance import standings_by_item

#: Pages whose title opens their children for a user who may not edit them.
_CONTAINERS = (DisclosureIndexPage, CatalogCategoryPage, CatalogItemPage)


class OpeningTitleColumn(PageTitleColumn):
    """The title, linked to the edit form where the user may edit the page, else to its
    children where it holds any (or is a catalog item, where publications are added)."""

    cell_template_name = "disclosure/admin/explorer_title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        opens = not context["page_perms"].can_edit() and (
            not instance.is_leaf() or issubclass(instance.specific_class or object, _CONTAINERS)
        )
        context["explore_url"] = (
            reverse("wagtailadmin_explore", args=[instance.pk]) if opens else ""
        )
        return context


class _StandingColumn(Column):
    def __init__(self, name, *, standings: dict, **kwargs):
        super().__init__(name, **kwargs)
        self.standings = standings

    def get_value(self, instance):
        return self.standings.get(instance.pk)


class DepartmentColumn(_StandingColumn):
    def get_value(self, instance):
        standing = super().get_value(instance)
        department = standing.item.department if standing else None
        return department.name if department else ""


class NextDueColumn(_StandingColumn):
    cell_template_name = "disclosure/admin/explorer_due_cell.html"


def catalog_columns(columns: list, object_list) -> list:
    """``columns`` with the title opening children, and, where any row is a catalog item, the
    department and the next due date after the title."""
    columns = [
        OpeningTitleColumn(
            column.name,
            label=column.label,
            sort_key=column.sort_key,
            classname=column.classname,
        )
        if type(column) is PageTitleColumn
        else column
        for column in columns
    ]
    item_ids = [
        page.pk
        for page in object_list
        if issubclass(page.specific_class or object, CatalogItemPage)
    ]
    standings = standings_by_item(item_ids)
    if not standings:
        return columns
    at = next(
        (i + 1 for i, column in enumerate(columns) if isinstance(column, PageTitleColumn)),
        len(columns),
    )
    return [
        *columns[:at],
        DepartmentColumn(
            "dc_department", label=_("Responsible department"), standings=standings, width="14%"
        ),
        NextDueColumn("dc_next_due", label=_("Next due"), standings=standings, width="16%"),
        *columns[at:],
    ]
