from django.apps import apps
from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail_modeladmin.options import modeladmin_register

from . import admin_urls
from .action_menu import name_the_workflow_of_a_new_page
from .actions import (
    ModeratedPublishPageRevisionAction,
    ReadershipKeepingMovePageAction,
    RecordKeepingDeletePageAction,
)
from .permissions import DocumentsOnRecordPermissionPolicy
from .services.audit import HISTORY_ACTIONS
from .services.lockouts import LOCKOUT_LIFT_ACTION
from .services.moderation import EMERGENCY_ACTION, EMERGENCY_CONFIRM_ACTION
from .views import (
    annual_report,
    audit,
    documents,
    menus,
    page_refusals,
    price_diff,
    price_import,
    serving,
    supervision,
    workflow,
)
from .views.admin_pages import (
    PAGE_BULK_ACTIONS,
    KnownPagesPermissionPolicy,
    KnownPagesViewSet,
    register_known_pages_endpoint,
    replace_page_panels,
    restrict_chooser,
)
from .views.dashboard import construct_homepage_panels
from .views.document_locks import document_lock_urls
from .viewsets import (
    ActingHeadAdmin,
    ChecklistTemplateAdmin,
    CommissionAdmin,
    DepartmentAdmin,
    WorkingDayCalendarGroup,
)

modeladmin_register(DepartmentAdmin)
modeladmin_register(ActingHeadAdmin)
modeladmin_register(CommissionAdmin)
modeladmin_register(WorkingDayCalendarGroup)
# Self-inspection (自查评估)
modeladmin_register(ChecklistTemplateAdmin)
hooks.register("register_admin_menu_item", menus.inspection_menu)
hooks.register("construct_homepage_panels", construct_homepage_panels)
hooks.register("construct_homepage_panels", supervision.add_supervision_panel)
hooks.register("construct_page_action_menu", name_the_workflow_of_a_new_page)


# Included at the admin's root, not under "disclosure/": the two reports live beside Wagtail's
# own under "reports/", and every screen keeps the address it has always had.
@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("", include(admin_urls))]


hooks.register("construct_help_menu", menus.guides_in_the_help_menu)
hooks.register("register_admin_menu_item", menus.supervision_menu)
hooks.register("register_admin_menu_item", menus.case_menu)
hooks.register("register_admin_menu_item", menus.emergency_menu_item)
# The monthly patrol and the rectification ledger (栏目巡查, 整改台账)
hooks.register("register_admin_menu_item", menus.patrol_menu_item)
hooks.register("register_admin_menu_item", menus.ledger_menu_item)
# The health commission (卫健委): ranking, update checks, notices
hooks.register("register_admin_menu_item", menus.commission_menu)
hooks.register("register_reports_menu_item", menus.overdue_report_menu_item)
hooks.register("register_reports_menu_item", menus.annual_report_menu_item)
hooks.register("register_reports_menu_item", menus.statistics_menu_item)
hooks.register("register_reports_menu_item", menus.audit_report_menu_item)
if apps.is_installed("axes"):
    hooks.register("register_settings_menu_item", menus.lockout_menu_item)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("disclosure/admin.css"))


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        EMERGENCY_ACTION, _("Emergency publication"), _("Published in an emergency")
    )
    history_labels = {
        "+": (_("Record created"), pgettext_lazy("disclosure", "Created")),
        "~": (_("Record changed"), _("Changed")),
        "-": (_("Record deleted"), _("Deleted")),
    }
    for kind, action in HISTORY_ACTIONS.items():
        actions.register_action(action, *history_labels[kind])
    actions.register_action(
        EMERGENCY_CONFIRM_ACTION,
        _("Emergency publication confirmed"),
        _("Confirmed by the department head"),
    )
    actions.register_action(
        LOCKOUT_LIFT_ACTION, _("Login lockout lifted"), _("Lifted a login lockout")
    )


# Editing pages: the rules' actions, and the editor's screens saying why.
@hooks.register("register_actions")
def register_actions(registry):
    registry.register(Page, ModeratedPublishPageRevisionAction)
    registry.register(Page, RecordKeepingDeletePageAction)
    registry.register(Page, ReadershipKeepingMovePageAction)


hooks.register("before_create_page", annual_report.generate_annual_reports)
hooks.register("before_edit_page", workflow.say_why_the_page_was_returned)
hooks.register("register_page_header_buttons", audit.page_audit_buttons)
hooks.register("register_page_header_buttons", price_diff.price_diff_buttons)
hooks.register("register_page_header_buttons", price_import.price_import_buttons)
hooks.register("register_page_listing_more_buttons", price_import.price_import_buttons)
hooks.register("register_page_action_menu_item", menus.EmergencyPublishMenuItem)
hooks.register("before_move_page", page_refusals.refuse_moves_that_change_readers)
hooks.register("before_delete_page", page_refusals.keep_disclosure_records)
hooks.register("before_bulk_action", page_refusals.keep_disclosure_records_in_bulk)

hooks.register("before_serve_document", documents.serve_only_to_its_audience)
hooks.register("before_serve_page", serving.staff_pages_only_for_their_institution)
hooks.register("before_serve_page", serving.nothing_under_an_unpublished_page)
hooks.register("before_serve_page", serving.nothing_without_its_stored_readers)


# Admin listings of pages show each user only the pages they may know of
# (disclosure/views/admin_pages.py says which view goes through which of these).
register_permission_policy(Page, KnownPagesPermissionPolicy())
hooks.register("construct_page_chooser_queryset", restrict_chooser)
hooks.register("construct_admin_api", register_known_pages_endpoint)
hooks.register("construct_homepage_panels", replace_page_panels)


@hooks.register("register_admin_viewset")
def register_known_pages_viewset():
    # After Wagtail's own base page viewset (order -1), which it replaces.
    return KnownPagesViewSet()


for _bulk_action in PAGE_BULK_ACTIONS:
    # Order 1: after Wagtail's own, registered under the same names by wagtail.admin's hooks,
    # which load after this app's.
    hooks.register("register_bulk_action", _bulk_action, order=1)


# Nobody, superusers included, changes or deletes a document used by a disclosure page that is
# live, scheduled or under review (disclosure/permissions.py). For the exact class: Wagtail
# registers its own document policy in wagtail.documents' ready(), after this module has been
# loaded (wagtail.snippets' ready() loads every wagtail_hooks), and an exact-class policy is
# looked up first. The admin says why (order -1: ahead of Wagtail's views at the same addresses).
register_permission_policy(
    get_document_model(), DocumentsOnRecordPermissionPolicy(), exact_class=True
)
hooks.register("register_admin_urls", document_lock_urls, order=-1)
