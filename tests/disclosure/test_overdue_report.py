"""The overdue report: scoped to who oversees what, filterable, exportable, constant in queries."""

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from disclosure.models import CatalogCategoryPage, CatalogItemPage, Department
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.compliance import item_compliance
from disclosure.selectors.scope import overseen_items
from disclosure.views.choices import LongSelect
from disclosure.views.reports import OverdueReportView

from ..growth import add_pages

REPORT = "disclosure_admin:overdue_report"


def rows_of(response):
    return response.context["object_list"]


def test_the_office_sees_every_item_and_a_department_only_its_own(client, login, demo_index):
    login("office")
    everything = rows_of(client.get(reverse(REPORT)))
    assert len(everything) == CatalogItemPage.objects.descendant_of(demo_index).count()

    login("medical-editor")
    own = rows_of(client.get(reverse(REPORT)))
    assert own
    assert {row.item.department.name for row in own} == {"医务科"}


def test_supervisors_see_every_item(client, login, demo_index):
    login("supervisor")
    assert len(rows_of(client.get(reverse(REPORT)))) == 43


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse(REPORT))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_filters_narrow_the_rows(db, client, login):
    login("office")
    finance = Department.objects.get(site__is_default_site=True, name="财务科")
    rows = rows_of(client.get(reverse(REPORT), {"department": finance.pk}))
    assert rows and {row.item.department_id for row in rows} == {finance.pk}
    overdue = rows_of(client.get(reverse(REPORT), {"status": ComplianceStatus.OVERDUE}))
    assert overdue and {row.deadline.status for row in overdue} == {ComplianceStatus.OVERDUE}
    staff = rows_of(client.get(reverse(REPORT), {"audience": "staff"}))
    assert {row.item.audience for row in staff} == {"staff"}


def test_an_overdue_row_stands_out_from_one_on_time(db, client, login):
    login("office")
    response = client.get(reverse(REPORT))
    page = response.content.decode()
    statuses = {row.deadline.status for row in rows_of(response)}
    assert {ComplianceStatus.OVERDUE, ComplianceStatus.ON_TIME} <= statuses
    assert "dc-status--overdue" in page and "dc-status--on_time" in page
    assert "disclosure/admin.css" in page  # which colours the overdue tags red


def test_each_row_offers_only_the_record_that_moves_its_deadline(db, client, login):
    login("office")
    response = client.get(reverse(REPORT))
    page = response.content.decode()
    for row in rows_of(response):
        attest = reverse("disclosure_admin:item_attest", args=[row.item.pk])
        change = reverse("disclosure_admin:item_change", args=[row.item.pk])
        # Each link carries the report as it stands (?next=…), where the record returns.
        assert (f'href="{attest}?next=' in page) == (row.item.rule_kind == "review"), row.item.title
        assert (f'href="{change}?next=' in page) == (row.item.rule_kind == "on_change"), (
            row.item.title
        )


def test_the_demo_has_items_in_every_status_that_does_not_hang_on_the_date(demo_index):
    statuses = {row.deadline.status for row in item_compliance(items=CatalogItemPage.objects.all())}
    assert {
        ComplianceStatus.OVERDUE,
        ComplianceStatus.MISSING,
        ComplianceStatus.ON_TIME,
        ComplianceStatus.NO_SCHEDULE,
    } <= statuses


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_chinese_headings_and_one_row_per_item(db, client, login, export_format):
    login("office")
    response = client.get(reverse(REPORT), {"export": export_format})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if export_format == "csv":
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        table = [
            [cell if cell is not None else "" for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    assert table[0][:3] == ["医疗机构", "一级事项", "公开事项"]
    assert len(table) == 1 + 43
    assert "药品价格" in {row[2] for row in table[1:]}


def test_the_report_costs_the_same_queries_at_100_and_2000_items(client, login, demo_index):
    login("office")
    category = demo_index.get_children().first()
    department = Department.objects.get(site__is_default_site=True, name="院办")

    def grow_to(total):
        existing = CatalogItemPage.objects.descendant_of(demo_index).count()
        drafts = [
            CatalogItemPage(
                title=f"压测事项{number}",
                slug=f"load-{number}",
                department=department,
                content_elements="x",
            )
            for number in range(existing, total)
        ]
        add_pages(category, drafts, live=False)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(REPORT)).status_code == 200
        return len(context.captured_queries)

    grow_to(100)
    queries()  # warm the per-process caches (content types, the working-day calendar)
    at_100 = queries()
    grow_to(2000)
    assert CatalogItemPage.objects.descendant_of(demo_index).count() == 2000
    assert queries() == at_100


@pytest.fixture
def second_institution(fresh_site, fresh_site_item):
    """Another institution with its own 财务科 and a category of the same name as the demo's."""
    finance = fresh_site_item("财务科").department
    return fresh_site, finance


def _choices(response, name):
    field = response.context["filters"].form.fields[name]
    return {str(label) for value, label in field.choices if value}


def test_the_filters_offer_only_what_the_reader_oversees(
    client, login, demo_site, second_institution
):
    _other_site, other_finance = second_institution
    login("office")
    response = client.get(reverse(REPORT))
    own_departments = set(Department.objects.filter(site=demo_site).values_list("name", flat=True))
    assert _choices(response, "department") <= own_departments
    assert "财务科" in _choices(response, "department")
    (site_label,) = _choices(response, "site")
    assert demo_site.site_name in site_label
    # Another institution's department is refused like an unknown value: no row of it shows.
    rows = rows_of(client.get(reverse(REPORT), {"department": other_finance.pk}))
    assert other_finance.pk not in {row.item.department_id for row in rows}

    login("medical-editor")
    assert _choices(client.get(reverse(REPORT)), "department") == {"医务科"}


def test_a_reader_of_several_institutions_sees_which_one_each_choice_is(
    client, login, demo_site, second_institution
):
    other_site, _finance = second_institution
    login("admin")
    response = client.get(reverse(REPORT))
    departments = _choices(response, "department")
    assert f"财务科（{demo_site.site_name}）" in departments
    assert f"财务科（{other_site.site_name}）" in departments
    categories = _choices(response, "category")
    assert f"基本信息（{other_site.site_name}）" in categories


def test_summaries_stand_exactly_where_the_pages_stand(db, demo_index):
    """The report reads rows of values; the API reads pages. Both get the same standing."""
    items = CatalogItemPage.objects.descendant_of(demo_index)

    def standing(rows):
        return [
            (
                row.item.pk,
                row.item.title,
                row.item.department,
                row.item.last_published_on,
                row.deadline,
                row.rule_words,
                row.institution,
                row.category,
            )
            for row in rows
        ]

    from_pages = item_compliance(items=items)
    assert len(from_pages) == items.count() > 40
    assert standing(item_compliance(items=items, summaries=True)) == standing(from_pages)


@pytest.mark.parametrize("username", ["admin", "office", "supervisor", "medical-editor"])
def test_the_category_filter_offers_the_categories_of_the_items_overseen(
    client, login, second_institution, username
):
    user = login(username)
    field = client.get(reverse(REPORT)).context["filters"].form.fields["category"]
    parents = {item.get_parent().pk for item in overseen_items(user)}
    assert parents
    assert {category.pk for category in field.queryset} == parents


def test_a_category_without_items_is_not_offered(client, login, demo_index):
    empty = CatalogCategoryPage(title="空类别", slug="empty-category", live=False)
    demo_index.add_child(instance=empty)
    login("office")
    field = client.get(reverse(REPORT)).context["filters"].form.fields["category"]
    offered = {category.pk for category in field.queryset}
    assert offered and empty.pk not in offered


@pytest.mark.parametrize("selected", [None, "", "2", 3])
def test_the_long_selects_write_the_html_django_writes(selected):
    choices = [("", "---------"), (2, "财务科"), (3, "<医务科> & “科”")]
    ours = LongSelect(choices=choices).render("department", selected, attrs={"id": "id_dep"})
    django = forms.Select(choices=choices).render("department", selected, attrs={"id": "id_dep"})
    assert ours == django


def test_the_workbook_reads_as_a_report(db, client, login):
    """Its sheet named, headings frozen, columns sized; a second sheet says when, by whom and
    with which filters; a due date beyond the published holidays says it is estimated."""
    login("office")
    response = client.get(reverse(REPORT), {"export": "xlsx", "status": "on_time"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, about = workbook.worksheets
    assert sheet.title == "逾期报告" and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width > 10  # 公开事项, sized to the longest title
    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert facts["筛选条件"] == "状态：按时更新"
    assert facts["导出人"] and facts["导出时间"].startswith(str(timezone.localdate().year))
    assert facts["行数"] == sheet.max_row - 1


def test_an_estimated_due_date_says_so_in_the_export(db, rf):
    """Beyond the published holiday schedule the due date is an estimate, on screen and in the
    export alike."""
    office = get_user_model().objects.get(username="office")
    row = item_compliance(items=overseen_items(office), summaries=True)[0]
    row.deadline = dataclasses.replace(row.deadline, due=dt.date(2031, 1, 2), estimated=True)
    view = OverdueReportView()
    view.setup(rf.get("/"))
    with translation.override("zh-hans"):
        assert view.to_row_dict(row)["deadline.due"] == "2031-01-02（估算）"
    row.deadline = dataclasses.replace(row.deadline, estimated=False)
    assert view.to_row_dict(row)["deadline.due"] == dt.date(2031, 1, 2)


def test_a_row_offers_a_new_publication_to_who_may_add_one(db, client, login, demo_item):
    prices = demo_item("药品价格")
    add = reverse("wagtailadmin_pages:add_subpage", args=[prices.pk])
    login("pharmacy-editor")
    html = client.get(reverse(REPORT + "_results"), {"department": prices.department_id})
    assert f'href="{add}"' in html.content.decode()
    login("supervisor")  # reads everything, adds nothing
    html = client.get(reverse(REPORT + "_results"), {"department": prices.department_id})
    assert "药品价格" in html.content.decode() and f'href="{add}"' not in html.content.decode()


def test_dates_in_the_workbook_read_back_as_dates(db, client, login):
    login("office")
    response = client.get(reverse(REPORT), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    dates = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True) if row[5]]
    assert dates and all(type(value) is dt.date for value in dates)


def test_an_item_the_office_has_not_published_is_not_the_departments_yet(client, login, demo_index):
    """A catalog draft (a new category and item the office is still writing) is named by titles
    nobody reviewed: the department it will belong to neither sees it in its report, its
    filters and its timeline nor records anything on it; the office does."""
    nursing = Department.objects.get(site__is_default_site=True, name="护理部")
    category = CatalogCategoryPage(title="新设类别（草稿）", slug="draft-category", live=False)
    demo_index.add_child(instance=category)
    item = CatalogItemPage(
        title="新设事项（草稿）",
        slug="draft-item",
        live=False,
        department=nursing,
        content_elements="x",
        channels=["website"],
    )
    category.add_child(instance=item)

    login("nursing-editor")
    report = client.get(reverse("disclosure_admin:overdue_report")).content.decode()
    assert "新设事项（草稿）" not in report and "新设类别（草稿）" not in report
    timeline = client.get(reverse("disclosure_admin:item_timeline", args=[item.pk]))
    assert timeline.status_code in (302, 403, 404)
    attest = client.post(
        reverse("disclosure_admin:item_attest", args=[item.pk]), {"note": "无变化"}
    )
    assert attest.status_code in (302, 403, 404)
    assert not item.attestations.exists()

    login("office")
    assert (
        "新设事项（草稿）"
        in client.get(reverse("disclosure_admin:overdue_report")).content.decode()
    )
