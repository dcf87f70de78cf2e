"""Production: refuses to start without ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``WAGTAILADMIN_BASE_URL``."""

from django.core.exceptions import ImproperlyConfigured

from . import environment as env
from .base import *  # noqa: F403
from .environment import ALLOWED_HOSTS as _ENV_HOSTS
from .environment import SECRET_KEY as _ENV_SECRET

if not _ENV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if not _ENV_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment (comma-separated).")
if not env.WAGTAILADMIN_BASE_URL:
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set in the environment: e-mails link to the admin there."
    )

SECRET_KEY = _ENV_SECRET
ALLOWED_HOSTS = _ENV_HOSTS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS only. The site runs behind a reverse proxy that terminates TLS and says so in
# X-Forwarded-Proto (it must overwrite any such header a client sends).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = env.SECURE_HSTS_PRELOAD
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
