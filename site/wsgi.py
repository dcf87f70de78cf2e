"""WSGI entry point: ``portal.wsgi:application`` (``portal`` is the import name of ``site/``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()
