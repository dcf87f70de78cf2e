"""Simplified Chinese for the Wagtail admin strings that Wagtail's own zh_Hans catalogs lack.

See apps.py for how to enable it and build_catalog.py for how the catalog is made. The strings
of Wagtail's admin JavaScript are in ``JS_LOCALE_DIR``, which a site adds to ``LOCALE_PATHS``
(Wagtail's JavaScript catalog reads only its own folder and those).
"""

from pathlib import Path

JS_LOCALE_DIR = Path(__file__).resolve().parent / "jslocale"
