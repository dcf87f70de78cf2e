"""Admin screens for the plugin's non-page models."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin

from .models import Department


class DepartmentAdmin(ModelAdmin):
    model = Department
    menu_label = _("Departments")
    menu_icon = "group"
    menu_order = 210
    add_to_settings_menu = False
    list_display = ("name", "site", "editors_group", "heads_group", "sort_order")
    list_filter = ("site",)
    search_fields = ("name",)
    ordering = ("site", "sort_order", "name")
