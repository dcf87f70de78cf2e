"""The demo's price lists (收费价格公示): plausible tables, imported the way users import them.

The generator writes tables as a hospital's finance office would export them: headings in
Chinese in the first row, one row per item. The demo imports them through the same service as
the admin's import (``import_price_list``) and takes each list through the real review, so the
demo exercises the import, the review's diff and the change records that users rely on:

* 医疗服务项目价格: about 2,100 services with national codes (and sub-codes), one price per
  hospital grade. Three versions: first in force last year, a reviewed change in force since the
  spring, and a change of fifteen prices, three new items and two withdrawn that the finance
  head has approved and that waits in the disclosure office's queue;
* 药品价格: 500 drugs, about a quarter from volume-based procurement (集中带量采购);
* 医用耗材价格: 200 consumables with their registration numbers.

Seeded: every run writes the same rows. Idempotent: a list already there is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from disclosure.models import (
    CatalogItemPage,
    DisclosureIndexPage,
    InstitutionSettings,
    PriceListPage,
    PriceRow,
)
from disclosure.rules.prices import PriceKind
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review
from disclosure.services.price_import import import_price_list

from .demo_prices_data import (
    CONSUMABLE_MAKERS,
    CONSUMABLES,
    DRUG_MAKERS,
    DRUGS,
    KNOWN_PRICES,
    SECTIONS,
    SUB_ITEMS,
    Section,
)
from .demo_review import HEAD_APPROVED, OFFICE_APPROVED, SUBMITTED, Reviewers, clock

SEED = 30
SERVICES, DRUG_ROWS, CONSUMABLE_ROWS = 2000, 500, 200
GRADES = ("三级", "二级", "一级")
#: How much cheaper a grade-two and a grade-one hospital are than a grade-three one.
GRADE_FACTORS = (Decimal("1"), Decimal("0.9"), Decimal("0.8"))

SERVICE_HEADINGS = ["项目编码", "项目名称", "项目内涵", "除外内容", "计价单位"]
SERVICE_TAIL = ["说明", "医保类别", "分类"]
DRUG_HEADINGS = [
    "药品编码",
    "通用名",
    "剂型",
    "规格",
    "包装",
    "生产企业",
    "单位",
    "价格",
    "集中带量采购",
    "医保类别",
    "分类",
]
CONSUMABLE_HEADINGS = [
    "耗材编码",
    "名称",
    "规格型号",
    "注册证号",
    "生产企业",
    "单位",
    "价格",
    "医保类别",
    "分类",
]
#: Chinese patent medicines (中成药) among the drugs; the others are Western medicines (西药).
PATENT_MEDICINE = ("丸", "颗粒", "银杏", "连花", "血塞通", "血栓通", "丹参")
#: A consumable of this price or more is high-value (高值医用耗材).
HIGH_VALUE = Decimal("500")

Table = list[list[str]]


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    """A price between ``low`` and ``high`` (log-uniform), rounded as price lists round."""
    value = Decimal(str(low * (high / low) ** rng.random()))
    return _rounded(value)


def _rounded(value: Decimal) -> Decimal:
    step = Decimal("0.1") if value < 10 else Decimal("1") if value < 300 else Decimal("10")
    rounded = (value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step
    return max(rounded, step).quantize(Decimal("0.01"))


@dataclass
class _Service:
    code: str
    name: str
    section: Section
    unit: str
    price: Decimal
    note: str
    insurance: str


def _sub_items(unit: str) -> tuple[str, ...]:
    """What the parts of an item priced by ``unit`` add (its sub-codes -1, -2, -3)."""
    first = {"部位": "（每增加一个部位）", "小时": "（每增加1小时）", "穴位": "（每增加一个穴位）"}
    return (first.get(unit, "（加收）"), *SUB_ITEMS)


def _section_services(section: Section, rng: random.Random, round_: int) -> list[_Service]:
    """The items of one section: each name, a few of its variants, and some priced in parts
    (sub-codes). ``round_`` > 0 gives the same codes with a sub-code (for lists past the
    catalog's size, the benchmark's)."""
    services = []
    for subsection, names in section.items:
        serial = 0
        for name in names:
            variants = rng.sample(
                section.variants, min(section.variants_per_item, len(section.variants))
            )
            for text in (name, *(variant.format(name) for variant in variants)):
                serial += 1
                code = f"{section.prefix}{subsection:02d}{serial:03d}"
                unit = (
                    rng.choice(section.units)
                    if section.units and rng.random() < 0.15
                    else section.unit
                )
                price = _price(rng, section.low, section.high)
                if text in KNOWN_PRICES:
                    price = Decimal(KNOWN_PRICES[text]).quantize(Decimal("0.01"))
                note = section.note if section.note and rng.random() < 0.3 else ""
                insurance = rng.choice(section.classes)
                if round_:  # past the parts' sub-codes (1 to 3)
                    suffix = _sub_items(unit)[round_ % len(_sub_items(unit))]
                    services.append(
                        _Service(
                            f"{code}-{round_ + 3}",
                            text + suffix,
                            section,
                            unit,
                            price,
                            note,
                            insurance,
                        )
                    )
                    continue
                services.append(_Service(code, text, section, unit, price, note, insurance))
                if rng.random() < 0.06:  # priced in parts: 110200002-1, -2 …
                    for part in range(1, rng.randint(1, 3) + 1):
                        extra = _rounded(price * Decimal(str(rng.choice((0.2, 0.3, 0.5)))))
                        services.append(
                            _Service(
                                f"{code}-{part}",
                                text + _sub_items(unit)[part - 1],
                                section,
                                unit,
                                extra,
                                "",
                                insurance,
                            )
                        )
    return services


def service_table(count: int = SERVICES, *, grades: bool = True, seed: int = SEED) -> Table:
    """Medical services (医疗服务项目): at least ``count`` rows, every code of the national
    shape. With ``grades``, one price column per hospital grade; otherwise one 价格."""
    rng = random.Random(seed)  # noqa: S311 - demo data, seeded
    services: list[_Service] = []
    round_ = 0
    while len(services) < count:
        for section in SECTIONS:
            services += _section_services(section, rng, round_)
        round_ += 1
    if round_ > 1:
        services = services[:count]
    prices = [f"价格（{grade}）" for grade in GRADES] if grades else ["价格"]
    table = [[*SERVICE_HEADINGS, *prices, *SERVICE_TAIL]]
    for service in services:
        section = service.section
        if grades:
            cells = [str(_rounded(service.price * factor)) for factor in GRADE_FACTORS]
        else:
            cells = [str(service.price)]
        table.append(
            [
                service.code,
                service.name,
                section.content,
                section.exclusions,
                service.unit,
                *cells,
                service.note,
                service.insurance,
                section.category,
            ]
        )
    return table


def drug_table(count: int = DRUG_ROWS, *, seed: int = SEED) -> Table:
    """Drugs (药品): ``count`` rows, each drug from a few makers; about a quarter bought
    through volume-based procurement (cheaper, and flagged 是)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, seeded
    rows: list[list[str]] = [DRUG_HEADINGS]
    seen: set[tuple[str, ...]] = set()
    serial = 0
    while len(rows) <= count:
        name, form, specs, package, unit, base, insurance = rng.choice(DRUGS)
        spec = rng.choice(specs)
        maker = rng.choice(DRUG_MAKERS)
        if (name, spec, maker) in seen:
            continue
        seen.add((name, spec, maker))
        serial += 1
        procured = rng.random() < 0.25
        per_pack = int("".join(ch for ch in package.split("/")[0] if ch.isdigit()) or 1)
        smallest = base * rng.uniform(0.6, 1.8) * (0.45 if procured else 1.0)
        packs = per_pack if unit in ("盒", "瓶") else 1
        price = _rounded(Decimal(str(smallest * packs)))
        # The national insurance drug code's shape (医保药品分类与代码, 23 characters).
        code = (
            f"X{'ABCDGJLMNRS'[serial % 11]}{serial % 97:02d}{chr(65 + serial % 26)}"
            f"{'ABC'[serial % 3]}{serial:03d}A{serial % 12 + 1:03d}{rng.randrange(10**10):010d}"
        )
        rows.append(
            [
                code,
                name,
                form,
                spec,
                package,
                maker,
                unit,
                str(price),
                "是" if procured else "否",
                insurance,
                "中成药" if any(part in name for part in PATENT_MEDICINE) else "西药",
            ]
        )
    return rows


def consumable_table(count: int = CONSUMABLE_ROWS, *, seed: int = SEED) -> Table:
    """Medical consumables (医用耗材): ``count`` rows with registration numbers shaped as the
    NMPA's (国械注准20153660123, 国械注进…, 苏械注准…)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, seeded
    rows: list[list[str]] = [CONSUMABLE_HEADINGS]
    seen: set[tuple[str, str, str]] = set()
    while len(rows) <= count:
        name, specs, unit, base, klass, insurance = rng.choice(CONSUMABLES)
        spec = rng.choice(specs)
        maker, province = rng.choice(CONSUMABLE_MAKERS)
        if (name, spec, maker) in seen:
            continue
        seen.add((name, spec, maker))
        year = rng.randint(2014, 2024)
        number = f"{year}{klass}{rng.randint(1, 77):02d}{rng.randint(1, 9999):04d}"
        if province == "进":
            registration = f"国械注进{year}3{rng.randint(1, 77):02d}{rng.randint(1, 9999):04d}"
        elif klass == "3":
            registration = f"国械注准{number}"
        else:
            registration = f"{province}械注准{number}"
        price = _rounded(Decimal(str(base * rng.uniform(0.7, 1.5))))
        # The national consumable code's shape (医保医用耗材分类与代码: C and 19 digits).
        code = (
            f"C{rng.randint(1, 19):02d}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
            f"{rng.randint(1, 999):03d}{len(rows):05d}{rng.randrange(10**5):05d}"
        )
        category = "高值医用耗材" if price >= HIGH_VALUE else "低值医用耗材"
        rows.append([code, name, spec, registration, maker, unit, str(price), insurance, category])
    return rows


def changed_table(
    table: Table,
    *,
    seed: int,
    changed: int,
    added: int = 0,
    removed: int = 0,
    rise: tuple[float, float] = (0.9, 1.15),
) -> Table:
    """``table`` after a price adjustment: ``changed`` rows repriced, ``removed`` rows gone and
    ``added`` new services (codes of sections already in the list, past their last serial)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, seeded
    headings, rows = table[0], [list(row) for row in table[1:]]
    price_columns = [i for i, heading in enumerate(headings) if heading.startswith("价格")]
    # Main rows only: a sub-item is changed with its item.
    candidates = [i for i, row in enumerate(rows) if "-" not in row[0]]
    picked = rng.sample(candidates, changed + removed)
    for i in picked[:changed]:
        factor = Decimal(str(rng.uniform(*rise)))
        for column in price_columns:
            old = Decimal(rows[i][column])
            new = _rounded(old * factor)
            rows[i][column] = str(new if new != old else old + Decimal("1.00"))
    gone = set(picked[changed:])
    rows = [row for i, row in enumerate(rows) if i not in gone]
    codes = {row[0] for row in rows}
    for number in range(added):
        prefix, name = NEW_SERVICES[number % len(NEW_SERVICES)]
        template = next(row for row in reversed(rows) if row[0].startswith(prefix))
        code = template[0].split("-")[0]
        serial = int(code[-3:])
        while code in codes:
            serial += 1
            code = f"{code[:-3]}{serial % 1000:03d}"
        codes.add(code)
        row = list(template)
        row[0] = code
        row[1] = name
        rows.append(row)
    return [headings, *rows]


#: New items a price adjustment adds (新增医疗服务价格项目).
NEW_SERVICES = (
    ("1201", "互联网+护理服务（上门护理）"),
    ("2104", "人工智能辅助CT影像诊断"),
    ("2202", "远程心电监测"),
    ("4301", "揿针治疗"),
)


# The demo's lists ------------------------------------------------------------------------------

#: When the department's editor edits a list's words and imports its rows on its day (before
#: submitting it at 9:00).
EDITED, IMPORTED = dt.time(8, 0), dt.time(8, 30)
SERVICE_ITEM, DRUG_ITEM, CONSUMABLE_ITEM = "医疗服务项目价格", "药品价格", "医用耗材价格"
#: The price adjustment awaiting the office: rows repriced, added and withdrawn.
PENDING_CHANGED, PENDING_ADDED, PENDING_REMOVED = 15, 3, 2


@dataclass
class PriceDemo:
    services: PriceListPage
    drugs: PriceListPage
    consumables: PriceListPage


def month_start(day: dt.date, back: int) -> dt.date:
    """The first day of the month ``back`` months before ``day``'s (negative: after)."""
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return dt.date(year, month + 1, 1)


def basis(day: dt.date, number: int) -> str:
    """The price authority's document (文号) of an adjustment issued around ``day``."""
    return f"示价〔{day.year}〕{number}号"


def _body(kind_title: str, document: str) -> str:
    return json.dumps(
        [
            {
                "type": "paragraph",
                "value": f"<p>根据{document}及医疗保障部门有关规定，现将本院{kind_title}公示如下。"
                "价格如有调整，以本页最新公示为准；对收费有疑问的，可向门诊一楼收费处或"
                "财务科（0000-88880166）咨询。</p>",
            }
        ]
    )


def _fresh(page: PriceListPage) -> PriceListPage:
    """The page as the database has it now: its latest revision is the last one saved, by
    whichever copy of the page saved it."""
    return PriceListPage.objects.get(pk=page.pk)


class PriceListDemo:
    """The demo hospital's three lists, each imported and reviewed on its day."""

    def __init__(self, *, builder, index: DisclosureIndexPage):
        self.builder = builder
        self.anchor: dt.date = builder.anchor
        self.office = builder.users["office"]
        self.items = {
            item.title: item
            for item in CatalogItemPage.objects.descendant_of(index)
            .filter(title__in=(SERVICE_ITEM, DRUG_ITEM, CONSUMABLE_ITEM))
            .select_related("department")
        }

    def reviewers(self, item: CatalogItemPage) -> Reviewers:
        return Reviewers(
            editor=self.builder._editor_for(item),
            head=self.builder._head_for(item),
            office=self.office,
        )

    def create(
        self, item_title: str, *, kind: str, title: str, on: dt.date, document: str
    ) -> tuple[PriceListPage, bool]:
        """The list's page under its item, drafted on ``on`` (``created`` is False when the
        demo has it already)."""
        item = self.items[item_title]
        slug = slugify(f"{item_title}公示", allow_unicode=True)
        existing = PriceListPage.objects.child_of(item).filter(slug=slug).first()
        if existing is not None:
            return existing, False
        page = PriceListPage(
            title=title,
            slug=slug,
            price_kind=kind,
            publication_date=on,
            owner=self.reviewers(item).editor,
            live=False,
            body=_body(item_title, document),
        )
        with clock(on, IMPORTED):
            item.add_child(instance=page)
        return page, True

    def import_and_review(
        self,
        page: PriceListPage,
        table: Table,
        *,
        effective: dt.date,
        on: dt.date,
        document: str,
        publish: bool = True,
    ) -> None:
        """The editor imports ``table`` and submits the list, the head approves, and (with
        ``publish``) the office approves it live; all on ``on``, through the admin's services."""
        reviewers = self.reviewers(self.items_by_page(page))
        with clock(on, IMPORTED):
            import_price_list(
                page=_fresh(page),
                user=reviewers.editor,
                table=table,
                effective_date=effective,
                basis=document,
                source_name=f"{page.title}.xlsx",
            )
        with clock(on, SUBMITTED):
            # What the editor sees in the form: the latest revision, the new rows named.
            draft = _fresh(page).get_latest_revision_as_object()
            submit_for_review(page=draft, user=reviewers.editor)
        with clock(on, HEAD_APPROVED):
            approve(page=page, user=reviewers.head)
        if publish:
            with clock(on, OFFICE_APPROVED):
                approve(page=page, user=reviewers.office, checklist=FULL_CHECKLIST)
        page.refresh_from_db()

    def items_by_page(self, page: PriceListPage) -> CatalogItemPage:
        return next(item for item in self.items.values() if item.pk == page.get_parent().pk)

    def services(self) -> PriceListPage:
        """Three versions: last year's, this spring's adjustment (some prices changed, four
        items new) and the adjustment that waits for the office."""
        current = month_start(self.anchor, 9)
        first = dt.date(current.year - 1, 1, 1)
        upcoming = month_start(self.anchor, -1)
        table = service_table()
        last_year = changed_table(table, seed=SEED + 1, changed=40, removed=4, rise=(0.85, 0.97))
        pending = changed_table(
            table,
            seed=SEED + 2,
            changed=PENDING_CHANGED,
            added=PENDING_ADDED,
            removed=PENDING_REMOVED,
            rise=(1.03, 1.2),
        )
        on = first - dt.timedelta(days=10)
        document = basis(on, 45)
        page, created = self.create(
            SERVICE_ITEM,
            kind=PriceKind.SERVICE,
            title=f"{SERVICE_ITEM}（{first.year}年版）",
            on=on,
            document=document,
        )
        if not created:
            return page
        self.import_and_review(page, last_year, effective=first, on=on, document=document)
        on = current - dt.timedelta(days=10)
        document = basis(on, 8)
        with clock(on, EDITED):  # this year's edition: its title and words
            draft = _fresh(page).get_latest_revision_as_object()
            draft.title = f"{SERVICE_ITEM}（{current.year}年版）"
            draft.body = _body(SERVICE_ITEM, document)
            draft.publication_date = on
            draft.save_revision(user=draft.owner)
        self.import_and_review(page, table, effective=current, on=on, document=document)
        on = self.anchor - dt.timedelta(days=1)
        self.import_and_review(
            page, pending, effective=upcoming, on=on, document=basis(on, 12), publish=False
        )
        return page

    def single(self, item_title: str, kind: str, table: Table, back: int) -> PriceListPage:
        """A list of one version, in force since the first of the month ``back`` months ago."""
        effective = month_start(self.anchor, back)
        on = effective - dt.timedelta(days=5)
        document = basis(on, 20 + back)
        page, created = self.create(
            item_title,
            kind=kind,
            title=f"{item_title}（{effective.year}年版）",
            on=on,
            document=document,
        )
        if created:
            self.import_and_review(page, table, effective=effective, on=on, document=document)
        return page

    def build(self) -> PriceDemo:
        return PriceDemo(
            services=self.services(),
            # Four months ago: the item's monthly lists stay overdue, as the demo shows them.
            drugs=self.single(DRUG_ITEM, PriceKind.DRUG, drug_table(), 4),
            consumables=self.single(CONSUMABLE_ITEM, PriceKind.CONSUMABLE, consumable_table(), 2),
        )


def load_demo_prices(*, builder, index: DisclosureIndexPage) -> PriceDemo:
    """The demo hospital's price lists (idempotent: a list already there is left alone)."""
    return PriceListDemo(builder=builder, index=index).build()


# The benchmark's list ---------------------------------------------------------------------------

BENCH_LIST_TITLE = "医疗服务项目价格（基准测试）"


def bench_price_list(*, site, rows: int) -> PriceListPage | None:
    """The benchmark's list of ``rows`` services (``load_demo --scale``): a second service list
    of the demo hospital, imported and reviewed like the demo's, so that the public query is
    measured on a list of a city hospital's size. Never in the test demo. Idempotent."""
    index = DisclosureIndexPage.objects.descendant_of(site.root_page).first()
    item = CatalogItemPage.objects.descendant_of(index).filter(title=SERVICE_ITEM).first()
    if item is None:
        return None
    slug = slugify(BENCH_LIST_TITLE, allow_unicode=True)
    page = PriceListPage.objects.child_of(item).filter(slug=slug).first()
    if page is not None:
        return page
    reviewers = Reviewers(
        editor=item.department.editors_group.user_set.order_by("pk").first(),
        head=item.department.heads_group.user_set.order_by("pk").first(),
        office=InstitutionSettings.for_site(site).office_group.user_set.order_by("pk").first(),
    )
    on = timezone.localdate()
    page = PriceListPage(
        title=BENCH_LIST_TITLE,
        slug=slug,
        price_kind=PriceKind.SERVICE,
        publication_date=on,
        owner=reviewers.editor,
        live=False,
        body=_body(SERVICE_ITEM, basis(on, 99)),
    )
    item.add_child(instance=page)
    import_price_list(
        page=page,
        user=reviewers.editor,
        table=service_table(rows, grades=False),
        effective_date=on,
        basis=basis(on, 99),
        source_name="bench.csv",
    )
    submit_for_review(page=_fresh(page).get_latest_revision_as_object(), user=reviewers.editor)
    approve(page=page, user=reviewers.head)
    approve(page=page, user=reviewers.office, checklist=FULL_CHECKLIST)
    page.refresh_from_db()
    with connection.cursor() as cursor:  # fresh statistics for the planner
        cursor.execute(f"ANALYZE {PriceRow._meta.db_table}")
    return page
