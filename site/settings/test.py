"""Settings for the test suite (``DATABASE_URL`` picks SQLite or PostgreSQL)."""

import tempfile
from pathlib import Path

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1"]


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's own PBKDF2 at a thousand rounds: logging in stays cheap in tests, and the demo
    database built under these settings is one the browser tests' server (``dev``) can log in
    to, since PBKDF2 reads its rounds from the stored hash (and upgrades it on first login)."""

    iterations = 1000


PASSWORD_HASHERS = ["portal.settings.test.QuickPBKDF2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the apps' folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DISCLOSURE_PRIVATE_ROOT = Path(tempfile.gettempdir()) / "disclosure-test-private"
# The API fuzzing tests send thousands of requests from one address; the limit itself is
# tested with its own override.
DISCLOSURE_API_RATE_LIMIT = None
# Tests log in with client.login(), which gives django-axes' backend no request; the lockout
# tests (tests/site/test_login_lockout.py) turn both back on.
AXES_ENABLED = False
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
SILENCED_SYSTEM_CHECKS = ["axes.W003"]  # the backend left out just above, on purpose
