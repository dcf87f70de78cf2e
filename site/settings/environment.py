"""Every environment variable the project reads, in one place (listed in the README)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _list(name: str) -> list[str]:
    return [value.strip() for value in os.environ.get(name, "").split(",") if value.strip()]


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def _rate(name: str, default: str) -> tuple[int, int] | None:
    """``HITS/SECONDS`` (e.g. ``600/60``), or ``off``."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("off", "0", "none"):
        return None
    hits, _slash, seconds = value.partition("/")
    return int(hits), int(seconds or "60")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = _list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
CORS_ALLOWED_ORIGINS = _list("CORS_ALLOWED_ORIGINS")
API_MAX_AGE = int(os.environ.get("API_MAX_AGE", "60"))
API_RATE_LIMIT = _rate("API_RATE_LIMIT", "600/60")
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For
# (0: none, the header is ignored). The rate limits and the login lockout count per client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or "0")
# Login lockout (django-axes): failures per username and address, and how long a lock lasts.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "30"))
DATABASE = dj_database_url.parse(
    os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    # Each worker keeps its connection (checked before reuse) rather than opening one for
    # every request, which cost about a millisecond per request on PostgreSQL.
    conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    conn_health_checks=True,
)
if DATABASE["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any plan its estimates call expensive: the overdue report's
    # query over 3,000 items spent 160-420 ms compiling to run in 190 ms. Short web queries
    # never repay it.
    DATABASE.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# Where the e-mails' links point (the review requests, the reminders): production refuses to
# start without it; the demo defaults to its own address.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xxgk@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# A shared cache (rate limits, the page cache, converted 繁體 pages); without it each process
# keeps its own, and the page cache stays off.
REDIS_URL = os.environ.get("REDIS_URL", "")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))
# The HTTP cache in front (Varnish with deploy/varnish/disclosure.vcl), cleared on every
# change: its address, or several, comma-separated; none, no HTTP cache is told anything.
VARNISH_URLS = _list("VARNISH_URL")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
# HTTPS in production (behind a proxy that sets X-Forwarded-Proto).
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", False)
