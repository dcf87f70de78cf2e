"""The page editor's action menu: the submit button names the review a new page will go to.

On a page being created, Wagtail names the workflow of the *parent* page ("Submit to …"): a new
publication would read "submit to the catalog review" of its item, though it goes to the
publication review. The menu item here names the workflow of the page type being created.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem

from .models.moderation import ModeratedPageMixin


def _created_page_type(request):
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    try:
        return apps.get_model(kwargs["content_type_app_name"], kwargs["content_type_model_name"])
    except (KeyError, LookupError):
        return None


class SubmitNewPageMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page_type = _created_page_type(context["request"])
        if (
            context["view"] == "create"
            and page_type is not None
            and issubclass(page_type, ModeratedPageMixin)
        ):
            workflow = page_type.workflow_at(context["parent_page"].get_site())
            if workflow is not None:
                context["label"] = _("Submit to %(workflow_name)s") % {
                    "workflow_name": workflow.name
                }
        return context


def name_the_workflow_of_a_new_page(menu_items, request, context) -> None:
    """For ``construct_page_action_menu``: swap Wagtail's submit item for ours."""
    if context.get("view") != "create":
        return
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[index] = SubmitNewPageMenuItem(order=item.order)
