#!/usr/bin/env bash
# Proves that disclosure is a standalone plugin: the wheel holds the disclosure package and
# nothing of the example site, and a fresh `wagtail start` project that installs the wheel and
# follows README.md ("Use it in your own Wagtail project") migrates and passes `manage.py check`.
# The project gets exactly that section's two code blocks: its settings block is appended to the
# project's settings and its URLs block replaces the project's urls.py.
set -euo pipefail
cd "$(dirname "$0")/.."
README=$PWD/README.md

PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "wheel check FAILED: $*" >&2; exit 1; }

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
"$WORK/venv/bin/python" - "$README" <<'EOF'
import re
import sys
from pathlib import Path

# README.md's integration section, up to the next section; its Python blocks each start with a
# comment naming the file they go in.
readme = Path(sys.argv[1]).read_text()
heading = "\n## Use it in your own Wagtail project\n"
if readme.count(heading) != 1:
    raise SystemExit("README.md has no single section 'Use it in your own Wagtail project'")
section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
blocks = {}
for block in re.findall(r"^```python\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL):
    name = block.partition("\n")[0].removeprefix("#").strip()
    if name in blocks:
        raise SystemExit(f"README.md's integration section has two blocks for {name}")
    blocks[name] = block
if set(blocks) != {"settings.py", "urls.py"}:
    raise SystemExit(f"README.md's integration section: blocks {sorted(blocks)}, not settings.py, urls.py")

settings = Path("checkproject/settings/base.py")
settings.write_text(
    settings.read_text() + "\n# Added by .ci/wheel_check.sh from README.md.\n" + blocks["settings.py"]
)
Path("checkproject/urls.py").write_text(blocks["urls.py"])
print("settings.py and urls.py from README.md's integration section")
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
    "/sitemap.xml",
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
