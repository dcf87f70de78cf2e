"""Import alias for the example project in ``site/``.

The standard library owns the module name ``site``, so the Django project folder cannot be
imported under its own name. This package points its search path at ``site/``: the settings
module ``site/settings/dev.py`` is imported as ``portal.settings.dev``.
"""

from pathlib import Path

__path__ = [str(Path(__file__).resolve().parent.parent / "site")]
