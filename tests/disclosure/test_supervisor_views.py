"""Supervisors (纪检监察) read everything of their institutions, plainly, and change nothing:
the catalog with each item's standing, what is under review and for how long, the drafts, each
revision under a band that cannot be taken for the live page, and an audit trail in plain
Chinese."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import iri_to_uri
from wagtail.models import WorkflowState

from disclosure.models import AuditEntry, Department, InstitutionSettings, PublicationPage
from disclosure.models.institutions import InstitutionGrade
from disclosure.selectors import workdays
from disclosure.services.moderation import submit_for_review

CATALOG = reverse("disclosure_admin:supervision_catalog")
IN_REVIEW = reverse("disclosure_admin:supervision_in_review")
DRAFTS = reverse("disclosure_admin:supervision_drafts")
REPORT = reverse("disclosure_admin:audit_report")
SCREENS = (CATALOG, IN_REVIEW, DRAFTS)

PRICES = "医疗服务项目价格"  # 财务科, 社会公众
STAFF_ITEM = "大额资金使用"  # 财务科, 职工
NEW_DRAFT = "2026年第四季度医疗服务项目价格（草稿）"
SUBMITTED = "2026年12月医疗服务项目价格调整"
DRAFT_BAND = "草稿（未审核，未公开）"


def _as(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _main(response) -> str:
    """The screen's own content (Wagtail's sidebar and chrome left out)."""
    html = response.content.decode()
    found = re.search(r"<main\b.*?</main>", html, flags=re.S)
    return found.group(0) if found else html


def _new_publication(item, title: str, slug: str) -> PublicationPage:
    editor = item.department.editors_group.user_set.order_by("pk").first()
    page = item.add_child(
        instance=PublicationPage(
            title=title, slug=slug, publication_date=timezone.localdate(), live=False
        )
    )
    page.save_revision(user=editor, log_action=True)
    page.refresh_from_db()
    return page


@pytest.fixture
def drafted(demo_item) -> PublicationPage:
    return _new_publication(demo_item(PRICES), NEW_DRAFT, "q4-draft")


@pytest.fixture
def submitted(demo_item) -> PublicationPage:
    """A publication 财务科's editor submitted eight calendar days ago."""
    page = _new_publication(demo_item(PRICES), SUBMITTED, "december-change")
    submit_for_review(page=page, user=get_user_model().objects.get(username="finance-editor"))
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    WorkflowState.objects.filter(pk=state.pk).update(created_at=eight_days_ago)
    page.refresh_from_db()
    return page


@pytest.fixture
def other_supervisor(fresh_site, fresh_site_item):
    """The supervisor of a second institution, with its own (draft) catalog."""
    fresh_site_item("内科")
    group = Group.objects.create(name="测试医院纪检监察")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    institution = InstitutionSettings.for_site(fresh_site)
    institution.supervisors_group = group
    institution.save()
    user = get_user_model().objects.create_user("other-supervisor", password="x")
    user.groups.add(group)
    return user


# The lists ---------------------------------------------------------------------------------


def test_the_catalog_overview_lists_each_item_with_its_standing(client, demo_item):
    response = _as(client, "supervisor").get(CATALOG)
    assert response.status_code == 200
    main = _main(response)
    assert "目录总览" in main
    for category in response.context["categories"]:
        assert category.title in main
    rows = {row.item.title: row for c in response.context["categories"] for row in c.items}
    drug_prices = rows["药品价格"]
    # The deadline engine's standing, as the overdue report has it.
    assert drug_prices.status_label in main and drug_prices.rule_words in main
    # The audience by its label, not its code ("staff").
    assert rows[STAFF_ITEM].audience_label == "职工"
    assert re.search(rf"<td>{STAFF_ITEM}</td>\s*<td>财务科</td>\s*<td>职工</td>", main)
    timeline = reverse("disclosure_admin:item_timeline", args=[demo_item(PRICES).pk])
    as_of = reverse("disclosure_admin:page_as_of", args=[demo_item(PRICES).pk])
    assert f'href="{timeline}"' in main and f'href="{as_of}"' in main


def test_the_review_queue_says_who_submitted_what_and_for_how_long(client, submitted):
    response = _as(client, "supervisor").get(IN_REVIEW)
    main = _main(response)
    (row,) = [row for row in response.context["rows"] if row.page.pk == submitted.pk]
    submitted_on = timezone.localtime(row.submitted_at).date()
    days = workdays.working_days_between(submitted_on, timezone.localdate())
    assert row.working_days == days and 3 <= days <= 8
    assert SUBMITTED in main and row.task in main
    assert f"{days}个工作日" in main
    editor = get_user_model().objects.get(username="finance-editor")
    assert editor.get_full_name() in main  # by name, the login beside it
    assert "finance-editor" in main
    draft = reverse("disclosure_admin:revision", args=[submitted.pk, submitted.latest_revision_id])
    assert f'href="{draft}"' in main


def test_the_drafts_list_opens_each_draft_under_its_band(client, drafted):
    supervisor = _as(client, "supervisor")
    main = _main(supervisor.get(DRAFTS))
    draft = reverse("disclosure_admin:revision", args=[drafted.pk, drafted.latest_revision_id])
    assert NEW_DRAFT in main and f'href="{draft}"' in main
    assert "从未公开" in main

    page = supervisor.get(draft)
    assert page.status_code == 200
    html = page.content.decode()
    band = re.search(r'<div class="dc-revision-band[^"]*" role="alert"[^>]*>.*?</div>', html, re.S)
    assert band and DRAFT_BAND in band.group(0)
    assert html.index(DRAFT_BAND) < html.index(NEW_DRAFT, html.index("<body"))  # at the top
    assert re.search(r"<title>【草稿】", html)
    assert "disclosure/revision_band.css" in html  # red, from a stylesheet any CSP admits
    assert '<meta name="robots" content="noindex' in html
    assert page["X-Robots-Tag"] == "noindex"


def test_a_past_revision_says_when_the_public_saw_it(client, demo_item):
    publication = PublicationPage.objects.child_of(demo_item(PRICES)).live().first()
    publication.save_revision(user=get_user_model().objects.get(username="finance-editor"))
    supervisor = _as(client, "supervisor")
    revisions = supervisor.get(reverse("disclosure_admin:page_revisions", args=[publication.pk]))
    assert revisions.status_code == 200
    assert DRAFT_BAND in _main(revisions) and "现行公开版本" in _main(revisions)
    live = supervisor.get(
        reverse("disclosure_admin:revision", args=[publication.pk, publication.live_revision_id])
    )
    assert "现行公开版本" in live.content.decode()


def test_the_display_switches_of_a_revision_return_to_the_page(client, demo_item):
    """A revision is rendered for a request Wagtail makes up, whose path is escaped once more:
    the 繁體 and 大字 links go back to the page's own address, not to a mangled one."""
    publication = PublicationPage.objects.child_of(demo_item(PRICES)).live().first()
    supervisor = _as(client, "supervisor")
    page = supervisor.get(
        reverse("disclosure_admin:revision", args=[publication.pk, publication.live_revision_id])
    ).content.decode()
    targets = {
        urllib.parse.unquote(match)
        for match in re.findall(
            r'class="(?:script|text-size)-switch[^"]*" href="[^"?]*\?next=([^"&]+)', page
        )
    }
    assert targets == {
        iri_to_uri(publication.relative_url(publication.get_site()))
    }  # as a page's own links give it
    assert "%25" not in "".join(targets)


def test_the_screens_offer_nothing_a_supervisor_cannot_do(client, drafted, submitted):
    supervisor = _as(client, "supervisor")
    for screen in (*SCREENS, reverse("disclosure_admin:page_revisions", args=[drafted.pk])):
        main = _main(supervisor.get(screen))
        for action in ("/edit/", "/publish/", "/unpublish/", "/workflow/action/", "/delete/"):
            assert action not in main, (screen, action)
        assert "<form" not in main or 'method="post"' not in main
    # The overdue report neither: no record of a check or a change to make.
    report = _main(supervisor.get(reverse("disclosure_admin:overdue_report_results")))
    assert "药品价格" in report and "/attest/" not in report and "/change/" not in report


def test_the_dashboard_points_a_supervisor_to_the_overview(db, client):
    main = _main(_as(client, "supervisor").get("/admin/"))
    assert f'href="{CATALOG}"' in main and f'href="{DRAFTS}"' in main


# Who may read ------------------------------------------------------------------------------


def test_anonymous_visitors_and_other_departments_are_refused(client, drafted):
    draft = reverse("disclosure_admin:revision", args=[drafted.pk, drafted.latest_revision_id])
    revisions = reverse("disclosure_admin:page_revisions", args=[drafted.pk])
    for url in (*SCREENS, draft, revisions):
        client.logout()
        assert "/login/" in client.get(url)["Location"]
        # 医务科's editor: Wagtail's admin refuses with a redirect to the dashboard.
        response = _as(client, "medical-editor").get(url)
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url


def test_another_institutions_supervisor_sees_nothing_of_ours(
    client, drafted, submitted, other_supervisor
):
    client.force_login(other_supervisor)
    for screen in SCREENS:
        main = _main(client.get(screen))
        assert PRICES not in main and NEW_DRAFT not in main and SUBMITTED not in main
    draft = reverse("disclosure_admin:revision", args=[drafted.pk, drafted.latest_revision_id])
    assert client.get(draft).status_code == 302  # refused
    revisions = reverse("disclosure_admin:page_revisions", args=[drafted.pk])
    assert client.get(revisions).status_code == 404
    # Nor does ours see theirs.
    main = _main(_as(client, "supervisor").get(CATALOG))
    assert "测试医院事项" not in main


def test_a_department_editor_reads_no_draft_of_another_department(client, drafted):
    draft = reverse("disclosure_admin:revision", args=[drafted.pk, drafted.latest_revision_id])
    assert _as(client, "finance-editor").get(draft).status_code == 200  # their own
    assert _as(client, "medical-head").get(draft).status_code == 302


# Query budgets -----------------------------------------------------------------------------


def test_the_lists_cost_the_same_whatever_their_length(
    client, demo_item, django_assert_max_num_queries
):
    supervisor = _as(client, "supervisor")

    def costs() -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counted = {}
        for screen in SCREENS:
            with CaptureQueriesContext(connection) as queries:
                assert supervisor.get(screen).status_code == 200
            counted[screen] = len(queries)
        return counted

    supervisor.get(CATALOG)
    item = demo_item(PRICES)
    editor = get_user_model().objects.get(username="finance-editor")
    submit_for_review(page=_new_publication(item, "增长前草稿", "before-growth"), user=editor)
    first = costs()
    for n in range(6):
        page = _new_publication(item, f"增长草稿{n}", f"growth-{n}")
        if n % 2:
            submit_for_review(page=page, user=editor)
    assert costs() == first
    for screen in SCREENS:
        with django_assert_max_num_queries(first[screen]):
            supervisor.get(screen)


# The audit trail in plain Chinese ------------------------------------------------------------


@pytest.fixture
def regraded(demo_site) -> AuditEntry:
    """The office changes the institution's grade: a history row, in the audit trail."""
    institution = InstitutionSettings.for_site(demo_site)
    institution.grade = InstitutionGrade.GRADE_3B
    institution._history_user = get_user_model().objects.get(username="office")
    institution.save()
    return AuditEntry.objects.filter(action="disclosure.history.update").latest("pk")


def test_the_audit_report_reads_in_plain_chinese(client, regraded):
    response = _as(client, "supervisor").get(REPORT, {"action": "disclosure.history.update"})
    main = _main(response)
    with translation.override("zh-hans"):
        grade = str(InstitutionSettings._meta.get_field("grade").verbose_name)
        old, new = str(InstitutionGrade.GRADE_3A.label), str(InstitutionGrade.GRADE_3B.label)
    # Field and choices by their labels, never their names and codes.
    assert f"{grade}：{old} → {new}" in main
    assert "grade:" not in main and "3A → 3B" not in main
    # The person by name, the login as a detail.
    office = get_user_model().objects.get(username="office")
    assert office.get_full_name() in main
    assert re.search(r'class="w-text-grey-400 dc-login">office<', main)
    # Local time.
    local = timezone.localtime(regraded.timestamp).strftime("%Y-%m-%d %H:%M")
    assert local in main
    assert "Asia/Shanghai" in main


def test_the_audit_export_says_its_time_zone_and_names_people(client, regraded):
    response = _as(client, "supervisor").get(
        REPORT, {"action": "disclosure.history.update", "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    heading, first = rows[0], rows[1]
    assert heading[0] == "时间（本地时间，Asia/Shanghai）"
    assert first[0] == timezone.localtime(regraded.timestamp).strftime("%Y-%m-%d %H:%M:%S")
    office = get_user_model().objects.get(username="office")
    assert first[heading.index("用户")] == office.get_full_name()
    assert first[heading.index("登录账号")] == "office"


def test_the_history_of_a_record_reads_in_plain_chinese(client, regraded):
    url = reverse(
        "disclosure_admin:model_history",
        args=["disclosure", "institutionsettings", regraded.object_id],
    )
    main = _main(_as(client, "supervisor").get(url))
    with translation.override("zh-hans"):
        grade = str(InstitutionSettings._meta.get_field("grade").verbose_name)
        new = str(InstitutionGrade.GRADE_3B.label)
    assert f"{grade}：" in main and new in main and "3B" not in main
    assert "Asia/Shanghai" in main


def test_timelines_and_what_the_public_saw_name_their_item(client, demo_item):
    item = demo_item("药品价格")
    supervisor = _as(client, "supervisor")
    timeline = supervisor.get(reverse("disclosure_admin:item_timeline", args=[item.pk]))
    assert "时间线：药品价格" in _main(timeline)
    assert "<title>时间线：药品价格" in timeline.content.decode()
    as_of = supervisor.get(reverse("disclosure_admin:page_as_of", args=[item.pk]))
    assert "公众当时所见：药品价格" in _main(as_of)


def test_a_department_reads_its_items_heading_by_the_live_title(client, demo_item):
    item = demo_item("药品价格")
    item.title = "药品价格（改名草稿）"
    item.save_revision(user=get_user_model().objects.get(username="office"))
    department = item.department.editors_group.user_set.get().username
    timeline = _as(client, department).get(
        reverse("disclosure_admin:item_timeline", args=[item.pk])
    )
    assert "时间线：药品价格" in _main(timeline) and "改名草稿" not in _main(timeline)
    # The supervisor reads drafts, and the heading names the item as its draft does.
    supervised = _as(client, "supervisor").get(
        reverse("disclosure_admin:item_timeline", args=[item.pk])
    )
    assert "时间线：药品价格（改名草稿）" in _main(supervised)


def test_a_categorys_revisions_open_for_its_institutions_overseers_only(client, demo_item):
    category = demo_item(PRICES).get_parent()
    url = reverse("disclosure_admin:revision", args=[category.pk, category.live_revision_id])
    assert _as(client, "supervisor").get(url).status_code == 200
    assert _as(client, "office").get(url).status_code == 200
    assert _as(client, "finance-editor").get(url).status_code == 302  # refused


def test_a_revert_reads_in_plain_words_and_local_time(client, demo_site):
    department = Department.objects.get(site=demo_site, name="医务科")
    department.phone = "0000-9999"
    department.save()
    first = department.history.order_by("history_date", "history_id").first()
    _as(client, "office").post(
        reverse(
            "disclosure_admin:model_revert",
            args=["disclosure", "department", department.pk, first.history_id],
        )
    )
    history = reverse(
        "disclosure_admin:model_history", args=["disclosure", "department", department.pk]
    )
    main = _main(_as(client, "supervisor").get(history))
    local = timezone.localtime(first.history_date).strftime("%Y-%m-%d %H:%M")
    assert f"恢复为{local}的版本（历史记录 {first.history_id}）" in main
    assert "revert to the version" not in main
    report = _main(client.get(REPORT, {"object_repr": "医务科"}))
    assert f"恢复为{local}的版本" in report


def test_the_report_filters_people_by_their_names(db, client):
    main = _main(_as(client, "supervisor").get(REPORT))
    office = get_user_model().objects.get(username="office")
    assert f"{office.get_full_name()}（office）" in main
