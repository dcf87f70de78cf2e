from wagtail_modeladmin.options import modeladmin_register

from .viewsets import DepartmentAdmin

modeladmin_register(DepartmentAdmin)
