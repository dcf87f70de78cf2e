"""Catalog import and export in the columns real catalogs use (CSV or XLSX).

An import is all or nothing: every row is checked first, and one bad row means nothing is
written and every problem is reported (row, column, reason). Importing the same file twice
changes nothing; a changed file updates its items in place (matched by item title).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from ..models import (
    Audience,
    CatalogCategoryPage,
    CatalogItemPage,
    Channel,
    Department,
    DisclosureIndexPage,
    InstitutionSettings,
    PublicationKind,
)
from ..rules.update_rules import RuleParseError, UpdateRule
from ..selectors.catalog import default_working_days_for
from .departments import ensure_department, ensure_office_group, grant_item_permissions
from .moderation import approve, setup_moderation, submit_for_review

COL_CATEGORY = "一级事项"
COL_ITEM = "二级事项"
COL_CONTENT = "公开内容"
COL_BASIS = "公开依据"
COL_RULE = "公开时限"
COL_DEPARTMENT = "责任科室"
COL_CHANNELS = "公开渠道"
COL_AUDIENCE = "公开对象"
COL_NOTES = "备注"
COLUMNS = (
    COL_CATEGORY,
    COL_ITEM,
    COL_CONTENT,
    COL_BASIS,
    COL_RULE,
    COL_DEPARTMENT,
    COL_CHANNELS,
    COL_AUDIENCE,
    COL_NOTES,
)
REQUIRED = (COL_CATEGORY, COL_ITEM, COL_CONTENT, COL_RULE, COL_DEPARTMENT, COL_AUDIENCE)

# The catalog format's own words (data, not interface text). The first label is the one exported.
CHANNEL_LABELS: dict[str, tuple[str, ...]] = {
    Channel.WEBSITE: ("医院网站", "网站", "门户网站", "本机构门户网站", "政府网站"),
    Channel.WECHAT: ("微信公众号", "微信", "公众号", "两微一端"),
    Channel.BULLETIN_BOARD: ("公开栏", "公示栏", "公告牌"),
    Channel.AFFAIRS_BOARD: ("院务公开栏",),
    Channel.SCREEN: ("电子屏", "电子显示屏", "显示屏"),
    Channel.TOUCH_SCREEN: ("触摸屏",),
    Channel.SIGNAGE: ("标识标牌", "人员岗位标识", "标识"),
    Channel.ON_SITE: ("现场",),
    Channel.SERVICE_DESK: ("服务台", "咨询台"),
    Channel.HOTLINE: ("咨询电话", "咨询服务电话", "热线电话", "热线"),
    Channel.HANDBOOK: ("服务手册", "便民卡片"),
    Channel.STAFF_CONGRESS: ("职工代表大会", "职代会"),
    Channel.INTRANET: ("内网",),
}
AUDIENCE_LABELS: dict[str, tuple[str, ...]] = {
    Audience.PUBLIC: ("社会公众", "全社会", "公众"),
    Audience.PATIENTS: ("患者", "就诊患者", "特定群体"),
    Audience.STAFF: ("职工", "本院职工", "内部"),
}
_CHANNEL_BY_LABEL = {label: code for code, labels in CHANNEL_LABELS.items() for label in labels}
_AUDIENCE_BY_LABEL = {label: code for code, labels in AUDIENCE_LABELS.items() for label in labels}
_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column or "-",
            "reason": self.reason,
        }


class CatalogImportError(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass(frozen=True)
class CatalogRow:
    row: int
    category: str
    item: str
    content_elements: str
    legal_basis: str
    rule: UpdateRule
    department: str
    channels: tuple[str, ...]
    audience: str
    notes: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)
    departments_created: list[str] = field(default_factory=list)
    awaiting_approval: list[str] = field(default_factory=list)


# Reading files ------------------------------------------------------------------------------


def read_table(path: Path) -> list[list[str]]:
    """Rows of cells (header first) from a CSV (UTF-8, with or without BOM) or XLSX file."""
    if path.suffix.lower() == ".xlsx":
        # Deferred: openpyxl is read only for a spreadsheet (as Wagtail's own export does).
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    if path.suffix.lower() != ".csv":
        raise CatalogImportError(
            [
                RowError(
                    0,
                    "",
                    _("Unsupported file type %(suffix)s: use .csv or .xlsx.")
                    % {"suffix": path.suffix or "''"},
                )
            ]
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [list(row) for row in csv.reader(handle)]


def _split_labels(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def parse_table(table: list[list[str]], *, departments: Iterable[str] | None) -> list[CatalogRow]:
    """Check every row; raise :class:`CatalogImportError` listing all problems, or return rows.

    ``departments`` is the set of known department names, or ``None`` to accept any name.
    """
    position = _column_positions(table)
    known_departments = set(departments) if departments is not None else None
    errors: list[RowError] = []
    rows: list[CatalogRow] = []
    first_row_of_item: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for column, index in position.items()
        }
        row, row_errors = _check_row(
            number, values, known_departments=known_departments, first_row_of_item=first_row_of_item
        )
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise CatalogImportError(errors)
    if not rows:
        raise CatalogImportError([RowError(2, "", _("The file has no catalog rows."))])
    return rows


def _column_positions(table: list[list[str]]) -> dict[str, int]:
    """Where each column is in the header row; every column must be there."""
    if not table:
        raise CatalogImportError([RowError(1, "", _("The file is empty."))])
    header = [cell.strip() for cell in table[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CatalogImportError([RowError(1, column, _("Missing column.")) for column in missing])
    return {column: header.index(column) for column in COLUMNS}


def _check_row(
    number: int,
    values: dict[str, str],
    *,
    known_departments: set[str] | None,
    first_row_of_item: dict[str, int],
) -> tuple[CatalogRow | None, list[RowError]]:
    """Row ``number`` as a catalog row, or its problems (then no row), in the columns' order."""
    row_errors = [
        RowError(number, column, _("This column is required."))
        for column in REQUIRED
        if not values[column]
    ]
    item = values[COL_ITEM]
    if item and item in first_row_of_item:
        row_errors.append(
            RowError(
                number,
                COL_ITEM,
                _("Item “%(item)s” already appears in row %(row)s.")
                % {"item": item, "row": first_row_of_item[item]},
            )
        )
    elif item:
        first_row_of_item[item] = number
    rule = _parse_rule(number, values, row_errors)
    channels = _parse_channels(number, values[COL_CHANNELS], row_errors)
    audience = _parse_audience(number, values[COL_AUDIENCE], row_errors)
    department = values[COL_DEPARTMENT]
    if department and known_departments is not None and department not in known_departments:
        row_errors.append(
            RowError(
                number,
                COL_DEPARTMENT,
                _("Unknown department “%(name)s”; known departments: %(known)s.")
                % {"name": department, "known": "、".join(sorted(known_departments)) or "-"},
            )
        )
    for column in (COL_CATEGORY, COL_ITEM):
        if len(values[column]) > 255:
            row_errors.append(RowError(number, column, _("Longer than 255 characters.")))
    if row_errors:
        return None, row_errors
    row = CatalogRow(
        row=number,
        category=values[COL_CATEGORY],
        item=item,
        content_elements=values[COL_CONTENT],
        legal_basis=values[COL_BASIS],
        rule=rule,
        department=department,
        channels=tuple(channels),
        audience=audience,
        notes=values[COL_NOTES],
    )
    return row, []


def _parse_rule(number: int, values: dict[str, str], errors: list[RowError]) -> UpdateRule | None:
    """The row's update rule (from its 公开时限 and its notes), or ``None`` with the error added."""
    if not values[COL_RULE]:
        return None
    try:
        return UpdateRule.parse(values[COL_RULE], values[COL_NOTES])
    except RuleParseError as error:
        errors.append(RowError(number, COL_RULE, str(error)))
        return None


def _parse_channels(number: int, text: str, errors: list[RowError]) -> list[str]:
    """The channels named in ``text``, each once; an unknown one adds an error."""
    channels: list[str] = []
    for label in _split_labels(text):
        code = _CHANNEL_BY_LABEL.get(label)
        if code is None:
            errors.append(
                RowError(
                    number,
                    COL_CHANNELS,
                    _("Unknown channel “%(label)s”; known channels: %(known)s.")
                    % {
                        "label": label,
                        "known": "、".join(labels[0] for labels in CHANNEL_LABELS.values()),
                    },
                )
            )
        elif code not in channels:
            channels.append(code)
    return channels


def _parse_audience(number: int, text: str, errors: list[RowError]) -> str | None:
    """The audience named by ``text``; an unknown one adds an error."""
    audience = _AUDIENCE_BY_LABEL.get(text)
    if text and audience is None:
        errors.append(
            RowError(
                number,
                COL_AUDIENCE,
                _("Unknown audience “%(label)s”; use 社会公众, 患者 or 职工.") % {"label": text},
            )
        )
    return audience


# Writing the catalog ------------------------------------------------------------------------


def _default_publication_kinds(category: str, item: str) -> list[str]:
    kinds = [PublicationKind.GENERAL.value]
    text = category + item
    if "采购" in text or "招标" in text:
        kinds.append(PublicationKind.PROCUREMENT.value)
    if "招聘" in text or "聘用" in text:
        kinds.append(PublicationKind.RECRUITMENT.value)
    if any(word in item for word in ("制度", "政策", "准则", "规定", "目录")):
        kinds.append(PublicationKind.POLICY.value)
    if "年度报告" in item:
        kinds.append(PublicationKind.ANNUAL_REPORT.value)
    if "价格" in item:
        kinds.append(PublicationKind.PRICE_LIST.value)
    return kinds


def _unique_slug(parent: Page, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "item"
    slug, counter = base, 2
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _submit(page: Page, *, user, approver) -> bool:
    """Send a catalog change for review; approve it at once when a second office member signs."""
    submit_for_review(page=page, user=user)
    if approver is None:
        return False
    approve(page=page, user=approver)
    return True


def ensure_disclosure_index(*, site: Site, user=None, approver=None) -> DisclosureIndexPage:
    """The site's disclosure index (信息公开, slug ``xxgk``), created for review if missing."""
    index = DisclosureIndexPage.objects.descendant_of(site.root_page, inclusive=True).first()
    if index is None:
        index = site.root_page.add_child(
            instance=DisclosureIndexPage(title="信息公开", slug="xxgk", live=False)
        )
        ensure_office_group(site=site, index=index)
        _submit(index, user=user, approver=approver)
    return index


def _item_values(row: CatalogRow, department: Department) -> dict:
    return {
        "content_elements": row.content_elements,
        "legal_basis": row.legal_basis,
        "rule_kind": row.rule.kind,
        "rule_period": row.rule.period,
        "rule_working_days": row.rule.working_days,
        "rule_review_months": row.rule.review_months,
        "rule_due_month": row.rule.due_month,
        "rule_due_day": row.rule.due_day,
        "department_id": department.pk,
        "channels": list(row.channels),
        "audience": row.audience,
        "notes": row.notes,
    }


@transaction.atomic
def import_catalog(
    *, site: Site, path: Path, user=None, approver=None, create_departments: bool = False
) -> ImportResult:
    """Import a catalog file into ``site``'s disclosure index; all or nothing.

    Changes go to the catalog review of a second disclosure office member: with ``approver``
    they are approved at once (and go live); without, they wait in the office's review queue.
    """
    known = (
        None
        if create_departments
        else Department.objects.filter(site=site).values_list("name", flat=True)
    )
    rows = parse_table(read_table(path), departments=known)
    result = ImportResult()
    institution = InstitutionSettings.for_site(site)
    if institution.catalog_workflow is None:
        setup_moderation(site=site)
    index = ensure_disclosure_index(site=site, user=user, approver=approver)
    departments = _ensure_departments(site=site, rows=rows, result=result)
    categories = _ensure_categories(
        index=index, rows=rows, user=user, approver=approver, result=result
    )
    existing = {item.title: item for item in CatalogItemPage.objects.descendant_of(index)}
    for row in rows:
        _write_item(
            row,
            category=categories[row.category],
            department=departments[row.department],
            existing=existing.get(row.item),
            user=user,
            approver=approver,
            result=result,
        )
    return result


def _ensure_departments(
    *, site: Site, rows: list[CatalogRow], result: ImportResult
) -> dict[str, Department]:
    """The site's departments by name, those the rows name and the site lacks created."""
    departments = {d.name: d for d in Department.objects.filter(site=site)}
    for row in rows:
        if row.department not in departments:
            departments[row.department] = ensure_department(
                site=site, name=row.department, sort_order=len(departments)
            )
            result.departments_created.append(row.department)
    return departments


def _ensure_categories(
    *, index: DisclosureIndexPage, rows: list[CatalogRow], user, approver, result: ImportResult
) -> dict[str, CatalogCategoryPage]:
    """The index's categories by title, those the rows name and it lacks created for review."""
    categories = {c.title: c for c in CatalogCategoryPage.objects.child_of(index)}
    for row in rows:
        if row.category not in categories:
            category = index.add_child(
                instance=CatalogCategoryPage(
                    title=row.category, slug=_unique_slug(index, row.category), live=False
                )
            )
            _submit(category, user=user, approver=approver)
            categories[row.category] = category
            result.categories_created.append(row.category)
    return categories


def _write_item(
    row: CatalogRow,
    *,
    category: CatalogCategoryPage,
    department: Department,
    existing: CatalogItemPage | None,
    user,
    approver,
    result: ImportResult,
) -> None:
    """Create the row's item, or update (and move) the existing one, and submit it for review;
    an item that the row would not change is left alone."""
    values = _item_values(row, department)
    item = existing
    if item is None:
        item = category.add_child(
            instance=CatalogItemPage(
                title=row.item,
                slug=_unique_slug(category, row.item),
                publication_kinds=_default_publication_kinds(row.category, row.item),
                live=False,
                **values,
            )
        )
        result.created.append(row.item)
    else:
        moved = not item.path.startswith(category.path) or item.depth != category.depth + 1
        draft = item.get_latest_revision_as_object()
        changed = moved or any(getattr(draft, k) != v for k, v in values.items())
        settled = item.live and not item.has_unpublished_changes
        if not changed and (settled or item.workflow_in_progress):
            result.unchanged.append(row.item)
            return
        if moved:
            item.move(category, pos="last-child")
            item.refresh_from_db()
        for key, value in values.items():
            setattr(item, key, value)
        result.updated.append(row.item)
    grant_item_permissions(item=item)
    # Going live runs the page_published handler, which restricts staff-only items.
    if not _submit(item, user=user, approver=approver):
        result.awaiting_approval.append(row.item)


def export_catalog(*, site: Site, path: Path) -> int:
    """Write the site's catalog in the import columns; returns the number of items written."""
    index = DisclosureIndexPage.objects.descendant_of(site.root_page, inclusive=True).first()
    if index is None:
        raise CatalogImportError([RowError(0, "", _("This institution has no catalog yet."))])
    default_days = default_working_days_for(site)
    categories = {c.path: c.title for c in CatalogCategoryPage.objects.child_of(index)}
    table = [list(COLUMNS)]
    items = CatalogItemPage.objects.descendant_of(index).select_related("department")
    for item in items.order_by("path"):
        table.append(
            [
                categories.get(item.path[: -Page.steplen], ""),
                item.title,
                item.content_elements,
                item.legal_basis,
                item.update_rule.to_catalog_text(
                    notes=item.notes, default_working_days=default_days
                ),
                item.department.name if item.department else "",
                "、".join(CHANNEL_LABELS[code][0] for code in item.channels or []),
                AUDIENCE_LABELS[item.audience][0],
                item.notes,
            ]
        )
    if path.suffix.lower() == ".xlsx":
        # Deferred: openpyxl is read only for a spreadsheet (as Wagtail's own export does).
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "信息公开目录"
        for row in table:
            sheet.append(row)
        # Text, never a formula, whatever a title starts with (openpyxl takes "=…" for one);
        # read back, the cell is the same text, so export → import stays lossless.
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table)
    return len(table) - 1
