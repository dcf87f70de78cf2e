import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from wagtail.models import PageViewRestriction

from disclosure.models import Audience, CatalogCategoryPage, CatalogItemPage, Channel
from disclosure.rules.update_rules import Period, RuleKind
from disclosure.services.catalog_io import (
    COLUMNS,
    CatalogImportError,
    export_catalog,
    import_catalog,
    read_table,
)
from disclosure.services.departments import ensure_department
from home.demo import CATALOG_FILE

GOOD_ROWS = [
    [
        "机构概况",
        "机构基本信息",
        "名称、地址",
        "第六条",
        "信息形成或变更之日起20个工作日内",
        "院办",
        "医院网站、公开栏",
        "社会公众",
        "",
    ],
    [
        "医保价格收费",
        "药品价格",
        "通用名、价格",
        "药品管理法",
        "每月",
        "财务科",
        "医院网站",
        "社会公众",
        "",
    ],
    ["院务公开", "干部任免", "任免情况", "指导意见", "10个工作日内", "院办", "内网", "职工", ""],
    [
        "机构概况",
        "历史沿革",
        "沿革",
        "第六条",
        "长期",
        "院办",
        "医院网站",
        "社会公众",
        "每6个月复核",
    ],
]


def write_csv(path: Path, rows, header=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def institution(fresh_site):
    for name in ("院办", "财务科"):
        ensure_department(site=fresh_site, name=name)
    return fresh_site


def items_of(site):
    return CatalogItemPage.objects.descendant_of(site.root_page)


def test_good_file_builds_categories_and_items_with_their_metadata(institution, tmp_path):
    result = import_catalog(site=institution, path=write_csv(tmp_path / "c.csv", GOOD_ROWS))

    assert sorted(result.created) == sorted(["干部任免", "历史沿革", "机构基本信息", "药品价格"])
    assert set(
        CatalogCategoryPage.objects.descendant_of(institution.root_page).values_list(
            "title", flat=True
        )
    ) == {"机构概况", "医保价格收费", "院务公开"}
    basic = items_of(institution).get(title="机构基本信息")
    assert basic.live
    assert basic.department.name == "院办"
    assert basic.channels == [Channel.WEBSITE, Channel.BULLETIN_BOARD]
    assert basic.audience == Audience.PUBLIC
    assert (basic.rule_kind, basic.rule_working_days) == (RuleKind.ON_CHANGE, 20)
    assert basic.get_parent().title == "机构概况"
    prices = items_of(institution).get(title="药品价格")
    assert (prices.rule_kind, prices.rule_period) == (RuleKind.PERIODIC, Period.MONTH)
    history = items_of(institution).get(title="历史沿革")
    assert (history.rule_kind, history.rule_review_months) == (RuleKind.REVIEW, 6)


def test_staff_only_rows_are_restricted_on_import(institution, tmp_path):
    import_catalog(site=institution, path=write_csv(tmp_path / "c.csv", GOOD_ROWS))
    appointments = items_of(institution).get(title="干部任免")
    assert PageViewRestriction.objects.filter(
        page=appointments, restriction_type=PageViewRestriction.LOGIN
    ).exists()
    # A category holding only staff-only items is restricted too.
    assert PageViewRestriction.objects.filter(page=appointments.get_parent()).exists()
    assert not PageViewRestriction.objects.filter(
        page=items_of(institution).get(title="药品价格")
    ).exists()


def test_bad_file_imports_nothing_and_lists_every_bad_row(institution, tmp_path):
    rows = [
        GOOD_ROWS[0],
        ["机构概况", "", "x", "", "每月", "院办", "医院网站", "社会公众", ""],
        ["机构概况", "领导信息", "x", "", "看情况", "院办", "医院网站", "社会公众", ""],
        ["机构概况", "科室设置", "x", "", "每月", "后勤科", "飞鸽传书", "外星人", ""],
        ["机构概况", "机构基本信息", "x", "", "每月", "院办", "医院网站", "社会公众", ""],
    ]
    with pytest.raises(CatalogImportError) as error:
        import_catalog(site=institution, path=write_csv(tmp_path / "bad.csv", rows))

    found = {(e.row, e.column) for e in error.value.errors}
    assert found == {
        (3, "二级事项"),
        (4, "公开时限"),
        (5, "责任科室"),
        (5, "公开渠道"),
        (5, "公开对象"),
        (6, "二级事项"),
    }
    assert not items_of(institution).exists()
    assert not CatalogCategoryPage.objects.descendant_of(institution.root_page).exists()


def test_missing_columns_are_reported(institution, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["机构概况", "x"]], header=["一级事项", "二级事项"])
    with pytest.raises(CatalogImportError) as error:
        import_catalog(site=institution, path=path)
    assert {e.column for e in error.value.errors} == set(COLUMNS) - {"一级事项", "二级事项"}


def test_importing_the_same_file_twice_changes_nothing(institution, tmp_path):
    path = write_csv(tmp_path / "c.csv", GOOD_ROWS)
    import_catalog(site=institution, path=path)
    revisions_before = {i.pk: i.latest_revision_id for i in items_of(institution)}

    result = import_catalog(site=institution, path=path)

    assert result.created == result.updated == []
    assert len(result.unchanged) == len(GOOD_ROWS)
    assert {i.pk: i.latest_revision_id for i in items_of(institution)} == revisions_before


def test_a_changed_file_updates_items_in_place(institution, tmp_path):
    import_catalog(site=institution, path=write_csv(tmp_path / "c.csv", GOOD_ROWS))
    original = items_of(institution).get(title="药品价格")
    changed = [list(row) for row in GOOD_ROWS]
    changed[1][4] = "每季度"  # the rule changes
    changed[1][0] = "价格公示"  # and the item moves to a new category
    changed[2][7] = "社会公众"  # a staff item becomes public

    result = import_catalog(site=institution, path=write_csv(tmp_path / "c2.csv", changed))

    assert sorted(result.updated) == ["干部任免", "药品价格"]
    prices = items_of(institution).get(title="药品价格")
    assert prices.pk == original.pk
    assert prices.rule_period == Period.QUARTER
    assert prices.get_parent().title == "价格公示"
    appointments = items_of(institution).get(title="干部任免")
    assert not PageViewRestriction.objects.filter(page=appointments).exists()


def test_xlsx_files_are_read_like_csv(institution, tmp_path):
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    for row in GOOD_ROWS:
        workbook.active.append(row)
    workbook.save(tmp_path / "c.xlsx")

    result = import_catalog(site=institution, path=tmp_path / "c.xlsx")

    assert len(result.created) == len(GOOD_ROWS)


def test_export_then_import_is_lossless(institution, tmp_path):
    import_catalog(site=institution, path=write_csv(tmp_path / "c.csv", GOOD_ROWS))
    for suffix in ("csv", "xlsx"):
        exported = tmp_path / f"export.{suffix}"
        assert export_catalog(site=institution, path=exported) == len(GOOD_ROWS)
        result = import_catalog(site=institution, path=exported)
        assert result.created == result.updated == []
    assert read_table(tmp_path / "export.csv") == read_table(tmp_path / "export.xlsx")


def test_the_demo_catalog_exports_as_it_was_imported(demo_site, tmp_path):
    exported = tmp_path / "demo.csv"
    export_catalog(site=demo_site, path=exported)
    original, written = read_table(CATALOG_FILE), read_table(exported)
    assert len(written) == len(original) == 44
    # Only the wording of equivalent rules may differ ("10个工作日内" is written in full).
    for before, after in zip(original, written, strict=True):
        assert before[:4] + before[5:] == after[:4] + after[5:]
        assert before[4] == after[4] or after[4] == f"信息形成或变更之日起{before[4]}"


def test_command_reports_bad_rows_and_fails(institution, tmp_path, capsys):
    path = write_csv(
        tmp_path / "bad.csv", [["机构概况", "x", "y", "", "看情况", "院办", "", "公众", ""]]
    )
    with pytest.raises(CommandError, match=r"nothing was imported|未导入"):
        call_command("import_catalog", str(path), "--site", "test.example")
    assert "公开时限" in capsys.readouterr().err


def test_command_imports_and_creates_departments_when_asked(fresh_site, tmp_path, capsys):
    path = write_csv(tmp_path / "c.csv", GOOD_ROWS)
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--site", "test.example")
    call_command("import_catalog", str(path), "--site", "test.example", "--create-departments")
    assert items_of(fresh_site).count() == len(GOOD_ROWS)


def test_unknown_site_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.example"):
        call_command("import_catalog", str(CATALOG_FILE), "--site", "nowhere.example")
