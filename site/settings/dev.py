"""Local development: the demo served by ``make demo``. Never use in production."""

import os

from .base import *  # noqa: F403
from .environment import ALLOWED_HOSTS as _ENV_HOSTS
from .environment import SECRET_KEY as _ENV_SECRET
from .environment import WAGTAILADMIN_BASE_URL as _ENV_BASE_URL

DEBUG = True
# A fixed key is acceptable only for a local demo database; production refuses to start without one.
SECRET_KEY = _ENV_SECRET or "dev-only-insecure-key-not-for-production"
# ".localhost" also admits the scaled demo's other institutions (hospital-02.localhost, …).
ALLOWED_HOSTS = _ENV_HOSTS or [".localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The e-mails link to the demo where ``make demo`` serves it (``PORT=8200 make demo``).
_DEMO_ADDRESS = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
WAGTAILADMIN_BASE_URL = _ENV_BASE_URL or _DEMO_ADDRESS
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
