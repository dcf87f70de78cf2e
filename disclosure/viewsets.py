"""Admin screens for the plugin's non-page models (wagtail-modeladmin): departments, acting
heads, and the working-day calendar (public holidays, make-up working days, years).

A calendar day or year saved here is marked as entered by hand, so seeding from
``chinesecalendar`` never overwrites it. Every change is kept in the model's history and in
Wagtail's log.
"""

from django.contrib.admin import SimpleListFilter
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, EditView

from .models import ActingHead, CalendarDay, CalendarSource, CalendarYear, Department
from .services.departments import ensure_department_groups


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
