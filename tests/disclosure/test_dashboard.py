"""The dashboard: a department sees what it must update; the office, counts per department."""

from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.models import (
    CatalogItemPage,
    Department,
)
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.compliance import item_compliance
from disclosure.views.dashboard import NEEDS_ATTENTION, construct_homepage_panels

from ..growth import add_pages

DASHBOARD = "/admin/"
DEPARTMENT_PANEL = "disclosure-department-deadlines-section"
OFFICE_PANEL = "disclosure-office-compliance-section"


class _Rows(HTMLParser):
    """Each row of a table's body: its cells' text, and the links in each cell."""

    def __init__(self):
        super().__init__()
        self.rows: list[tuple[list[str], list[list[str]]]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif not self._in_body:
            return
        elif tag == "tr":
            self.rows.append(([], []))
        elif tag in ("th", "td"):
            self._cell = []
            self.rows[-1][1].append([])
        elif tag == "a" and self._cell is not None:
            self.rows[-1][1][-1].append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag in ("th", "td") and self._cell is not None:
            self.rows[-1][0].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def panel_html(response, panel_id: str) -> str:
    """The HTML of one dashboard panel, or "" when the dashboard does not show it."""
    html = response.content.decode()
    start = html.find(f'id="{panel_id}"')
    return "" if start == -1 else html[start : html.index("</section>", start)]


def rows_of(html: str) -> dict[str, list[str]]:
    """The table's body rows, keyed by their header cell."""
    parser = _Rows()
    parser.feed(html)
    return {cells[0]: cells[1:] for cells, _links in parser.rows}


def links_of(html: str) -> dict[str, list[list[str]]]:
    """The links of each cell of the table's body rows, keyed by the row's header cell."""
    parser = _Rows()
    parser.feed(html)
    return {cells[0]: links[1:] for cells, links in parser.rows}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def demo_hospital_items():
    """The demo hospital's live items (the demo's other hospitals have their own offices)."""
    return CatalogItemPage.objects.live().filter(department__site__is_default_site=True)


def urgent_titles_by_department() -> dict[str, set[str]]:
    urgent = defaultdict(set)
    for row in item_compliance(items=demo_hospital_items()):
        if row.deadline.status in NEEDS_ATTENTION:
            urgent[row.item.department.name].add(row.item.title)
    return urgent


def add_items(department: Department, count: int) -> None:
    """``count`` live catalog items of ``department`` with no publication yet (status: missing),
    written in bulk (see tests/growth.py)."""
    category = CatalogItemPage.objects.filter(department=department).first().get_parent()
    start = CatalogItemPage.objects.count()
    items = [
        CatalogItemPage(
            title=f"看板测试事项{number}",
            slug=f"panel-load-{number}",
            department=department,
            content_elements="x",
        )
        for number in range(start, start + count)
    ]
    add_pages(category, items)


def test_a_department_editor_sees_its_own_items_to_update_and_no_one_elses(db, client, login):
    login("pharmacy-editor")
    urgent = urgent_titles_by_department()
    assert "药品价格" in urgent["药学部"]
    assert "大额资金使用" in urgent["财务科"]

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    panel = panel_html(response, DEPARTMENT_PANEL)
    for title in urgent["药学部"]:
        assert title in panel
    others = set().union(*(titles for name, titles in urgent.items() if name != "药学部"))
    assert others and not any(title in panel for title in others)
    assert panel_html(response, OFFICE_PANEL) == ""


def test_a_department_editors_items_open_their_publications_and_a_new_one_in_one_click(
    db, client, login, demo_item
):
    login("pharmacy-editor")
    prices = demo_item("药品价格")

    panel = panel_html(client.get(DASHBOARD), DEPARTMENT_PANEL)

    assert rows_of(panel)["药品价格"][0] == "药学部"
    # The item's publications, and "新建公开信息" under it: not the item's own form, which the
    # department cannot change.
    assert f'href="{reverse("wagtailadmin_explore", args=[prices.pk])}"' in panel
    assert f'href="{reverse("wagtailadmin_pages:add_subpage", args=[prices.pk])}"' in panel
    assert "新建公开信息" in panel
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[prices.pk])}"' not in panel
    see_all = panel.rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert urlsplit(see_all).path == reverse("disclosure_admin:overdue_report")
    assert query_of(see_all) == {"department": [str(prices.department_id)]}


def test_a_department_sees_ten_items_at_most_the_most_urgent_first(db, client, login):
    add_items(
        Department.objects.get(site__is_default_site=True, name="药学部"), 12
    )  # never published: the most urgent
    login("pharmacy-editor")

    rows = rows_of(panel_html(client.get(DASHBOARD), DEPARTMENT_PANEL))

    assert len(rows) == 10
    assert all(title.startswith("看板测试事项") for title in rows)


@pytest.mark.parametrize("username", ["office", "supervisor", "admin"])
def test_the_office_sees_counts_per_department_that_match_the_deadlines(
    db, client, login, username
):
    login(username)
    expected = defaultdict(lambda: defaultdict(int))
    # The superuser sees every institution; the office and the supervisor their own.
    items = CatalogItemPage.objects.live() if username == "admin" else demo_hospital_items()
    for row in item_compliance(items=items):
        counts = expected[f"{row.institution} · {row.item.department.name}"]
        counts[row.deadline.status] += 1
        counts["total"] += 1

    response = client.get(DASHBOARD)

    assert panel_html(response, DEPARTMENT_PANEL) == ""
    rows = rows_of(panel_html(response, OFFICE_PANEL))
    assert "示范市人民医院 · 药学部" in rows
    for name, counts in expected.items():
        late = str(counts[ComplianceStatus.OVERDUE])
        if counts[ComplianceStatus.MISSING]:
            late += f" + {counts[ComplianceStatus.MISSING]}"
        assert rows[name][:4] == [
            late,
            str(counts[ComplianceStatus.DUE_SOON]),
            str(counts[ComplianceStatus.ON_TIME]),
            str(counts["total"]),
        ]


def test_each_count_opens_the_report_on_those_items(db, client, login):
    login("office")
    rows = item_compliance(items=demo_hospital_items())
    late = next(row for row in rows if row.deadline.status == ComplianceStatus.OVERDUE)
    department = late.item.department
    overdue = [
        row
        for row in rows
        if row.item.department_id == department.pk
        and row.deadline.status == ComplianceStatus.OVERDUE
    ]

    links = links_of(panel_html(client.get(DASHBOARD), OFFICE_PANEL))

    overdue_link = links[f"{late.institution} · {department.name}"][0][0]
    assert query_of(overdue_link) == {
        "department": [str(department.pk)],
        "status": [ComplianceStatus.OVERDUE],
    }
    assert len(client.get(overdue_link).context["object_list"]) == len(overdue)


def test_every_institution_shows_its_on_time_rate_to_the_health_commission(
    db, client, login, fresh_site_item
):
    rows = item_compliance(items=demo_hospital_items())
    scheduled = [row for row in rows if row.deadline.status != ComplianceStatus.NO_SCHEDULE]
    on_time = [row for row in scheduled if not row.deadline.is_late]
    demo_rate = f"{100 * len(on_time) // len(scheduled)}%"
    # A second institution, whose only item was never published: none of it is on time.
    item = fresh_site_item("内科")
    CatalogItemPage.objects.filter(pk=item.pk).update(live=True)

    def rates(username):
        login(username)
        rows = rows_of(panel_html(client.get(DASHBOARD), OFFICE_PANEL))
        # Each institution's totals row is the one not named "institution · department".
        totals = {name: cells[-1] for name, cells in rows.items() if "·" not in name}
        return {
            institution: rate
            for institution in ("示范市人民医院", "测试医院")
            for name, rate in totals.items()
            if name.startswith(institution)
        }

    assert rates("admin") == {"示范市人民医院": demo_rate, "测试医院": "0%"}
    assert rates("office") == {"示范市人民医院": demo_rate}


@pytest.mark.parametrize("username", ["office", "pharmacy-editor"])
def test_the_dashboard_costs_the_same_queries_with_100_more_items(db, client, login, username):
    login(username)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(DASHBOARD).status_code == 200
        return len(context.captured_queries)

    queries()  # warm the per-process caches (content types, the working-day calendar)
    before = queries()
    add_items(Department.objects.get(site__is_default_site=True, name="药学部"), 100)

    assert queries() <= before


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_user_who_oversees_no_item_gets_no_panel(db):
    stranger = get_user_model().objects.create_user(username="stranger", password="x")
    request = RequestFactory().get(DASHBOARD)
    request.user = stranger
    panels = []

    construct_homepage_panels(request, panels)

    assert panels == []
