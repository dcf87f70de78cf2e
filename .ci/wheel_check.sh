#!/usr/bin/env bash
# Proves that disclosure is a standalone plugin: the wheel holds the disclosure package and
# nothing of the example site, and a fresh `wagtail start` project that installs the wheel and
# follows README.md ("Use it in your own Wagtail project") migrates and passes `manage.py check`.
set -euo pipefail
cd "$(dirname "$0")/.."

# What a site adds to use the plugin. README.md lists the same apps and middleware: keep them equal.
PLUGIN_APPS=(disclosure disclosure.wagtail_zh_hans wagtail_modeladmin simple_history wagtail.contrib.settings wagtail.contrib.routable_page wagtail.contrib.table_block)
PLUGIN_MIDDLEWARE=(simple_history.middleware.HistoryRequestMiddleware disclosure.middleware.AdminPagesMiddleware disclosure.middleware.ScriptMiddleware)

PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "wheel check FAILED: $*" >&2; exit 1; }
pylist() { printf '"%s", ' "$@"; }

echo "--- building the wheel"
.venv/bin/python -m build --wheel --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log"; fail "build"; }
WHEEL=$(ls "$WORK"/dist/*.whl)
echo "$(basename "$WHEEL")"
.venv/bin/python -c 'import sys, zipfile; print(*zipfile.ZipFile(sys.argv[1]).namelist(), sep="\n")' \
  "$WHEEL" | sort >"$WORK/contents"

echo "--- checking its contents"
# Only the plugin and its metadata: no home/, portal/, site/, tests/ or anything else.
if grep -Ev '^(disclosure/|wagtail_disclosure-[^/]+\.dist-info/)' "$WORK/contents"; then
  fail "the wheel holds files outside disclosure/ (listed above)"
fi
grep -q '^disclosure/migrations/0001_[^/]*\.py$' "$WORK/contents" || fail "no migrations"
grep -q '^disclosure/templates/' "$WORK/contents" || fail "no templates"
# Every file of the package in the work tree (code, templates, static, data, .po and .mo) is in it.
missing=0
while IFS= read -r f; do
  [ -f "$f" ] || continue
  grep -qxF "$f" "$WORK/contents" || { echo "missing from the wheel: $f" >&2; missing=1; }
done < <(git ls-files --cached --others --exclude-standard disclosure)
[ "$missing" = 0 ] || fail "package files missing from the wheel"
echo "$(grep -c . "$WORK/contents") files, $(grep -c '\.mo$' "$WORK/contents" || true) .mo"

echo "--- installing it into a fresh virtualenv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --disable-pip-version-check "$WHEEL" >"$WORK/pip.log" 2>&1 \
  || { cat "$WORK/pip.log"; fail "pip install"; }
grep '^Successfully installed' "$WORK/pip.log"

echo "--- a fresh wagtail start project with the plugin added"
mkdir "$WORK/project"
cd "$WORK/project"
"$WORK/venv/bin/wagtail" start checkproject .
cat >>checkproject/settings/base.py <<EOF

# Added by .ci/wheel_check.sh, as README.md tells a site to.
INSTALLED_APPS += [$(pylist "${PLUGIN_APPS[@]}")]
MIDDLEWARE += [$(pylist "${PLUGIN_MIDDLEWARE[@]}")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "disclosure.search_backend"}}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
from disclosure.wagtail_zh_hans import JS_LOCALE_DIR
LOCALE_PATHS = [JS_LOCALE_DIR]
LANGUAGE_CODE = "zh-hans"
WAGTAILADMIN_USER_LOGIN_FORM = "disclosure.forms.LoginForm"
EOF
"$WORK/venv/bin/python" - <<'EOF'
from pathlib import Path

urls = Path("checkproject/urls.py")
wagtail_route = 'path("", include(wagtail_urls)),'
text = urls.read_text()
if text.count(wagtail_route) != 1:
    raise SystemExit("cannot find Wagtail's route in checkproject/urls.py")
text = text.replace(
    wagtail_route,
    'path("api/disclosure/v1/", include("disclosure.api.urls")),\n    '
    'path("", include("disclosure.urls")),\n    ' + wagtail_route,
)
# Media in development without the documents folder, as README.md's "Security" section says.
raw_media = "urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)"
if text.count(raw_media) != 1:
    raise SystemExit("cannot find the media route in checkproject/urls.py")
text = text.replace(
    raw_media,
    "from disclosure.media import media_urlpatterns\n\n    urlpatterns += media_urlpatterns()",
)
urls.write_text(text)

# The APIs, as README.md's "Headless API" section tells a site to add them.
settings = Path("checkproject/settings/base.py")
text = settings.read_text()
for app in ("wagtail.api.v3", "ninja"):
    if f'"{app}"' not in text:
        text += f'\nINSTALLED_APPS += ["{app}"]'
text += '\nMIDDLEWARE += ["disclosure.middleware.APIMiddleware"]\n'
settings.write_text(text)
EOF
export DJANGO_SETTINGS_MODULE=checkproject.settings.dev
"$WORK/venv/bin/python" manage.py migrate --noinput >"$WORK/migrate.log" 2>&1 \
  || { cat "$WORK/migrate.log"; fail "migrate"; }
applied=$(grep -c 'Applying disclosure\.' "$WORK/migrate.log" || true)
[ "$applied" -gt 0 ] || { cat "$WORK/migrate.log"; fail "migrate applied no disclosure migration"; }
echo "migrate: OK, $applied disclosure migrations applied"
"$WORK/venv/bin/python" manage.py check
# The plugin's own setup command works in a project that is not ours.
"$WORK/venv/bin/python" manage.py setup_moderation
# The disclosure API answers there, with its OpenAPI document.
"$WORK/venv/bin/python" - <<'EOF'
import django

django.setup()
from django.test import Client

client = Client()
for url in (
    "/api/disclosure/v1/openapi.json",
    "/api/disclosure/v1/institutions/",
    "/api/disclosure/v1/search/?q=%E6%94%B6%E8%B4%B9",
):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    print(f"{url}: 200, {len(response.content)} bytes, ETag {response.get('ETag')}")

# The admin in Chinese from the wheel: Wagtail's missing strings, its JavaScript's, the login.
from django.utils import translation

with translation.override("zh-hans"):
    if translation.gettext("Autosave is paused") != "自动保存已暂停":
        raise SystemExit("disclosure.wagtail_zh_hans: Wagtail's missing strings are not in Chinese")
login = client.get("/admin/login/").content.decode()
if "密码" not in login:
    raise SystemExit("the admin login page does not label the password in Chinese")
import json

catalog = client.get("/admin/jsi18n/").content.decode()
if json.dumps("此菜单中有")[1:-1] not in catalog:
    raise SystemExit("the admin JavaScript catalog lacks the plugin's Chinese")
print("admin in Chinese: Wagtail's missing strings, the login page, the JavaScript catalog")
EOF

echo "wheel check passed: $(basename "$WHEEL") installs into a fresh Wagtail project, which migrates and passes check"
