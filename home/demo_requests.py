"""The demo's requests (依申请公开) and consultations (咨询): one or more in every state, some late.

Each case goes through the same services as a real one (``submit``, then ``perform`` for every
step, dated in the past), so its history reads like a real register's.
"""

from __future__ import annotations

import datetime as dt

from wagtail.models import Site

from disclosure.models import (
    Consultation,
    Department,
    DisclosureIndexPage,
    DisclosureRequest,
    PublicationPage,
    RequestCentrePage,
)
from disclosure.rules.requests import CaseAction as A
from disclosure.rules.requests import Outcome
from disclosure.selectors import workdays
from disclosure.services.moderation import approve, submit_for_review
from disclosure.services.notices import ensure_templates
from disclosure.services.requests import perform, submit

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """A resident ID number with its check character (GB 11643), for made-up demo people."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def working_days_before(anchor: dt.date, n: int) -> dt.date:
    day = anchor
    while workdays.working_days_between(day, anchor) < n:
        day -= dt.timedelta(days=1)
    return day


def _later(day: dt.date, n: int) -> dt.date:
    return workdays.add_working_days(day, n)


CENTRE_GUIDE = (
    "<h3>谁可以申请</h3><p>公民、法人或者其他组织可以向本院申请获取主动公开范围以外的医院信息。</p>"
    "<h3>怎样申请</h3><ol><li>在线填写申请表，或到信息公开办公室（行政楼3楼305室）书面申请；</li>"
    "<li>提交后记下查询编号和查询码，用于查询办理进度；</li>"
    "<li>申请内容不明确的，本院在7个工作日内一次性告知补正。</li></ol>"
    "<h3>办理时限</h3><p>咨询在3个工作日内答复；申请自收到之日起20个工作日内答复，"
    "需要延长的，经信息公开办公室负责人同意，延长不超过20个工作日。"
    "征求第三方意见的时间不计算在内。</p>"
)


def ensure_request_centre(*, index: DisclosureIndexPage, office, deputy) -> RequestCentrePage:
    centre = RequestCentrePage.objects.child_of(index).first()
    if centre is None:
        centre = index.add_child(
            instance=RequestCentrePage(
                title="依申请公开与咨询",
                slug="ysq",
                live=False,
                intro="<p>申请获取医院信息、咨询信息公开事项，并查询办理进度。</p>",
                guide=CENTRE_GUIDE,
            )
        )
        submit_for_review(page=centre, user=office)
        approve(page=centre, user=deputy)
        centre.refresh_from_db()
    return centre


def _person(index: int, name: str) -> dict:
    return {
        "applicant_type": "natural_person",
        "name": name,
        "id_type": "resident_id",
        "id_number": resident_id(f"1101051985{index % 12 + 1:02d}{index % 27 + 1:02d}{index:03d}"),
        "phone": f"1391234{index:04d}",
        "email": "",
        "address": f"示范市健康路{index + 10}号",
        "provision_form": "paper",
        "delivery": "post",
    }


# Requests from organisations (this year's, one of each of table 三's columns under 法人或其他组织):
# the applicant named as the organisation, the person as its contact.
ORGANISATIONS = {
    "王芳": ("commercial", "示范医疗器械有限公司"),
    "刘洋": ("research", "示范医学研究所"),
    "杨磊": ("legal_service", "示范律师事务所"),
    "黄强": ("public_interest", "示范患者权益公益协会"),
    "吴霞": ("other_organisation", "示范市健康路社区居民委员会"),
    # Last year's.
    "梁红": ("research", "示范大学公共卫生学院"),
    "宋涛": ("legal_service", "示范法律援助中心"),
}


def _applicant(index: int, name: str) -> dict:
    if name not in ORGANISATIONS:
        return _person(index, name)
    kind, organisation = ORGANISATIONS[name]
    return {
        **_person(index, name),
        "applicant_type": kind,
        "name": organisation,
        "contact_person": name,
        "id_type": "credit_code",
        "id_number": f"91110105MA01CK{index:02d}X7",
    }


REQUESTS = [
    # (applicant, information sought, purpose, working days ago, steps)
    ("张伟", "2025年度医院住院患者平均费用及构成情况。", "科研需要", 1, []),
    ("王芳", "本院2026年第三季度医疗设备采购合同清单。", "自身生产需要", 9, ["accept"]),
    ("李娜", "心内科介入手术耗材的采购价格与供应商名单。", "自身生活需要", 18, ["accept"]),
    ("刘洋", "2026年上半年院内感染监测统计数据。", "科研需要", 26, ["accept"]),
    ("陈静", "本院与医保结算相关的全部内部文件。", "自身生活需要", 3, ["correction"]),
    (
        "杨磊",
        "门诊楼改扩建工程的招标文件和中标结果。",
        "自身生产需要",
        30,
        ["correction", "corrected"],
    ),
    ("赵敏", "2025年度临床科室绩效考核办法。", "查验自身信息", 24, ["accept", "extend"]),
    ("黄强", "某药品供应商的质量投诉处理记录。", "自身生活需要", 14, ["accept", "third_party"]),
    (
        "周杰",
        "本院收费项目中自主定价项目的目录和价格。",
        "自身生活需要",
        20,
        ["accept", "disclosed"],
    ),
    ("吴霞", "2025年度医院财务决算报告全文。", "科研需要", 22, ["accept", "partial", "archive"]),
    (
        "徐明",
        "某医疗纠纷调解中涉及的其他患者病历资料。",
        "自身生活需要",
        16,
        ["accept", "withheld"],
    ),
    ("孙丽", "急诊科医生排班表。", "自身生活需要", 6, ["withdraw"]),
    ("马超", "医院全部内部会议纪要。", "其他", 20, ["correction", "abandon"]),
    ("胡军", "2025年度医疗服务价格调整情况说明。", "自身生活需要", 34, ["accept", "late"]),
]

# Last year's register, for last year's annual report: requests answered in the year, and one
# received in late December and answered in January (carried over from one report to the next).
LAST_YEAR_REQUESTS = [
    # (applicant, information sought, purpose, (month, day) of last year, steps)
    ("郭婷", "2024年度医院门诊次均费用情况。", "科研需要", (3, 12), ["accept", "disclosed"]),
    ("梁红", "2024年度临床试验机构备案信息。", "科研需要", (5, 20), ["accept", "partial"]),
    ("谢刚", "2024年度药物临床试验项目清单。", "科研需要", (6, 9), ["accept", "disclosed"]),
    ("何静", "本院医生个人薪酬明细。", "自身生活需要", (8, 4), ["accept", "withheld"]),
    ("宋涛", "某医疗纠纷的院内调查结论。", "自身生产需要", (10, 15), ["accept", "withheld"]),
    ("罗斌", "2025年第三季度药品采购目录。", "自身生活需要", (12, 22), ["accept", "disclosed"]),
]

CONSULTATIONS = [
    ("钱女士", "请问住院押金可以用医保卡支付吗？", 0, None, []),
    ("郑先生", "体检报告多久可以领取？能否邮寄？", 2, "医务科", ["assign"]),
    ("冯女士", "请问儿科夜间门诊的收费标准是什么？", 6, "财务科", ["assign"]),
    ("韩先生", "新生儿出生医学证明在哪里办理？", 4, "医务科", ["assign", "answer"]),
    ("曹女士", "医院停车场收费标准在哪里可以查询？", 12, None, ["answer", "archive"]),
    ("彭先生", "想咨询挂号费退费流程。", 3, None, ["withdraw"]),
]


def load_demo_cases(*, site: Site, index: DisclosureIndexPage, office, anchor: dt.date) -> int:
    """Fill the register; does nothing when the institution already has cases. The notices
    of the regulation are issued as the cases are handled, from the default templates."""
    ensure_templates(site)
    if DisclosureRequest.objects.filter(site=site).exists():
        return 0
    departments = {d.name: d for d in Department.objects.filter(site=site)}
    publication = PublicationPage.objects.live().descendant_of(index).order_by("-pk").first()
    count = 0
    filed = [
        (name, sought, purpose, working_days_before(anchor, ago), steps)
        for name, sought, purpose, ago, steps in REQUESTS
    ] + [
        (name, sought, purpose, dt.date(anchor.year - 1, month, day), steps)
        for name, sought, purpose, (month, day), steps in LAST_YEAR_REQUESTS
    ]
    for number, (name, sought, purpose, received, steps) in enumerate(filed, start=1):
        values = {**_applicant(number, name), "description": sought, "purpose": purpose}
        case = submit(
            DisclosureRequest,
            site=site,
            values=values,
            received_on=received,
            acknowledge=False,
        ).case
        _run_request(
            case,
            steps,
            office=office,
            received=received,
            anchor=anchor,
            publication=publication,
            department=departments["院办"],
        )
        count += 1
    for number, (name, question, ago, department, steps) in enumerate(CONSULTATIONS, start=1):
        received = working_days_before(anchor, ago)
        case = submit(
            Consultation,
            site=site,
            values={
                "name": name,
                "phone": f"1370000{number:04d}",
                "email": "",
                "question": question,
            },
            received_on=received,
            acknowledge=False,
        ).case
        for step in steps:
            if step == "assign":
                case = perform(
                    case,
                    action=A.ASSIGN,
                    user=office,
                    note="转相关科室答复。",
                    values={"department": departments[department]},
                    today=received,
                )
            elif step == "answer":
                case = perform(
                    case,
                    action=A.ANSWER,
                    user=office,
                    note="已电话答复并在线发布。",
                    values={
                        "reply": "您好，已为您查询，详见本院信息公开栏目相关事项。",
                        "release": True,
                    },
                    today=_later(received, 1),
                )
            elif step == "archive":
                case = perform(case, action=A.ARCHIVE, user=office, note="办结归档。", today=anchor)
            elif step == "withdraw":
                case = perform(
                    case, action=A.WITHDRAW, user=office, note="咨询人来电撤回。", today=anchor
                )
        count += 1
    return count


def _run_request(case, steps, *, office, received, anchor, publication, department):
    def act(action, note, today, **values):
        nonlocal case
        case = perform(case, action=action, user=office, note=note, values=values, today=today)

    for step in steps:
        if step == "accept":
            act(A.ACCEPT, "材料齐全，予以受理。", received)
            act(A.ASSIGN, "转院办提供相关信息。", received, department=department)
        elif step == "correction":
            act(
                A.REQUEST_CORRECTION,
                "申请内容不明确，一次性告知补正。",
                _later(received, 2),
                correction_note="请明确所需信息的名称、文号或时间范围。",
                correction_due=_later(received, 7),
            )
        elif step == "corrected":
            act(
                A.RECORD_CORRECTION,
                "申请人已补正，重新计算答复期限。",
                working_days_before(anchor, 5),
                corrected_on=working_days_before(anchor, 5),
            )
        elif step == "extend":
            act(
                A.EXTEND,
                "涉及多个科室，经信息公开办公室负责人同意延期。",
                _later(received, 15),
                extension_days=15,
            )
        elif step == "third_party":
            act(
                A.CONSULT_THIRD_PARTY,
                "涉及第三方商业信息，书面征求第三方意见。",
                _later(received, 9),
            )
        elif step == "disclosed":
            act(
                A.ANSWER,
                "予以公开，并已在信息公开栏目主动公开。",
                _later(received, 12),
                outcome=Outcome.DISCLOSED,
                reply="您申请的信息予以公开，详见所附文件及本院网站。",
                publication=publication,
                release=True,
            )
        elif step == "partial":
            act(
                A.ANSWER,
                "部分公开，涉及个人信息部分不予公开。",
                _later(received, 15),
                outcome=Outcome.PARTIAL,
                reply="您申请的信息部分公开，涉及个人隐私的内容已作区分处理。",
                release=True,
            )
        elif step == "archive":
            act(A.ARCHIVE, "办结归档。", anchor)
        elif step == "withheld":
            act(
                A.ANSWER,
                "涉及第三方个人隐私，不予公开。",
                _later(received, 10),
                outcome=Outcome.WITHHELD_THIRD_PARTY,
                reply="您申请的信息涉及第三方个人隐私，依法不予公开。",
                release=True,
            )
        elif step == "withdraw":
            act(A.WITHDRAW, "申请人书面撤回申请。", _later(received, 2))
        elif step == "abandon":
            act(A.ABANDON, "申请人逾期未补正，视为放弃申请。", anchor)
        elif step == "late":
            act(
                A.ANSWER,
                "答复超过法定期限，已说明原因。",
                _later(received, 24),
                outcome=Outcome.DISCLOSED,
                reply="您申请的信息予以公开。",
                release=False,
            )
    return case
