"""Whose address a request comes from, for the rate limits and the login lockout."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory, override_settings

from disclosure.services.ratelimit import client_address

PEER = "10.0.0.1"


def _request(forwarded_for=None):
    headers = {"REMOTE_ADDR": PEER}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize("forwarded_for", [None, "198.51.100.7", "198.51.100.7, 10.0.0.9"])
def test_without_trusted_proxies_the_header_is_ignored(forwarded_for):
    # Nothing overwrites the header where no proxy stands: a client would pick its address.
    assert client_address(_request(forwarded_for)) == PEER


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),  # the left entry is the client's own
        (2, "203.0.113.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, " 2001:db8::7 ", "2001:db8::7"),
        (2, "198.51.100.7", PEER),  # fewer entries than proxies: not through them all
        (1, None, PEER),
        (1, "", PEER),
        (1, "unknown", PEER),  # not an address
        (1, "198.51.100.7:4711", PEER),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_entry_the_outermost_proxy_wrote(
    proxies, forwarded_for, client
):
    with override_settings(DISCLOSURE_TRUSTED_PROXY_COUNT=proxies):
        assert client_address(_request(forwarded_for)) == client


def test_the_login_lockout_counts_the_same_address():
    with override_settings(DISCLOSURE_TRUSTED_PROXY_COUNT=1):
        assert get_client_ip_address(_request("198.51.100.7")) == "198.51.100.7"
    assert get_client_ip_address(_request("198.51.100.7")) == PEER


@pytest.mark.slow  # settings read in a child process: once per CI run, on PostgreSQL
@pytest.mark.parametrize(("value", "count"), [("", "0"), ("2", "2")])
def test_the_number_of_proxies_is_read_from_the_environment(value, count):
    environment = {**os.environ, "TRUSTED_PROXY_COUNT": value}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from portal.settings import base; print(base.DISCLOSURE_TRUSTED_PROXY_COUNT)",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == count


def test_a_request_without_an_address_has_none():
    # Django's test client logs in with such a request; Axes records the address it is given.
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None
    assert get_client_ip_address(request) is None
    with override_settings(DISCLOSURE_TRUSTED_PROXY_COUNT=1):
        assert client_address(request) is None
