from django.apps import AppConfig, apps
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("Information disclosure")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Deferred to ready(): these modules import the models, which are not loaded while
        # Django imports this module. checks and media register their system checks.
        from . import checks, media, signal_handlers  # noqa: F401
        from .selectors import workdays

        signal_handlers.register()
        if apps.is_installed("wagtail.sites"):
            # Optional, as the v3 API below: the admin's Sites, when the site installs them.
            from .forms import check_site_form

            check_site_form()
        workdays.connect_signals()
        if apps.is_installed("wagtail.api.v3"):
            # Optional: Wagtail's v3 API, when the site installs it.
            from .api.pages import register_field_schemas, restrict_documents, restrict_pages

            register_field_schemas()
            # Wagtail's pages router can be imported only once every app is ready too.
            request_started.connect(restrict_pages, dispatch_uid=restrict_pages)
            if apps.is_installed("wagtail.documents"):
                # Wagtail's documents router can be imported only once every app is ready.
                request_started.connect(restrict_documents, dispatch_uid=restrict_documents)
