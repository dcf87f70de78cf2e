"""The demo's self-inspection, patrol and rectification ledger (自查评估、栏目巡查、整改台账).

The example checklist (shared by every institution, marked as an example to adapt); last
year's self-inspection, submitted by the office and signed off by the leadership, its score
published; last month's column patrol, which finds a link to a page that was deleted; a
third-party evaluation whose findings stand in every state of the ledger, some overdue and some
released to the public ledger; and the public ledger page.

Everything goes through the services users run, on its own day (``clock``). Dates are counted
from the demo's anchor, so a run on the same anchor builds the same ledger. Idempotent: nothing
is added once the institution has an inspection.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from wagtail.models import Site

from disclosure.models import (
    CatalogItemPage,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Department,
    DisclosureIndexPage,
    Inspection,
    PublicationPage,
    RectificationLedgerPage,
)
from disclosure.rules.inspections import InspectionKind, Measure
from disclosure.rules.rectification import FindingSource, ProblemKind
from disclosure.services import inspections as inspecting
from disclosure.services import rectification as ledger
from disclosure.services.moderation import approve, submit_for_review

from .demo_review import OFFICE_APPROVED, SUBMITTED, clock

if TYPE_CHECKING:
    from .demo import DemoBuilder

TEMPLATE_NAME = "医疗卫生机构信息公开工作自查评估表（示例）"
SELF_TITLE = "{year}年度信息公开工作自查评估"
THIRD_PARTY_TITLE = "{year}年度信息公开第三方评估"
EVALUATOR = "示范市卫生健康发展研究中心"
LEDGER_TITLE = "整改台账"
PATROL_ITEM = "投诉处理流程"
REPORT_ITEM = "自查自纠报告"
OLD_PAGE_TITLE = "原投诉处理办法（已废止）"

# (section, [(code, text, points, guidance, evidence required, measure, threshold, deduction)])
A = Measure
CHECKLIST: list[tuple[str, list[tuple]]] = [
    (
        "组织领导",
        [
            ("1.1", "成立信息公开工作领导小组，主要负责人为第一责任人", 2, "查阅文件", True),
            ("1.2", "明确信息公开工作机构（信息公开办公室）和专职人员", 2, "查阅文件", False),
            ("1.3", "领导班子每年至少专题研究一次信息公开工作", 2, "查阅会议纪要", False),
            ("1.4", "信息公开工作纳入科室年度考核", 2, "查阅考核办法", False),
            ("1.5", "工作人员每年参加信息公开业务培训", 2, "查阅培训记录", False),
        ],
    ),
    (
        "制度建设",
        [
            ("2.1", "制定信息公开工作制度并对外公开", 2, "查阅网站", True),
            ("2.2", "建立保密审查制度，先审核、后公开", 2, "抽查审核记录", False),
            ("2.3", "建立依申请公开办理制度", 2, "查阅制度", False),
            ("2.4", "建立信息公开责任追究制度", 2, "查阅制度", False),
            ("2.5", "编制并及时调整信息公开目录", 2, "对照目录", False),
        ],
    ),
    (
        "公开内容",
        [
            ("3.1", "机构基本信息、科室分布与标识导引完整准确", 5, "逐项核对", False),
            ("3.2", "服务内容、就医流程与便民措施完整准确", 5, "逐项核对", False),
            ("3.3", "医疗服务价格、药品和医用耗材价格按规定公示", 5, "抽查价格", False),
            ("3.4", "招标采购、招聘信息按规定公开", 5, "抽查公告", False),
            ("3.5", "行风廉政建设、投诉渠道与处理流程公开", 5, "逐项核对", False),
            ("3.6", "不公开国家秘密、商业秘密和个人隐私", 5, "抽查页面", False),
        ],
    ),
    (
        "公开时限",
        [
            (
                "4.1",
                "目录事项按期更新，按时更新率不低于95%",
                6,
                "",
                False,
                A.ON_TIME_RATE,
                95,
                "0.5",
            ),
            ("4.2", "无逾期未更新或从未公开的目录事项", 4, "", False, A.NO_OVERDUE, None, "1"),
            ("4.3", "年度报告于次年1月31日前公开", 4, "", False, A.ANNUAL_REPORT),
            ("4.4", "依申请公开在法定期限内答复", 3, "", False, A.REQUESTS_ON_TIME, None, "1"),
            ("4.5", "整改事项在时限内完成", 3, "", False, A.FINDINGS_ON_TIME, None, "1"),
        ],
    ),
    (
        "公开渠道",
        [
            ("5.1", "医院网站设置信息公开专栏", 3, "访问网站", False),
            ("5.2", "微信公众号同步公开主要信息", 3, "查看公众号", False),
            ("5.3", "院内公开栏、电子屏及时更新", 3, "现场查看", False),
            ("5.4", "服务台提供信息查询和咨询", 3, "现场查看", False),
            ("5.5", "公布咨询投诉电话并保持畅通", 3, "拨打测试", False),
        ],
    ),
    (
        "公开范围与效果",
        [
            ("6.1", "职工范围信息仅在院内公开", 4, "抽查内网", False),
            ("6.2", "按月开展栏目巡查并整改", 4, "查阅巡查记录", False),
            ("6.3", "群众对信息公开工作满意度达到90%", 4, "查阅满意度调查", False),
            ("6.4", "无因信息公开引发的有效投诉", 3, "查阅投诉记录", False),
        ],
    ),
]

# Points the inspections deduct by hand: {code: (score, note)}.
SELF_DEDUCTIONS = {
    "1.5": ("1", "部分科室信息员未参加年度培训。"),
    "5.2": ("2", "微信公众号未同步公开价格信息。"),
}
THIRD_PARTY_DEDUCTIONS = {
    "3.3": ("3", "部分医用耗材价格未标注执行日期。"),
    "3.4": ("4", "个别招聘公告未公开招聘结果。"),
    "5.3": ("2", "门诊公开栏内容未及时更新。"),
    "6.3": ("3", "满意度调查样本量不足。"),
}

# The third-party evaluation's findings: (department, raised days before the anchor, working
# days or None, due days after the anchor or None, problem, measure, answer, public wording).
# answer: None (open), ("progress", days ago, text), ("done", days ago, text) or
# ("verified", days ago, text, verified days ago).
FINDINGS = [
    (
        "医务科",
        95,
        20,
        None,
        "门诊医生出诊信息未随排班调整及时更新，3月第2周出诊表与实际不符。",
        "建立出诊信息变更当日报送机制，核对并更新全部出诊信息。",
        ("verified", 70, "已建立排班变更当日报送机制，出诊信息已全部核对更新。", 65),
        (
            "门诊出诊信息更新不及时。",
            "建立出诊信息变更当日报送机制。",
            "已完成整改，出诊信息按日更新。",
        ),
    ),
    (
        "护理部",
        85,
        20,
        None,
        "护理服务项目及收费标准公示栏未标注执行依据。",
        "补充标注执行文件名称和文号。",
        ("verified", 60, "公示栏已补充执行依据。", 55),
        None,
    ),
    (
        "财务科",
        80,
        30,
        None,
        "医用耗材价格目录缺少部分新增耗材，张某某反映收费与公示不一致。",
        "全面核对医用耗材价格目录，补充新增耗材并注明执行日期。",
        ("done", 30, "已核对全部在用耗材，新增47项已补充公示。", None),
        (
            "医用耗材价格目录未包含部分新增耗材。",
            "核对并补充医用耗材价格目录，注明执行日期。",
            "已补充公示，待信息公开办公室核验。",
        ),
    ),
    (
        "药学部",
        90,
        15,
        None,
        "药品价格公示未按月更新，最近一次更新距今超过两个月。",
        "按月更新药品价格公示并建立提醒。",
        None,
        (
            "药品价格公示未按月更新。",
            "按月更新药品价格公示。",
            "正在整改。",
        ),
    ),
    (
        "采购中心",
        70,
        20,
        None,
        "部分采购结果公告未公开成交金额。",
        "补充公开成交金额，并修订公告模板。",
        ("progress", 50, "已修订公告模板，历史公告正在逐条补充。", None),
        None,
    ),
    (
        "信息科",
        60,
        None,
        20,
        "网站信息公开专栏在手机端显示不全，表格无法横向滚动。",
        "改造专栏页面的移动端适配。",
        ("progress", 40, "已完成页面改造方案，预计下月上线。", None),
        None,
    ),
]


def load_demo_inspections(
    *, builder: DemoBuilder, site: Site, index: DisclosureIndexPage
) -> RectificationLedgerPage:
    """The example template, the inspections, the patrol, the findings and the ledger page."""
    template = example_template()
    if not Inspection.objects.filter(site=site).exists():
        users = builder.users
        self_inspection(site=site, template=template, users=users, anchor=builder.anchor)
        patrol(builder=builder, site=site, index=index)
        third_party(site=site, template=template, users=users, anchor=builder.anchor)
    return ensure_ledger_page(
        index=index, office=builder.users["office"], deputy=builder.users["office-deputy"]
    )


def example_template() -> ChecklistTemplate:
    """The shared example checklist: 30 items in six sections, 100 points."""
    template = ChecklistTemplate.objects.filter(site=None, name=TEMPLATE_NAME).first()
    if template is not None:
        return template
    template = ChecklistTemplate(
        site=None,
        name=TEMPLATE_NAME,
        is_example=True,
        notes="示例：依据《医疗卫生机构信息公开管理办法》整理，各机构可复制后按本地要求调整。",
    )
    template.save()
    for position, (title, items) in enumerate(CHECKLIST):
        section = ChecklistSection.objects.create(
            template=template, title=title, sort_order=position
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                section=section,
                sort_order=number,
                code=code,
                text=text,
                points=Decimal(points),
                guidance=guidance,
                evidence_required=evidence,
                **_measure(*rest),
            )
            for number, (code, text, points, guidance, evidence, *rest) in enumerate(items)
        )
    return template


def _measure(measure: str = "", threshold: int | None = None, deduction: str | None = None):
    return {
        "measure": measure,
        "threshold": threshold,
        "deduction": Decimal(deduction) if deduction else None,
    }


def _score_all(inspection: Inspection, *, user, deductions: dict, evidence_page) -> None:
    """Score the hand-scored items (full marks unless deducted); evidence where required."""
    for score in inspection.scores.select_related("item").order_by(
        "item__section__sort_order", "item__sort_order"
    ):
        item = score.item
        if item.measure:
            continue
        value, note = deductions.get(item.code, (item.points, ""))
        inspecting.score_item(score, user=user, value=value, note=note)
        if item.evidence_required:
            inspecting.add_evidence(score, user=user, page=evidence_page, label=item.text)


def self_inspection(*, site: Site, template: ChecklistTemplate, users: dict, anchor: dt.date):
    """Last year's self-inspection: scored and submitted by the office, signed off by the
    institution's leader in January, its score published."""
    year = anchor.year - 1
    signed_on = min(dt.date(anchor.year, 1, 16), anchor)
    started_on = signed_on - dt.timedelta(days=6)
    office, leader = users["office"], users["leader"]
    index = DisclosureIndexPage.objects.descendant_of(site.root_page).get()
    with clock(started_on, SUBMITTED):
        inspection = inspecting.start_inspection(
            site=site,
            template=template,
            kind=InspectionKind.SELF,
            title=SELF_TITLE.format(year=year),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            user=office,
            today=started_on,
        )
        _score_all(inspection, user=office, deductions=SELF_DEDUCTIONS, evidence_page=index)
    with clock(signed_on - dt.timedelta(days=1), SUBMITTED):
        inspection = inspecting.submit(inspection, user=office)
    with clock(signed_on, OFFICE_APPROVED):
        inspection = inspecting.sign_off(inspection, user=leader)
        inspecting.publish_score(inspection, user=office)
    return inspection


def _last_month_day(anchor: dt.date) -> dt.date:
    return (anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=25)


def patrol(*, builder: DemoBuilder, site: Site, index: DisclosureIndexPage):
    """Last month's patrol: a page published ten days before links to a page since deleted."""
    office = builder.users["office"]
    patrolled_on = _last_month_day(builder.anchor)
    item = CatalogItemPage.objects.descendant_of(index).get(title=PATROL_ITEM)
    # The old page the new one links to: created, then deleted, leaving its id behind.
    old = item.add_child(
        instance=PublicationPage(title=OLD_PAGE_TITLE, slug="old-complaints", live=False)
    )
    gone = old.pk
    old.delete()
    builder.general(
        item,
        "投诉处理流程（修订版）",
        patrolled_on - dt.timedelta(days=10),
        body=(
            "本院投诉受理范围、处理流程与时限如下。修订前的规定见"
            f'<a linktype="page" id="{gone}">原投诉处理办法</a>。'
        ),
    )
    with clock(patrolled_on, SUBMITTED):
        taken = ledger.run_patrol(site=site, user=office, today=patrolled_on)
        report_item = CatalogItemPage.objects.descendant_of(index).filter(title=REPORT_ITEM).first()
        if report_item is not None and ledger.report_refusal(report_item, office) is None:
            ledger.draft_report(taken, item=report_item, user=office)
    broken = taken.problems.filter(kind=ProblemKind.BROKEN_LINK).first()
    if broken is not None:
        with clock(patrolled_on, OFFICE_APPROVED):
            ledger.raise_finding(
                site=site,
                user=office,
                source=FindingSource.PATROL,
                department=item.department,
                item=item,
                patrol_problem=broken,
                problem=broken.detail,
                measure="修复或删除失效链接，并检查同栏目其他页面的链接。",
                due_date=builder.anchor + dt.timedelta(days=14),
                today=patrolled_on,
            )
    return taken


def third_party(*, site: Site, template: ChecklistTemplate, users: dict, anchor: dt.date):
    """A third-party evaluation of last year, reported three months ago, and its findings."""
    year = anchor.year - 1
    office, deputy = users["office"], users["office-deputy"]
    reported_on = anchor - dt.timedelta(days=100)
    index = DisclosureIndexPage.objects.descendant_of(site.root_page).get()
    with clock(reported_on, SUBMITTED):
        inspection = inspecting.start_inspection(
            site=site,
            template=template,
            kind=InspectionKind.THIRD_PARTY,
            title=THIRD_PARTY_TITLE.format(year=year),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            evaluator=EVALUATOR,
            report_date=reported_on,
            user=office,
            today=reported_on,
        )
        _score_all(inspection, user=office, deductions=THIRD_PARTY_DEDUCTIONS, evidence_page=index)
        inspection = inspecting.submit(inspection, user=office)
    with clock(reported_on, OFFICE_APPROVED):
        inspection = inspecting.sign_off(inspection, user=deputy)
    for name, raised, working_days, due_in, problem, measure, answer, public in FINDINGS:
        department = Department.objects.select_related("heads_group").get(site=site, name=name)
        head = department.heads_group.user_set.order_by("pk").first()
        raised_on = anchor - dt.timedelta(days=raised)
        with clock(raised_on, SUBMITTED):
            finding = ledger.raise_finding(
                site=site,
                user=office,
                source=FindingSource.THIRD_PARTY,
                source_detail=EVALUATOR,
                inspection=inspection,
                department=department,
                problem=problem,
                measure=measure,
                working_days=working_days,
                due_date=anchor + dt.timedelta(days=due_in) if due_in else None,
                today=raised_on,
            )
        if answer is not None:
            how, answered, response, verified = answer
            answered_on = anchor - dt.timedelta(days=answered)
            with clock(answered_on, SUBMITTED):
                finding = ledger.answer_finding(
                    finding, user=head, response=response, done=how != "progress", today=answered_on
                )
            if how == "verified":
                verified_on = anchor - dt.timedelta(days=verified)
                with clock(verified_on, OFFICE_APPROVED):
                    finding = ledger.verify_finding(
                        finding, user=office, accepted=True, today=verified_on
                    )
        if public is not None:
            public_problem, public_measure, public_progress = public
            with clock(anchor - dt.timedelta(days=5), OFFICE_APPROVED):
                ledger.release_finding(
                    finding,
                    user=office,
                    released=True,
                    public_problem=public_problem,
                    public_measure=public_measure,
                    public_progress=public_progress,
                )
    return inspection


def ensure_ledger_page(*, index: DisclosureIndexPage, office, deputy) -> RectificationLedgerPage:
    """The public ledger under the disclosure index, reviewed like the request centre."""
    page = RectificationLedgerPage.objects.child_of(index).first()
    if page is None:
        page = index.add_child(
            instance=RectificationLedgerPage(
                title=LEDGER_TITLE,
                slug="zgtz",
                live=False,
                intro=(
                    "<p>本院对自查、栏目巡查、第三方评估和上级检查发现的问题建立整改台账，"
                    "逐项明确责任科室和整改时限，整改情况在此公开，接受社会监督。</p>"
                ),
            )
        )
        submit_for_review(page=page, user=office)
        approve(page=page, user=deputy)
        page.refresh_from_db()
    return page
