"""Admin screens for the plugin's non-page models."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import CreateView

from .models import ActingHead, Department
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
