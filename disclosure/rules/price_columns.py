"""The columns of a price list file and the checks of its rows (收费价格公示 import).

Pure functions over the file's cells: which heading names which field of a row, what a valid
cell is, and what makes a row a duplicate of another. The import service reads the file and
writes the rows; the template file offered for download is built from the same columns.

A file's headings are in its first row (a title line or two above them is tolerated), in any
order; extra columns are ignored. Row numbers are the spreadsheet's own (the heading row is 1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .prices import SERVICE_CODE, PriceKind, normalise, pinyin_initials, row_key, service_chapter
from .privacy import find_identifiers, personal_information_refusal

#: The grades a service list may price separately, one column each (价格（三级） …).
GRADES = ("三级", "二级", "一级")
DEFAULT_GRADE = "三级"
#: The largest price a row may have (the field's 12 digits, 2 of them decimals).
MAX_PRICE = Decimal("9999999999.99")
#: The longest a row's key may be (a drug's name, form, specification, package and maker).
MAX_KEY_LENGTH = 400
#: A file's limits: rows (a city hospital's services are a few thousand, a province's catalog
#: some tens of thousands), columns read of each row, and the problems listed (past them the
#: file is refused with their number: a list of 800,000 problems helps nobody and fills the
#: database).
MAX_ROWS = 100_000
MAX_COLUMNS = 64
MAX_ERRORS = 200
#: How far down a file its heading row is looked for (below a title line or two).
HEADER_SEARCH_ROWS = 10
YES = ("是", "Y", "YES", "1", "√", "TRUE")
NO = ("否", "N", "NO", "0", "×", "FALSE", "")
#: The cells read as half-width (a full-width digit is a digit); names and specifications
#: keep the characters they were typed in (（）, ×).
_NORMALISED = {"code", "price", "volume_procurement"}
NOT_A_SERVICE_CODE = gettext_noop(
    "Not a national service code: nine digits, and a sub-item after a hyphen where there is "
    "one (110200002-2)."
)


@dataclass(frozen=True)
class Column:
    """One column of a kind's file: its heading, the row field it fills, its limits."""

    heading: str
    field: str
    required: bool = False
    max_length: int = 0  # 0: no limit (a text field)
    #: Other headings that real files use for the same column.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    """One problem of one row: the spreadsheet's row number, the column's heading, what is
    wrong (in the active language)."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


_PRICE_ALIASES = ("单价", "价格(元)", "单价(元)", "收费标准", "收费标准(元)", "现行价格")

COLUMNS: dict[str, tuple[Column, ...]] = {
    PriceKind.SERVICE: (
        Column("项目编码", "code", True, 64, ("编码", "项目代码", "国家编码")),
        Column("项目名称", "name", True, 255, ("名称",)),
        Column("项目内涵", "content"),
        Column("除外内容", "exclusions"),
        Column("计价单位", "unit", True, 50, ("单位",)),
        Column("价格", "price", True, 0, _PRICE_ALIASES),
        Column("说明", "note", aliases=("备注",)),
        Column("医保类别", "insurance_class", False, 20, ("医保类型",)),
        Column("分类", "category", False, 100, ("类别",)),
    ),
    PriceKind.DRUG: (
        Column("药品编码", "code", False, 64, ("编码", "医保编码")),
        Column("通用名", "name", True, 255, ("药品名称", "通用名称", "名称")),
        Column("剂型", "dosage_form", True, 100),
        Column("规格", "specification", True, 255),
        Column("包装", "package", False, 100, ("包装规格",)),
        Column("生产企业", "manufacturer", True, 255, ("生产厂家", "厂家")),
        Column("单位", "unit", True, 50, ("计价单位",)),
        Column("价格", "price", True, 0, _PRICE_ALIASES),
        Column("集中带量采购", "volume_procurement", False, 0, ("带量采购", "集采")),
        Column("医保类别", "insurance_class", False, 20, ("医保类型",)),
        Column("分类", "category", False, 100, ("类别",)),
    ),
    PriceKind.CONSUMABLE: (
        Column("耗材编码", "code", False, 64, ("编码", "医保编码")),
        Column("名称", "name", True, 255, ("耗材名称",)),
        Column("规格型号", "specification", True, 255, ("规格", "型号")),
        Column("注册证号", "registration_number", False, 100, ("注册证编号",)),
        Column("生产企业", "manufacturer", True, 255, ("生产厂家", "厂家")),
        Column("单位", "unit", True, 50, ("计价单位",)),
        Column("价格", "price", True, 0, _PRICE_ALIASES),
        Column("医保类别", "insurance_class", False, 20, ("医保类型",)),
        Column("分类", "category", False, 100, ("类别",)),
    ),
}


def grade_heading(grade: str) -> str:
    """The heading of a grade's price column: 价格（三级）."""
    return f"价格（{grade}）"


def institution_price_grade(institution_grade: str) -> str:
    """Which grade's price an institution charges, from its grade ("3A" → 三级); 三级 for an
    institution without a grade."""
    return {"3": "三级", "2": "二级", "1": "一级", "p": "一级"}.get(
        (institution_grade or "")[:1], DEFAULT_GRADE
    )


def heading_key(text: str) -> str:
    """A heading as compared: half-width, no spaces, no trailing "*" (a required mark)."""
    return normalise(text).replace(" ", "").rstrip("*")


def cell_text(value) -> str:
    """A spreadsheet cell as the text its user typed.

    Numbers read back as Excel shows them (at most 15 significant digits, so a price typed
    12.5 is "12.5" and never "12.500000000000002"; a code typed as a number keeps its digits,
    "110200002" and not "110200002.0"); dates as ISO dates; booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Layout:
    """Where a kind's columns are in a file: the heading row, each field's position, the
    grade price columns of a service list, and the headings that are missing."""

    header_index: int
    positions: dict[str, int] = field(default_factory=dict)
    grade_positions: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _known_headings(kind: str) -> dict[str, str]:
    known = {}
    for column in COLUMNS[kind]:
        for heading in (column.heading, *column.aliases):
            known.setdefault(heading_key(heading), column.field)
    return known


def _grade_headings() -> dict[str, str]:
    known = {}
    for grade in GRADES:
        for heading in (grade_heading(grade), f"{grade}价格", f"价格({grade}医院)"):
            known[heading_key(heading)] = grade
    return known


def find_layout(kind: str, table: Sequence[Sequence[str]], *, grade: str = DEFAULT_GRADE) -> Layout:
    """The columns of ``table``: its heading row is the first of its first rows that names at
    least two of the kind's columns (the first row when none does)."""
    known, grades = _known_headings(kind), _grade_headings()
    header_index = 0
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = {heading_key(cell) for cell in cells}
        if len(keys & (set(known) | set(grades))) >= 2:
            header_index = index
            break
    layout = Layout(header_index=header_index)
    header = table[header_index] if table else []
    for position, cell in enumerate(header):
        key = heading_key(cell)
        if key in known:
            layout.positions.setdefault(known[key], position)
        elif key in grades and kind == PriceKind.SERVICE:
            layout.grade_positions.setdefault(grades[key], position)
    for column in COLUMNS[kind]:
        if not column.required or column.field in layout.positions:
            continue
        if column.field == "price" and layout.grade_positions:
            if grade not in layout.grade_positions:
                layout.missing.append(grade_heading(grade))
            continue
        layout.missing.append(column.heading)
    return layout


def parse_price(text: str) -> tuple[Decimal | None, str | None]:
    """A price cell as yuan with two decimals, or why it is not one."""
    text = normalise(text).replace(",", "").replace(" ", "").lstrip("¥").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("Not a number.")
    if not value.is_finite():
        return None, _("Not a number.")
    if value < 0:
        return None, _("A price cannot be negative.")
    if value != value.quantize(Decimal("0.01")):
        return None, _("A price has at most two decimal places (fen).")
    if value > MAX_PRICE:
        return None, _("The price is too large.")
    return value.quantize(Decimal("0.01")), None


@lru_cache(maxsize=65536)
def name_initials(name: str) -> tuple[str, str]:
    """:func:`~disclosure.rules.prices.pinyin_initials`, kept per name for the process: the
    pinyin is most of an import's time, and the next month's list repeats most names."""
    return pinyin_initials(name)


@dataclass
class CheckedTable:
    """The rows of a file ready to be saved (``PriceRow`` fields each), or its problems."""

    rows: list[dict]
    errors: list[RowError]
    total: int  # data rows in the file (blank lines not counted)


def check_table(
    kind: str,
    table: Sequence[Sequence[str]],
    *,
    grade: str = DEFAULT_GRADE,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> CheckedTable:
    """Check every row of ``table`` (headings first) as a ``kind`` price list.

    Every problem of every row is reported, not only the first; a row repeating an earlier
    row's key names that earlier row. ``grade`` is the grade whose price column gives a
    service's price where the file has one column per grade. ``progress(done, total)`` is
    called after every ``batch_size`` rows checked."""
    if not any(any(str(cell).strip() for cell in cells) for cells in table):
        return CheckedTable(rows=[], errors=[RowError(1, "", _("The file is empty."))], total=0)
    layout = find_layout(kind, table, grade=grade)
    header_number = layout.header_index + 1
    errors = [RowError(header_number, heading, _("Missing column.")) for heading in layout.missing]
    columns = [column for column in COLUMNS[kind] if column.field in layout.positions]
    headings = {column.field: column.heading for column in COLUMNS[kind]}
    data = [
        (number, cells)
        for number, cells in enumerate(table[layout.header_index + 1 :], start=header_number + 1)
        if any(str(cell).strip() for cell in cells)
    ]
    total = len(data)
    rows: list[dict] = []
    first_row_of_key: dict[str, int] = {}
    for done, (number, cells) in enumerate(data, start=1):
        row, row_errors = _check_row(
            kind, number, cells, columns, layout, headings=headings, grade=grade
        )
        if row is not None:
            key = row["key"]
            if key in first_row_of_key:
                key_column = "code" if kind == PriceKind.SERVICE or row["code"] else "name"
                row_errors.append(
                    RowError(
                        number,
                        headings[key_column],
                        _("The same item as row %(row)s.") % {"row": first_row_of_key[key]},
                    )
                )
            else:
                first_row_of_key[key] = number
        if row_errors:
            errors.extend(row_errors)
        elif not errors:
            # Once the file is refused, rows are only checked, not built.
            row["initials"], row["initials_alt"] = name_initials(row["name"])
            row["position"] = len(rows) + 1
            rows.append(row)
        if progress is not None and (done % batch_size == 0 or done == total):
            progress(done, total)
    if not data and not errors:
        errors.append(RowError(header_number + 1, "", _("The file has no price rows.")))
    if errors:
        rows = []
    return CheckedTable(rows=rows, errors=capped(errors), total=total)


def scanned(kind: str, field: str) -> bool:
    """Is this column of a row scanned for personal identifiers? All but a service's code,
    whose shape is checked (nine digits and a sub-item: 130100001-10 would read as a mobile
    number, and can hold nothing else)."""
    return not (kind == PriceKind.SERVICE and field == "code")


def capped(errors: list[RowError]) -> list[RowError]:
    """The first :data:`MAX_ERRORS` problems, and the number of the others."""
    if len(errors) <= MAX_ERRORS:
        return errors
    more = len(errors) - MAX_ERRORS
    return [
        *errors[:MAX_ERRORS],
        RowError(
            0,
            "",
            _("And %(count)s more problems: correct these first, then import again.")
            % {"count": more},
        ),
    ]


def _check_row(
    kind: str,
    number: int,
    cells: Sequence[str],
    columns: Sequence[Column],
    layout: Layout,
    *,
    headings: dict[str, str],
    grade: str,
) -> tuple[dict | None, list[RowError]]:
    """Row ``number`` as ``PriceRow`` fields (without its position and initials), or its
    problems in the order of its columns."""
    width = len(cells)
    errors: list[RowError] = []
    values: dict = {}
    for column in columns:
        index = layout.positions[column.field]
        raw = str(cells[index]) if index < width else ""
        if column.field in _NORMALISED:
            text = normalise(raw)
        elif column.max_length:  # one line: its spaces collapsed, its characters as typed
            text = " ".join(raw.split())
        else:
            text = raw.strip()
        if column.required and not text:
            errors.append(RowError(number, column.heading, _("This column is required.")))
            continue
        if column.max_length and len(text) > column.max_length:
            errors.append(
                RowError(
                    number,
                    column.heading,
                    _("Longer than %(limit)s characters.") % {"limit": column.max_length},
                )
            )
            continue
        if column.field == "price":
            price, problem = parse_price(text)
            if problem is not None:
                errors.append(RowError(number, column.heading, problem))
            values["price"] = price
        elif column.field == "code" and kind == PriceKind.SERVICE:
            if text and not SERVICE_CODE.match(text):
                errors.append(RowError(number, column.heading, _(NOT_A_SERVICE_CODE)))
            values["code"] = text
        elif column.field == "volume_procurement":
            flag = text.upper()
            if flag not in YES and flag not in NO:
                errors.append(RowError(number, column.heading, _("Write 是 (yes) or 否 (no).")))
            values[column.field] = flag in YES
        else:
            values[column.field] = text
    if kind == PriceKind.SERVICE and layout.grade_positions:
        values["grade_prices"] = _grade_prices(number, cells, layout, grade, errors)
        if "price" not in layout.positions:
            price = values["grade_prices"].get(grade)
            values["price"] = Decimal(price) if price else None
    if errors:
        return None, errors
    values.setdefault("code", "")
    key = row_key(kind, values)
    if len(key) > MAX_KEY_LENGTH:
        return None, [
            RowError(
                number,
                headings["name"],
                _("Longer than %(limit)s characters.") % {"limit": MAX_KEY_LENGTH},
            )
        ]
    values["key"] = key
    # Every text of a row is public: a patient's phone or ID number in a package or maker
    # column is refused here, before anything is stored (the review scans the rows again).
    privacy = [
        RowError(number, column.heading, personal_information_refusal([("", hit)]))
        for column in columns
        if isinstance(values.get(column.field), str) and scanned(kind, column.field)
        for hit in find_identifiers(values[column.field])[:1]
    ]
    if privacy:
        return None, privacy
    if kind == PriceKind.SERVICE:
        values["code"] = values["code"].upper()
        if not values.get("category"):
            values["category"] = service_chapter(values["code"])
    return values, []


def _grade_prices(
    number: int, cells: Sequence[str], layout: Layout, grade: str, errors: list[RowError]
) -> dict[str, str]:
    prices = {}
    for each in GRADES:
        index = layout.grade_positions.get(each)
        if index is None:
            continue
        text = normalise(str(cells[index])) if index < len(cells) else ""
        if not text:
            if each == grade and "price" not in layout.positions:
                errors.append(RowError(number, grade_heading(each), _("This column is required.")))
            continue
        price, problem = parse_price(text)
        if problem is not None:
            errors.append(RowError(number, grade_heading(each), problem))
        else:
            prices[each] = str(price)
    return prices


#: The rows of the example file offered for download with each kind's columns (data, the
#: form real lists take).
EXAMPLE_ROWS: dict[str, tuple[dict[str, str], ...]] = {
    PriceKind.SERVICE: (
        {
            "项目编码": "110200002-2",
            "项目名称": "副主任医师诊查费",
            "项目内涵": "指副主任医师在门诊为患者提供的诊查服务",
            "计价单位": "次",
            "价格": "25.00",
            "医保类别": "甲类",
        },
        {
            "项目编码": "250101015",
            "项目名称": "血细胞分析（全血细胞计数+五分类）",
            "计价单位": "次",
            "价格": "20.00",
            "医保类别": "甲类",
        },
        {
            "项目编码": "310701001",
            "项目名称": "心电图",
            "项目内涵": "含常规十二导联",
            "计价单位": "次",
            "价格": "18.00",
            "说明": "床旁检查加收5元",
        },
    ),
    PriceKind.DRUG: (
        {
            "药品编码": "XC01DAX151A001010181409",
            "通用名": "硝酸甘油片",
            "剂型": "片剂",
            "规格": "0.5mg",
            "包装": "100片/瓶",
            "生产企业": "北京益民药业有限公司",
            "单位": "瓶",
            "价格": "11.50",
            "集中带量采购": "是",
            "医保类别": "甲类",
        },
        {
            "通用名": "阿莫西林胶囊",
            "剂型": "胶囊剂",
            "规格": "0.25g",
            "包装": "24粒/盒",
            "生产企业": "示范制药有限公司",
            "单位": "盒",
            "价格": "8.20",
            "集中带量采购": "否",
            "医保类别": "甲类",
        },
    ),
    PriceKind.CONSUMABLE: (
        {
            "耗材编码": "C03010123400000012345",
            "名称": "一次性使用无菌注射器",
            "规格型号": "5ml",
            "注册证号": "国械注准20153151234",
            "生产企业": "示范医疗器械有限公司",
            "单位": "支",
            "价格": "0.45",
        },
        {
            "名称": "医用外科口罩",
            "规格型号": "17.5cm×9.5cm",
            "生产企业": "示范卫生材料有限公司",
            "单位": "只",
            "价格": "0.60",
        },
    ),
}
