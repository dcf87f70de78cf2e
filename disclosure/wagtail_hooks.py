from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail_modeladmin.options import modeladmin_register

from .actions import ModeratedPublishPageRevisionAction
from .panels import construct_homepage_panels
from .selectors.scope import overseen_items
from .services.moderation import EMERGENCY_ACTION, EMERGENCY_CONFIRM_ACTION
from .views import compliance, emergency
from .views.reports import OverdueReportView
from .viewsets import ActingHeadAdmin, DepartmentAdmin
from .viewsets_calendar import WorkingDayCalendarGroup

modeladmin_register(DepartmentAdmin)
modeladmin_register(ActingHeadAdmin)
modeladmin_register(WorkingDayCalendarGroup)
hooks.register("construct_homepage_panels", construct_homepage_panels)


@hooks.register("register_actions")
def register_actions(registry):
    registry.register(Page, ModeratedPublishPageRevisionAction)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        EMERGENCY_ACTION, _("Emergency publication"), _("Published in an emergency")
    )
    actions.register_action(
        EMERGENCY_CONFIRM_ACTION,
        _("Emergency publication confirmed"),
        _("Confirmed by the department head"),
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("disclosure/emergency/", emergency.emergency_list_view, name="disclosure_emergencies"),
        path(
            "disclosure/emergency/publish/<int:page_id>/",
            emergency.emergency_publish_view,
            name="disclosure_emergency_publish",
        ),
        path(
            "disclosure/emergency/<int:emergency_id>/confirm/",
            emergency.emergency_confirm_view,
            name="disclosure_emergency_confirm",
        ),
        path(
            "disclosure/items/<int:item_id>/attest/",
            compliance.attest_view,
            name="disclosure_item_attest",
        ),
        path(
            "disclosure/items/<int:item_id>/change/",
            compliance.change_view,
            name="disclosure_item_change",
        ),
        path(
            "reports/disclosure-overdue/",
            OverdueReportView.as_view(),
            name="disclosure_overdue_report",
        ),
        path(
            "reports/disclosure-overdue/results/",
            OverdueReportView.as_view(results_only=True),
            name="disclosure_overdue_report_results",
        ),
    ]


class OverdueReportMenuItem(MenuItem):
    def is_shown(self, request):
        return overseen_items(request.user).exists()


@hooks.register("register_reports_menu_item")
def register_overdue_report_menu_item():
    return OverdueReportMenuItem(
        _("Overdue report"), reverse("disclosure_overdue_report"), icon_name="time", order=50
    )


@hooks.register("register_admin_menu_item")
def register_emergency_menu_item():
    return MenuItem(
        _("Emergency publications"),
        reverse("disclosure_emergencies"),
        icon_name="warning",
        order=220,
    )


class EmergencyPublishMenuItem(ActionMenuItem):
    label = _("Emergency publication")
    name = "action-emergency-publish"
    icon_name = "warning"
    order = 90

    def is_shown(self, context):
        page = context.get("page")
        return (
            context.get("view") == "edit"
            and page is not None
            and emergency.can_publish_in_emergency(context["request"].user, page.specific)
        )

    def get_url(self, context):
        return reverse("disclosure_emergency_publish", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_emergency_publish_menu_item():
    return EmergencyPublishMenuItem()
