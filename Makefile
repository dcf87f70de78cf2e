# Developer entry points. Everything runs from the virtualenv .venv, which `make venv` creates
# and fills from pyproject.toml (re-installed only when pyproject.toml changes).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv install demo test e2e e2e-deps guide-images pdf-fonts varnish bench lint check wheel-check messages openapi api-client

venv install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The demo hospital on SQLite (or DATABASE_URL) at http://127.0.0.1:8000/ (PORT=8200 make demo
# for another port; the demo's e-mails link there too).
PORT ?= 8000
demo: export DJANGO_SETTINGS_MODULE := portal.settings.dev
demo: export PORT := $(PORT)
demo: $(STAMP) pdf-fonts
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# SQLite unless DATABASE_URL is set; e.g. make test PYTEST_ARGS="-k catalog -x", or
# PYTEST_ARGS='-m "not slow"' to leave out the explorers (CI runs them on PostgreSQL only).
# One worker per core (pytest-xdist), each on its own copy of the demo database, which is
# built once and kept in .cache/demo-db/ while the code that shapes it is unchanged;
# TEST_WORKERS=0 runs in this process (for a debugger).
TEST_WORKERS ?= auto
test: $(STAMP) pdf-fonts varnish
	$(BIN)/pytest --ds=portal.settings.test -n $(TEST_WORKERS) --durations=25 $(PYTEST_ARGS)

# The annual report's PDF (WeasyPrint) needs Pango and a Chinese font, from Debian's packages.
pdf-fonts:
	fc-list :lang=zh | grep -q . && ldconfig -p | grep -q libpangoft2 \
	  && ldconfig -p | grep -q libharfbuzz-subset \
	  || (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
	    libharfbuzz-subset0)

# Varnish, the HTTP cache in front (deploy/varnish/), from Debian's packages: the tests start it
# with the shipped VCL in front of a test server (tests/site/test_varnish.py), the benchmark in
# front of gunicorn. Neither uses the system's service.
varnish:
	test -x /usr/sbin/varnishd || (apt-get update -qq && apt-get install -y -qq varnish)

# Browser tests (e2e/): a copy of the tests' demo hospital served on localhost, driven through Debian's
# Chromium with Playwright (never a downloaded browser), axe-core from the npm registry;
# screenshots land in e2e/screenshots/.
e2e: e2e-deps
	$(BIN)/pytest e2e $(PYTEST_ARGS)

e2e-deps: $(STAMP)
	test -x /usr/bin/chromium && fc-list | grep -q "Noto Sans CJK" \
	  || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)
	test -f e2e/node_modules/axe-core/axe.min.js || npm ci --prefix e2e --no-audit --no-fund

# The user guide's screenshots (Help → 使用指南), taken by the browser test of each role's daily
# path into the plugin's static files.
guide-images: export UPDATE_GUIDE := 1
guide-images: e2e-deps
	$(BIN)/pytest e2e/test_user_guide.py $(PYTEST_ARGS)

# The benchmark (docs/benchmarks.md): production settings under gunicorn, loaded by wrk, beside a
# stock Wagtail page and a WhiteNoise static file; with the page cache on, also through Varnish
# and the shipped VCL, beside Varnish serving the static file. PostgreSQL when DATABASE_URL names it
# (load_demo --scale commission), else a SQLite file in .bench/ (--scale small); Redis at
# REDIS_URL (default 127.0.0.1:6379, database 15). E.g.
#   make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/disclosure_bench
#   make bench BENCH_ARGS="--duration 20 --markdown docs/bench-latest.md"
bench: export DJANGO_SETTINGS_MODULE := portal.settings.bench
bench: export ALLOWED_HOSTS := localhost,127.0.0.1
bench: export WAGTAILADMIN_BASE_URL := http://127.0.0.1
bench: export REDIS_URL ?= redis://127.0.0.1:6379/15
bench: export DATABASE_URL ?= sqlite:///$(CURDIR)/.bench/bench.sqlite3
bench: export STATIC_ROOT := $(CURDIR)/.bench/static
bench: export MEDIA_ROOT := $(CURDIR)/.bench/media
bench: export PRIVATE_MEDIA_ROOT := $(CURDIR)/.bench/private-media
bench: $(STAMP) varnish
	test -x /usr/bin/wrk || (apt-get update -qq && apt-get install -y -qq wrk)
	mkdir -p .bench
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  $(BIN)/python manage.py bench $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: export DJANGO_SETTINGS_MODULE := portal.settings.test
check: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The OpenAPI documents of both APIs, committed in docs/api/ (a test compares them with the code).
openapi: export DJANGO_SETTINGS_MODULE := portal.settings.test
openapi: $(STAMP)
	$(BIN)/python manage.py export_openapi docs/api

# TypeScript types generated from docs/api/ (openapi-typescript), and the example client in
# clients/typescript/src/example.ts type-checked against them with tsc. Needs Node.js and npm.
api-client:
	cd clients/typescript && npm ci --no-audit --no-fund && npm run generate && npm run check

wheel-check: $(STAMP)
	bash .ci/wheel_check.sh

# Compiles .po into .mo; needed only after editing a .po (the .mo files are committed).
# Needs GNU gettext's msgfmt (Debian: apt-get install -y gettext).
messages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: apt-get install -y gettext" >&2; exit 1; }
	cd disclosure && $(CURDIR)/$(BIN)/django-admin compilemessages
	cd home && $(CURDIR)/$(BIN)/django-admin compilemessages
	if [ -d locale ]; then $(BIN)/django-admin compilemessages --ignore='*'; fi
