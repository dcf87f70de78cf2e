"""The import of a price list's rows (导入价格表): every bad row reported and nothing saved, a
good file a draft of the list, only for the list's editors, followed by a progress bar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks import TaskResultStatus
from openpyxl import Workbook, load_workbook

from disclosure.models import PriceListPage
from disclosure.models.prices import ImportStatus, PriceListVersion, PriceRow
from disclosure.models.requests import private_storage
from disclosure.rules.prices import PriceKind
from disclosure.services.moderation import submit_for_review
from disclosure.services.price_import import (
    PriceImportError,
    import_price_list,
    read_price_file,
    start_price_import,
    store_price_file,
)
from disclosure.tasks import import_price_list_task

SERVICES = "医疗服务项目价格"  # the demo's item of 财务科
DRUGS = "药品价格"  # the demo's item of 药学部
HEADINGS = ["项目编码", "项目名称", "计价单位", "价格"]
EFFECTIVE = dt.date(2026, 12, 1)
ROW_FIELDS = [field for field in PriceRow._meta.concrete_fields if not field.primary_key]


def service_table(count: int, *, start: int = 0, price: str = "12.50") -> list[list[str]]:
    return [HEADINGS] + [
        [f"{310000000 + start + number}", f"检查项目{start + number}", "次", price]
        for number in range(count)
    ]


def csv_bytes(table, *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(table) -> bytes:
    """The table as a spreadsheet its user typed: numbers as numbers, the rest as text."""
    workbook = Workbook()
    sheet = workbook.active
    for cells in table:
        sheet.append([_typed(cell) for cell in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(cell):
    try:
        number = float(cell)
    except ValueError:
        return cell
    return int(number) if number.is_integer() and "." not in cell else number


def make_price_list(item, *, owner, kind=PriceKind.SERVICE, title="医疗服务项目价格表"):
    page = PriceListPage(
        title=title, publication_date=EFFECTIVE, price_kind=kind, owner=owner, live=False
    )
    item.add_child(instance=page)
    page.save_revision(user=owner)
    return page


def latest_draft(page: PriceListPage) -> PriceListPage:
    return PriceListPage.objects.get(pk=page.pk).get_latest_revision_as_object()


@pytest.fixture
def users(django_user_model):
    return django_user_model.objects


@pytest.fixture
def price_list(demo_item, users):
    return make_price_list(demo_item(SERVICES), owner=users.get(username="finance-editor"))


def run_import(page, user, table, **extra):
    return import_price_list(
        page=page,
        user=user,
        table=table,
        effective_date=EFFECTIVE,
        basis="示医保发〔2026〕12号",
        **extra,
    )


def refused(page, user, table) -> list[tuple[int, str, str]]:
    """The problems an import of ``table`` reports, after checking that it saved nothing."""
    revision = page.get_latest_revision()
    with pytest.raises(PriceImportError) as refusal:
        run_import(page, user, table)
    version = PriceListVersion.objects.filter(page=page).latest("created_at")
    assert version.status == ImportStatus.FAILED
    assert not PriceRow.objects.filter(version__page=page).exists()
    assert page.get_latest_revision() == revision
    problems = [(error.row, error.column, str(error.message)) for error in refusal.value.errors]
    assert [(e["row"], e["column"], e["message"]) for e in version.errors] == problems
    return problems


# Every bad row, nothing saved ---------------------------------------------------------------

EVERY_KIND_OF_ERROR = [
    ["项目编码", "项目名称", "价格", "说明"],  # 计价单位 is missing
    ["110200001", "普通门诊诊查费", "10", ""],
    ["11020000X", "错误编码", "10", ""],
    ["110200003", "没有价格", "", ""],
    ["110200004", "价格不是数字", "十元", ""],
    ["110200005", "负数价格", "-3", ""],
    ["110200001", "重复编码", "12", ""],
    ["110200007", "三位小数", "1.234", ""],
]


def every_kind_of_error_reported() -> list[tuple[int, str, str]]:
    code = gettext(
        "Not a national service code: nine digits, and a sub-item after a hyphen where "
        "there is one (110200002-2)."
    )
    return [
        (1, "计价单位", gettext("Missing column.")),
        (3, "项目编码", code),
        (4, "价格", gettext("This column is required.")),
        (5, "价格", gettext("Not a number.")),
        (6, "价格", gettext("A price cannot be negative.")),
        (7, "项目编码", gettext("The same item as row %(row)s.") % {"row": 2}),
        (8, "价格", gettext("A price has at most two decimal places (fen).")),
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_kind_of_bad_row_is_reported_at_once_and_nothing_is_saved(price_list, users, kind):
    data = csv_bytes(EVERY_KIND_OF_ERROR) if kind == "csv" else xlsx_bytes(EVERY_KIND_OF_ERROR)
    table = read_price_file(io.BytesIO(data), filename=f"价格表.{kind}")

    problems = refused(price_list, users.get(username="finance-editor"), table)

    assert problems == every_kind_of_error_reported()


def test_a_file_with_errors_in_many_rows_reports_every_one_up_to_the_limit(price_list, users):
    table = service_table(600)
    for number in range(1, len(table), 2):
        table[number][3] = "待定"

    problems = refused(price_list, users.get(username="finance-editor"), table)

    # 300 bad rows: the first 200 by row, then how many more.
    assert [row for row, _column, _message in problems[:-1]] == list(range(2, 402, 2))
    assert problems[-1][2] == gettext(
        "And %(count)s more problems: correct these first, then import again."
    ) % {"count": 100}


def test_a_drug_list_repeating_a_drug_names_its_first_row(demo_item, users):
    editor = users.get(username="pharmacy-editor")
    page = make_price_list(demo_item(DRUGS), owner=editor, kind=PriceKind.DRUG, title="药品价格表")
    headings = ["通用名", "剂型", "规格", "包装", "生产企业", "单位", "价格", "集中带量采购"]
    table = [
        headings,
        ["阿莫西林胶囊", "胶囊剂", "0.25g", "24粒/盒", "甲药业", "盒", "8.20", "是"],
        ["阿莫西林胶囊", "胶囊剂", "0.25g", "24粒/盒", "乙药业", "盒", "7.90", ""],
        ["阿莫西林胶囊", "胶囊剂", "0.25g", "24粒/盒", "甲药业", "盒", "8.00", "否"],
        ["硝酸甘油片", "", "0.5mg", "100片/瓶", "丙药业", "瓶", "11.5", "也许"],
    ]

    problems = refused(page, editor, table)

    assert problems == [
        (4, "通用名", gettext("The same item as row %(row)s.") % {"row": 2}),
        (5, "剂型", gettext("This column is required.")),
        (5, "集中带量采购", gettext("Write 是 (yes) or 否 (no).")),
    ]


# A good file: a draft of the list -----------------------------------------------------------


def test_a_good_file_becomes_a_draft_while_the_live_list_keeps_its_rows(
    price_list, users, publish_reviewed
):
    editor = users.get(username="finance-editor")
    first = run_import(price_list, editor, service_table(3))
    # Submitted as the editor submits it: the latest revision, which names the rows.
    page = publish_reviewed(latest_draft(price_list))
    assert page.rows_version == first

    second = run_import(page, editor, service_table(5, price="13.00"))

    page.refresh_from_db()
    assert second.status == ImportStatus.READY
    assert (second.total_rows, second.processed_rows, second.errors) == (5, 5, [])
    assert second.basis == "示医保发〔2026〕12号"
    assert page.rows_version == first
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.rows_version == second
    assert page.get_latest_revision().user == editor
    assert not page.workflow_in_progress
    assert list(first.rows.values_list("price", flat=True)) == [Decimal("12.50")] * 3
    assert list(second.rows.values_list("price", flat=True)) == [Decimal("13.00")] * 5


def test_the_rows_read_as_typed_with_pinyin_initials_and_chapters(price_list, users):
    table = [
        ["项目编码", "项目名称", "项目内涵", "计价单位", "价格", "医保类别"],
        ["250101015", "血常规", "含五分类", "次", "20", "甲类"],
        ["110200002-2", "副主任医师诊查费", "", "次", "12.5", ""],
        ["331202005", "调强放射治疗", "", "次", "0.3", "乙类"],
    ]
    data = xlsx_bytes(table)
    version = run_import(
        price_list,
        users.get(username="finance-editor"),
        read_price_file(io.BytesIO(data), filename="services.xlsx"),
    )

    rows = {row.code: row for row in version.rows.all()}
    assert [row.position for row in version.rows.all()] == [1, 2, 3]
    assert rows["250101015"].initials == "xcg"
    assert rows["250101015"].content == "含五分类"
    assert rows["250101015"].insurance_class == "甲类"
    assert rows["110200002-2"].price == Decimal("12.50")
    assert rows["331202005"].price == Decimal("0.30")
    assert rows["331202005"].initials_alt  # 调 reads tiao or diao
    assert rows["250101015"].category == gettext("Medical technology services")
    assert rows["110200002-2"].category == gettext("General medical services")


def test_an_xlsx_reads_numbers_as_excel_shows_them(tmp_path):
    workbook = Workbook()
    workbook.active.append(["项目编码", "价格", "价格2"])
    workbook.active.append([110200002, 12.5, 0.1 + 0.2])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)

    with path.open("rb") as handle:
        table = read_price_file(handle, filename=path.name)

    assert table[1] == ["110200002", "12.5", "0.3"]


def test_a_csv_saved_by_chinese_excel_is_read_as_gb18030(price_list, users):
    table = service_table(2)
    data = csv_bytes(table, encoding="gb18030")

    assert read_price_file(io.BytesIO(data), filename="价格.csv") == table


def test_a_list_with_a_price_per_grade_charges_the_institutions_grade(price_list, users):
    table = [
        ["项目编码", "项目名称", "计价单位", "价格（三级）", "价格（二级）", "价格（一级）"],
        ["110200001", "普通门诊诊查费", "次", "10", "9", "8"],
        ["110200002", "副主任医师诊查费", "次", "", "15", ""],
    ]

    problems = refused(price_list, users.get(username="finance-editor"), table)
    assert problems == [(3, "价格（三级）", gettext("This column is required."))]

    table[2][3] = "18"
    version = run_import(price_list, users.get(username="finance-editor"), table)

    first = version.rows.get(code="110200001")
    assert first.price == Decimal("10.00")  # the demo hospital is 三级甲等
    assert first.grade_prices == {"三级": "10.00", "二级": "9.00", "一级": "8.00"}


def test_the_headings_are_found_below_a_title_line_and_rows_keep_their_numbers(price_list, users):
    table = [["示范市人民医院医疗服务价格表", "", "", ""], *service_table(2)]
    table[2][3] = "免费"

    problems = refused(price_list, users.get(username="finance-editor"), table)

    assert problems == [(3, "价格", gettext("Not a number."))]


# Who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["medical-editor", "finance-editor-2", "supervisor"])
def test_only_the_lists_editors_may_import(price_list, users, username):
    with pytest.raises(PermissionDenied):
        run_import(price_list, users.get(username=username), service_table(2))

    assert not PriceListVersion.objects.filter(page=price_list).exists()


def test_a_version_of_another_kind_is_refused(price_list, users):
    editor = users.get(username="finance-editor")
    version = PriceListVersion.objects.create(
        page=price_list,
        price_kind=PriceKind.DRUG,
        effective_date=EFFECTIVE,
        imported_by=editor,
    )

    with pytest.raises(PriceImportError):
        run_import(price_list, editor, service_table(2), version=version)

    version.refresh_from_db()
    assert version.status == ImportStatus.FAILED
    assert not version.rows.exists()


def test_a_list_in_review_takes_no_import(price_list, users):
    editor = users.get(username="finance-editor")
    run_import(price_list, editor, service_table(2))
    submit_for_review(page=latest_draft(price_list), user=editor)

    with pytest.raises(PermissionDenied):
        run_import(price_list, editor, service_table(3))


# Growth -------------------------------------------------------------------------------------


def test_the_imports_queries_do_not_grow_with_its_rows(
    price_list, users, django_assert_max_num_queries
):
    """The rows go in batches; the database's limit on the values of one statement is the
    only thing that splits a batch further (SQLite's 999 variables: 47 rows a statement)."""
    editor = users.get(username="finance-editor")
    run_import(price_list, editor, service_table(10))  # a list that has rows already
    others = []
    for size in (100, 1000):
        statements = math.ceil(size / connection.ops.bulk_batch_size(ROW_FIELDS, [None] * size))
        with (
            # The page's lock and review are read again in the write's transaction.
            django_assert_max_num_queries(100 + statements),
            CaptureQueriesContext(connection) as queries,
        ):
            run_import(price_list, editor, service_table(size))
        inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "disclosure_pricerow"')]
        assert len(inserts) == statements
        others.append(len(queries) - len(inserts))

    assert others[0] == others[1]


def test_progress_is_reported_after_every_batch(price_list, users):
    seen = []

    run_import(
        price_list,
        users.get(username="finance-editor"),
        service_table(4500),
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(2000, 4500), (4000, 4500), (4500, 4500)]


# The task and the admin screens -------------------------------------------------------------


def test_the_task_imports_a_stored_file_kept_out_of_public_reach_and_then_deleted(
    price_list, users
):
    editor = users.get(username="finance-editor")
    version = start_price_import(page=price_list, user=editor, effective_date=EFFECTIVE)
    stored = store_price_file(
        version, io.BytesIO(csv_bytes(service_table(3))), filename="../../价格.csv"
    )
    path = Path(private_storage().path(stored))
    assert path.is_relative_to(Path(settings.DISCLOSURE_PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))

    result = import_price_list_task.enqueue(version_id=version.pk, file_name=stored)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"status": "ready", "rows": 3, "errors": 0}
    assert not path.exists()
    assert latest_draft(price_list).rows_version == version


def upload(table, name="价格表.csv"):
    return SimpleUploadedFile(name, csv_bytes(table), content_type="text/csv")


def test_an_editor_imports_through_the_form_and_sees_the_result(client, login, price_list):
    login("finance-editor")
    url = reverse("disclosure_admin:price_import", args=[price_list.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"file": upload(service_table(4)), "effective_date": "2026-12-01", "basis": "示文号"},
        follow=True,
    )

    version = PriceListVersion.objects.get(page=price_list)
    assert response.redirect_chain[-1][0] == reverse(
        "disclosure_admin:price_import_progress", args=[price_list.pk, version.pk]
    )
    page = response.content.decode()
    assert version.status == ImportStatus.READY
    assert reverse("wagtailadmin_pages:edit", args=[price_list.pk]) in page
    assert "<progress" not in page
    status = client.get(
        reverse("disclosure_admin:price_import_status", args=[price_list.pk, version.pk])
    ).json()
    assert status == {"status": "ready", "total": 4, "processed": 4, "done": True}


def test_a_refused_file_shows_every_rows_problem_and_that_nothing_was_saved(
    client, login, price_list
):
    login("finance-editor")

    response = client.post(
        reverse("disclosure_admin:price_import", args=[price_list.pk]),
        {"file": upload(EVERY_KIND_OF_ERROR), "effective_date": "2026-12-01"},
        follow=True,
    )

    page = response.content.decode()
    listed = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", page)
    assert listed == [
        (str(row), column, escape(message))
        for row, column, message in every_kind_of_error_reported()
    ]
    assert (
        gettext(
            "The file was refused (problems found: %(count)s): nothing was saved. Correct the file "
            "and import it again."
        )
        % {"count": 7}
        in page
    )
    assert not PriceRow.objects.filter(version__page=price_list).exists()


def test_a_running_import_shows_a_progress_bar_driven_by_a_static_script(
    client, login, price_list, users
):
    login("finance-editor")
    version = start_price_import(
        page=price_list, user=users.get(username="finance-editor"), effective_date=EFFECTIVE
    )

    page = client.get(
        reverse("disclosure_admin:price_import_progress", args=[price_list.pk, version.pk])
    ).content.decode()

    assert "<progress" in page
    assert "disclosure/price_import.js" in page
    assert reverse("disclosure_admin:price_import_status", args=[price_list.pk, version.pk]) in page


def test_the_form_refuses_a_file_of_another_type(client, login, price_list):
    login("finance-editor")

    response = client.post(
        reverse("disclosure_admin:price_import", args=[price_list.pk]),
        {
            "file": SimpleUploadedFile("价格表.xlsx", b"not a spreadsheet"),
            "effective_date": "2026-12-01",
        },
    )

    assert response.status_code == 200
    assert not PriceListVersion.objects.filter(page=price_list).exists()


@pytest.mark.parametrize("username", ["medical-editor", "finance-editor-2", "supervisor", None])
def test_nobody_else_reaches_the_import_its_progress_or_its_status(
    client, login, price_list, users, username
):
    version = import_price_list(
        page=price_list,
        user=users.get(username="finance-editor"),
        table=service_table(2),
        effective_date=EFFECTIVE,
    )
    if username:
        login(username)
    import_url = reverse("disclosure_admin:price_import", args=[price_list.pk])
    progress_url = reverse(
        "disclosure_admin:price_import_progress", args=[price_list.pk, version.pk]
    )
    status_url = reverse("disclosure_admin:price_import_status", args=[price_list.pk, version.pk])
    # Wagtail's refusal: back to the dashboard (the login page for a visitor), or a 403 for the
    # progress bar's script.
    refused_to = reverse("wagtailadmin_home") if username else reverse("wagtailadmin_login")

    for url in (import_url, progress_url, status_url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].split("?")[0] == refused_to
    response = client.post(
        import_url, {"file": upload(service_table(2)), "effective_date": "2026-12-01"}
    )
    assert response.status_code == 302
    script = client.get(status_url, headers={"X-Requested-With": "XMLHttpRequest"})
    assert script.status_code == 403
    assert PriceListVersion.objects.filter(page=price_list).count() == 1


def test_the_editor_finds_the_import_on_the_lists_edit_screen_and_listing(
    client, login, price_list
):
    import_url = reverse("disclosure_admin:price_import", args=[price_list.pk])
    login("finance-editor")

    assert (
        import_url
        in client.get(reverse("wagtailadmin_pages:edit", args=[price_list.pk])).content.decode()
    )
    assert (
        import_url
        in client.get(
            reverse("wagtailadmin_explore", args=[price_list.get_parent().pk])
        ).content.decode()
    )


@pytest.mark.parametrize("kind", PriceKind.values)
def test_the_example_file_of_each_kind_imports_as_it_is(client, login, demo_item, users, kind):
    login("finance-editor")
    response = client.get(reverse("disclosure_admin:price_import_example", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert load_workbook(io.BytesIO(data)).active.max_row > 1

    editor = users.get(username="finance-editor")
    page = make_price_list(demo_item(SERVICES), owner=editor, kind=kind, title=f"示例{kind}")
    version = run_import(page, editor, read_price_file(io.BytesIO(data), filename="example.xlsx"))

    assert version.rows.count() == load_workbook(io.BytesIO(data)).active.max_row - 1
