"""The health commission at work in the demo: its daily snapshots at the end of each of the
last eight quarters (so the ranking's trends have a history) and today, last quarter's web
update check, and the notice (通报) issued from it with findings for two hospitals, one of which
has answered.

Everything goes through the services the commission's screens call, on the days it would have
happened (``today=``). Idempotent: a notice already issued is found by its title.
"""

from __future__ import annotations

import datetime as dt

from disclosure.models import CommissionNotice, Department, UpdateCheck
from disclosure.selectors import workdays
from disclosure.services.commission_notices import add_line, create_notice, issue_notice
from disclosure.services.rectification import answer_finding
from disclosure.services.snapshots import take_snapshots, take_update_check

from .demo_commission import CommissionDemo

TREND_QUARTERS = 8


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_quarter(anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the quarter before ``anchor``'s."""
    end = quarter_start(anchor) - dt.timedelta(days=1)
    return quarter_start(end), end


def _working_day_on_or_after(day: dt.date) -> dt.date:
    while not workdays.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def snapshots(demo: CommissionDemo, *, anchor: dt.date) -> int:
    """Daily snapshots at each of the last quarters' ends and today (a day's second run
    replaces its rows, so this is idempotent)."""
    site_ids = [site.pk for site in demo.institutions]
    days = []
    end = quarter_start(anchor) - dt.timedelta(days=1)
    for _quarter in range(TREND_QUARTERS):
        days.append(end)
        end = quarter_start(end) - dt.timedelta(days=1)
    for day in [*reversed(days), anchor]:
        take_snapshots(site_ids=site_ids, today=day)
    return len(days) + 1


def notice(demo: CommissionDemo, *, anchor: dt.date) -> CommissionNotice:
    """Last quarter's notice: the update check taken three weeks before the quarter's end, the
    notice issued a few days later with a finding each for the second people's hospital and
    the hospital of traditional Chinese medicine; the second people's hospital has answered."""
    start, end = last_quarter(anchor)
    quarter = (start.month - 1) // 3 + 1
    title = f"关于{start.year}年第{quarter}季度医疗机构网站信息公开检查情况的通报"
    existing = CommissionNotice.objects.filter(commission=demo.commission, title=title).first()
    if existing is not None:
        return existing
    inspector = demo.users["commission"]
    checked_on = _working_day_on_or_after(end - dt.timedelta(days=21))
    check = UpdateCheck.objects.filter(commission=demo.commission, taken_on=checked_on).first()
    if check is None:
        check = take_update_check(commission=demo.commission, user=inspector, today=checked_on)
    issued_on = _working_day_on_or_after(checked_on + dt.timedelta(days=3))
    draft = create_notice(
        commission=demo.commission,
        user=inspector,
        title=title,
        number=f"示卫通〔{start.year}〕{quarter}号",
        period_start=start,
        period_end=end,
        update_check=check,
        text=(
            f"{checked_on.month}月{checked_on.day}日，我委对辖区内医疗机构门户网站信息公开栏目进行了"
            "网页更新检查。总体看，各机构信息公开目录基本健全，但部分机构存在栏目更新不及时、"
            "部分事项从未公开等问题。现将检查结果通报如下，请相关机构在规定时限内完成整改，"
            "并在本机构整改台账中报告整改情况。"
        ),
    )
    second, tcm = demo.institutions[1], demo.institutions[2]
    for site, department, problem, measure in (
        (
            second,
            "财务科",
            "医疗服务价格栏目更新不及时，价格调整后未在规定时限内公开。",
            "核对现行收费标准，在信息公开栏目更新并建立价格变动公示流程。",
        ),
        (
            tcm,
            "院办",
            "多个公开事项从未发布信息，部分定期公开事项已逾期。",
            "对照信息公开目录逐项补充公开内容，明确各事项责任科室和更新时限。",
        ),
    ):
        add_line(
            draft,
            user=inspector,
            site=site,
            department=Department.objects.get(site=site, name=department),
            problem=problem,
            measure=measure,
            working_days=15,
            today=issued_on,
        )
    issued = issue_notice(draft, user=inspector, today=issued_on)
    answered = issued.lines.get(site=second).finding
    answer_finding(
        answered,
        user=demo.users["office-2"],
        response="已核对并更新全部医疗服务价格，财务科每月初核对价格变动并在5个工作日内公开。",
        done=True,
        today=_working_day_on_or_after(issued_on + dt.timedelta(days=7)),
    )
    return issued


def load_demo_notices(demo: CommissionDemo, *, anchor: dt.date) -> CommissionNotice:
    snapshots(demo, anchor=anchor)
    return notice(demo, anchor=anchor)
