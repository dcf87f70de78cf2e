"""A health commission's notices (通报): drafted by its members for institutions of its area,
issued into each institution's rectification ledger, answered there and read back by the
commission; their exports; and who sees what."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.models import Page, Site

from disclosure.checks import pdf_can_be_drawn
from disclosure.models import (
    Commission,
    CommissionNotice,
    ComplianceSnapshot,
    Department,
    Finding,
    NoticeFinding,
    UpdateCheck,
)
from disclosure.rules.commissions import CommissionLevel, NoticeState
from disclosure.rules.rectification import FindingSource, FindingState
from disclosure.selectors import workdays
from disclosure.selectors.commission_notices import NoticeAccess, notice_lines
from disclosure.services import commission_notices as notices
from disclosure.services.commissions import ensure_commission_groups
from disclosure.services.departments import ensure_office_group
from home.demo import DEMO_PASSWORD
from home.models import HomePage

pytestmark = pytest.mark.django_db

TEXT = "经检查，部分医疗机构信息公开栏目更新不及时，现予以通报，请限期整改。"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


#: The refusal of a change to an issued notice, in the language the tests run in.
ISSUED_REFUSAL = re.escape(gettext("This notice has been issued: it can no longer be changed."))


def user(username: str):
    return get_user_model().objects.get(username=username)


def new_site(name: str, hostname: str) -> Site:
    home = Page.get_first_root_node().add_child(instance=HomePage(title=name, slug=hostname))
    return Site.objects.create(hostname=f"{hostname}.example", root_page=home, site_name=name)


def office_of(site: Site, username: str):
    account = get_user_model().objects.create_user(
        username, email=f"{username}@hospital.example", password=DEMO_PASSWORD
    )
    account.groups.add(ensure_office_group(site=site))
    return account


def commission_over(name: str, sites, member: str) -> tuple[Commission, object]:
    commission = ensure_commission_groups(
        commission=Commission.objects.create(name=name, level=CommissionLevel.MUNICIPAL)
    )
    commission.institutions.add(*sites)
    account = get_user_model().objects.create_user(member, password=DEMO_PASSWORD)
    account.groups.add(commission.readers_group)
    return commission, account


class World:
    def __init__(self, demo_site: Site, fresh_site: Site):
        self.demo_site, self.fresh_site = demo_site, fresh_site
        self.medical = Department.objects.get(site=demo_site, name="医务科")
        self.internal = Department.objects.create(site=fresh_site, name="内科")
        self.other_office = office_of(fresh_site, "fresh-office")
        self.outside = new_site("外区医院", "outside")
        self.outside_department = Department.objects.create(site=self.outside, name="院办")
        self.commission, self.member = commission_over(
            "测试市卫生健康委员会", [demo_site, fresh_site], "notice-member"
        )
        self.neighbour, self.neighbour_member = commission_over(
            "邻市卫生健康委员会", [self.outside], "neighbour"
        )

    def draft(self, **overrides) -> CommissionNotice:
        values = {
            "commission": self.commission,
            "user": self.member,
            "number": "示卫通〔2026〕3号",
            "title": "关于2026年第三季度医疗机构信息公开检查情况的通报",
            "period_start": dt.date(2026, 7, 1),
            "period_end": dt.date(2026, 9, 30),
            "text": TEXT,
        }
        values.update(overrides)
        return notices.create_notice(**values)

    def with_lines(self, notice: CommissionNotice) -> CommissionNotice:
        notices.add_line(
            notice,
            user=self.member,
            site=self.demo_site,
            department=self.medical,
            problem="医疗质量安全信息未按季度更新",
            measure="补发第三季度医疗质量安全信息",
            working_days=10,
        )
        notices.add_line(
            notice,
            user=self.member,
            site=self.fresh_site,
            department=self.internal,
            problem="价格公示栏目超期未更新",
            measure="更新医疗服务价格公示",
            due_date=timezone.localdate() + dt.timedelta(days=30),
        )
        return notice

    def url(self, name: str, notice: CommissionNotice, *args) -> str:
        return reverse(f"disclosure_admin:{name}", args=[notice.commission_id, notice.pk, *args])


@pytest.fixture
def world(demo_site, fresh_site) -> World:
    return World(demo_site, fresh_site)


@pytest.fixture
def issued(world) -> CommissionNotice:
    return notices.issue_notice(world.with_lines(world.draft()), user=world.member)


# Issuing into the ledgers ---------------------------------------------------------------------


def test_issuing_lands_a_finding_in_each_named_institutions_ledger(world, client, login):
    notice = world.with_lines(world.draft())
    login("notice-member")
    assert client.get(world.url("commission_notice_issue", notice)).status_code == 200
    response = client.post(world.url("commission_notice_issue", notice))
    assert response.status_code == 302

    notice.refresh_from_db()
    today = timezone.localdate()
    assert (notice.state, notice.issued_on, notice.issued_by) == (
        NoticeState.ISSUED,
        today,
        world.member,
    )
    medical, internal = (line.finding for line in notice.lines.order_by("pk"))
    assert (medical.site, medical.department) == (world.demo_site, world.medical)
    assert (internal.site, internal.department) == (world.fresh_site, world.internal)
    for finding in (medical, internal):
        assert finding.source == FindingSource.COMMISSION
        assert finding.source_detail == "测试市卫生健康委员会 示卫通〔2026〕3号"
        assert finding.raised_on == today and finding.state == FindingState.OPEN
    # Ten working days on the calendar, counted from the day of issue.
    rows = {
        row.line.finding: row for row in notice_lines(notice, access=NoticeAccess.of(world.member))
    }
    assert rows[medical].due == workdays.calendar().add_working_days(today, 10).date
    assert rows[internal].due == today + dt.timedelta(days=30)

    # The hospital's office finds it in its own ledger, with where it came from.
    login("office")
    ledger = client.get(reverse("disclosure_admin:ledger")).content.decode()
    assert "医疗质量安全信息未按季度更新" in ledger
    assert "价格公示栏目超期未更新" not in ledger
    page = client.get(reverse("disclosure_admin:finding", args=[medical.pk])).content.decode()
    assert "示卫通〔2026〕3号" in page
    assert notice.title in page and world.url("commission_notice", notice) in page


def test_the_office_answers_in_its_ledger_and_the_notice_shows_the_answer(
    world, issued, client, login
):
    finding = issued.lines.get(site=world.demo_site).finding
    login("office")
    response = client.post(
        reverse("disclosure_admin:finding", args=[finding.pk]),
        {
            "action": "answer",
            "answer-response": "已补发第三季度医疗质量安全信息",
            "answer-done": "on",
        },
    )
    assert response.status_code == 302

    login("notice-member")
    page = client.get(world.url("commission_notice", issued)).content.decode()
    assert "已补发第三季度医疗质量安全信息" in page
    assert "dc-status--done" in page and "dc-status--open" in page
    assert timezone.localdate().isoformat() in page
    lines = notice_lines(issued, access=NoticeAccess.of(world.member))
    demo, fresh = sorted(lines, key=lambda line: line.line.site_id != world.demo_site.pk)
    assert (demo.state, demo.response, demo.done_on) == (
        FindingState.DONE,
        "已补发第三季度医疗质量安全信息",
        timezone.localdate(),
    )
    assert (fresh.state, fresh.response) == (FindingState.OPEN, "")


def test_an_overdue_finding_shows_overdue_on_the_notice(world, issued):
    later = timezone.localdate() + dt.timedelta(days=60)
    states = {
        line.line.site_id: line.state
        for line in notice_lines(issued, access=NoticeAccess.of(world.member), today=later)
    }
    assert states == {world.demo_site.pk: "overdue", world.fresh_site.pk: "overdue"}


def test_a_notice_is_issued_once_and_is_frozen_after(world, issued, client, login):
    findings = Finding.objects.count()
    with pytest.raises(ValidationError, match=ISSUED_REFUSAL):
        notices.issue_notice(issued, user=world.member)
    with pytest.raises(ValidationError, match=ISSUED_REFUSAL):
        notices.edit_notice(
            issued,
            user=world.member,
            title="改过的标题",
            period_start=issued.period_start,
            period_end=issued.period_end,
            text=TEXT,
        )
    with pytest.raises(ValidationError, match=ISSUED_REFUSAL):
        notices.add_line(
            issued,
            user=world.member,
            site=world.demo_site,
            department=world.medical,
            problem="补充问题",
            measure="补充措施",
            working_days=5,
        )
    login("notice-member")
    response = client.post(world.url("commission_notice_issue", issued))
    assert response.status_code == 400
    response = client.post(
        world.url("commission_notice_edit", issued),
        {
            "title": "改过的标题",
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "text": TEXT,
        },
    )
    assert response.status_code == 400
    assert gettext("This notice has been issued: it can no longer be changed.") in (
        response.content.decode()
    )
    assert Finding.objects.count() == findings
    issued.refresh_from_db()
    assert issued.title != "改过的标题"


def test_a_notice_without_text_is_not_issued(world):
    notice = world.with_lines(world.draft(text=""))
    with pytest.raises(ValidationError) as refusal:
        notices.issue_notice(notice, user=world.member)
    assert "text" in refusal.value.message_dict
    assert not notice.lines.exclude(finding=None).exists()
    assert not Finding.objects.filter(
        source=FindingSource.COMMISSION, site__in=[world.demo_site, world.fresh_site]
    ).exists()


def test_each_office_hears_of_its_own_findings_by_email(world, django_capture_on_commit_callbacks):
    notice = world.with_lines(world.draft())
    with django_capture_on_commit_callbacks(execute=True):
        notices.issue_notice(notice, user=world.member)
    sent = {tuple(message.to): message.body for message in mail.outbox}
    demo_office = ("office-deputy@hospital.example", "office@hospital.example")
    assert set(sent) == {demo_office, ("fresh-office@hospital.example",)}
    assert "医疗质量安全信息未按季度更新" in sent[demo_office]
    assert "价格公示栏目超期未更新" not in sent[demo_office]
    assert "价格公示栏目超期未更新" in sent[("fresh-office@hospital.example",)]
    assert all(notice.title in message.subject for message in mail.outbox)


def test_a_member_drafts_a_notice_from_the_list(world, client, login):
    login("notice-member")
    index = client.get(reverse("disclosure_admin:commission_notice_index"))
    listing = reverse("disclosure_admin:commission_notices", args=[world.commission.pk])
    assert index.status_code == 200 and listing in index.content.decode()
    create = reverse("disclosure_admin:commission_notice_create", args=[world.commission.pk])
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {
            "number": "示卫通〔2026〕4号",
            "title": "关于第四季度检查的通报",
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "text": TEXT,
        },
    )
    notice = CommissionNotice.objects.get(title="关于第四季度检查的通报")
    assert response.url == world.url("commission_notice_lines", notice)
    assert (notice.commission, notice.created_by, notice.state) == (
        world.commission,
        world.member,
        NoticeState.DRAFT,
    )
    assert notice.title in client.get(listing).content.decode()
    page = client.get(world.url("commission_notice", notice)).content.decode()
    assert world.url("commission_notice_issue", notice) in page
    response = client.post(
        world.url("commission_notice_edit", notice),
        {
            "title": "关于第四季度检查的通报",
            "period_start": "2026-12-31",
            "period_end": "2026-10-01",
        },
    )
    assert response.status_code == 400
    notices.issue_notice(notice, user=world.member)
    # Issued: the page offers no change, and the edit screen sends back to it.
    page = client.get(world.url("commission_notice", notice)).content.decode()
    assert world.url("commission_notice_issue", notice) not in page
    response = client.get(world.url("commission_notice_edit", notice))
    assert response.url == world.url("commission_notice", notice)


# What a line may name -------------------------------------------------------------------------


def test_a_line_for_an_institution_outside_the_area_is_refused(world, client, login):
    notice = world.draft()
    with pytest.raises(ValidationError) as refusal:
        notices.add_line(
            notice,
            user=world.member,
            site=world.outside,
            department=world.outside_department,
            problem="栏目缺失",
            measure="补建栏目",
            working_days=5,
        )
    assert "site" in refusal.value.message_dict

    login("notice-member")
    response = client.post(
        world.url("commission_notice_lines", notice),
        {
            "site": world.outside.pk,
            "department": world.outside_department.pk,
            "problem": "栏目缺失",
            "measure": "补建栏目",
            "working_days": "5",
        },
    )
    assert response.status_code == 400
    assert not notice.lines.exists()


def test_a_line_naming_a_department_of_another_institution_is_refused(world):
    notice = world.draft()
    with pytest.raises(ValidationError) as refusal:
        notices.add_line(
            notice,
            user=world.member,
            site=world.demo_site,
            department=world.internal,
            problem="栏目缺失",
            measure="补建栏目",
            working_days=5,
        )
    assert "department" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        notices.add_line(
            notice,
            user=world.member,
            site=world.demo_site,
            department=world.medical,
            problem="栏目缺失",
            measure="补建栏目",
            working_days=300,
        )
    assert "working_days" in refusal.value.message_dict
    assert not notice.lines.exists()


def test_lines_are_added_and_removed_on_the_drafts_screen(world, client, login):
    notice = world.draft()
    login("notice-member")
    response = client.post(
        world.url("commission_notice_lines", notice),
        {
            "site": world.fresh_site.pk,
            "department": world.internal.pk,
            "problem": "价格公示栏目超期未更新",
            "measure": "更新医疗服务价格公示",
            "working_days": "15",
        },
    )
    assert response.status_code == 302
    line = notice.lines.get()
    assert (line.site, line.department, line.working_days) == (
        world.fresh_site,
        world.internal,
        15,
    )
    assert "价格公示栏目超期未更新" in client.get(response.url).content.decode()
    response = client.post(world.url("commission_notice_line_remove", notice, line.pk))
    assert response.status_code == 302 and not notice.lines.exists()
    assert line.history.latest("history_date").history_user == world.member


# Who reads and who writes ---------------------------------------------------------------------


def test_a_member_of_another_commission_gets_404_on_the_notice(world, issued, client, login):
    draft = world.draft(title="草稿通报")
    login("neighbour")
    for name in ("commission_notice", "commission_notice_edit", "commission_notice_lines"):
        for notice in (issued, draft):
            assert client.get(world.url(name, notice)).status_code == 404, name
    assert client.post(world.url("commission_notice_issue", draft)).status_code == 404
    assert client.get(world.url("commission_notice_file", issued, "xlsx")).status_code == 404
    assert (
        client.get(
            reverse("disclosure_admin:commission_notices", args=[world.commission.pk])
        ).status_code
        == 404
    )
    index = client.get(reverse("disclosure_admin:commission_notice_index")).content.decode()
    assert issued.title not in index
    draft.refresh_from_db()
    assert draft.state == NoticeState.DRAFT


def test_a_hospital_office_cannot_create_or_issue_a_notice(world, issued, client, login):
    office = login("office")
    with pytest.raises(PermissionDenied):
        world.draft(user=office)
    create = reverse("disclosure_admin:commission_notice_create", args=[world.commission.pk])
    assert client.get(create).status_code == 404
    response = client.post(
        create,
        {"title": "医院自拟通报", "period_start": "2026-07-01", "period_end": "2026-09-30"},
    )
    assert response.status_code == 404
    draft = world.with_lines(world.draft(title="草稿通报"))
    # A draft is no institution's business; the issued notice is theirs to read only.
    assert client.post(world.url("commission_notice_issue", draft)).status_code == 404
    with pytest.raises(PermissionDenied):
        notices.issue_notice(draft, user=office)
    assert client.get(world.url("commission_notice", issued)).status_code == 200
    # Refused: the admin sends them back to its home page with the refusal.
    for name in ("commission_notice_edit", "commission_notice_lines", "commission_notice_issue"):
        response = client.post(world.url(name, issued), {"title": "医院改的标题"})
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    assert not CommissionNotice.objects.filter(title="医院自拟通报").exists()
    draft.refresh_from_db()
    assert draft.state == NoticeState.DRAFT


def test_an_institution_reads_only_its_own_lines_and_results(world, issued, client, login):
    check = UpdateCheck.objects.create(
        commission=world.commission, taken_on=dt.date(2026, 9, 30), taken_by=world.member
    )
    for site, name, overdue in (
        (world.demo_site, "示范市人民医院", 3),
        (world.fresh_site, "测试医院", 7),
    ):
        ComplianceSnapshot.objects.create(
            site=site,
            taken_on=check.taken_on,
            update_check=check,
            institution_name=name,
            items=40,
            overdue=overdue,
        )
    CommissionNotice.objects.filter(pk=issued.pk).update(update_check=check)

    login("fresh-office")
    page = client.get(world.url("commission_notice", issued)).content.decode()
    assert "价格公示栏目超期未更新" in page and "测试医院" in page
    assert "医疗质量安全信息未按季度更新" not in page and "示范市人民医院" not in page
    workbook = load_workbook(
        io.BytesIO(client.get(world.url("commission_notice_file", issued, "xlsx")).content)
    )
    cells = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert "价格公示栏目超期未更新" in cells
    assert "医疗质量安全信息未按季度更新" not in cells and "示范市人民医院" not in cells

    login("supervisor")
    page = client.get(world.url("commission_notice", issued)).content.decode()
    assert "医疗质量安全信息未按季度更新" in page and "价格公示栏目超期未更新" not in page

    # An institution the notice does not name does not see it at all.
    office_of(world.outside, "outside-office")
    login("outside-office")
    assert client.get(world.url("commission_notice", issued)).status_code == 404


# The notice's page and its files --------------------------------------------------------------


@pytest.fixture
def with_results(world, issued) -> CommissionNotice:
    check = UpdateCheck.objects.create(
        commission=world.commission, taken_on=dt.date(2026, 9, 30), taken_by=world.member
    )
    ComplianceSnapshot.objects.bulk_create(
        ComplianceSnapshot(
            site=site,
            taken_on=check.taken_on,
            update_check=check,
            institution_name=name,
            items=43,
            on_time=on_time,
            overdue=43 - on_time,
        )
        for site, name, on_time in (
            (world.demo_site, "示范市人民医院", 40),
            (world.fresh_site, "测试医院", 31),
        )
    )
    CommissionNotice.objects.filter(pk=issued.pk).update(update_check=check)
    issued.refresh_from_db()
    return issued


def test_the_xlsx_holds_the_results_and_the_findings(world, with_results, client, login):
    login("notice-member")
    response = client.get(world.url("commission_notice_file", with_results, "xlsx"))
    assert response.status_code == 200
    results, findings = load_workbook(io.BytesIO(response.content)).worksheets
    assert results.cell(1, 1).value == findings.cell(1, 1).value == with_results.title
    rows = [[cell.value for cell in row] for row in results.iter_rows(min_row=4)]
    # By institution, as the results table lists them.
    assert rows == [
        ["测试医院", 43, 31, 0, 12, 0, 0, 0],
        ["示范市人民医院", 43, 40, 0, 3, 0, 0, 0],
    ]
    lines = [[cell.value for cell in row] for row in findings.iter_rows(min_row=3)]
    assert [line[1:4] for line in lines] == [
        ["测试医院", "内科", "价格公示栏目超期未更新"],
        ["示范市人民医院", "医务科", "医疗质量安全信息未按季度更新"],
    ]
    due = workdays.calendar().add_working_days(with_results.issued_on, 10).date
    assert lines[1][5] == due.isoformat()


def test_the_pdf_holds_the_title_results_and_findings(world, with_results, client, login):
    login("notice-member")
    response = client.get(world.url("commission_notice_file", with_results, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    if {message.id for message in pdf_can_be_drawn(None)} & {"disclosure.W010", "disclosure.W011"}:
        pytest.skip("No Chinese font installed: the PDF's text would be boxes.")
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for expected in (
        with_results.title,
        "示卫通〔2026〕3号",
        "示范市人民医院",
        "测试医院",
        "医疗质量安全信息未按季度更新",
        "价格公示栏目超期未更新",
    ):
        assert expected in text


def test_a_document_is_attached_into_the_commissions_collection(world, client, login):
    notice = world.draft()
    login("notice-member")
    url = world.url("commission_notice_attachments", notice)
    response = client.post(url, {"file": SimpleUploadedFile("检查结果.pdf", PDF), "title": ""})
    assert response.status_code == 302
    attachment = notice.attachments.get()
    assert attachment.document.collection == world.commission.document_collection
    assert attachment.document.title == "检查结果"
    download = client.get(world.url("commission_notice_attachment", notice, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # A web page renamed .pdf is not a PDF.
    response = client.post(url, {"file": SimpleUploadedFile("伪装.pdf", b"<html></html>")})
    assert response.status_code == 400 and notice.attachments.count() == 1
    login("neighbour")
    assert (
        client.get(world.url("commission_notice_attachment", notice, attachment.pk)).status_code
        == 404
    )


def test_the_notice_page_costs_the_same_queries_for_3_and_30_institutions(
    world, client, login, django_assert_max_num_queries
):
    home = world.outside.root_page
    pages = {}
    for size in (3, 30):
        sites = Site.objects.bulk_create(
            Site(hostname=f"n{size}-{i}.example", root_page=home, site_name=f"医院{size}-{i:02d}")
            for i in range(size)
        )
        world.commission.institutions.add(*sites)
        departments = Department.objects.bulk_create(
            Department(site=site, name="院办") for site in sites
        )
        check = UpdateCheck.objects.create(
            commission=world.commission, taken_on=dt.date(2026, 9, 30), taken_by=world.member
        )
        ComplianceSnapshot.objects.bulk_create(
            ComplianceSnapshot(
                site=site,
                taken_on=check.taken_on,
                update_check=check,
                institution_name=site.site_name,
                items=10,
            )
            for site in sites
        )
        notice = world.draft(title=f"通报{size}", update_check=check)
        NoticeFinding.objects.bulk_create(
            NoticeFinding(
                notice=notice,
                site=site,
                department=department,
                problem=f"{site.site_name}栏目超期",
                measure="更新",
                working_days=10,
            )
            for site, department in zip(sites, departments, strict=True)
        )
        notices.issue_notice(notice, user=world.member)
        pages[size] = notice
    login("notice-member")
    client.get(world.url("commission_notice", pages[3]))  # warm the caches
    budget = 100
    for size, notice in pages.items():
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(world.url("commission_notice", notice))
        page = response.content.decode()
        assert (
            page.count('class="dc-notice-line"') == page.count('class="dc-notice-result"') == size
        )
        budget = len(captured)


def test_the_check_warns_when_pdf_fonts_would_be_cut_by_the_slow_subsetter(monkeypatch):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    assert [message.id for message in pdf_can_be_drawn(None)] == ["disclosure.W012"]
