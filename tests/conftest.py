"""Shared fixtures. The demo hospital is loaded once per test database; each test rolls back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page, Site

from disclosure.models import (
    CatalogCategoryPage,
    CatalogItemPage,
    Department,
    DisclosureIndexPage,
)
from home.demo import DEMO_PASSWORD
from home.models import HomePage

from . import demo_database, reviews

T = TypeVar("T")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files of the whole run go to one temporary folder, removed by pytest."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment, django_db_blocker, django_db_modify_db_settings, _media_root
):
    """Each worker's test database is a clone of the demo hospital's, built once (see
    ``tests/demo_database.py``); the documents uploaded while building it come along."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        name, test_name = connection.settings_dict["NAME"], connection.creation._get_test_db_name()
        if connection.vendor == "postgresql":
            template = demo_database.postgres_template(connection, settings.TIME_ZONE)
            demo_database.clone_postgres(template, connection, test_name)
        else:
            template = demo_database.sqlite_template(settings.TIME_ZONE)
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
        if connection.vendor == "sqlite":
            demo_database.clone_sqlite(template, connection)
        template.copy_media(Path(settings.MEDIA_ROOT))
    yield
    with django_db_blocker.unblock():
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
        if connection.vendor == "postgresql":
            demo_database.drop_postgres(connection, test_name)


@pytest.fixture(autouse=True)
def _fresh_workday_calendar():
    """A rolled-back test sends no signal: drop cached state around every test (the calendar,
    and Wagtail's cached site root paths, which a test adding a site would otherwise leak, and
    the page cache's copies in this process)."""
    from django.core.cache import cache

    from disclosure.page_cache import local_copies
    from disclosure.selectors import workdays

    workdays.clear_cache()
    cache.clear()
    local_copies.clear()
    yield
    workdays.clear_cache()
    cache.clear()
    local_copies.clear()


@pytest.fixture
def demo_site(db) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def demo_index(demo_site) -> DisclosureIndexPage:
    return DisclosureIndexPage.objects.descendant_of(demo_site.root_page).get()


@pytest.fixture
def demo_item(demo_index):
    def get(title: str) -> CatalogItemPage:
        return CatalogItemPage.objects.descendant_of(demo_index).get(title=title)

    return get


@pytest.fixture
def login(client):
    def log_in(username: str):
        user = get_user_model().objects.get(username=username)
        assert client.login(username=username, password=DEMO_PASSWORD)
        return user

    return log_in


@pytest.fixture
def token_for(db):
    """``token_for("supervisor")``: the Authorization header of a fresh API token of that user."""
    from wagtail.models import APIToken

    def make(username: str) -> dict[str, str]:
        user = get_user_model().objects.get(username=username)
        _token, plaintext = APIToken.create_token(user=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return make


@pytest.fixture
def fresh_site(db) -> Site:
    """A second, empty institution for tests that build their own catalog."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="测试医院", slug="test-hospital"))
    return Site.objects.create(
        hostname="test.example", port=80, root_page=home, site_name="测试医院"
    )


@pytest.fixture
def fresh_site_item(fresh_site):
    """``fresh_site_item("内科")``: the second institution's catalog (信息公开 › 基本信息) with one
    item of a new department of that name, all drafts as every disclosure page starts."""

    def make(department_name: str) -> CatalogItemPage:
        index = fresh_site.root_page.add_child(
            instance=DisclosureIndexPage(title="信息公开", slug="xxgk", live=False)
        )
        category = index.add_child(
            instance=CatalogCategoryPage(title="基本信息", slug="basic", live=False)
        )
        return category.add_child(
            instance=CatalogItemPage(
                title="测试医院事项",
                slug="item",
                department=Department.objects.create(site=fresh_site, name=department_name),
                content_elements="x",
                live=False,
            )
        )

    return make


@pytest.fixture
def publish_reviewed(db):
    """Take a page live the only way there is: submitted, then approved by the right people."""
    return reviews.publish_reviewed


@pytest.fixture(scope="session")
def scoped_data(django_db_setup, django_db_blocker):
    """``yield from scoped_data(build)`` in a module- or class-scoped fixture: what ``build()``
    writes stays for every test of that scope (each test's own changes roll back to it) and is
    rolled back when the scope ends. For worlds that tests only read."""

    def keep(build: Callable[[], T]) -> Iterator[T]:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                value = build()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        yield value
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

    return keep
