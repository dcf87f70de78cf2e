"""The overdue report (逾期报告): every overseen catalog item against its update rule."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import Site

from ..models import Audience, CatalogCategoryPage, CatalogItemPage, Department
from ..rules.deadlines import ComplianceStatus, urgency
from ..rules.update_rules import RuleKind
from ..selectors.admin_pages import may_add_under_ids
from ..selectors.catalog import site_of, site_roots
from ..selectors.compliance import item_compliance
from ..selectors.rectification import visible_overdue_findings
from ..selectors.requests import visible_urgent_cases
from ..selectors.scope import memberships_of, overseen_choices, reported_items
from .choices import ChoiceFilter
from .exports import ReportView

# Wagtail's paginator counts a plain list's rows with these words, which Wagtail 8 leaves
# untranslated in Chinese ("1 item"); the plugin's catalog translates them.
_PAGINATOR_WORDS = (gettext_noop("item"), gettext_noop("items"))


def _site_name(site: Site | None) -> str:
    return (site.site_name or site.hostname) if site else ""


class OverdueReportFilterSet(WagtailFilterSet):
    site = ChoiceFilter(label=_("Institution"), queryset=Site.objects.all(), method="filter_site")
    department = ChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    category = ChoiceFilter(
        label=_("Category"), queryset=CatalogCategoryPage.objects.all(), method="filter_category"
    )
    rule_kind = django_filters.ChoiceFilter(label=_("Update rule"), choices=RuleKind.choices)
    audience = django_filters.ChoiceFilter(label=_("Audience"), choices=Audience.choices)
    # Status is computed by the deadline engine, so the view filters on it after computing.
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ComplianceStatus.choices, method="keep_all"
    )

    class Meta:
        model = CatalogItemPage
        fields = ["site", "department", "category", "rule_kind", "audience", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.choices = overseen_choices(user) if user is not None else None
        if self.choices is not None:
            # Only what the reader oversees: no other institution's departments, and a choice
            # outside the scope is refused like any unknown value.
            self.filters["site"].queryset = self.choices.sites
            self.filters["department"].queryset = self.choices.departments
            self.filters["category"].queryset = self.choices.categories

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.choices is not None and len(self.choices.sites) > 1:
                # Every institution has its 财务科 and its 医保价格收费: name the institution.
                roots = site_roots()
                form.fields["department"].label_from_instance = lambda department: (
                    f"{department.name}（{_site_name(department.site)}）"
                )
                form.fields["category"].label_from_instance = lambda category: (
                    f"{category.title}（{_site_name(site_of(category.path, roots))}）"
                )
        return self._form

    def filter_site(self, queryset, name, value):
        return queryset.descendant_of(value.root_page) if value else queryset

    def filter_category(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset

    def keep_all(self, queryset, name, value):
        return queryset


class OverdueReportView(ReportView):
    page_title = _("Overdue report")
    header_icon = "time"
    template_name = "disclosure/admin/overdue_report.html"
    results_template_name = "disclosure/admin/overdue_report_results.html"
    index_url_name = "disclosure_admin:overdue_report"
    index_results_url_name = "disclosure_admin:overdue_report_results"
    filterset_class = OverdueReportFilterSet
    paginate_by = 100
    list_export = [
        "institution",
        "category",
        "item.title",
        "item.department.name",
        "rule_words",
        "item.last_published_on",
        "deadline.due",
        "status_label",
    ]
    export_headings = {
        "institution": _("Institution"),
        "category": _("Category"),
        "item.title": _("Catalog item"),
        "item.department.name": _("Responsible department"),
        "rule_words": _("Update rule"),
        "item.last_published_on": pgettext_lazy("disclosure", "Last published"),
        "deadline.due": _("Due"),
        "status_label": _("Status"),
    }

    def get_queryset(self):
        return reported_items(self.request.user)

    def get_filtered_queryset(self):
        queryset = self.filter_queryset(self.get_queryset())
        rows = item_compliance(items=queryset, summaries=True)
        status = self.filters.form.cleaned_data.get("status") if self.filters else None
        if status:
            rows = [row for row in rows if row.deadline.status == status]
        return sorted(
            rows,
            key=lambda row: urgency(
                status=row.deadline.status, due=row.deadline.due, path=row.item.path
            ),
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["urgent_cases"] = visible_urgent_cases(self.request.user)
        context["overdue_findings"] = visible_overdue_findings(self.request.user)
        # The report as the user has it, filters and all: where a record made from a row returns.
        query = self.request.GET.copy()
        query.pop("page", None)
        context["back"] = f"{reverse(self.index_url_name)}?{query.urlencode()}"
        # Only the item's department and the office record a check or a change: a supervisor,
        # who reads every row, is offered neither.
        context["records_for"] = memberships_of(self.request.user)
        context["may_add_under"] = may_add_under_ids(
            self.request.user, [row.item.pk for row in context["object_list"]]
        )
        return context

    def get_filename(self):
        return "overdue-report"

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if item.deadline.estimated and item.deadline.due:
            # Beyond the published holiday schedule: the export says so, as the screen does.
            row["deadline.due"] = gettext("%(date)s (estimated)") % {
                "date": item.deadline.due.isoformat()
            }
        return row
