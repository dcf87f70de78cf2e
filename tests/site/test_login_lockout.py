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


@AXES
@override_settings(DISCLOSURE_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_holds_the_client_that_failed_not_the_proxy(db):
    def log_in(password, forwarded_for, client=None):
        return (client or Client()).post(
            LOGIN,
            {"username": "finance-editor", "password": password},
            REMOTE_ADDR="10.0.0.1",  # every request reaches the site from the proxy
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    guesser = Client()
    answers = [log_in("wrong-password", "198.51.100.7", guesser).status_code for _n in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    # The editor, from their own desk behind the same proxy, still logs in...
    assert log_in(DEMO_PASSWORD, "198.51.100.8").status_code == 302
    # ...and the guesser cannot slip out by writing an address in front of the proxy's entry.
    assert log_in(DEMO_PASSWORD, "203.0.113.1, 198.51.100.7").status_code == 429


@AXES
def test_a_login_in_code_has_no_address_and_is_recorded(client, db, django_user_model):
    from axes.models import AccessLog

    client.force_login(django_user_model.objects.get(username="office"))
    assert AccessLog.objects.get().ip_address is None
