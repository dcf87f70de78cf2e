import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def import_production(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [({}, "SECRET_KEY"), ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = import_production(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_its_environment():
    result = import_production(SECRET_KEY="x" * 50, ALLOWED_HOSTS="xxgk.hospital.example")
    assert result.returncode == 0, result.stderr


def test_chinese_and_shanghai_by_default():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_the_admin_speaks_chinese(client, db):
    assert "登录" in client.get("/admin/login/").content.decode()
