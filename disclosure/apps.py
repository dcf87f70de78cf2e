from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Information disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signal_handlers, workdays

        signal_handlers.register()
        workdays.connect_signals()
        if apps.is_installed("wagtail.api.v3"):
            from .api.pages import register_field_schemas

            register_field_schemas()
