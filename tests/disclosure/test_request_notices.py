"""The case page of a request as the disclosure office works it: the actions offered and refused,
the due date explained, the notices of the 《政府信息公开条例》 issued, numbered, sent and kept,
their templates, and the applicant who lost the lookup code."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from disclosure.models import (
    Department,
    InstitutionSettings,
    Notice,
    NoticeTemplate,
    NumberCounter,
    RequestCentrePage,
)
from disclosure.models.requests import DisclosureRequest
from disclosure.rules.notices import NoticeKind, NoticeSeries
from disclosure.rules.requests import CaseAction, CaseState, DeliveryWay, Outcome
from disclosure.selectors.requests import case_deadline, explain_deadline
from disclosure.services import notices as notice_service
from disclosure.services.departments import ensure_office_group
from disclosure.services.requests import perform, submit

RECEIVED = date(2026, 11, 2)  # a Monday
TODAY = date(2026, 11, 4)
VALUES = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "zhangsan@example.com",
    "address": "示范市健康路1号",
    "description": "2025年度门诊收费标准调整的文件。",
    "purpose": "自身生活需要",
    "provision_form": "email",
    "delivery": DeliveryWay.EMAIL,
}
CORRECTION = {
    "correction_note": "1. 请写明所需文件的名称或文号；\n2. 请补充身份证明复印件。",
    "correction_due": date(2026, 11, 20),
}


def user(name: str):
    return get_user_model().objects.get(username=name)


def new_request(site, *, received_on=RECEIVED, **values) -> DisclosureRequest:
    return submit(
        DisclosureRequest,
        site=site,
        values={**VALUES, **values},
        received_on=received_on,
        acknowledge=False,
    ).case


def ask_correction(case, *, today=TODAY) -> DisclosureRequest:
    return perform(
        case,
        action=CaseAction.REQUEST_CORRECTION,
        user=user("office"),
        note="内容不明确",
        values=CORRECTION,
        today=today,
    )


def case_url(case) -> str:
    return f"/admin/disclosure/cases/request/{case.pk}/"


@pytest.fixture
def other_office(fresh_site):
    account = get_user_model().objects.create_user("other-office", password="x")
    account.groups.add(ensure_office_group(site=fresh_site))
    return account


# Notices issued with the actions --------------------------------------------------------------


def test_asking_for_a_correction_issues_the_correction_notice_listing_everything(demo_site):
    case = ask_correction(new_request(demo_site))
    notice = Notice.objects.get(request=case)
    assert notice.kind == NoticeKind.CORRECTION
    assert re.fullmatch(r"补正〔2026〕\d+号", notice.number)
    assert notice.title == "政府信息公开申请补正告知书"
    assert notice.institution_name == str(InstitutionSettings.for_site(demo_site))
    assert notice.body.endswith(f"{notice.institution_name}\n2026年11月4日")
    assert "第三十条" in notice.body and "一次性告知" in notice.body
    assert "1. 请写明所需文件的名称或文号" in notice.body
    assert "2. 请补充身份证明复印件" in notice.body
    assert "2026年11月20日" in notice.body and case.number in notice.body
    assert "{" not in notice.body


def test_each_action_issues_its_notice_and_the_reply_fits_the_outcome(demo_site):
    office = user("office")
    case = perform(
        new_request(demo_site), action=CaseAction.ACCEPT, user=office, note="受理", today=TODAY
    )
    case = perform(
        case,
        action=CaseAction.EXTEND,
        user=office,
        note="需要调取档案",
        values={"extension_days": 10},
        today=TODAY,
    )
    case = perform(
        case, action=CaseAction.CONSULT_THIRD_PARTY, user=office, note="征询", today=TODAY
    )
    case = perform(
        case,
        action=CaseAction.RECORD_THIRD_PARTY,
        user=office,
        note="第三方不同意",
        values={"third_party_answered_on": TODAY},
        today=TODAY,
    )
    case = perform(
        case,
        action=CaseAction.ANSWER,
        user=office,
        note="答复",
        values={"reply": "涉及第三方商业秘密。", "outcome": Outcome.WITHHELD_THIRD_PARTY},
        today=TODAY,
    )
    notices = list(Notice.objects.filter(request=case).order_by("pk"))
    assert [n.kind for n in notices] == [
        NoticeKind.EXTENSION,
        NoticeKind.THIRD_PARTY,
        NoticeKind.REPLY_WITHHELD,
    ]
    extension, letter, reply = notices
    assert "第三十三条" in extension.body and "10个工作日" in extension.body
    # Received Monday 2 November: 20 working days end on 30 November, 10 more on 14 December.
    assert "由2026年11月30日延长至2026年12月14日" in extension.body
    assert "第三十二条" in letter.body
    assert letter.delivery == DeliveryWay.POST  # the third party's letter is not e-mailed
    assert "不予公开" in reply.title and "涉及第三方商业秘密。" in reply.body
    assert "4.保护第三方合法权益" in reply.body  # the outcome as table 三 names it
    assert re.fullmatch(r"答复〔2026〕\d+号", reply.number)


# Numbers --------------------------------------------------------------------------------------


def test_notice_numbers_follow_one_another_per_series_and_restart_each_year(demo_site):
    office = user("office")
    case = ask_correction(new_request(demo_site))
    issued = [
        notice_service.issue(case, kind=NoticeKind.CORRECTION, user=office, today=TODAY)
        for _ in range(3)
    ]
    first = Notice.objects.filter(request=case).order_by("pk").first().sequence
    assert [n.sequence for n in issued] == [first + 1, first + 2, first + 3]
    assert len({n.number for n in issued}) == 3
    # Another series counts on its own; a new year starts again at 1.
    reply_counter = NumberCounter.objects.filter(
        site=demo_site, series=NoticeSeries.REPLY, year=2026
    ).first()
    letter = notice_service.issue(case, kind=NoticeKind.REPLY_OTHER, user=office, today=TODAY)
    assert letter.sequence == (reply_counter.last if reply_counter else 0) + 1
    next_year = notice_service.issue(
        case, kind=NoticeKind.CORRECTION, user=office, today=date(2027, 1, 4)
    )
    assert (next_year.sequence, next_year.number) == (1, "补正〔2027〕1号")


def test_a_notice_that_fails_leaves_no_gap(demo_site, monkeypatch):
    office = user("office")
    case = ask_correction(new_request(demo_site))
    before = Notice.objects.get(request=case).sequence

    def broken(*args, **kwargs):
        raise RuntimeError("the template could not be filled")

    with monkeypatch.context() as patch:
        patch.setattr(notice_service, "_values", broken)
        with pytest.raises(RuntimeError):
            notice_service.issue(case, kind=NoticeKind.CORRECTION, user=office, today=TODAY)
    again = notice_service.issue(case, kind=NoticeKind.CORRECTION, user=office, today=TODAY)
    assert again.sequence == before + 1


# Delivery -------------------------------------------------------------------------------------


def test_a_notice_goes_by_email_to_an_applicant_who_chose_email(
    demo_site, django_capture_on_commit_callbacks
):
    case = new_request(demo_site)
    with django_capture_on_commit_callbacks(execute=True):
        case = ask_correction(case)
    notice = Notice.objects.get(request=case)
    [message] = mail.outbox
    assert message.to == ["zhangsan@example.com"]
    assert notice.number in message.subject and "1. 请写明所需文件的名称或文号" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"{notice.number}.html" and mimetype == "text/html"
    assert notice.institution_name in content
    notice.refresh_from_db()
    assert notice.sent_on == date.today() and notice.sent_to == "zhangsan@example.com"


def test_a_notice_by_post_waits_for_the_office_to_mark_it_sent(
    client, login, demo_site, django_capture_on_commit_callbacks
):
    case = new_request(demo_site, delivery=DeliveryWay.POST, email="")
    with django_capture_on_commit_callbacks(execute=True):
        case = ask_correction(case)
    assert mail.outbox == []
    notice = Notice.objects.get(request=case)
    login("office")
    page = client.get(case_url(case)).content.decode()
    assert notice.number in page and "尚未送达" in page and "标记为已邮寄或已当面送达" in page
    response = client.post(f"{case_url(case)}notices/{notice.pk}/sent/")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.sent_on is not None and notice.sent_by == user("office")
    page = client.get(case_url(case)).content.decode()
    assert "标记为已邮寄或已当面送达" not in page


def test_the_office_prints_the_notice_as_issued(client, login, demo_site):
    case = ask_correction(new_request(demo_site))
    notice = Notice.objects.get(request=case)
    login("office")
    printed = client.get(f"{case_url(case)}notices/{notice.pk}/").content.decode()
    assert notice.institution_name in printed and notice.number in printed
    assert "请补充身份证明复印件" in printed
    pdf = client.get(f"{case_url(case)}notices/{notice.pk}/notice.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


# Who may do what ------------------------------------------------------------------------------


def test_only_the_institutions_office_issues_notices(demo_site, other_office):
    case = ask_correction(new_request(demo_site))
    for outsider in (other_office, user("supervisor"), user("medical-head")):
        with pytest.raises(PermissionDenied):
            notice_service.issue(case, kind=NoticeKind.CORRECTION, user=outsider)
    assert Notice.objects.filter(request=case).count() == 1


def test_readers_who_are_not_the_office_see_the_list_but_not_the_text(client, login, demo_site):
    case = new_request(demo_site)
    DisclosureRequest.objects.filter(pk=case.pk).update(
        department=Department.objects.get(site=demo_site, name="医务科")
    )
    case = ask_correction(case)
    notice = Notice.objects.get(request=case)
    notice_service.mark_sent(notice, user=user("office"))
    Notice.objects.filter(pk=notice.pk).update(sent_to="zhangsan@example.com")
    for reader in ("supervisor", "medical-head"):
        client.logout()
        login(reader)
        page = client.get(case_url(case)).content.decode()
        assert notice.number in page and notice.title in page
        assert "zhangsan@example.com" not in page
        assert f"notices/{notice.pk}/" not in page
        assert client.get(f"{case_url(case)}notices/{notice.pk}/").status_code in (302, 403)
        response = client.post(f"{case_url(case)}notices/issue/", {"kind": "correction"})
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == "/admin/"
    assert Notice.objects.filter(request=case).count() == 1


def test_another_institutions_office_cannot_reach_the_notices(client, demo_site, other_office):
    case = ask_correction(new_request(demo_site))
    notice = Notice.objects.get(request=case)
    client.force_login(other_office)
    assert client.get(f"{case_url(case)}notices/{notice.pk}/").status_code == 404
    assert client.post(f"{case_url(case)}notices/issue/", {"kind": "correction"}).status_code == 404


def test_the_office_edits_its_templates_and_later_notices_use_them(client, login, demo_site):
    case = ask_correction(new_request(demo_site))
    first = Notice.objects.get(request=case)
    login("office")
    listing = client.get("/admin/disclosure/notice-templates/").content.decode()
    assert "补正告知书" in listing
    template = NoticeTemplate.objects.get(site=demo_site, kind=NoticeKind.CORRECTION)
    url = f"/admin/disclosure/notice-templates/{template.pk}/"
    refused = client.post(url, {"title": "补正告知书", "body": "{申请人}：请补正{补证内容}。"})
    assert refused.status_code == 400
    assert "{补证内容}" in refused.content.decode()
    saved = client.post(url, {"title": "补正告知书", "body": "{申请人}：请补正：{补正内容}"})
    assert saved.status_code == 302
    assert template.history.latest("history_date").history_user == user("office")
    later = notice_service.issue(case, kind=NoticeKind.CORRECTION, user=user("office"))
    assert later.body.startswith("张三：请补正：1. 请写明")
    first.refresh_from_db()
    assert "第三十条" in first.body  # a notice issued keeps its text


def test_nobody_but_the_office_edits_the_templates(client, login, demo_site, other_office):
    notice_service.ensure_templates(demo_site)
    template = NoticeTemplate.objects.get(site=demo_site, kind=NoticeKind.CORRECTION)
    url = f"/admin/disclosure/notice-templates/{template.pk}/"
    for reader in ("supervisor", "medical-head"):
        client.logout()
        login(reader)
        assert client.get("/admin/disclosure/notice-templates/").status_code in (302, 403)
        assert client.post(url, {"title": "x", "body": "x"}).status_code in (302, 403)
    client.force_login(other_office)
    assert client.post(url, {"title": "x", "body": "x"}).status_code in (302, 403)
    template.refresh_from_db()
    assert template.title != "x"


# The case page's actions ----------------------------------------------------------------------


def test_actions_are_buttons_and_open_their_form(client, login, demo_site):
    case = new_request(demo_site)
    login("office")
    page = client.get(case_url(case)).content.decode()
    assert "现在可以办理" in page
    assert 'href="?action=accept#dc-action-form"' in page
    assert 'id="dc-action-form"' not in page
    opened = client.get(case_url(case) + "?action=request_correction").content.decode()
    assert 'id="dc-action-form"' in opened and "需补正事项" in opened


def test_an_action_already_done_is_not_offered_again_and_is_refused_with_its_reason(
    client, login, demo_site
):
    office = user("office")
    case = perform(
        new_request(demo_site), action=CaseAction.ACCEPT, user=office, note="受理", today=TODAY
    )
    case = perform(
        case,
        action=CaseAction.EXTEND,
        user=office,
        note="延期",
        values={"extension_days": 5},
        today=TODAY,
    )
    login("office")
    page = client.get(case_url(case)).content.decode()
    assert "?action=extend" not in page
    response = client.post(
        case_url(case),
        {"action": "extend", "extend-note": "再延", "extend-extension_days": "5"},
        follow=True,
    )
    text = response.content.decode()
    assert "已经办理过" in text and "只能办理一次" in text
    assert DisclosureRequest.objects.get(pk=case.pk).extension_days == 5


def test_an_action_the_state_does_not_allow_is_refused_at_the_top_of_the_page(
    client, login, demo_site
):
    case = new_request(demo_site)
    login("office")
    response = client.post(
        case_url(case), {"action": "record_correction", "record_correction-note": "x"}, follow=True
    )
    text = response.content.decode()
    assert "案件处于“登记”状态，不能办理“登记补正”" in text


def test_a_refusal_by_the_rules_shows_next_to_the_action(client, login, demo_site):
    # Received 28 September 2026: the last day to ask for a correction was 13 October.
    case = new_request(demo_site, received_on=date(2026, 9, 28))
    login("office")
    response = client.post(
        case_url(case),
        {
            "action": "request_correction",
            "request_correction-note": "补正",
            "request_correction-correction_note": "请写明文件名称",
            "request_correction-correction_due": "2099-01-01",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "2026-10-13" in text and 'id="dc-action-form"' in text
    assert "未能办理" in text


# The due date explained -----------------------------------------------------------------------


def test_the_explanation_agrees_with_the_due_date_over_national_day(client, login, demo_site):
    # Received Monday 28 September 2026: National Day (1-7 October) is skipped, the make-up
    # Saturday 10 October is counted, and the 20th working day is 30 October.
    case = new_request(demo_site, received_on=date(2026, 9, 28))
    today = date(2026, 10, 9)
    due = case_deadline(case, today=today).due
    explanation = explain_deadline(case, today=today)
    assert explanation.due == due == date(2026, 10, 30)
    assert explanation.total_days == explanation.answer_days == 20
    skipped = dict(explanation.skipped_by_reason)
    assert [d.day for d in skipped["国庆节"]] == [1, 2, 3, 4, 5, 6, 7]
    assert date(2026, 10, 10) in [day for day, _name in explanation.makeup_counted]
    # The calendar's days add up: 20 working days = the days passed, less those skipped.
    passed = (due - explanation.counts_from).days
    assert passed - len(explanation.skipped) == 20

    login("office")
    page = client.get(case_url(case)).content.decode()
    assert "期限如何计算" in page
    assert "国庆节" in page and "2026-10-10" in page and "2026-10-30" in page


def test_the_explanation_counts_the_extension_and_the_correction(demo_site):
    office = user("office")
    case = ask_correction(new_request(demo_site))
    case = perform(
        case,
        action=CaseAction.RECORD_CORRECTION,
        user=office,
        note="收到补正",
        values={"corrected_on": date(2026, 11, 9)},
        today=date(2026, 11, 9),
    )
    case = perform(
        case,
        action=CaseAction.EXTEND,
        user=office,
        note="延期",
        values={"extension_days": 10},
        today=date(2026, 11, 10),
    )
    explanation = explain_deadline(case, today=date(2026, 11, 10))
    assert explanation.counts_from == date(2026, 11, 9)
    assert explanation.correction == (TODAY, date(2026, 11, 9))
    assert explanation.total_days == 30 and explanation.extension_days == 10
    assert explanation.due == case_deadline(case, today=date(2026, 11, 10)).due
    assert case.state == CaseState.ACCEPTED


# A lost lookup code ---------------------------------------------------------------------------


@pytest.fixture
def recover_url(demo_site) -> str:
    centre = RequestCentrePage.objects.live().descendant_of(demo_site.root_page).get()
    return centre.url + centre.reverse_subpage("recover")


SAME_ANSWER = "如果查询编号与电子邮箱相符"


def test_the_right_number_and_email_send_a_new_code_to_that_address_only(
    client, demo_site, recover_url, django_capture_on_commit_callbacks
):
    case = new_request(demo_site)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            recover_url, {"number": case.number.lower(), "contact": "ZhangSan@example.com "}
        )
    assert response.status_code == 200 and SAME_ANSWER in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["zhangsan@example.com"]
    code = re.search(r"[2-9A-HJ-KMNP-Z]{8}", message.body.split(case.number, 1)[1]).group(0)
    centre = RequestCentrePage.objects.live().descendant_of(demo_site.root_page).get()
    tracked = client.post(
        centre.url + centre.reverse_subpage("track"), {"number": case.number, "code": code}
    )
    assert tracked.status_code == 200 and case.number in tracked.content.decode()


@pytest.mark.parametrize(
    "contact", ["someone@example.com", "13912345678"], ids=["wrong-email", "phone"]
)
def test_a_wrong_pair_or_a_phone_gets_the_same_page_and_no_mail(
    client, demo_site, recover_url, contact, django_capture_on_commit_callbacks
):
    case = new_request(demo_site)
    digest = case.lookup_digest
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(recover_url, {"number": case.number, "contact": contact})
    assert response.status_code == 200 and SAME_ANSWER in response.content.decode()
    assert mail.outbox == []
    assert DisclosureRequest.objects.get(pk=case.pk).lookup_digest == digest


def test_a_recovery_form_with_errors_says_so_in_chinese(client, recover_url):
    response = client.post(recover_url, {"number": "12345", "contact": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "YSQ-2026-000123" in text and "必填" in text


@override_settings(DISCLOSURE_TRACKING_RATE_LIMIT=(1, 600))
def test_recovery_is_rate_limited(client, demo_site, recover_url):
    from django.core.cache import cache

    cache.clear()
    data = {"number": "YSQ-2026-000001", "contact": "a@example.com"}
    assert client.post(recover_url, data).status_code == 200
    assert client.post(recover_url, data).status_code == 429


def test_the_recovery_form_is_csrf_protected(demo_site, recover_url):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(recover_url, {"number": "YSQ-2026-000001", "contact": "a@b.cn"})
    assert response.status_code == 403


# The demo hospital ----------------------------------------------------------------------------


def test_the_demo_hospital_has_its_templates_and_notices_issued(client, login, demo_site):
    assert NoticeTemplate.objects.filter(site=demo_site).count() == len(NoticeKind.values)
    issued = Notice.objects.filter(site=demo_site)
    kinds = set(issued.values_list("kind", flat=True))
    assert {NoticeKind.CORRECTION, NoticeKind.EXTENSION, NoticeKind.THIRD_PARTY} <= kinds
    assert NoticeKind.REPLY_DISCLOSED in kinds
    corrected = issued.filter(kind=NoticeKind.CORRECTION).first()
    login("office")
    page = client.get(case_url(corrected.request)).content.decode()
    assert corrected.number in page


def test_the_case_page_lists_notices_in_a_fixed_number_of_queries(
    client, login, demo_site, django_assert_max_num_queries
):
    office = user("office")
    case = ask_correction(new_request(demo_site))
    login("office")
    client.get(case_url(case))  # warm the calendar and the settings caches
    with django_assert_max_num_queries(100) as few:
        client.get(case_url(case))
    for _ in range(5):
        notice_service.issue(case, kind=NoticeKind.CORRECTION, user=office, today=TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(case_url(case)).content.decode()
    assert page.count('class="dc-notice-row"') == 6
