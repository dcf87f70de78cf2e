"""The plugin's entries in the admin's menus (main, reports, settings, help, and the page
editor's action menu), each shown only to whoever may open the screen behind it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from ..selectors.audit import can_read_audit
from ..selectors.commissions import CommissionAccess
from ..selectors.inspections import InspectionAccess
from ..selectors.rectification import LedgerAccess
from ..selectors.requests import CaseAccess
from ..selectors.scope import commission_site_ids, overseen_site_ids, reported_items
from ..selectors.supervision import may_supervise
from . import annual_report, emergency, guide, lockouts


def guides_in_the_help_menu(request, menu_items: list) -> None:
    """Help → the role guides, in place of Wagtail's links to its English guide and release
    notes on the internet, which a hospital's network often does not reach."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
    menu_items[:0] = [
        MenuItem(
            name, reverse("disclosure_admin:guide", args=[role]), icon_name="help", order=order
        )
        for order, (role, name) in enumerate(guide.GUIDES.items(), start=10)
    ]


class OverdueReportMenuItem(MenuItem):
    def is_shown(self, request):
        return reported_items(request.user).exists()


def overdue_report_menu_item() -> MenuItem:
    return OverdueReportMenuItem(
        _("Overdue report"), reverse("disclosure_admin:overdue_report"), icon_name="time", order=50
    )


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return annual_report.may_generate_a_report(request.user)


def annual_report_menu_item() -> MenuItem:
    return AnnualReportMenuItem(
        _("Generate an annual report"),
        reverse("disclosure_admin:annual_report_generate"),
        icon_name="doc-full",
        order=70,
    )


class DisclosureStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or bool(overseen_site_ids(user) or commission_site_ids(user))


def statistics_menu_item() -> MenuItem:
    return DisclosureStatisticsMenuItem(
        _("Disclosure statistics"),
        reverse("disclosure_admin:annual_report_statistics"),
        icon_name="table",
        order=75,
    )


class AuditReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit(request.user)


def audit_report_menu_item() -> MenuItem:
    return AuditReportMenuItem(
        _("Audit trail"), reverse("disclosure_admin:audit_report"), icon_name="history", order=60
    )


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return may_supervise(request.user)


def supervision_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(
        pgettext_lazy("disclosure", "Supervision"),
        Menu(
            items=[
                SupervisionMenuItem(
                    _("Catalog overview"),
                    reverse("disclosure_admin:supervision_catalog"),
                    icon_name="list-ul",
                    order=10,
                ),
                SupervisionMenuItem(
                    _("Under review"),
                    reverse("disclosure_admin:supervision_in_review"),
                    icon_name="tasks",
                    order=20,
                ),
                SupervisionMenuItem(
                    pgettext_lazy("disclosure", "Drafts"),
                    reverse("disclosure_admin:supervision_drafts"),
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


def case_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(
        _("Requests and consultations"),
        Menu(
            items=[
                CaseMenuItem(
                    _("Disclosure requests"),
                    reverse("disclosure_admin:requests"),
                    icon_name="mail",
                ),
                CaseMenuItem(
                    _("Consultations"),
                    reverse("disclosure_admin:consultations"),
                    icon_name="help",
                ),
                NoticeTemplateMenuItem(
                    _("Notice templates"),
                    reverse("disclosure_admin:notice_templates"),
                    icon_name="doc-full",
                ),
            ]
        ),
        icon_name="mail",
        order=215,
    )


def emergency_menu_item() -> MenuItem:
    return MenuItem(
        _("Emergency publications"),
        reverse("disclosure_admin:emergencies"),
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
        return reverse("disclosure_admin:emergency_publish", args=[context["page"].pk])


class LockoutMenuItem(MenuItem):
    def is_shown(self, request):
        return lockouts.can_manage_lockouts(request.user)


def lockout_menu_item() -> MenuItem:
    return LockoutMenuItem(
        _("Login lockouts"), reverse("disclosure_admin:lockouts"), icon_name="lock", order=900
    )


# Self-inspection (自查评估)


class InspectionMenuItem(MenuItem):
    def is_shown(self, request):
        return InspectionAccess.of(request.user).reads_any


def inspection_menu() -> SubmenuMenuItem:
    """自查评估: the inspections and the checklist templates (a wagtail-modeladmin screen kept
    out of the main menu by ``add_to_admin_menu = False``)."""
    return SubmenuMenuItem(
        _("Self-inspection"),
        Menu(
            items=[
                InspectionMenuItem(
                    _("Inspections"),
                    reverse("disclosure_admin:inspections"),
                    icon_name="tasks",
                    order=10,
                ),
                InspectionMenuItem(
                    _("Checklist templates"),
                    reverse("disclosure_checklisttemplate_modeladmin_index"),
                    icon_name="list-ol",
                    order=20,
                ),
            ]
        ),
        icon_name="tasks",
        order=216,
    )


# The monthly patrol and the rectification ledger (栏目巡查, 整改台账)
class PatrolMenuItem(MenuItem):
    def is_shown(self, request):
        return LedgerAccess.of(request.user).reads_institutions


class LedgerMenuItem(MenuItem):
    def is_shown(self, request):
        return LedgerAccess.of(request.user).reads_any


def patrol_menu_item() -> MenuItem:
    return PatrolMenuItem(
        _("Column patrols"), reverse("disclosure_admin:patrols"), icon_name="search", order=225
    )


def ledger_menu_item() -> MenuItem:
    return LedgerMenuItem(
        _("Rectification ledger"),
        reverse("disclosure_admin:ledger"),
        icon_name="list-ol",
        order=226,
    )


# The health commission (卫健委)


class CommissionMenuItem(MenuItem):
    def is_shown(self, request):
        return CommissionAccess.of(request.user).any


def commission_screen_url(screen: str) -> str:
    """The landing page, which opens ``screen`` of the user's commission (or lists them)."""
    return f"{reverse('disclosure_admin:commission_home')}?to={screen}"


def commission_menu() -> SubmenuMenuItem:
    """卫健委: the ranking, the update checks and the notices of the user's commissions."""
    return SubmenuMenuItem(
        pgettext_lazy("menu", "Health commission"),
        Menu(
            items=[
                CommissionMenuItem(
                    _("Ranking"), commission_screen_url("ranking"), icon_name="order", order=10
                ),
                CommissionMenuItem(
                    _("Web update checks"),
                    commission_screen_url("update-checks"),
                    icon_name="tasks",
                    order=20,
                ),
                CommissionMenuItem(
                    pgettext_lazy("commission", "Notices"),
                    commission_screen_url("notices"),
                    icon_name="doc-full",
                    order=30,
                ),
            ]
        ),
        icon_name="site",
        order=230,
    )
