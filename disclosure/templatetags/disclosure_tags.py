"""Template tags: the public templates' only way to the selectors (faces never query by hand)."""

from decimal import Decimal

from django import template
from wagtail.models import Site

from ..display import reads_traditional, wants_large_text
from ..models.moderation import catalog_item_for
from ..rules.scripts import Script
from ..selectors import catalog as selectors
from ..selectors.compliance import item_standing as standing_of
from ..selectors.moderation import department_approval
from ..selectors.paging import CountingPaginator
from ..views.annual_report import report_context, statistics_panel_context

register = template.Library()

PUBLICATIONS_PER_PAGE = 20


def _site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


def _default_working_days(context) -> int:
    return selectors.default_working_days_for_request(context.get("request"))


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def disclosure_catalog(context, index):
    return selectors.catalog_for_index(
        index=index,
        user=_user(context),
        default_working_days=_default_working_days(context),
    )


@register.simple_tag(takes_context=True)
def category_items(context, category):
    return selectors.items_for_category(
        category=category,
        user=_user(context),
        default_working_days=_default_working_days(context),
    )


@register.simple_tag(takes_context=True)
def item_publications(context, item):
    """One page of the item's publications (``?page=``), newest first, and their number."""
    paginator = CountingPaginator(
        selectors.publications_for_item(item=item, user=_user(context)), PUBLICATIONS_PER_PAGE
    )
    request = context.get("request")
    return paginator.get_page(request.GET.get("page") if request is not None else None)


@register.simple_tag(takes_context=True)
def latest_publications(context, root, limit=10):
    return selectors.latest_publications(root=root, user=_user(context), limit=limit)


@register.simple_tag(takes_context=True)
def disclosure_index(context):
    site = _site(context)
    return selectors.disclosure_index_for_site(site) if site is not None else None


@register.simple_tag(takes_context=True)
def request_centre(context):
    site = _site(context)
    return selectors.request_centre_for_site(site) if site is not None else None


@register.simple_tag(takes_context=True)
def rule_words(context, item):
    return item.update_rule.describe(default_working_days=_default_working_days(context))


@register.simple_tag
def breadcrumb_ancestors(page):
    return selectors.ancestors_of(page)


@register.simple_tag
def publication_item(publication):
    return catalog_item_for(publication)


@register.simple_tag(takes_context=True)
def policy_interpretations(context, policy):
    return selectors.interpretations_for(policy=policy, user=_user(context))


@register.simple_tag(takes_context=True)
def interpreted_policy(context, interpretation):
    return selectors.policy_for(interpretation=interpretation, user=_user(context))


@register.simple_tag(takes_context=True)
def publication_attachments(context, publication):
    """The attachments the reader may download (documents of private collections left out)."""
    return selectors.attachments_visible_to(
        _user(context), selectors.attachments_for(publication=publication)
    )


@register.simple_tag(takes_context=True)
def item_standing(context, item):
    """The item's last publication, next due date and recent periods (empty for a rule
    without periods), from the one deadline engine."""
    return standing_of(item, default_working_days=_default_working_days(context))


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
