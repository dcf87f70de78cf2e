"""Browser tests: the demo hospital served on localhost, driven through Debian's Chromium.

The session serves a copy of the test suite's demo database (the SQLite template that
``tests/demo_database.py`` builds once and ``make test`` shares, with its documents) from a
temporary folder with ``manage.py runserver`` on a free port, and launches
``/usr/bin/chromium`` through Playwright (never a downloaded browser). Screenshots of each
test's last screen go to ``E2E_SCREENSHOTS`` (default ``e2e/screenshots/``, not committed; a
few are copied to ``docs/screenshots/``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import demo_database

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "e2e" / "screenshots"))
DEMO_PASSWORD = "demo-2026"
PHONE = {"width": 390, "height": 844}
#: The environment the session's server runs in (empty with ``E2E_BASE_URL``), for a test that
#: prepares data in the server's database (a script run in it).
SERVER_ENV: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> str:
    """A fresh copy of the demo hospital, served for this session (or, while writing tests,
    an already running demo named by ``E2E_BASE_URL``; the tests change its data)."""
    if os.environ.get("E2E_BASE_URL"):
        yield os.environ["E2E_BASE_URL"].rstrip("/")
        return
    folder = tmp_path_factory.mktemp("e2e")
    env = demo_database.served_copy(folder, settings="portal.settings.dev")
    SERVER_ENV.update(env)
    port = _free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (our own server)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise RuntimeError(f"the demo server did not start: {folder / 'server.log'}")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make e2e does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser: Browser, base_url: str, **options):
    return browser.new_context(base_url=base_url, locale="zh-CN", **options)


@pytest.fixture
def page(browser, base_url, request) -> Page:
    context = _context(browser, base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    screenshot(page, request.node.name)
    context.close()


@pytest.fixture
def pdf(tmp_path) -> Path:
    """A small PDF to attach to a publication."""
    path = tmp_path / "建设情况表.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


@pytest.fixture
def phone(browser, base_url, request) -> Page:
    """A phone-sized screen with touch, as most visitors have."""
    context = _context(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    screenshot(page, request.node.name)
    context.close()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def as_user(browser: Browser, base_url: str, request):
    """A logged-in admin page for a demo account, each in its own browser context; the last
    one opened is screenshotted at the end."""
    contexts = []

    def open_as(username: str) -> Page:
        context = _context(browser, base_url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return page

    yield open_as
    pages = [page for context in contexts for page in context.pages]
    if pages:
        screenshot(pages[-1], request.node.name)
    for context in contexts:
        context.close()
