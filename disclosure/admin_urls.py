"""The plugin's admin screens, included once under the ``disclosure_admin`` namespace by
``wagtail_hooks.py`` (the public URLs in ``urls.py`` hold the ``disclosure`` namespace).

The paths are those the screens have always had: most under ``disclosure/``, the two reports
beside Wagtail's own under ``reports/``.
"""

from django.apps import apps
from django.urls import path

from .views import (
    annual_report,
    audit,
    commission_notices,
    commission_ranking,
    compliance,
    emergency,
    guide,
    inspections,
    lockouts,
    notices_admin,
    price_diff,
    price_import,
    rectification,
    requests_admin,
    supervision,
)
from .views.reports import OverdueReportView

app_name = "disclosure_admin"

urlpatterns = [
    # Help → the role guides, in place of Wagtail's links to its guide on the internet.
    path("disclosure/guide/", guide.guide_view, name="guide_index"),
    path("disclosure/guide/<slug:role>/", guide.guide_view, name="guide"),
    path("disclosure/emergency/", emergency.emergency_list_view, name="emergencies"),
    path(
        "disclosure/emergency/publish/<int:page_id>/",
        emergency.emergency_publish_view,
        name="emergency_publish",
    ),
    path(
        "disclosure/emergency/<int:emergency_id>/confirm/",
        emergency.emergency_confirm_view,
        name="emergency_confirm",
    ),
    path("disclosure/items/<int:item_id>/attest/", compliance.attest_view, name="item_attest"),
    path("disclosure/items/<int:item_id>/change/", compliance.change_view, name="item_change"),
    path("reports/disclosure-audit/", audit.AuditReportView.as_view(), name="audit_report"),
    path(
        "reports/disclosure-audit/results/",
        audit.AuditReportView.as_view(results_only=True),
        name="audit_report_results",
    ),
    path(
        "disclosure/items/<int:item_id>/timeline/",
        audit.item_timeline_view,
        name="item_timeline",
    ),
    path("disclosure/pages/<int:page_id>/as-of/", audit.as_of_view, name="page_as_of"),
    path("disclosure/prices/<int:page_id>/diff/", price_diff.price_diff_view, name="price_diff"),
    path(
        "disclosure/prices/<int:page_id>/diff.xlsx",
        price_diff.price_diff_export_view,
        name="price_diff_export",
    ),
    path(
        "disclosure/pages/<int:page_id>/revisions/<int:revision_id>/",
        audit.revision_view,
        name="revision",
    ),
    path(
        "disclosure/history/<str:app_label>/<str:model_name>/<str:object_id>/",
        audit.model_history_view,
        name="model_history",
    ),
    path(
        "disclosure/history/<str:app_label>/<str:model_name>/<str:object_id>/revert/<int:history_id>/",
        audit.model_revert_view,
        name="model_revert",
    ),
    path("disclosure/requests/", requests_admin.RequestListView.as_view(), name="requests"),
    path(
        "disclosure/requests/results/",
        requests_admin.RequestListView.as_view(results_only=True),
        name="requests_results",
    ),
    path(
        "disclosure/consultations/",
        requests_admin.ConsultationListView.as_view(),
        name="consultations",
    ),
    path(
        "disclosure/consultations/results/",
        requests_admin.ConsultationListView.as_view(results_only=True),
        name="consultations_results",
    ),
    path(
        "disclosure/cases/<str:kind>/register/",
        requests_admin.case_register_view,
        name="case_register",
    ),
    path("disclosure/cases/<str:kind>/<int:pk>/", requests_admin.case_view, name="case"),
    path(
        "disclosure/cases/request/<int:pk>/files/<int:file_id>/",
        requests_admin.case_file_view,
        name="case_file",
    ),
    path(
        "disclosure/cases/request/<int:pk>/notices/issue/",
        notices_admin.notice_issue_view,
        name="notice_issue",
    ),
    path(
        "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/",
        notices_admin.notice_view,
        name="notice",
    ),
    path(
        "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/notice.<str:format>",
        notices_admin.notice_view,
        name="notice_file",
    ),
    path(
        "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/send/",
        notices_admin.notice_send_view,
        name="notice_send",
    ),
    path(
        "disclosure/cases/request/<int:pk>/notices/<int:notice_id>/sent/",
        notices_admin.notice_mark_sent_view,
        name="notice_mark_sent",
    ),
    path(
        "disclosure/notice-templates/",
        notices_admin.template_list_view,
        name="notice_templates",
    ),
    path(
        "disclosure/notice-templates/<int:template_id>/",
        notices_admin.template_edit_view,
        name="notice_template_edit",
    ),
    # Price lists (价格公示): the import of a list's rows, its progress and its example files
    path("disclosure/prices/<int:page_id>/import/", price_import.import_view, name="price_import"),
    path(
        "disclosure/prices/<int:page_id>/import/<int:version_id>/",
        price_import.progress_view,
        name="price_import_progress",
    ),
    path(
        "disclosure/prices/<int:page_id>/import/<int:version_id>/status/",
        price_import.status_view,
        name="price_import_status",
    ),
    path(
        "disclosure/prices/example/<str:kind>.xlsx",
        price_import.example_view,
        name="price_import_example",
    ),
    path("reports/disclosure-overdue/", OverdueReportView.as_view(), name="overdue_report"),
    path(
        "reports/disclosure-overdue/results/",
        OverdueReportView.as_view(results_only=True),
        name="overdue_report_results",
    ),
    path(
        "disclosure/annual-reports/generate/",
        annual_report.generate_view,
        name="annual_report_generate",
    ),
    path(
        "disclosure/annual-reports/statistics/",
        annual_report.statistics_view,
        name="annual_report_statistics",
    ),
    path(
        "disclosure/annual-reports/<int:page_id>/regenerate/",
        annual_report.regenerate_view,
        name="annual_report_regenerate",
    ),
    path(
        "disclosure/annual-reports/<int:page_id>/cell/",
        annual_report.cell_view,
        name="annual_report_cell",
    ),
    path(
        "disclosure/annual-reports/<int:page_id>/report.<str:format>",
        annual_report.admin_file_view,
        name="annual_report_file",
    ),
    path("disclosure/supervision/catalog/", supervision.catalog_view, name="supervision_catalog"),
    path(
        "disclosure/supervision/in-review/",
        supervision.in_review_view,
        name="supervision_in_review",
    ),
    path("disclosure/supervision/drafts/", supervision.drafts_view, name="supervision_drafts"),
    path(
        "disclosure/supervision/pages/<int:page_id>/revisions/",
        supervision.page_revisions_view,
        name="page_revisions",
    ),
    # Self-inspection (自查评估)
    path("disclosure/inspections/", inspections.inspection_list_view, name="inspections"),
    path("disclosure/inspections/new/", inspections.inspection_new_view, name="inspection_new"),
    path("disclosure/inspections/<int:pk>/", inspections.inspection_view, name="inspection"),
    path(
        "disclosure/inspections/<int:pk>/inspection.<str:format>",
        inspections.inspection_file_view,
        name="inspection_file",
    ),
    path(
        "disclosure/checklist-templates/<int:pk>/new-version/",
        inspections.template_new_version_view,
        name="checklist_template_new_version",
    ),
    # The monthly patrol and the rectification ledger (栏目巡查, 整改台账)
    path("disclosure/patrols/", rectification.patrol_list_view, name="patrols"),
    path("disclosure/patrols/run/", rectification.patrol_run_view, name="patrol_run"),
    path("disclosure/patrols/<int:pk>/", rectification.patrol_view, name="patrol"),
    path(
        "disclosure/patrols/<int:pk>/report/",
        rectification.patrol_report_view,
        name="patrol_report",
    ),
    path("disclosure/ledger/", rectification.LedgerView.as_view(), name="ledger"),
    path(
        "disclosure/ledger/results/",
        rectification.LedgerView.as_view(results_only=True),
        name="ledger_results",
    ),
    path("disclosure/ledger/new/", rectification.finding_create_view, name="finding_create"),
    path("disclosure/ledger/<int:pk>/", rectification.finding_view, name="finding"),
    # A health commission's notices (通报)
    path(
        "disclosure/commission/notices/",
        commission_notices.notice_index_view,
        name="commission_notice_index",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/",
        commission_notices.notice_list_view,
        name="commission_notices",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/new/",
        commission_notices.notice_create_view,
        name="commission_notice_create",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/",
        commission_notices.notice_view,
        name="commission_notice",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/edit/",
        commission_notices.notice_edit_view,
        name="commission_notice_edit",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/lines/",
        commission_notices.notice_lines_view,
        name="commission_notice_lines",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/lines/<int:line_id>/remove/",
        commission_notices.notice_line_remove_view,
        name="commission_notice_line_remove",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/attachments/",
        commission_notices.notice_attachments_view,
        name="commission_notice_attachments",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/attachments/<int:attachment_id>/",
        commission_notices.notice_attachment_view,
        name="commission_notice_attachment",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/attachments/<int:attachment_id>/remove/",
        commission_notices.notice_attachment_remove_view,
        name="commission_notice_attachment_remove",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/issue/",
        commission_notices.notice_issue_view,
        name="commission_notice_issue",
    ),
    path(
        "disclosure/commission/<int:commission_id>/notices/<int:pk>/notice.<str:format>",
        commission_notices.notice_file_view,
        name="commission_notice_file",
    ),
    # The health commission (卫健委): ranking, drill-down, update checks
    # (``disclosure/commission/`` itself is the administrators' list of commissions.)
    path(
        "disclosure/commissions/",
        commission_ranking.commission_index_view,
        name="commission_home",
    ),
    path(
        "disclosure/commission/<int:commission_id>/ranking/",
        commission_ranking.ranking_view,
        name="commission_ranking",
    ),
    path(
        "disclosure/commission/<int:commission_id>/ranking/ranking.xlsx",
        commission_ranking.ranking_export_view,
        name="commission_ranking_export",
    ),
    path(
        "disclosure/commission/<int:commission_id>/institutions/<int:site_id>/",
        commission_ranking.institution_view,
        name="commission_institution",
    ),
    path(
        "disclosure/commission/<int:commission_id>/update-checks/",
        commission_ranking.update_check_list_view,
        name="commission_update_checks",
    ),
    path(
        "disclosure/commission/<int:commission_id>/update-checks/run/",
        commission_ranking.update_check_run_view,
        name="commission_update_check_run",
    ),
    path(
        "disclosure/commission/<int:commission_id>/update-checks/<int:check_id>/",
        commission_ranking.update_check_view,
        name="commission_update_check",
    ),
    path(
        "disclosure/commission/<int:commission_id>/update-checks/<int:check_id>/check.xlsx",
        commission_ranking.update_check_export_view,
        name="commission_update_check_export",
    ),
]

if apps.is_installed("axes"):
    urlpatterns += [
        path("disclosure/lockouts/", lockouts.lockout_list_view, name="lockouts"),
        path(
            "disclosure/lockouts/<int:attempt_id>/unlock/",
            lockouts.unlock_view,
            name="unlock",
        ),
    ]
