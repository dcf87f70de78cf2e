import csv
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
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
from disclosure.services.departments import ensure_department, ensure_office_group
from disclosure.services.moderation import approve
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


@pytest.fixture
def office_pair(institution, django_user_model):
    """Two members of the institution's disclosure office: one imports, the other approves."""
    group = ensure_office_group(site=institution)
    pair = []
    for name in ("test-office-a", "test-office-b"):
        user = django_user_model.objects.create_user(name, password="x")
        user.groups.add(group)
        pair.append(user)
    return pair


@pytest.fixture
def run_import(institution, office_pair):
    def run(path, *, approved=True, **kwargs):
        user, approver = office_pair
        return import_catalog(
            site=institution,
            path=path,
            user=user,
            approver=approver if approved else None,
            **kwargs,
        )

    return run


def items_of(site):
    return CatalogItemPage.objects.descendant_of(site.root_page)


def test_good_file_builds_categories_and_items_with_their_metadata(
    institution, run_import, tmp_path
):
    result = run_import(write_csv(tmp_path / "c.csv", GOOD_ROWS))

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


def test_staff_only_rows_are_restricted_on_import(institution, run_import, tmp_path):
    run_import(write_csv(tmp_path / "c.csv", GOOD_ROWS))
    appointments = items_of(institution).get(title="干部任免")
    assert PageViewRestriction.objects.filter(
        page=appointments, restriction_type=PageViewRestriction.LOGIN
    ).exists()
    # A category holding only staff-only items is restricted too.
    assert PageViewRestriction.objects.filter(page=appointments.get_parent()).exists()
    assert not PageViewRestriction.objects.filter(
        page=items_of(institution).get(title="药品价格")
    ).exists()


def test_bad_file_imports_nothing_and_lists_every_bad_row(institution, run_import, tmp_path):
    rows = [
        GOOD_ROWS[0],
        ["机构概况", "", "x", "", "每月", "院办", "医院网站", "社会公众", ""],
        ["机构概况", "领导信息", "x", "", "看情况", "院办", "医院网站", "社会公众", ""],
        ["机构概况", "科室设置", "x", "", "每月", "后勤科", "飞鸽传书", "外星人", ""],
        ["机构概况", "机构基本信息", "x", "", "每月", "院办", "医院网站", "社会公众", ""],
    ]
    with pytest.raises(CatalogImportError) as error:
        run_import(write_csv(tmp_path / "bad.csv", rows))

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


def test_missing_columns_are_reported(institution, run_import, tmp_path):
    path = write_csv(tmp_path / "c.csv", [["机构概况", "x"]], header=["一级事项", "二级事项"])
    with pytest.raises(CatalogImportError) as error:
        run_import(path)
    assert {e.column for e in error.value.errors} == set(COLUMNS) - {"一级事项", "二级事项"}


def test_importing_the_same_file_twice_changes_nothing(institution, run_import, tmp_path):
    path = write_csv(tmp_path / "c.csv", GOOD_ROWS)
    run_import(path)
    revisions_before = {i.pk: i.latest_revision_id for i in items_of(institution)}

    result = run_import(path)

    assert result.created == result.updated == []
    assert len(result.unchanged) == len(GOOD_ROWS)
    assert {i.pk: i.latest_revision_id for i in items_of(institution)} == revisions_before


def test_a_changed_file_updates_items_in_place(institution, run_import, tmp_path):
    run_import(write_csv(tmp_path / "c.csv", GOOD_ROWS))
    original = items_of(institution).get(title="药品价格")
    changed = [list(row) for row in GOOD_ROWS]
    changed[1][4] = "每季度"  # the rule changes
    changed[1][0] = "价格公示"  # and the item moves to a new category
    changed[2][7] = "社会公众"  # a staff item becomes public

    result = run_import(write_csv(tmp_path / "c2.csv", changed))

    assert sorted(result.updated) == ["干部任免", "药品价格"]
    prices = items_of(institution).get(title="药品价格")
    assert prices.pk == original.pk
    assert prices.rule_period == Period.QUARTER
    assert prices.get_parent().title == "价格公示"
    appointments = items_of(institution).get(title="干部任免")
    assert not PageViewRestriction.objects.filter(page=appointments).exists()


def test_xlsx_files_are_read_like_csv(institution, run_import, tmp_path):
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    for row in GOOD_ROWS:
        workbook.active.append(row)
    workbook.save(tmp_path / "c.xlsx")

    result = run_import(tmp_path / "c.xlsx")

    assert len(result.created) == len(GOOD_ROWS)


def test_export_then_import_is_lossless(institution, run_import, tmp_path):
    run_import(write_csv(tmp_path / "c.csv", GOOD_ROWS))
    for suffix in ("csv", "xlsx"):
        exported = tmp_path / f"export.{suffix}"
        assert export_catalog(site=institution, path=exported) == len(GOOD_ROWS)
        result = run_import(exported)
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


def test_command_reports_bad_rows_and_fails(institution, office_pair, tmp_path, capsys):
    path = write_csv(
        tmp_path / "bad.csv", [["机构概况", "x", "y", "", "看情况", "院办", "", "公众", ""]]
    )
    with pytest.raises(CommandError, match=r"nothing was imported|未导入"):
        call_command(
            "import_catalog", str(path), "--site", "test.example", "--user", "test-office-a"
        )
    assert "公开时限" in capsys.readouterr().err


def test_command_imports_and_creates_departments_when_asked(fresh_site, office_pair, tmp_path):
    new_department = [
        "医保价格收费",
        "医用耗材价格",
        "耗材价格",
        "",
        "每季度",
        "药学部",
        "医院网站",
        "患者",
        "",
    ]
    path = write_csv(tmp_path / "c.csv", [*GOOD_ROWS, new_department])
    command = ["import_catalog", str(path), "--site", "test.example", "--user", "test-office-a"]
    with pytest.raises(CommandError):
        call_command(*command)
    call_command(*command, "--approver", "test-office-b", "--create-departments")
    assert items_of(fresh_site).live().count() == len(GOOD_ROWS) + 1
    assert items_of(fresh_site).get(title="医用耗材价格").department.name == "药学部"


def test_unknown_site_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.example"):
        call_command(
            "import_catalog", str(CATALOG_FILE), "--site", "nowhere.example", "--user", "office"
        )


def test_without_an_approver_changes_wait_for_a_second_office_member(
    institution, run_import, office_pair, tmp_path
):
    path = write_csv(tmp_path / "c.csv", GOOD_ROWS)
    result = run_import(path, approved=False)

    assert sorted(result.awaiting_approval) == sorted(row[1] for row in GOOD_ROWS)
    assert not items_of(institution).live().exists()
    assert run_import(path, approved=False).unchanged  # still waiting: nothing new to submit

    importer, colleague = office_pair
    item = items_of(institution).get(title="药品价格")
    with pytest.raises(PermissionDenied):
        approve(page=item, user=importer)  # four eyes: not the one who made the change
    # Top down: nothing goes live below a page that is not live yet.
    with pytest.raises(PermissionDenied, match="未公开"):
        approve(page=item, user=colleague)
    approve(page=item.get_parent().get_parent(), user=colleague)  # the disclosure index
    approve(page=item.get_parent(), user=colleague)
    approve(page=item, user=colleague)
    assert items_of(institution).get(title="药品价格").live


def test_the_importer_cannot_approve_their_own_import(institution, office_pair, tmp_path):
    importer, _colleague = office_pair
    with pytest.raises(PermissionDenied):
        import_catalog(
            site=institution,
            path=write_csv(tmp_path / "c.csv", GOOD_ROWS),
            user=importer,
            approver=importer,
        )
    assert not items_of(institution).exists()
