"""The demo hospital: one institution, ten departments, the sample catalog, two years of posts.

Built with the same services users run (the catalog goes through ``import_catalog``), so the
tests that load it also exercise those paths. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

import disclosure
from disclosure.models import (
    CatalogItemPage,
    DisclosureIndexPage,
    InstitutionSettings,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationPage,
    RecruitmentNoticePage,
    RecruitmentPosition,
)
from disclosure.rules.update_rules import Period, RuleKind
from disclosure.services.catalog_io import import_catalog, parse_table, read_table
from disclosure.services.compliance import record_attestation, record_change
from disclosure.services.departments import (
    ensure_department,
    ensure_office_group,
    institution_collection,
)
from disclosure.services.moderation import (
    approve,
    setup_moderation,
    submit_for_review,
)
from disclosure.services.workdays import seed_calendar_from_chinesecalendar

from . import demo_content as text
from .demo_inspections import load_demo_inspections
from .demo_reports import REPORT_ITEM, load_demo_reports
from .demo_requests import ensure_request_centre, load_demo_cases
from .demo_review import Reviewers, clock, publish_on_record, publish_through_review
from .models import HomePage

if TYPE_CHECKING:
    from .demo_commission import CommissionDemo

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - documented demo password, demo database only
CATALOG_FILE = Path(disclosure.__file__).parent / "data" / "catalog_demo.csv"

# (department, account prefix)
DEPARTMENTS = [
    ("院办", "hospital-office"),
    ("医务科", "medical"),
    ("护理部", "nursing"),
    ("财务科", "finance"),
    ("药学部", "pharmacy"),
    ("人事科", "hr"),
    ("采购中心", "procurement"),
    ("党办", "party"),
    ("纪检监察室", "discipline"),
    ("信息科", "it"),
]
SUPERVISORS_GROUP = "纪检监察（监督）"
LEADERSHIP_GROUP = "院领导"
# Publications of each page type that the demo takes through the real review, step by step.
REAL_REVIEWS_PER_KIND = 2
# When the demo's departments record a change or an attestation, on its day.
RECORDED = dt.time(16, 0)


@dataclass
class DemoSummary:
    site: Site
    index: DisclosureIndexPage
    publications_created: int
    anchor: dt.date
    #: The two more hospitals and the health commission (the last stage).
    commission: CommissionDemo | None = None


def _pdf(title: str) -> bytes:
    """A one-page PDF (ASCII text) to stand in for a scanned attachment."""
    stream = f"BT /F1 14 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


class DemoBuilder:
    def __init__(self, *, anchor: dt.date, progress: Callable[[str], None]):
        self.anchor = anchor
        self.progress = progress
        self.created = 0
        self.users: dict[str, object] = {}
        self.reviewed: Counter[type] = Counter()
        self.workflow = None  # the institution's publication review, once it is set up

    # Site, institution, people ----------------------------------------------------------------

    def site(self) -> Site:
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(depth=2).first()
        if home is None:
            home = root.add_child(
                instance=HomePage(
                    title=text.HOSPITAL,
                    slug="demo-hospital",
                    notice="本院门诊时间：周一至周日 8:00—17:00，急诊24小时开放。",
                    intro=(
                        "<p>示范市人民医院是一所集医疗、教学、科研、预防为一体的三级甲等综合医院，"
                        "开放床位1200张，设临床医技科室46个。本网站依据《医疗卫生机构信息公开管理办法》"
                        "公开医院信息，接受社会监督。</p>"
                    ),
                )
            )
            home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.hostname, site.port, site.site_name, site.root_page = (
            "localhost",
            80,
            text.HOSPITAL,
            home,
        )
        site.save()
        # Wagtail's initial migration leaves a placeholder page; the demo replaces it.
        Page.objects.filter(depth=2, content_type__model="page").exclude(pk=home.pk).delete()

        institution = InstitutionSettings.for_site(site)
        institution.full_name = text.HOSPITAL
        institution.grade = "3A"
        institution.address = "示范市健康路88号"
        institution.phone = "0000-88880000"
        institution.legal_representative = "王建国（院长）"
        institution.office_contact = "李静"
        institution.office_phone = "0000-88880120"
        institution.office_email = "xxgk@hospital.example"
        institution.office_address = "行政楼3楼305室"
        institution.save()
        return site

    def departments(self, site: Site) -> None:
        for order, (name, _prefix) in enumerate(DEPARTMENTS):
            ensure_department(site=site, name=name, sort_order=order)

    def accounts(self, site: Site) -> None:
        from disclosure.models import Department

        office = ensure_office_group(site=site)
        supervisors, _created = Group.objects.get_or_create(name=SUPERVISORS_GROUP)
        supervisors.permissions.add(Permission.objects.get(codename="access_admin"))
        institution = InstitutionSettings.for_site(site)
        institution.supervisors_group = supervisors
        # The first person responsible (第一责任人) signs off the self-inspection.
        leadership, _created = Group.objects.get_or_create(name=LEADERSHIP_GROUP)
        leadership.permissions.add(Permission.objects.get(codename="access_admin"))
        institution.leadership_group = leadership
        institution.save(update_fields=["supervisors_group", "leadership_group"])
        people: list[tuple[str, str, str, list[Group], bool]] = [
            ("admin", "系统", "管理员", [], True),
            ("office", "李", "静（信息公开办公室）", [office], False),
            ("office-deputy", "赵", "敏（信息公开办公室）", [office], False),
            ("supervisor", "孙", "正（纪检监察）", [supervisors], False),
            ("leader", "王", "建国（院长）", [leadership], False),
        ]
        for name, prefix in DEPARTMENTS:
            department = Department.objects.get(site=site, name=name)
            people.append((f"{prefix}-editor", name, "编辑", [department.editors_group], False))
            people.append((f"{prefix}-head", name, "负责人", [department.heads_group], False))
        user_model = get_user_model()
        for username, first, last, groups, superuser in people:
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@hospital.example",
                    "is_superuser": superuser,
                    "is_staff": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*groups)
            self.users[username] = user

    # Publications -----------------------------------------------------------------------------

    def _editor_for(self, item: CatalogItemPage):
        prefix = dict(DEPARTMENTS).get(item.department.name)
        return self.users[f"{prefix}-editor"]

    def _head_for(self, item: CatalogItemPage):
        prefix = dict(DEPARTMENTS).get(item.department.name)
        return self.users[f"{prefix}-head"]

    def publish(self, item: CatalogItemPage, page: PublicationPage, on: dt.date, *extra) -> None:
        """Create ``page`` under ``item`` as published on ``on``, unless it already exists."""
        if on > self.anchor:
            return
        # Demo titles name years relative to their date ("{y}年…", "{ny}年元旦…").
        page.title = page.title.format(y=on.year, ny=on.year + 1)
        page.slug = slugify(page.title, allow_unicode=True)[:200]
        if Page.objects.child_of(item).filter(slug=page.slug).exists():
            return
        page.publication_date = on
        page.owner = self._editor_for(item)
        page.live = False
        for relation, children in extra:
            getattr(page, relation).set(children)
        reviewers = Reviewers(
            editor=page.owner, head=self._head_for(item), office=self.users["office"]
        )
        # A few of each kind go through the real review, step by step; the rest are written
        # with the same records directly (see home/demo_review.py).
        kind = type(page)
        if self.reviewed[kind] < REAL_REVIEWS_PER_KIND:
            self.reviewed[kind] += 1
            publish_through_review(item=item, page=page, on=on, reviewers=reviewers)
        else:
            publish_on_record(
                item=item, page=page, on=on, reviewers=reviewers, workflow=self.workflow
            )
        self.created += 1

    def attachment(self, title: str, item: CatalogItemPage) -> PublicationAttachment:
        """A PDF in the collection of the item's institution (its staff's documents only)."""
        document_model = get_document_model()
        document = document_model.objects.filter(title=title).first()
        if document is None:
            collection = institution_collection(item.department.site)
            document = document_model(title=title, collection=collection)
            document.file.save(f"{slugify(title) or 'attachment'}.pdf", ContentFile(_pdf("Demo")))
        return PublicationAttachment(document=document)

    def general(self, item: CatalogItemPage, title: str, on: dt.date, body: str = "") -> None:
        blocks = text.general_body(item.title, title, body)
        self.publish(item, PublicationPage(title=title, body=json.dumps(blocks)), on)

    def periodic(self, item: CatalogItemPage) -> None:
        period = item.rule_period
        anchor = self.anchor
        if period == Period.MONTH:
            for back in range(1, 25):
                year, month = divmod(anchor.year * 12 + anchor.month - 1 - back, 12)
                month += 1
                end = dt.date(year, month, 1) + dt.timedelta(days=31)
                end = end.replace(day=1) - dt.timedelta(days=1)
                if item.title == "药品价格" and back <= 3:
                    # Overdue on any day of the year: the last three months are missing, so
                    # the oldest unmet period ended at least 59 days ago (20 working days
                    # after it can reach 40 calendar days around the Spring Festival).
                    continue
                lag = 35 if item.title == "自查自纠报告" and back % 7 == 3 else 8
                self.general(item, f"{year}年{month}月{item.title}", end + dt.timedelta(days=lag))
        elif period == Period.QUARTER:
            for back in range(1, 9):
                index = (anchor.year * 4 + (anchor.month - 1) // 3) - back
                year, quarter = divmod(index, 4)
                end = dt.date(year, quarter * 3 + 3, 1) + dt.timedelta(days=31)
                end = end.replace(day=1) - dt.timedelta(days=1)
                lag = 45 if item.title == "医用耗材价格" and back == 2 else 10
                label = text.quarter_label(year, quarter + 1)
                self.general(item, f"{label}{item.title}", end + dt.timedelta(days=lag))
        elif period == Period.HALF_YEAR:
            for back in range(1, 5):
                index = anchor.year * 2 + (anchor.month - 1) // 6 - back
                year, half = divmod(index, 2)
                if item.title == "大额资金使用" and back <= 2:
                    continue  # overdue on any day: the unmet half year ended 6 months ago
                end = dt.date(year, 6, 30) if half == 0 else dt.date(year, 12, 31)
                label = text.half_label(year, half + 1)
                self.general(item, f"{label}{item.title}", end + dt.timedelta(days=15))
        elif period == Period.YEAR:
            for year in (anchor.year - 2, anchor.year - 1):
                title = f"{text.HOSPITAL}{year}年度{item.title.replace('年度', '')}"
                on = dt.date(year + 1, 1, 20)
                if item.title == REPORT_ITEM:
                    if year == anchor.year - 1:
                        continue  # generated from the records (home/demo_reports.py)
                    page = PublicationPage(
                        title=title,
                        body=json.dumps(
                            [
                                {
                                    "type": "paragraph",
                                    "value": f"<p>{year}年，本院认真贯彻落实"
                                    "《医疗卫生机构信息公开管理办法》，主动公开信息"
                                    f"{300 + year % 7 * 11}条，受理咨询{60 + year % 5 * 3}件。</p>",
                                }
                            ]
                        ),
                    )
                    self.publish(item, page, on, ("attachments", [self.attachment(title, item)]))
                else:
                    self.general(item, title, on)

    def procurement(self, item: CatalogItemPage, results: bool) -> None:
        for number, (days, project, method, budget, winner, amount) in enumerate(
            text.PROCUREMENTS, start=1
        ):
            on = text.as_date(self.anchor, days - (25 if results else 0))
            awarded = bool(winner) and results
            if results and not winner:
                continue
            title = f"{project}{'成交结果公告' if results else '公开招标公告'}"
            page = ProcurementNoticePage(
                title=title,
                project_number=f"SFRY-{on.year}-CG-{number:03d}",
                procurement_method=method,
                budget=Decimal(budget),
                bid_deadline=timezone.make_aware(
                    dt.datetime.combine(on + dt.timedelta(days=20), dt.time(9, 30))
                ),
                result_status="awarded" if awarded else "pending",
                winning_supplier=winner if awarded else "",
                award_amount=Decimal(amount) if awarded else None,
                result_date=on if awarded else None,
                body=json.dumps(
                    [
                        {
                            "type": "paragraph",
                            "value": f"<p>{text.HOSPITAL}就{project}进行采购，"
                            "欢迎符合资格条件的供应商参加。采购文件可在医院网站下载。</p>",
                        }
                    ]
                ),
            )
            files = self.attachment(f"{project}采购文件", item)
            self.publish(item, page, on, ("attachments", [files]))

    def recruitment(self, item: CatalogItemPage) -> None:
        for days, title, positions in text.RECRUITMENTS:
            on = text.as_date(self.anchor, days)
            page = RecruitmentNoticePage(
                title=title,
                application_start=on + dt.timedelta(days=3),
                application_deadline=on + dt.timedelta(days=17),
                contact="人事科 0000-88880155",
                body=json.dumps(
                    [
                        {
                            "type": "paragraph",
                            "value": "<p>根据工作需要，经上级主管部门同意，"
                            "我院面向社会公开招聘工作人员。报名采取网上报名方式。</p>",
                        }
                    ]
                ),
            )
            rows = [
                RecruitmentPosition(title=name, headcount=count, requirements=requirement)
                for name, count, requirement in positions
            ]
            self.publish(item, page, on, ("positions", rows))

    def policy(self, item: CatalogItemPage, days: int, title: str) -> None:
        on = text.as_date(self.anchor, days)
        document = PolicyDocumentPage(
            title=title,
            document_number=f"示医发〔{on.year}〕{days % 40 + 1}号",
            issuing_body=text.HOSPITAL,
            effective_date=on,
            body=json.dumps(
                [
                    {
                        "type": "paragraph",
                        "value": f"<p>第一条　为规范{item.title}相关工作，"
                        "根据有关法律法规，结合本院实际，制定本制度。</p>",
                    }
                ]
            ),
        )
        self.publish(item, document, on, ("attachments", [self.attachment(title, item)]))
        document = PolicyDocumentPage.objects.child_of(item).filter(title=title).first()
        if document is not None:
            self.publish(
                item,
                PolicyInterpretationPage(
                    title=f"《{title}》解读",
                    policy_document=document,
                    body=json.dumps(
                        [
                            {
                                "type": "paragraph",
                                "value": "<p>一、制定背景。二、主要内容。"
                                "三、适用范围。本解读由信息公开办公室负责解释。</p>",
                            }
                        ]
                    ),
                ),
                on + dt.timedelta(days=2),
            )

    def compliance_records(self, index: DisclosureIndexPage) -> None:
        """Changes waiting for their publication and a "checked, no change", for every status."""
        items = CatalogItemPage.objects.descendant_of(index).select_related("department")
        for title, days_ago, what in (
            ("收费依据与费用查询", 45, "住院费用一日清单格式调整"),  # overdue
            ("突发事件应急处置", 3, "更新院内突发事件应急预案联系人"),  # not due yet
        ):
            item = items.get(title=title)
            if not item.change_events.exists():
                day = text.as_date(self.anchor, days_ago)
                with clock(day, RECORDED):  # recorded on the day it changed
                    record_change(
                        item=item, user=self._editor_for(item), changed_on=day, description=what
                    )
        item = items.get(title="投诉处理流程")
        if not item.attestations.exists():
            day = text.as_date(self.anchor, 30)
            # An attestation counts from the day it is recorded: recorded on the day of the check.
            with clock(day, RECORDED):
                record_attestation(
                    item=item,
                    user=self._editor_for(item),
                    note="已核对投诉受理范围、流程与时限，与现行制度一致，无变化。",
                    on=day,
                )

    def publications(self, index: DisclosureIndexPage) -> None:
        # The sample catalog's items only: benchmark data (demo_scale) adds items of its own.
        titles = [row.item for row in parse_table(read_table(CATALOG_FILE), departments=None)]
        items = list(
            CatalogItemPage.objects.descendant_of(index)
            .filter(title__in=titles)
            .select_related("department")
            .order_by("path")
        )
        for done, item in enumerate(items, start=1):
            if done % 10 == 0 or done == len(items):
                self.progress(
                    _("  catalog items %(done)s/%(total)s, %(count)s publications")
                    % {"done": done, "total": len(items), "count": self.created}
                )
            if item.rule_kind == RuleKind.PERIODIC:
                self.periodic(item)
            elif item.title == "采购公告":
                self.procurement(item, results=False)
            elif item.title == "采购结果":
                self.procurement(item, results=True)
            elif item.title == "招聘公告":
                self.recruitment(item)
            elif item.title in text.REVIEW_TITLES:
                days, title = text.REVIEW_TITLES[item.title]
                if item.allows_publication_kind("policy"):
                    self.policy(item, days, title)
                else:
                    self.general(item, title, text.as_date(self.anchor, days))
            else:
                plan = text.ON_CHANGE_TITLES.get(item.title) or text.REAL_TIME_TITLES.get(
                    item.title, []
                )
                for days, title in plan:
                    self.general(item, title, text.as_date(self.anchor, days))


#: The steps ``load_demo`` reports as it goes (``[n/10] …``).
DEMO_STAGES = 10


@transaction.atomic
def load_demo(
    *,
    anchor: dt.date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> DemoSummary:
    """Build (or complete) the demo hospital, then the two more hospitals and the health
    commission over the three."""
    # Deferred: the commission's stage builds on this module's departments and catalog.
    from .demo_commission import load_demo_commission
    from .demo_notices import load_demo_notices
    from .demo_prices import load_demo_prices

    builder = DemoBuilder(anchor=anchor or timezone.localdate(), progress=progress)
    stages = iter(range(1, DEMO_STAGES + 1))

    def stage(name: str) -> None:
        progress(
            _("[%(n)s/%(total)s] %(stage)s")
            % {"n": next(stages), "total": DEMO_STAGES, "stage": name}
        )

    stage(_("Institution, departments and accounts"))
    site = builder.site()
    builder.departments(site)
    builder.accounts(site)
    builder.workflow = setup_moderation(site=site).publication_workflow
    stage(_("Review workflows and the working-day calendar"))
    seed_calendar_from_chinesecalendar()
    office, deputy = builder.users["office"], builder.users["office-deputy"]
    stage(_("The disclosure catalog, reviewed"))
    import_catalog(site=site, path=CATALOG_FILE, user=office, approver=deputy)
    index = DisclosureIndexPage.objects.descendant_of(site.root_page).get()
    if not index.intro:
        index.intro = (
            "<p>本栏目依据《医疗卫生机构信息公开管理办法》（国卫办发〔2021〕43号）设置，"
            "按信息公开目录公开本院信息。对公开内容有疑问的，可联系信息公开办公室。</p>"
        )
        submit_for_review(page=index, user=office)
        approve(page=index, user=deputy)
    stage(_("Two years of publications, each through its review"))
    builder.publications(index)
    stage(_("Attestations and changes"))
    builder.compliance_records(index)
    stage(_("Requests and consultations"))
    ensure_request_centre(index=index, office=office, deputy=deputy)
    load_demo_cases(site=site, index=index, office=office, anchor=builder.anchor)
    stage(_("Last year's annual report"))
    load_demo_reports(
        index=index,
        editor=builder.users["hospital-office-editor"],
        head=builder.users["hospital-office-head"],
        office=office,
        anchor=builder.anchor,
    )
    stage(_("Self-inspection, patrol and the rectification ledger"))
    load_demo_inspections(builder=builder, site=site, index=index)
    stage(_("Price lists and a price adjustment in review"))
    load_demo_prices(builder=builder, index=index)
    stage(_("Two more hospitals and the health commission"))
    commission = load_demo_commission(demo_site=site, anchor=builder.anchor, progress=progress)
    load_demo_notices(commission, anchor=builder.anchor)
    return DemoSummary(
        site=site,
        index=index,
        publications_created=builder.created,
        anchor=builder.anchor,
        commission=commission,
    )
