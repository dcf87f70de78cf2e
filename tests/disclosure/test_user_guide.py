"""Help → the role guides: in the help menu of every role instead of Wagtail's links out, each
readable by staff only, and every screenshot they show shipped with the plugin."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from lxml import html

from disclosure.views.guide import GUIDES

ROLES = ["medical-editor", "medical-head", "office", "supervisor"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_role_finds_the_guides_in_the_help_menu(client, login, username):
    login(username)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    for role in GUIDES:
        assert reverse("disclosure_admin:guide", args=[role]) in dashboard
    assert "guide.wagtail.org" not in dashboard  # English, and on the internet


@pytest.mark.parametrize("role", list(GUIDES))
def test_each_guide_shows_its_steps_with_the_screenshots_shipped(client, login, role):
    login("medical-editor")
    response = client.get(reverse("disclosure_admin:guide", args=[role]))
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    assert tree.xpath("//h1")[0].text_content().strip() == str(GUIDES[role])
    images = tree.xpath("//figure/img/@src")
    assert images, "a guide without screenshots"
    for src in images:
        name = src.split("/static/", 1)[1]
        assert finders.find(name), f"{name} is not shipped"
    assert all(tree.xpath("//figure/img/@alt"))


def test_the_guides_are_for_staff_only(client):
    response = client.get(reverse("disclosure_admin:guide", args=["office"]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_an_unknown_guide_is_not_found(client, login):
    login("office")
    assert client.get("/admin/disclosure/guide/nobody/").status_code == 404


@pytest.mark.parametrize(
    ("username", "guide"),
    [
        ("medical-editor", "科室编辑使用指南"),
        ("medical-head", "科室负责人使用指南"),
        ("office", "信息公开办公室使用指南"),
        ("supervisor", "纪检监察使用指南"),
    ],
)
def test_the_dashboard_links_each_role_to_its_own_guide(client, login, username, guide):
    login(username)
    dashboard = html.fromstring(client.get(reverse("wagtailadmin_home")).content.decode())
    (link,) = dashboard.xpath('//a[normalize-space()="使用指南"]')
    page = html.fromstring(client.get(link.get("href")).content.decode())
    assert page.xpath("//h1")[0].text_content().strip() == guide
