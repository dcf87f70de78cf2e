"""Local development: the demo served by ``make demo``. Never use in production."""

from .base import *  # noqa: F403
from .environment import ALLOWED_HOSTS as _ENV_HOSTS
from .environment import SECRET_KEY as _ENV_SECRET

DEBUG = True
# A fixed key is acceptable only for a local demo database; production refuses to start without one.
SECRET_KEY = _ENV_SECRET or "dev-only-insecure-key-not-for-production"
# ".localhost" also admits the scaled demo's other institutions (hospital-02.localhost, …).
ALLOWED_HOSTS = _ENV_HOSTS or [".localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
