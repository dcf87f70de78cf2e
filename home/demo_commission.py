"""Two more hospitals and the health commission over them (``load_demo``'s last stage).

The demo hospital is the institution a disclosure office works in. A health commission
(卫生健康委员会) oversees many: so the demo gains two more hospitals in the same city and the
commission whose area holds all three, with a provincial commission above it.

* Each hospital is built as an institution is set up for real: its departments, its office
  group, its review workflows, and the demo's catalog through the same ``import_catalog`` the
  demo hospital's went through (submitted by one office member, approved by the other).
* Their publications are written on record (``publish_on_record``: submitted by the item's
  department editor, approved by its head and by the office, each on its day), so the audit
  check holds for them as for the demo hospital's. They differ in how well each keeps its
  catalog up to date: the second people's hospital is on time but for a few items; the
  hospital of traditional Chinese medicine lets several lapse and has never published some.
* The municipal commission is made with ``ensure_commission_groups``, as the admin makes one;
  ``commission`` reads and assesses there, ``commission-reader`` only reads.

What the commission then does (its notices, its snapshots) builds on :class:`CommissionDemo`,
which this stage returns. Idempotent: a second run finds everything and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from disclosure.models import (
    CatalogItemPage,
    Commission,
    Department,
    DisclosureIndexPage,
    InstitutionSettings,
    PublicationPage,
)
from disclosure.rules.commissions import CommissionLevel
from disclosure.rules.deadlines import period_bounds, previous_period_end
from disclosure.rules.update_rules import RuleKind
from disclosure.services.catalog_io import import_catalog
from disclosure.services.commissions import ensure_commission_groups
from disclosure.services.departments import ensure_department, ensure_office_group
from disclosure.services.moderation import approve, setup_moderation, submit_for_review

from . import demo_content as text
from .demo import CATALOG_FILE, DEMO_PASSWORD, DEPARTMENTS
from .demo_review import Reviewers, publish_on_record
from .models import HomePage

CITY_COMMISSION = "示范市卫生健康委员会"
PROVINCE_COMMISSION = "示范省卫生健康委员会"
#: Days after a period's end on which its publication goes live.
PUBLISHED_AFTER = 7
#: A lapsed periodic item stopped publishing for periods that ended at least this long ago:
#: the first unmet one is then overdue on any day (20 working days are at most ~45 days).
LAPSED_DAYS = 60
#: A lapsed long-standing item was last published this long ago (reviewed every 12 months).
LAPSED_REVIEW_DAYS = 400


@dataclass(frozen=True)
class Hospital:
    """One more institution of the demo: who it is, where it is served, how it keeps up."""

    number: int  # the suffix of its accounts: office-2, medical-head-2, …
    name: str
    hostname: str
    slug: str
    grade: str
    address: str
    phone: str
    office: tuple[str, str]  # the office's head and deputy (surname, given name)
    deputy: tuple[str, str]
    #: Items whose publications stopped (overdue now) and items never published.
    lapsed: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


HOSPITALS = (
    # The benchmark's second institution has the same name and host (demo_scale), so
    # ``load_demo --scale`` fills this hospital up instead of making a second one of that name.
    Hospital(
        number=2,
        name="示范市第二人民医院",
        hostname="hospital-02.localhost",
        slug="hospital-02",
        grade="3B",
        address="示范市东城区和平路16号",
        phone="0000-86660000",
        office=("周", "洁"),
        deputy=("郑", "华"),
        lapsed=("健康科普知识", "廉洁从业准则"),
        never=("医疗技术准入",),
    ),
    Hospital(
        number=3,
        name="示范市中医医院",
        hostname="hospital-tcm.localhost",
        slug="hospital-tcm",
        grade="3A",
        address="示范市西城区岐黄路9号",
        phone="0000-87770000",
        office=("吴", "芳"),
        deputy=("冯", "涛"),
        lapsed=(
            "专家出诊信息",
            "药品价格",
            "医疗服务项目价格",
            "医德医风建设",
            "护理服务",
            "信息公开制度",
        ),
        never=("大型医用设备配置", "拟聘用人员公示", "违规违纪处理结果", "职称评聘与评优评先"),
    ),
)

# (username, surname, given name and role, reads, assesses)
COMMISSION_ACCOUNTS = (
    ("commission", "孙", "卫健（市卫生健康委员会）", True, True),
    ("commission-reader", "钱", "明（市卫生健康委员会）", True, False),
)


@dataclass
class CommissionDemo:
    """What the stage built: the lead's later steps (a notice, snapshots) start from here."""

    commission: Commission
    province: Commission
    institutions: list[Site]
    users: dict[str, object] = field(default_factory=dict)
    publications_created: int = 0


# Institutions ---------------------------------------------------------------------------------


def _institution(hospital: Hospital) -> Site:
    """The hospital's site and institution settings (found by its host on a second run)."""
    site = Site.objects.filter(hostname=hospital.hostname).first()
    if site is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(
                title=hospital.name,
                slug=hospital.slug,
                intro=f"<p>{hospital.name}是示范市卫生健康委员会主管的公立医院。本网站依据"
                "《医疗卫生机构信息公开管理办法》公开医院信息，接受社会监督。</p>",
            )
        )
        home.save_revision().publish()
        site = Site.objects.create(
            hostname=hospital.hostname,
            port=80,
            site_name=hospital.name,
            root_page=home,
            is_default_site=False,
        )
    institution = InstitutionSettings.for_site(site)
    values = {
        "full_name": hospital.name,
        "grade": hospital.grade,
        "address": hospital.address,
        "phone": hospital.phone,
        "office_contact": "".join(hospital.office),
        "office_phone": hospital.phone[:-4] + "0120",
        "office_email": f"xxgk@{hospital.slug}.example",
    }
    if any(getattr(institution, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(institution, name, value)
        institution.save()
    for order, (name, _prefix) in enumerate(DEPARTMENTS):
        ensure_department(site=site, name=name, sort_order=order)
    if institution.publication_workflow_id is None:
        setup_moderation(site=site)
    return site


def _account(username: str, first: str, last: str, groups, *, password: str, domain: str):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@{domain}",
            "password": password,
        },
    )
    user.groups.add(*groups)
    return user


def _people(site: Site, hospital: Hospital, *, password: str) -> dict[str, object]:
    """The office (two members: the catalog review needs a second) and every department's
    editor and head, their usernames those of the demo hospital's with the hospital's number."""
    office = ensure_office_group(site=site)
    suffix = f"-{hospital.number}"
    domain = f"{hospital.slug}.example"
    (surname, given), (deputy_surname, deputy_given) = hospital.office, hospital.deputy
    people = {
        "office": _account(
            f"office{suffix}",
            surname,
            f"{given}（信息公开办公室）",
            [office],
            password=password,
            domain=domain,
        ),
        "office-deputy": _account(
            f"office-deputy{suffix}",
            deputy_surname,
            f"{deputy_given}（信息公开办公室）",
            [office],
            password=password,
            domain=domain,
        ),
    }
    for department in Department.objects.filter(site=site).select_related(
        "editors_group", "heads_group"
    ):
        prefix = dict(DEPARTMENTS)[department.name]
        for role, group, label in (
            ("editor", department.editors_group, "编辑"),
            ("head", department.heads_group, "负责人"),
        ):
            people[f"{prefix}-{role}"] = _account(
                f"{prefix}-{role}{suffix}",
                department.name,
                label,
                [group],
                password=password,
                domain=domain,
            )
    return people


def _catalog(site: Site, people: dict[str, object]) -> DisclosureIndexPage:
    """The demo's catalog, imported and approved as the demo hospital's was."""
    office, deputy = people["office"], people["office-deputy"]
    import_catalog(site=site, path=CATALOG_FILE, user=office, approver=deputy)
    index = DisclosureIndexPage.objects.descendant_of(site.root_page).get()
    if not index.intro:
        index.intro = (
            "<p>本栏目依据《医疗卫生机构信息公开管理办法》设置，按信息公开目录公开本院信息。</p>"
        )
        submit_for_review(page=index, user=office)
        approve(page=index, user=deputy)
    return index


# Publications ---------------------------------------------------------------------------------


def _period_days(item: CatalogItemPage, anchor: dt.date, count: int) -> list[dt.date]:
    """The days the last ``count`` periods that ended were published, newest first: each a
    week after its period ended (and none that would lie after ``anchor``)."""
    days = []
    end = previous_period_end(item.rule_period, anchor)
    for _back in range(count):
        on = end + dt.timedelta(days=PUBLISHED_AFTER)
        if on <= anchor:
            days.append(on)
        start, _end = period_bounds(item.rule_period, end)
        end = start - dt.timedelta(days=1)
    return days


#: How many periods back each periodic item was published.
PERIODS_BACK = {"month": 12, "quarter": 6, "half_year": 4, "year": 2}


def publication_days(item: CatalogItemPage, *, anchor: dt.date, lapsed: bool) -> list[dt.date]:
    """When the item's publications went live, newest first, for a hospital that keeps it up
    to date or (``lapsed``) one that stopped some time ago."""
    if item.rule_kind == RuleKind.PERIODIC:
        days = _period_days(item, anchor, PERIODS_BACK[item.rule_period])
        if lapsed:
            cutoff = anchor - dt.timedelta(days=LAPSED_DAYS)
            days = [d for d in days if period_bounds(item.rule_period, d)[1] <= cutoff]
        return days
    # Spread a little by item, so that the hospitals' lists do not all change on one day.
    spread = item.pk % 17
    if item.rule_kind == RuleKind.REVIEW:
        if lapsed:
            return [anchor - dt.timedelta(days=LAPSED_REVIEW_DAYS + spread)]
        return [anchor - dt.timedelta(days=days + spread) for days in (90, 420)]
    if item.rule_kind == RuleKind.REAL_TIME:
        return [anchor - dt.timedelta(days=days + spread) for days in (4, 45, 160)]
    return [anchor - dt.timedelta(days=days + spread) for days in (30, 310)]


def _title(item: CatalogItemPage, on: dt.date) -> str:
    """The item and the period (or the day) a publication covers: 药品价格（2026年11月）."""
    if item.rule_kind != RuleKind.PERIODIC:
        return f"{item.title}（{on.year}年{on.month}月{on.day}日更新）"
    end = previous_period_end(item.rule_period, on)
    label = {
        "month": f"{end.year}年{end.month}月",
        "quarter": text.quarter_label(end.year, (end.month - 1) // 3 + 1),
        "half_year": text.half_label(end.year, 1 if end.month <= 6 else 2),
        "year": f"{end.year}年度",
    }[item.rule_period]
    return f"{item.title}（{label}）"


def _publications(
    site: Site,
    index: DisclosureIndexPage,
    hospital: Hospital,
    people: dict[str, object],
    *,
    anchor: dt.date,
) -> int:
    """Every item's publications on record, but for items that have some already."""
    workflow = InstitutionSettings.for_site(site).publication_workflow
    items = (
        CatalogItemPage.objects.descendant_of(index)
        .exclude(title__in=hospital.never)
        .exclude(numchild__gt=0)
        .select_related("department")
        .order_by("path")
    )
    created = 0
    for item in items:
        prefix = dict(DEPARTMENTS)[item.department.name]
        reviewers = Reviewers(
            editor=people[f"{prefix}-editor"],
            head=people[f"{prefix}-head"],
            office=people["office"],
        )
        for on in publication_days(item, anchor=anchor, lapsed=item.title in hospital.lapsed):
            title = _title(item, on)
            page = PublicationPage(
                title=title,
                slug=f"{on:%Y%m%d}-{item.pk}",
                publication_date=on,
                summary=text.body_for(item.title, title)[:60],
                body=json.dumps(text.general_body(item.title, title), ensure_ascii=False),
                owner=reviewers.editor,
            )
            publish_on_record(item=item, page=page, on=on, reviewers=reviewers, workflow=workflow)
            created += 1
    return created


# Commissions ----------------------------------------------------------------------------------


def _commissions(sites: list[Site]) -> tuple[Commission, Commission]:
    city, _created = Commission.objects.get_or_create(
        name=CITY_COMMISSION,
        defaults={"level": CommissionLevel.MUNICIPAL, "region": "示范市"},
    )
    # Only what is missing: each change of a commission's area is kept in its history.
    if missing := {site.pk for site in sites} - set(city.institutions.values_list("pk", flat=True)):
        city.institutions.add(*missing)
    province, _created = Commission.objects.get_or_create(
        name=PROVINCE_COMMISSION,
        defaults={"level": CommissionLevel.PROVINCIAL, "region": "示范省"},
    )
    if not province.oversees.filter(pk=city.pk).exists():
        province.oversees.add(city)
    return ensure_commission_groups(commission=city), ensure_commission_groups(commission=province)


def load_demo_commission(
    *,
    demo_site: Site,
    anchor: dt.date,
    progress: Callable[[str], None] = lambda message: None,
) -> CommissionDemo:
    """The two more hospitals, their people and publications, and the commissions."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the hash is the slow part
    sites = [demo_site]
    users: dict[str, object] = {}
    created = 0
    for hospital in HOSPITALS:
        site = _institution(hospital)
        people = _people(site, hospital, password=password)
        index = _catalog(site, people)
        created += _publications(site, index, hospital, people, anchor=anchor)
        users.update({f"{key}-{hospital.number}": user for key, user in people.items()})
        sites.append(site)
        progress(
            _("  %(institution)s: %(count)s publications in all")
            % {
                "institution": hospital.name,
                "count": PublicationPage.objects.descendant_of(index).count(),
            }
        )
    city, province = _commissions(sites)
    for username, first, last, reads, assesses in COMMISSION_ACCOUNTS:
        groups = [city.readers_group] if reads else []
        groups += [city.assessors_group] if assesses else []
        users[username] = _account(
            username, first, last, groups, password=password, domain="wjw.example"
        )
    return CommissionDemo(
        commission=city,
        province=province,
        institutions=sites,
        users=users,
        publications_created=created,
    )
