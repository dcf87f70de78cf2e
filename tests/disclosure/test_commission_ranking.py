"""The health commission's ranking (卫健委): figures equal to the institutions' own reports,
reproduced from snapshots after later changes, flat in queries, drilled down per institution,
update checks exported, and shown only to the commission's members."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from disclosure.models import (
    CommissionNotice,
    ComplianceSnapshot,
    Department,
    UpdateCheck,
    UpdateCheckItem,
)
from disclosure.rules.rectification import FindingSource
from disclosure.selectors.ranking import rank, ranking
from disclosure.services import rectification as ledger
from disclosure.services.snapshots import take_snapshots, take_update_check
from disclosure.views.commission_ranking import CHECK_HEADINGS, update_check_rows

from ..growth import add_institutions
from .test_snapshots import make_commission, member, own_counts


class _Tables(HTMLParser):
    """The cells' text of each row of the table with the id asked."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(autouse=True)
def _without_the_demo_commissions_records(db):
    """The demo's commission has taken snapshots and an update check of its own; these tests
    take theirs from nothing."""
    CommissionNotice.objects.update(update_check=None)
    ComplianceSnapshot.objects.all().delete()
    UpdateCheckItem.objects.all().delete()
    UpdateCheck.objects.all().delete()


def table(response, table_id: str) -> list[list[str]]:
    parser = _Tables(table_id)
    parser.feed(response.content.decode())
    return parser.rows


def ranking_url(commission, **query) -> str:
    url = reverse("disclosure_admin:commission_ranking", args=[commission.pk])
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def institution_url(commission, site) -> str:
    return reverse("disclosure_admin:commission_institution", args=[commission.pk, site.pk])


@pytest.fixture
def commission(demo_site, fresh_site_item):
    fresh_site_item("内科")
    return make_commission("测试市卫生健康委员会", [demo_site])


@pytest.fixture
def reader(commission):
    return member(commission, "test-reader")


# Figures -------------------------------------------------------------------------------------


def test_the_ranking_shows_each_institutions_figures_as_its_own_reports(
    client, login, commission, reader, demo_site
):
    today = timezone.localdate()
    counts = own_counts(demo_site, today)
    login("office")
    overdue_report = reverse("disclosure_admin:overdue_report")
    office_overdue = client.get(overdue_report, {"site": demo_site.pk, "status": "overdue"})
    office_missing = client.get(overdue_report, {"site": demo_site.pk, "status": "missing"})

    login("test-reader")
    response = client.get(ranking_url(commission))

    assert response.status_code == 200
    heading, *rows = table(response, "commission-ranking")
    assert heading[0] == gettext("Rank")
    assert heading[2].startswith(gettext("On-time rate"))
    assert heading[3:5] == [gettext("Overdue"), gettext("Never published")]
    # Only the institution of the area, computed live since no snapshot was taken today.
    (row,) = rows
    assert row[1].startswith("示范市人民医院")
    assert row[2] == f"{counts.on_time_rate}%"
    assert int(row[3]) == counts.overdue == len(office_overdue.context["object_list"])
    assert int(row[4]) == counts.missing == len(office_missing.context["object_list"])
    assert 'id="ranking-live"' in response.content.decode()


def test_a_snapshot_reproduces_a_past_ranking_after_later_changes(
    client, login, commission, reader, demo_site
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    (before,) = take_snapshots(site_ids=[demo_site.pk], today=yesterday)
    ledger.raise_finding(
        site=demo_site,
        user=get_user_model().objects.get(username="office"),
        source=FindingSource.COMMISSION,
        department=Department.objects.get(site=demo_site, name="医务科"),
        problem="院务公开栏目未更新",
        measure="更新栏目",
        working_days=10,
    )
    login("test-reader")

    past = table(
        client.get(ranking_url(commission, on=yesterday.isoformat())), "commission-ranking"
    )
    now = table(client.get(ranking_url(commission)), "commission-ranking")

    open_column = past[0].index(gettext("Open rectifications"))
    assert int(past[1][open_column]) == before.open_findings
    assert int(now[1][open_column]) == before.open_findings + 1


def test_a_day_without_snapshot_in_the_past_shows_no_ranking(client, commission, reader, login):
    login("test-reader")
    response = client.get(ranking_url(commission, on="2020-01-02"))

    assert table(response, "commission-ranking")[1:] == [[gettext("No institution to rank.")]]
    assert 'id="ranking-empty"' in response.content.decode()


def test_sorting_by_a_column_ranks_ties_together(demo_site):
    def snapshot(name, overdue, site_id):
        return ComplianceSnapshot(
            site_id=site_id,
            institution_name=name,
            items=10,
            overdue=overdue,
            taken_on=dt.date.today(),
        )

    snapshots = [snapshot("甲医院", 3, 1), snapshot("乙医院", 1, 2), snapshot("丙医院", 1, 3)]

    rows, column, descending = rank(snapshots, sort="overdue")
    worst_first, _column, _descending = rank(snapshots, sort="-overdue")

    assert [(r.rank, r.snapshot.institution_name) for r in rows] == [
        (1, "丙医院"),
        (1, "乙医院"),
        (3, "甲医院"),
    ]
    assert worst_first[0].snapshot.institution_name == "甲医院"
    assert (column, descending) == ("overdue", False)


def test_the_headings_sort_the_table_and_the_current_one_reverses(
    client, commission, reader, login
):
    login("test-reader")
    response = client.get(ranking_url(commission, sort="overdue"))

    headings = {str(h["label"]): h for h in response.context["headings"]}
    assert headings[gettext("Overdue")]["url"].endswith("sort=-overdue")
    assert headings[gettext("On-time rate")]["url"].endswith("sort=on_time_rate")


def test_the_trends_read_the_snapshot_nearest_each_quarters_end(
    client, commission, reader, login, demo_site
):
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter_end = quarter_start - dt.timedelta(days=1)
    for day, overdue in ((last_quarter_end - dt.timedelta(days=20), 5), (last_quarter_end, 2)):
        ComplianceSnapshot.objects.create(
            site=demo_site,
            taken_on=day,
            institution_name="示范市人民医院",
            items=10,
            overdue=overdue,
        )
    login("test-reader")

    response = client.get(ranking_url(commission))

    heading, *rows = table(response, "commission-trends-data")
    (row,) = rows
    assert len(heading) == 5  # the institution and four quarters
    assert row[0] == "示范市人民医院"
    assert row[3] == "80%"  # the last quarter: 8 of 10 on time, from its last snapshot
    assert "<polyline" in response.content.decode()


# Query counts ---------------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_ranking_and_drill_down_cost_the_same_queries_at_3_and_30_institutions(
    client, login, db
):
    sites = add_institutions(3, prefix="few")
    commission = make_commission("测试市卫生健康委员会", sites)
    member(commission, "test-reader")
    login("test-reader")
    live = ranking_url(commission)
    queries(client, live)  # warm the per-process caches
    at_three = {"live": queries(client, live)}
    take_snapshots(today=timezone.localdate())
    at_three["stored"] = queries(client, live)
    at_three["drill-down"] = queries(client, institution_url(commission, sites[0]))

    more = add_institutions(27, prefix="many")
    commission.institutions.add(*more)
    ComplianceSnapshot.objects.all().delete()
    at_thirty = {"live": queries(client, live)}
    take_snapshots(today=timezone.localdate())
    at_thirty["stored"] = queries(client, live)
    at_thirty["drill-down"] = queries(client, institution_url(commission, more[-1]))
    response = client.get(live)

    assert len(table(response, "commission-ranking")) == 31
    assert all(at_thirty[key] <= at_three[key] for key in at_three), (at_three, at_thirty)


# Drill-down ------------------------------------------------------------------------------------


def test_the_drill_down_shows_the_institutions_reports_read_only(
    client, login, commission, reader, demo_site
):
    counts = own_counts(demo_site, timezone.localdate())
    login("test-reader")

    response = client.get(institution_url(commission, demo_site))

    assert response.status_code == 200
    html = response.content.decode()
    total = table(response, "institution-departments")[-1]
    assert total[0] == gettext("All departments")
    assert [int(cell) for cell in total[1:7]] == [
        counts.overdue,
        counts.missing,
        counts.due_soon,
        counts.on_time,
        counts.no_schedule,
        counts.total,
    ]
    late = table(response, "institution-late-columns")[1:]
    assert len(late) == counts.overdue + counts.missing
    assert f"/admin/reports/disclosure-overdue/?site={demo_site.pk}" in html
    assert f"/admin/disclosure/ledger/?site={demo_site.pk}" in html
    assert f"/admin/reports/disclosure-audit/?site={demo_site.pk}" in html
    # Nothing to change: no form, no edit link.
    assert "<form" not in html.split('id="institution-links"')[1]
    assert "/edit/" not in html


def test_the_linked_reports_open_for_the_commission_on_that_institution(
    client, login, commission, reader, demo_site
):
    login("test-reader")
    for name in ("overdue_report", "ledger", "audit_report"):
        response = client.get(reverse(f"disclosure_admin:{name}"), {"site": demo_site.pk})
        assert response.status_code == 200, name


# Update checks -----------------------------------------------------------------------------------


def test_a_member_runs_an_update_check_and_downloads_it(
    client, login, commission, reader, demo_site
):
    login("test-reader")
    run = reverse("disclosure_admin:commission_update_check_run", args=[commission.pk])

    response = client.post(run)

    check = UpdateCheck.objects.get(commission=commission)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "disclosure_admin:commission_update_check", args=[commission.pk, check.pk]
    )
    detail = client.get(response["Location"])
    summary = table(detail, "update-check-summary")[1:]
    assert [row[0] for row in summary] == ["示范市人民医院"]
    export = client.get(
        reverse("disclosure_admin:commission_update_check_export", args=[commission.pk, check.pk])
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    # 序号 机构 栏目 科室 更新规则 最近更新 应更新日期 状态, once translated.
    assert rows[0] == [str(heading) for heading in CHECK_HEADINGS]
    assert rows[1:] == update_check_rows(check)
    assert [(row[2], row[7]) for row in rows[1:]] == [
        (item.item_title, item.get_status_display()) for item in check.items.order_by("sort_order")
    ]
    assert len(rows) - 1 == check.items.count() == own_counts(demo_site, check.taken_on).total


def test_running_an_update_check_needs_a_post(client, login, commission, reader):
    login("test-reader")
    run = reverse("disclosure_admin:commission_update_check_run", args=[commission.pk])

    assert client.get(run).status_code == 405
    assert not UpdateCheck.objects.exists()


# Permissions -------------------------------------------------------------------------------------


@pytest.fixture
def other_commission(db):
    other = make_commission("另一市卫生健康委员会", [])
    member(other, "other-commission-reader")
    return other


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("test-reader", 200),
        ("test-assessor", 200),
        ("other-commission-reader", 404),
        # Refused: Wagtail's admin sends them back to the dashboard with its message.
        ("office", 302),
        ("supervisor", 302),
        ("admin", 200),
    ],
)
def test_who_reads_the_commissions_screens(
    client, login, commission, reader, other_commission, demo_site, username, status
):
    member(commission, "test-assessor", assessor=True)
    check = take_update_check(
        commission=commission, user=get_user_model().objects.get(username="admin")
    )
    login(username)
    urls = [
        ranking_url(commission),
        reverse("disclosure_admin:commission_ranking_export", args=[commission.pk]),
        institution_url(commission, demo_site),
        reverse("disclosure_admin:commission_update_checks", args=[commission.pk]),
        reverse("disclosure_admin:commission_update_check", args=[commission.pk, check.pk]),
        reverse("disclosure_admin:commission_update_check_export", args=[commission.pk, check.pk]),
    ]

    responses = {url: client.get(url) for url in urls}

    assert {url: r.status_code for url, r in responses.items()} == dict.fromkeys(urls, status)
    if status == 302:
        assert {r["Location"] for r in responses.values()} == {reverse("wagtailadmin_home")}
    run = client.post(reverse("disclosure_admin:commission_update_check_run", args=[commission.pk]))
    assert run.status_code == (302 if status in (200, 302) else status)
    assert UpdateCheck.objects.count() == (2 if status == 200 else 1)


def test_anonymous_visitors_are_sent_to_log_in(client, commission):
    response = client.get(ranking_url(commission))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_institution_outside_the_area_is_not_found(
    client, login, commission, reader, fresh_site
):
    login("test-reader")

    assert client.get(institution_url(commission, fresh_site)).status_code == 404


def test_another_commissions_update_check_is_not_found(client, login, commission, other_commission):
    check = take_update_check(
        commission=other_commission,
        user=get_user_model().objects.get(username="other-commission-reader"),
    )
    member(commission, "test-reader")
    login("test-reader")
    url = reverse("disclosure_admin:commission_update_check", args=[commission.pk, check.pk])

    assert client.get(url).status_code == 404


def test_the_landing_page_opens_the_members_commission(client, login, commission, reader):
    login("test-reader")
    landing = reverse("disclosure_admin:commission_home")

    assert client.get(landing)["Location"] == ranking_url(commission)
    assert client.get(landing, {"to": "update-checks"})["Location"] == reverse(
        "disclosure_admin:commission_update_checks", args=[commission.pk]
    )


def test_the_menu_shows_the_commission_only_to_its_members(client, login, commission, reader):
    landing = reverse("disclosure_admin:commission_home")
    login("test-reader")
    assert landing in client.get(reverse("wagtailadmin_home")).content.decode()
    login("office")
    assert landing not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_ranking_export_lists_the_ranking_as_shown(
    client, login, commission, reader, demo_site
):
    take_snapshots(today=timezone.localdate())
    login("test-reader")
    result = ranking(site_ids=[demo_site.pk], on=timezone.localdate())

    response = client.get(
        reverse("disclosure_admin:commission_ranking_export", args=[commission.pk])
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == (gettext("Rank"), gettext("Institution"), gettext("On-time rate"))
    assert rows[1][:4] == (
        1,
        "示范市人民医院",
        f"{result.rows[0].on_time_rate}%",
        result.rows[0].snapshot.overdue,
    )


def test_the_dashboard_shows_members_the_top_and_bottom_of_their_ranking(
    client, login, commission, reader, demo_site
):
    sites = add_institutions(7, prefix="dash")
    commission.institutions.add(*sites)
    login("test-reader")

    response = client.get(reverse("wagtailadmin_home"))

    heading, *rows = [row for row in table_in_panel(response) if len(row) == 4]
    assert heading[0] == gettext("Rank")
    assert len(rows) == 6  # three at the top, three at the bottom of eight
    best = ranking(site_ids=[demo_site.pk, *(site.pk for site in sites)], on=timezone.localdate())
    shown = [row.snapshot.institution_name for row in best.rows[:3] + best.rows[-3:]]
    assert [row[1] for row in rows] == shown
    assert ranking_url(commission) in response.content.decode()
    login("office")
    assert (
        "disclosure-commission-ranking"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def table_in_panel(response) -> list[list[str]]:
    """The rows of every table of the commission's dashboard panel."""
    html = response.content.decode()
    start = html.index('id="disclosure-commission-ranking-section"')
    rows = []
    for chunk in html[start : html.index("</section>", start)].split("<table")[1:]:
        parser = _Tables("panel")
        parser.feed('<table id="panel"' + chunk.split("</table>")[0] + "</table>")
        rows += parser.rows
    return rows
