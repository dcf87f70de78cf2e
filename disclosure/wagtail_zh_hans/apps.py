from django.apps import AppConfig


class WagtailZhHansConfig(AppConfig):
    """Simplified Chinese for the Wagtail 8 admin strings that Wagtail's zh_Hans catalogs lack.

    Add "disclosure.wagtail_zh_hans" to INSTALLED_APPS to get these translations. Its place in
    the list does not matter: the catalog holds only msgids Wagtail does not translate (and reads
    them as the plugin's own catalog does where both have one), so it never overrides Wagtail.
    The app has no models, templates or URLs: only locale/zh_Hans/LC_MESSAGES/django.mo, built
    by build_catalog.py from translations.py.
    """

    name = "disclosure.wagtail_zh_hans"
    label = "disclosure_wagtail_zh_hans"
    verbose_name = "Wagtail 简体中文补充译文"
