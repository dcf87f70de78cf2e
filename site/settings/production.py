"""Production: refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .environment import ALLOWED_HOSTS as _ENV_HOSTS
from .environment import SECRET_KEY as _ENV_SECRET

if not _ENV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if not _ENV_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment (comma-separated).")

SECRET_KEY = _ENV_SECRET
ALLOWED_HOSTS = _ENV_HOSTS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
