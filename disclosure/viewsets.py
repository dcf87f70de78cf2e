"""Admin screens for the plugin's non-page models (wagtail-modeladmin): departments, acting
heads, and the working-day calendar (public holidays, make-up working days, years).

A calendar day or year saved here is marked as entered by hand, so seeding from
``chinesecalendar`` never overwrites it. Every change is kept in the model's history and in
Wagtail's log.
"""

from django import forms
from django.contrib.admin import SimpleListFilter
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.models import Site
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, EditView, InspectView

from .models import (
    ActingHead,
    CalendarDay,
    CalendarSource,
    CalendarYear,
    ChecklistTemplate,
    Commission,
    Department,
)
from .rules.inspections import points_text
from .selectors.inspections import InspectionAccess, templates_visible_to
from .services.commissions import ensure_commission_groups, oversight_problem
from .services.departments import ensure_department_groups
from .services.inspections import template_problems


class DepartmentCreateView(CreateView):
    """Creating a department also creates its editors and heads groups when none are chosen."""

    def form_valid(self, form):
        response = super().form_valid(form)
        ensure_department_groups(department=self.instance)
        return response


class DepartmentAdmin(ModelAdmin):
    model = Department
    menu_label = _("Departments")
    menu_icon = "group"
    menu_order = 210
    list_display = ("name", "site", "editors_group", "heads_group", "sort_order")
    list_filter = ("site",)
    search_fields = ("name",)
    ordering = ("site", "sort_order", "name")
    create_view_class = DepartmentCreateView


class ActingHeadAdmin(ModelAdmin):
    model = ActingHead
    menu_label = _("Acting heads")
    menu_icon = "user"
    menu_order = 211
    list_display = ("department", "user", "starts_on", "ends_on", "reason")
    list_filter = ("department",)


class EnteredByHandMixin:
    """Mark what an administrator saves as ``manual``, so seeding leaves it alone."""

    def form_valid(self, form):
        form.instance.source = CalendarSource.MANUAL
        return super().form_valid(form)


class CalendarCreateView(EnteredByHandMixin, CreateView):
    pass


class CalendarEditView(EnteredByHandMixin, EditView):
    pass


class YearListFilter(SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            CalendarDay.objects.annotate(year=ExtractYear("day"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(day__year=self.value())
        return queryset


class CalendarDayAdmin(ModelAdmin):
    model = CalendarDay
    menu_label = _("Holidays and make-up days")
    menu_icon = "date"
    list_display = ("day", "kind", "name", "source")
    list_filter = ("kind", "source", YearListFilter)
    search_fields = ("name",)
    ordering = ("-day",)
    create_view_class = CalendarCreateView
    edit_view_class = CalendarEditView


class CalendarYearAdmin(ModelAdmin):
    model = CalendarYear
    menu_label = _("Calendar years")
    menu_icon = "calendar"
    list_display = ("year", "complete", "source")
    list_filter = ("complete", "source")
    ordering = ("-year",)
    create_view_class = CalendarCreateView
    edit_view_class = CalendarEditView


class WorkingDayCalendarGroup(ModelAdminGroup):
    menu_label = _("Working-day calendar")
    menu_icon = "date"
    menu_order = 212
    items = (CalendarDayAdmin, CalendarYearAdmin)


# Self-inspection checklist templates ---------------------------------------------------------


class ChecklistTemplatePermissionHelper(PermissionHelper):
    """Who reads and keeps checklist templates: every reader of inspections sees the shared
    templates and its institutions' own; the office keeps its own, administrators the shared
    ones. Departments see none. A template scored on is never deleted."""

    def user_can_list(self, user):
        return InspectionAccess.of(user).reads_any

    def user_can_create(self, user):
        access = InspectionAccess.of(user)
        return access.superuser or bool(access.office_sites)

    def user_can_inspect_obj(self, user, obj):
        return templates_visible_to(user).filter(pk=obj.pk).exists()

    def user_can_edit_obj(self, user, obj):
        if obj.site_id is None:
            return user.is_superuser
        return InspectionAccess.of(user).is_office(obj.site_id)

    def user_can_delete_obj(self, user, obj):
        return self.user_can_edit_obj(user, obj) and not obj.is_frozen


class ChecklistTemplateFormMixin:
    """An office chooses among its own institutions (a shared template is for administrators);
    saving says what the points add up to."""

    def get_form(self):
        form = super().get_form()
        access = InspectionAccess.of(self.request.user)
        if not access.superuser:
            field = form.fields["site"]
            field.queryset = Site.objects.filter(pk__in=access.office_sites)
            field.required = True
            field.empty_label = None
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        total = self.instance.total_points()
        messages.info(
            self.request,
            _("The items' points add up to %(total)s.") % {"total": points_text(total)},
        )
        for problem in template_problems(self.instance):
            messages.warning(self.request, problem)
        return response


class ChecklistTemplateCreateView(ChecklistTemplateFormMixin, CreateView):
    def get_success_url(self):
        return self.url_helper.get_action_url("inspect", self.instance.pk)


class ChecklistTemplateEditView(ChecklistTemplateFormMixin, EditView):
    """A template scored on is refused, with a way to its next version."""

    def dispatch(self, request, *args, **kwargs):
        if self.instance.is_frozen and self.check_action_permitted(request.user):
            messages.error(
                request,
                _("Inspections have been scored on this version; make a new version to change it."),
            )
            return redirect(self.url_helper.get_action_url("inspect", self.instance.pk))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return self.url_helper.get_action_url("inspect", self.instance.pk)


class ChecklistTemplateInspectView(InspectView):
    """The template read-only: its sections and items, their total, and what may be done."""

    def get_template_names(self):
        return ["disclosure/admin/inspections/template_detail.html"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        template = self.instance
        frozen = template.is_frozen
        keeper = self.permission_helper.user_can_edit_obj(user, template)
        return super().get_context_data(
            sections=template.sections.prefetch_related("items"),
            total=template.total_points(),
            problems=template_problems(template),
            frozen=frozen,
            may_edit=keeper and not frozen,
            may_version=keeper,
            new_version_url=reverse(
                "disclosure_admin:checklist_template_new_version", args=[template.pk]
            ),
            **kwargs,
        )


class ChecklistTemplateAdmin(ModelAdmin):
    model = ChecklistTemplate
    menu_label = _("Checklist templates")
    menu_icon = "list-ol"
    add_to_admin_menu = False  # in the self-inspection menu (views/menus.py)
    inspect_view_enabled = True
    list_display = ("name", "version", "site", "is_example", "created_at")
    list_filter = ("site", "is_example")
    search_fields = ("name",)
    permission_helper_class = ChecklistTemplatePermissionHelper
    create_view_class = ChecklistTemplateCreateView
    edit_view_class = ChecklistTemplateEditView
    inspect_view_class = ChecklistTemplateInspectView

    def get_queryset(self, request):
        return templates_visible_to(request.user).select_related("site")


# Health commissions (卫生健康委员会) ------------------------------------------------------------


class CommissionForm(WagtailAdminModelForm):
    """Refuses an oversight that loops or reaches too deep (services.commissions)."""

    def clean(self):
        cleaned = super().clean()
        below = cleaned.get("oversees")
        if below is not None and self.instance.pk is not None:
            problem = oversight_problem(self.instance, [commission.pk for commission in below])
            if problem:
                self.add_error("oversees", problem)
        return cleaned


class CommissionCreateView(CreateView):
    """Creating a commission also creates its readers and assessors groups and its collection
    of documents when none are chosen."""

    def form_valid(self, form):
        response = super().form_valid(form)
        ensure_commission_groups(commission=self.instance)
        return response


class CommissionAdmin(ModelAdmin):
    """Kept by the administrators; a commission's members change nothing here."""

    model = Commission
    menu_label = _("Health commissions")
    menu_icon = "site"
    menu_order = 212
    add_to_settings_menu = True
    list_display = ("name", "level", "region", "readers_group", "assessors_group")
    list_filter = ("level",)
    search_fields = ("name", "region")
    create_view_class = CommissionCreateView
    edit_handler = ObjectList(
        [
            MultiFieldPanel([FieldPanel("name"), FieldPanel("level"), FieldPanel("region")]),
            FieldPanel("institutions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("oversees", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldPanel("readers_group"),
                    FieldPanel("assessors_group"),
                    FieldPanel("document_collection"),
                ]
            ),
        ],
        base_form_class=CommissionForm,
    )
