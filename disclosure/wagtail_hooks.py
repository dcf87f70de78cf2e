from django.apps import apps
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail_modeladmin.options import modeladmin_register

from .action_menu import name_the_workflow_of_a_new_page
from .actions import (
    ModeratedPublishPageRevisionAction,
    ReadershipKeepingMovePageAction,
    RecordKeepingDeletePageAction,
)
from .models.annual_report import AnnualReportPage
from .models.moderation import ModeratedPageMixin, unpublished_ancestor
from .models.placement import move_refusal
from .panels import construct_homepage_panels, returned_notice
from .permissions import DocumentsOnRecordPermissionPolicy
from .selectors.audit import can_read_audit
from .selectors.moderation import returned_for_changes
from .selectors.requests import CaseAccess
from .selectors.scope import overseen_items, overseen_site_ids
from .selectors.supervision import may_supervise
from .selectors.visibility import may_view
from .services.audit import HISTORY_ACTIONS, deletion_refusal
from .services.lockouts import LOCKOUT_LIFT_ACTION
from .services.moderation import EMERGENCY_ACTION, EMERGENCY_CONFIRM_ACTION
from .views import (
    annual_report,
    audit,
    compliance,
    documents,
    emergency,
    guide,
    lockouts,
    notices_admin,
    requests_admin,
    supervision,
)
from .views.admin_pages import (
    PAGE_BULK_ACTIONS,
    KnownPagesPermissionPolicy,
    KnownPagesViewSet,
    register_known_pages_endpoint,
    replace_page_panels,
    restrict_chooser,
)
from .views.document_locks import document_lock_urls
from .views.reports import OverdueReportView
from .viewsets import ActingHeadAdmin, DepartmentAdmin
from .viewsets_calendar import WorkingDayCalendarGroup

modeladmin_register(DepartmentAdmin)
modeladmin_register(ActingHeadAdmin)
modeladmin_register(WorkingDayCalendarGroup)
hooks.register("construct_homepage_panels", construct_homepage_panels)
hooks.register("construct_homepage_panels", supervision.add_supervision_panel)
hooks.register("construct_page_action_menu", name_the_workflow_of_a_new_page)


# Help → the role guides (disclosure/views/guide.py), in place of Wagtail's links to its English
# guide and release notes on the internet, which a hospital's network often does not reach.
@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("disclosure/guide/", guide.guide_view, name="disclosure_guide_index"),
        path("disclosure/guide/<slug:role>/", guide.guide_view, name="disclosure_guide"),
    ]


@hooks.register("construct_help_menu")
def guides_in_the_help_menu(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
    menu_items[:0] = [
        MenuItem(name, reverse("disclosure_guide", args=[role]), icon_name="help", order=order)
        for order, (role, name) in enumerate(guide.GUIDES.items(), start=10)
    ]


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("disclosure/admin.css"))


@hooks.register("register_actions")
def register_actions(registry):
    registry.register(Page, ModeratedPublishPageRevisionAction)
    registry.register(Page, RecordKeepingDeletePageAction)
    registry.register(Page, ReadershipKeepingMovePageAction)


@hooks.register("before_move_page")
def refuse_moves_that_change_readers(request, page, destination):
    """The admin's move confirmation says why a move is refused, in the editor's words (the
    action and a ``pre_page_move`` receiver refuse it on every other path)."""
    from django.shortcuts import redirect
    from wagtail.admin import messages

    if not page.permissions_for_user(request.user).can_move():
        return None  # Wagtail refuses them, without naming the page or the destination
    refusal = move_refusal(page, destination)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


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
            "reports/disclosure-audit/",
            audit.AuditReportView.as_view(),
            name="disclosure_audit_report",
        ),
        path(
            "reports/disclosure-audit/results/",
            audit.AuditReportView.as_view(results_only=True),
            name="disclosure_audit_report_results",
        ),
        path(
            "disclosure/items/<int:item_id>/timeline/",
            audit.item_timeline_view,
            name="disclosure_item_timeline",
        ),
        path(
            "disclosure/pages/<int:page_id>/as-of/", audit.as_of_view, name="disclosure_page_as_of"
        ),
        path(
            "disclosure/pages/<int:page_id>/revisions/<int:revision_id>/",
            audit.revision_view,
            name="disclosure_revision_view",
        ),
        path(
            "disclosure/history/<str:app_label>/<str:model_name>/<str:object_id>/",
            audit.model_history_view,
            name="disclosure_model_history",
        ),
        path(
            "disclosure/history/<str:app_label>/<str:model_name>/<str:object_id>/revert/<int:history_id>/",
            audit.model_revert_view,
            name="disclosure_model_revert",
        ),
        path(
            "disclosure/requests/",
            requests_admin.RequestListView.as_view(),
            name="disclosure_requests",
        ),
        path(
            "disclosure/requests/results/",
            requests_admin.RequestListView.as_view(results_only=True),
            name="disclosure_requests_results",
        ),
        path(
            "disclosure/consultations/",
            requests_admin.ConsultationListView.as_view(),
            name="disclosure_consultations",
        ),
        path(
            "disclosure/consultations/results/",
            requests_admin.ConsultationListView.as_view(results_only=True),
            name="disclosure_consultations_results",
        ),
        path(
            "disclosure/cases/<str:kind>/register/",
            requests_admin.case_register_view,
            name="disclosure_case_register",
        ),
        path(
            "disclosure/cases/<str:kind>/<int:pk>/",
            requests_admin.case_view,
            name="disclosure_case",
        ),
        path(
            "disclosure/cases/request/<int:pk>/files/<int:file_id>/",
            requests_admin.case_file_view,
            name="disclosure_case_file",
        ),
        path(
            "disclosure/cases/request/<int:pk>/notices/issue/",
            notices_admin.notice_issue_view,
            name="disclosure_notice_issue",
        ),
        path(
            "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/",
            notices_admin.notice_view,
            name="disclosure_notice",
        ),
        path(
            "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/notice.<str:format>",
            notices_admin.notice_view,
            name="disclosure_notice_file",
        ),
        path(
            "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/send/",
            notices_admin.notice_send_view,
            name="disclosure_notice_send",
        ),
        path(
            "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/sent/",
            notices_admin.notice_mark_sent_view,
            name="disclosure_notice_mark_sent",
        ),
        path(
            "disclosure/notice-templates/",
            notices_admin.template_list_view,
            name="disclosure_notice_templates",
        ),
        path(
            "disclosure/notice-templates/<int:template_id>/",
            notices_admin.template_edit_view,
            name="disclosure_notice_template_edit",
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
        path(
            "disclosure/annual-reports/generate/",
            annual_report.generate_view,
            name="disclosure_annual_report_generate",
        ),
        path(
            "disclosure/annual-reports/statistics/",
            annual_report.statistics_view,
            name="disclosure_annual_report_statistics",
        ),
        path(
            "disclosure/annual-reports/<int:page_id>/regenerate/",
            annual_report.regenerate_view,
            name="disclosure_annual_report_regenerate",
        ),
        path(
            "disclosure/annual-reports/<int:page_id>/cell/",
            annual_report.cell_view,
            name="disclosure_annual_report_cell",
        ),
        path(
            "disclosure/annual-reports/<int:page_id>/report.<str:format>",
            annual_report.admin_file_view,
            name="disclosure_annual_report_file",
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


@hooks.register("before_edit_page")
def say_why_the_page_was_returned(request, page):
    """At the top of the edit view: which step returned the page, who, when and why."""
    if request.method != "GET":
        return None
    for returned in returned_for_changes(Page.objects.filter(pk=page.pk)):
        messages.warning(request, returned_notice(returned))
    return None


@hooks.register("before_create_page")
def generate_annual_reports(request, parent_page, page_class):
    """A report starts from the records: "add child page → annual report" opens the generator
    for that item, not an empty form."""
    if page_class is AnnualReportPage:
        url = reverse("disclosure_annual_report_generate")
        return redirect(f"{url}?item={parent_page.pk}")
    return None


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return annual_report.report_items_for(request.user).exists()


class DisclosureStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(overseen_site_ids(request.user))


@hooks.register("register_reports_menu_item")
def register_annual_report_menu_items():
    return AnnualReportMenuItem(
        _("Generate an annual report"),
        reverse("disclosure_annual_report_generate"),
        icon_name="doc-full",
        order=70,
    )


@hooks.register("register_reports_menu_item")
def register_statistics_menu_item():
    return DisclosureStatisticsMenuItem(
        _("Disclosure statistics"),
        reverse("disclosure_annual_report_statistics"),
        icon_name="table",
        order=75,
    )


class AuditReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_report_menu_item():
    return AuditReportMenuItem(
        _("Audit trail"), reverse("disclosure_audit_report"), icon_name="history", order=60
    )


def _refuse_deleting_records(request, pages):
    refusal = deletion_refusal(pages)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)


@hooks.register("before_delete_page")
def keep_disclosure_records(request, page):
    return _refuse_deleting_records(request, [page])


@hooks.register("before_bulk_action")
def keep_disclosure_records_in_bulk(request, action_type, objects, action_class_instance):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return _refuse_deleting_records(request, objects)
    return None


@hooks.register("register_page_header_buttons")
def page_audit_buttons(page, user, view_name=None, next_url=None):
    """On a catalog page's edit screen: its timeline and what the public saw when."""
    from wagtail.admin.widgets import Button

    from .models.moderation import catalog_item_for
    from .selectors.scope import overseen_items

    item = catalog_item_for(page)
    if item is None or not overseen_items(user).filter(pk=item.pk).exists():
        return
    yield Button(
        pgettext_lazy("disclosure", "Timeline"),
        reverse("disclosure_item_timeline", args=[item.pk]),
        icon_name="history",
        priority=60,
    )
    yield Button(
        _("What the public saw"),
        reverse("disclosure_page_as_of", args=[page.pk]),
        icon_name="view",
        priority=61,
    )


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path(
            "disclosure/supervision/catalog/",
            supervision.catalog_view,
            name="disclosure_supervision_catalog",
        ),
        path(
            "disclosure/supervision/in-review/",
            supervision.in_review_view,
            name="disclosure_supervision_in_review",
        ),
        path(
            "disclosure/supervision/drafts/",
            supervision.drafts_view,
            name="disclosure_supervision_drafts",
        ),
        path(
            "disclosure/supervision/pages/<int:page_id>/revisions/",
            supervision.page_revisions_view,
            name="disclosure_page_revisions",
        ),
    ]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return may_supervise(request.user)


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return SubmenuMenuItem(
        pgettext_lazy("disclosure", "Supervision"),
        Menu(
            items=[
                SupervisionMenuItem(
                    _("Catalog overview"),
                    reverse("disclosure_supervision_catalog"),
                    icon_name="list-ul",
                    order=10,
                ),
                SupervisionMenuItem(
                    _("Under review"),
                    reverse("disclosure_supervision_in_review"),
                    icon_name="tasks",
                    order=20,
                ),
                SupervisionMenuItem(
                    pgettext_lazy("disclosure", "Drafts"),
                    reverse("disclosure_supervision_drafts"),
                    icon_name="edit",
                    order=30,
                ),
            ]
        ),
        icon_name="view",
        order=205,
    )


class CaseMenuItem(MenuItem):
    def is_shown(self, request):
        return CaseAccess.of(request.user).reads_any


class NoticeTemplateMenuItem(MenuItem):
    def is_shown(self, request):
        access = CaseAccess.of(request.user)
        return access.superuser or bool(access.office_sites)


@hooks.register("register_admin_menu_item")
def register_case_menu():
    return SubmenuMenuItem(
        _("Requests and consultations"),
        Menu(
            items=[
                CaseMenuItem(
                    _("Disclosure requests"), reverse("disclosure_requests"), icon_name="mail"
                ),
                CaseMenuItem(
                    _("Consultations"), reverse("disclosure_consultations"), icon_name="help"
                ),
                NoticeTemplateMenuItem(
                    _("Notice templates"),
                    reverse("disclosure_notice_templates"),
                    icon_name="doc-full",
                ),
            ]
        ),
        icon_name="mail",
        order=215,
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


hooks.register("before_serve_document", documents.serve_only_to_its_audience)


@hooks.register("before_serve_page")
def staff_pages_only_for_their_institution(page, request, serve_args, serve_kwargs):
    """Wagtail lets any logged-in user through a login restriction; a staff-only page is for
    the staff of its institution (anonymous visitors were already sent to log in)."""
    if request.user.is_authenticated and not may_view(page, request.user):
        raise Http404


@hooks.register("before_serve_page")
def nothing_under_an_unpublished_page(page, request, serve_args, serve_kwargs):
    """Wagtail serves a live page whatever its ancestors; a disclosure page is not served
    while a page above it is unpublished (unpublishing takes the pages below along, so this
    only guards against what got around that)."""
    if isinstance(page, ModeratedPageMixin) and unpublished_ancestor(page) is not None:
        raise Http404


class LockoutMenuItem(MenuItem):
    def is_shown(self, request):
        return lockouts.can_manage_lockouts(request.user)


if apps.is_installed("axes"):

    @hooks.register("register_admin_urls")
    def register_lockout_urls():
        return [
            path("disclosure/lockouts/", lockouts.lockout_list_view, name="disclosure_lockouts"),
            path(
                "disclosure/lockouts/<int:attempt_id>/unlock/",
                lockouts.unlock_view,
                name="disclosure_unlock",
            ),
        ]

    @hooks.register("register_settings_menu_item")
    def register_lockout_menu_item():
        return LockoutMenuItem(
            _("Login lockouts"), reverse("disclosure_lockouts"), icon_name="lock", order=900
        )


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
