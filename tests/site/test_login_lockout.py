"""Admin login lockout (django-axes): five failures for one username from one address lock
that pair; the lockout is logged, and the disclosure office sees and lifts it."""

import logging

import pytest
from django.conf import settings
from django.test import Client, override_settings

from home.demo import DEMO_PASSWORD
from portal.settings import base

LOGIN = "/admin/login/"
LOCKOUTS = "/admin/disclosure/lockouts/"
AXES = override_settings(
    AXES_ENABLED=True,
    AXES_FAILURE_LIMIT=5,
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
)


def _log_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _lock_out(client, username="finance-editor"):
    answers = [_log_in(client, username, "wrong-password").status_code for _n in range(5)]
    assert answers == [200, 200, 200, 200, 429]


def test_the_base_settings_lock_after_five_failures_per_username_and_address():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert base.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5


@AXES
def test_five_failures_lock_that_username_from_that_address(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        _lock_out(client)
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # Even the right password is refused now, with a page in Chinese.
    locked = _log_in(client, "finance-editor", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    # The same person from another address, and another person, may still log in.
    assert _log_in(Client(), "finance-editor", DEMO_PASSWORD, "192.0.2.99").status_code == 302
    assert _log_in(Client(), "medical-editor", DEMO_PASSWORD).status_code == 302


@AXES
def test_the_office_sees_the_lockout_and_lifts_it(client, db, django_user_model):
    _lock_out(client)
    office = Client()
    office.force_login(django_user_model.objects.get(username="office"))
    page = office.get(LOCKOUTS)
    assert page.status_code == 200
    body = page.content.decode()
    assert "finance-editor" in body and "192.0.2.10" in body and "已锁定" in body
    attempt = page.context["attempts"][0]
    response = office.post(f"{LOCKOUTS}{attempt.pk}/unlock/")
    assert response.status_code == 302
    assert _log_in(client, "finance-editor", DEMO_PASSWORD).status_code == 302


@AXES
@pytest.mark.parametrize("username", ["supervisor", "finance-head", "medical-editor"])
def test_nobody_else_sees_or_lifts_lockouts(client, db, django_user_model, username):
    _lock_out(Client())
    client.force_login(django_user_model.objects.get(username=username))
    assert client.get(LOCKOUTS)["Location"] == "/admin/"
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get()
    assert client.post(f"{LOCKOUTS}{attempt.pk}/unlock/")["Location"] == "/admin/"
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
