"""Settings shared by every environment. Secure by default: ``DEBUG`` is off here."""

from datetime import timedelta

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from disclosure import wagtail_zh_hans

from . import environment as env

BASE_DIR = env.BASE_DIR
PROJECT_DIR = BASE_DIR / "site"

DEBUG = False
SECRET_KEY = env.SECRET_KEY
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "home",
    "disclosure",
    "disclosure.wagtail_zh_hans",  # Chinese for the Wagtail admin strings Wagtail lacks
    "wagtail_modeladmin",
    "simple_history",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.redirects",
    "wagtail.api.v3",
    "ninja",
    "corsheaders",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "disclosure.middleware.APIRateLimitMiddleware",
    # Anonymous public pages and API reads from the shared cache; before the session and
    # everything else, so that a cached answer costs one cache round trip.
    "disclosure.middleware.PageCacheMiddleware",
    # Lookups a page makes several times (sites, settings, restricted depths), once per GET.
    "disclosure.middleware.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "disclosure.middleware.APIMiddleware",
    "disclosure.middleware.ScriptMiddleware",
    # Wagtail's admin views that list pages with no hook: only the pages each user may know of.
    "disclosure.middleware.AdminPagesMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Content-Security-Policy (django-csp 4, portal.middleware): no inline script or style on the
# public site (cached pages carry no nonce); nothing from other origins; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Wagtail's admin writes inline scripts and styles, and frames its own previews.
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-ancestors": [SELF],
}
CONTENT_SECURITY_POLICY_ADMIN_PATHS = [
    "/admin/",
    "/django-admin/",
    "/api/disclosure/v1/docs/",
    "/api/v3/docs/",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env.DATABASE}
CACHES = {
    "default": (
        # Django's Redis backend, sharing one client per process (see disclosure/cache.py).
        {"BACKEND": "disclosure.cache.RedisCache", "LOCATION": env.REDIS_URL}
        if env.REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Whole anonymous answers kept this many seconds (0: off); needs the shared cache above.
DISCLOSURE_PAGE_CACHE_SECONDS = env.PAGE_CACHE_SECONDS
# The HTTP cache in front (README.md, "Deployment"): the same answers marked for it until
# midnight, and all of them banned once each change commits, through Wagtail's frontend cache.
WAGTAILFRONTENDCACHE = {
    f"varnish{number}": {"BACKEND": "disclosure.frontend_cache.VarnishBackend", "LOCATION": url}
    for number, url in enumerate(env.VARNISH_URLS)
}
if WAGTAILFRONTENDCACHE:
    # Wagtail's own purges on publish and unpublish (the ban above, once more).
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's own leaves the password field labelled "Password" in English.
WAGTAILADMIN_USER_LOGIN_FORM = "disclosure.forms.LoginForm"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Project-level strings (templates/ and site/); apps keep their own locale/ folders.
# The second: Chinese for Wagtail's admin JavaScript where Wagtail has none (djangojs only).
LOCALE_PATHS = [BASE_DIR / "locale", wagtail_zh_hans.JS_LOCALE_DIR]

STATIC_URL = "/static/"
STATIC_ROOT = env.STATIC_ROOT
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
# Applicants' attachments and replies: no URL, served only through permission checks.
DISCLOSURE_PRIVATE_ROOT = env.PRIVATE_MEDIA_ROOT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "wagtailadmin_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"
# Login lockout (django-axes): LOGIN_FAILURE_LIMIT failed logins for one username from one
# address lock that pair for LOGIN_COOLOFF_MINUTES; a success resets the count. Every failure
# and lockout is recorded (the admin's 登录锁定 list, for the office) and logged.
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# The client's address as the rate limits see it (behind TRUSTED_PROXY_COUNT proxies, from
# X-Forwarded-For): without it every visitor behind a proxy shares the proxy's address.
AXES_CLIENT_IP_CALLABLE = "disclosure.services.ratelimit.client_address"
DISCLOSURE_TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = True

# Wagtail
WAGTAIL_SITE_NAME = _("Hospital information disclosure")
WAGTAILADMIN_BASE_URL = env.WAGTAILADMIN_BASE_URL
# No avatars from gravatar.com: hospital intranets have no internet, and staff email digests
# should not go to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Chinese-aware full-text search (disclosure/search_backend.py) on SQLite FTS5 or PostgreSQL.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "disclosure.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents are served through Django, which checks who may see them (never straight from
# MEDIA_ROOT), and always as downloads: a browser never renders an uploaded file in the site's
# origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# The same types again, checked by their content when a document is uploaded.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "disclosure.document_forms.DocumentForm"
WAGTAIL_I18N_ENABLED = False
# Editing after an approval needs the approvals again; notifications go to approvers, not
# to every superuser.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# The APIs: Wagtail's v3 pages API at /api/v3/, the disclosure API at /api/disclosure/v1/.
# Browsers may call them from these front-end origins only (none by default).
CORS_ALLOWED_ORIGINS = env.CORS_ALLOWED_ORIGINS
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
DISCLOSURE_API_PATHS = ["/api/"]
DISCLOSURE_API_MAX_AGE = env.API_MAX_AGE
# Requests per client address to both APIs: (hits, seconds), or None for no limit.
DISCLOSURE_API_RATE_LIMIT = env.API_RATE_LIMIT
DISCLOSURE_API_MAX_LIMIT = 100
WAGTAILAPI_LIMIT_MAX = 100
