"""System checks: settings without which the plugin's promises would not hold.

Imported by ``DisclosureConfig.ready`` (as Wagtail's apps import their checks), so
``manage.py check``, ``migrate`` and ``runserver`` refuse to run without them. (The checks of
raw media serving live with the media view, in ``media.py``.)
"""

from __future__ import annotations

import shutil
import subprocess

from django.conf import settings
from django.core import checks

ADMIN_PAGES_MIDDLEWARE = "disclosure.middleware.AdminPagesMiddleware"


@checks.register(checks.Tags.security)
def admin_pages_middleware_installed(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The page chooser and the page types usage report go through the plugin's middleware."""
    if ADMIN_PAGES_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        checks.Error(
            f"{ADMIN_PAGES_MIDDLEWARE} is not in MIDDLEWARE: Wagtail's page chooser and page "
            "types usage report would show every admin user the titles of every page, "
            "drafts and other institutions' staff-only pages included.",
            hint=f'Add "{ADMIN_PAGES_MIDDLEWARE}" to MIDDLEWARE, after the authentication '
            "middleware.",
            id="disclosure.E001",
        )
    ]


@checks.register(checks.Tags.security)
def admin_page_search_filtered(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Wagtail's explorer and page search leave out the pages a user may not explore unless
    this setting turns that off."""
    if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
        return []
    return [
        checks.Error(
            "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = False makes Wagtail's page "
            "search list every page, drafts and other institutions' staff-only pages included.",
            hint="Remove the setting (it is True by default).",
            id="disclosure.E002",
        )
    ]


@checks.register(checks.Tags.security)
def approvals_follow_every_edit(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Without ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT``, Wagtail counts an approval given
    to an earlier revision as an approval of the current one: an edit made after the
    department approved would reach the office (and the public) without the department."""
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False) is True:
        return []
    return [
        checks.Error(
            "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT must be True for wagtail-disclosure.",
            hint="Every revision that goes live needs its own approvals, department first.",
            id="disclosure.E003",
        )
    ]


@checks.register()
def pdf_can_be_drawn(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The annual report's PDF is drawn by WeasyPrint, which needs Pango, in a Chinese font
    found by fontconfig; without one the characters would print as boxes. It embeds only the
    characters used, cut from the font by HarfBuzz: without it WeasyPrint falls back to
    fontTools, which takes seconds for each CJK font of each PDF."""
    hint = (
        "Debian: apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 "
        "libharfbuzz-subset0"
    )
    try:
        # Deferred, and what this check is about: importing WeasyPrint loads Pango.
        import weasyprint  # noqa: F401
    except OSError as error:
        return [checks.Warning(f"No PDF: {error}", hint=hint, id="disclosure.W010")]
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [checks.Warning("No fontconfig (fc-list).", hint=hint, id="disclosure.W011")]
    fonts = subprocess.run(  # noqa: S603 (fc-list, fixed arguments)
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    if not fonts.strip():
        return [
            checks.Warning(
                "No Chinese font: the annual report's PDF would print boxes.",
                hint=hint,
                id="disclosure.W011",
            )
        ]
    # Deferred, as above: WeasyPrint's handle on the HarfBuzz subsetter, None when missing.
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        return [
            checks.Warning(
                "No HarfBuzz subsetter: each PDF takes seconds per Chinese font.",
                hint=hint,
                id="disclosure.W012",
            )
        ]
    return []
