import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# Production settings checked in a child process (each starts Django afresh): run once per CI
# run, on PostgreSQL (see the README's Tests section).
SLOW = pytest.mark.slow


def import_production(**env):
    required = ("SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL")
    environment = {k: v for k, v in os.environ.items() if k not in required}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@SLOW
@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "xxgk.hospital.example"},
            "WAGTAILADMIN_BASE_URL",
        ),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = import_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


@SLOW
def test_production_starts_with_its_environment():
    result = import_production(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="xxgk.hospital.example",
        WAGTAILADMIN_BASE_URL="https://xxgk.hospital.example",
    )
    assert result.returncode == 0, result.stderr


def test_chinese_and_shanghai_by_default():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_the_admin_speaks_chinese(client, db):
    assert "登录" in client.get("/admin/login/").content.decode()


# The environment the README documents for production (SECRET_KEY and ALLOWED_HOSTS are yours).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "k3y-" + "Zq8wE5rT7yU1iO9pA2sD4fG6hJ0lX3cV" * 2,
    "ALLOWED_HOSTS": "xxgk.hospital.example,testserver",
    "CSRF_TRUSTED_ORIGINS": "https://xxgk.hospital.example",
    "WAGTAILADMIN_BASE_URL": "https://xxgk.hospital.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "SECURE_HSTS_PRELOAD": "true",
}


def _run_production(*args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO"))}
    environment.update(PRODUCTION_ENV)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@SLOW
def test_production_passes_the_deploy_check_without_a_warning():
    result = _run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


PROXY_PROBE = """
from django.test import Client
from django.test.utils import setup_test_environment
import django
django.setup()
setup_test_environment()
client = Client()
# A view that needs no database: the large-text switch, which sends the visitor back.
plain = client.get("/text-size/large/", HTTP_HOST="xxgk.hospital.example")
proxied = client.get(
    "/text-size/large/", HTTP_HOST="xxgk.hospital.example", HTTP_X_FORWARDED_PROTO="https"
)
print(plain.status_code, plain.get("Location"), proxied.status_code,
      proxied.get("Strict-Transport-Security"), proxied.get("Cross-Origin-Opener-Policy"),
      proxied.get("X-Content-Type-Options"), proxied.get("Referrer-Policy"))
"""


@SLOW
def test_production_sends_plain_http_to_https_and_trusts_the_proxys_header():
    result = _run_production("-c", PROXY_PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "301",
        "https://xxgk.hospital.example/text-size/large/",
        "302",
        "max-age=31536000;",
        "includeSubDomains;",
        "preload",
        "same-origin",
        "nosniff",
        "same-origin",
    ]


@SLOW
def test_the_demos_e_mails_link_to_the_port_it_is_served_on():
    environment = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings.dev as s; print(s.WAGTAILADMIN_BASE_URL)"],
        cwd=ROOT,
        env={**environment, "PORT": "8200"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8200", result.stderr
