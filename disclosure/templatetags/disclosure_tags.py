"""Template tags: the public layout's navigation, breadcrumbs and display switches, and a few
presentation helpers. A page's own data reaches its template from the page's ``get_context``."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from wagtail.models import Site

from ..display import reads_traditional, wants_large_text
from ..models import PriceRow
from ..rules.scripts import Script
from ..selectors import catalog as selectors
from ..selectors.moderation import department_approval
from ..views.annual_report import report_context, statistics_panel_context

register = template.Library()


def _site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def disclosure_index(context):
    """The institution's disclosure index, for the navigation of every page (served by
    Wagtail or by a view)."""
    site = _site(context)
    return selectors.disclosure_index_for_site(site) if site is not None else None


@register.simple_tag(takes_context=True)
def request_centre(context):
    """The institution's requests and consultations page, for the same navigation."""
    site = _site(context)
    return selectors.request_centre_for_site(site) if site is not None else None


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above ``page``, for the breadcrumbs every public page shows (the request
    centre's views render them too, outside the page's ``get_context``)."""
    return selectors.ancestors_of(page)


def _back_here(context) -> str:
    """Where a display switch returns to: this page. A preview (of a revision, in the admin)
    is rendered for a request Wagtail makes up, whose path is the page's URL escaped once more
    (``%25E6…``): it returns to the page's own URL instead."""
    request = context.get("request")
    if request is None:
        return "/"
    page = context.get("page")
    if getattr(request, "is_preview", False) and page is not None:
        return page.get_url(request) or "/"
    return request.get_full_path()


@register.inclusion_tag("disclosure/includes/script_switch.html", takes_context=True)
def script_switch(context):
    """The 简体/繁體 link: to the script the visitor is not reading, back to this page."""
    request = context.get("request")
    traditional = request is not None and reads_traditional(request)
    return {
        "target": Script.SIMPLIFIED if traditional else Script.TRADITIONAL,
        "next": _back_here(context),
    }


@register.inclusion_tag("disclosure/includes/text_size_switch.html", takes_context=True)
def text_size_switch(context):
    """The 大字模式 link (适老化): larger text and stronger contrast, or back to standard."""
    request = context.get("request")
    large = request is not None and wants_large_text(request)
    return {
        "target": "standard" if large else "large",
        "next": _back_here(context),
    }


@register.simple_tag(takes_context=True)
def display_classes(context) -> str:
    """Classes of the ``html`` element for the visitor's display preferences."""
    request = context.get("request")
    return "dc-large-text" if request is not None and wants_large_text(request) else ""


#: One catalog item in a table of items (``includes/item_table.html``); the column labels repeat
#: on each cell for the stacked rows of narrow screens (see disclosure.css).
_ITEM_ROW = (
    '<tr role="row"><th scope="row" role="rowheader"><a href="{}">{}</a></th>'
    '<td role="cell" data-label="{}">{}</td>'
    '<td role="cell" data-label="{}">{}</td>'
    '<td role="cell" data-label="{}">{}</td>'
    '<td role="cell" data-label="{}">{}</td></tr>\n'
)


@register.simple_tag
def item_rows(items):
    """The rows of a table of catalog items (``selectors.catalog.ItemRow``), in Python: the
    index lists every item of an institution (260 rows), and each row's dozen lookups through
    the template engine took longer than the query that finds the items."""
    department, rule = gettext("Responsible department"), gettext("Update rule")
    audience, updated = gettext("Audience"), gettext("Last updated")
    nothing_yet = format_html('<span class="dc-muted">{}</span>', gettext("No publication yet"))
    return format_html_join(
        "",
        _ITEM_ROW,
        (
            (
                item.url,
                item.title,
                department,
                item.department_name or "—",
                rule,
                item.rule_words,
                audience,
                item.audience_label,
                updated,
                format_html('<time datetime="{0}">{0}</time>', day.isoformat())
                if (day := item.last_published_on)
                else nothing_yet,
            )
            for item in items
        ),
    )


@register.inclusion_tag("disclosure/includes/annual_report/sections.html")
def annual_report_sections(report):
    """The six sections of an annual report, from the figures frozen in ``report``."""
    return report_context(report)


@register.inclusion_tag("disclosure/admin/annual_report_statistics_panel_body.html")
def annual_report_statistics_panel(report, request):
    """The edit form's read-only panel: the frozen figures, their checks, the actions."""
    return statistics_panel_context(report, request)


@register.filter
def money(value) -> str:
    """An amount as money is written: 4,200,000.00 (the unit, 元, is in the sentence)."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"


@register.simple_tag
def department_approval_of(task_state):
    """The department's approval (and comment) in the review ``task_state`` belongs to."""
    return department_approval(task_state)


@register.filter
def price_field_labels(fields) -> str:
    """A price row's changed columns by their names (``changed_fields`` of a difference)."""
    return "、".join(str(PriceRow._meta.get_field(name).verbose_name) for name in fields)
