"""The monthly patrol (栏目巡查): its frozen standings are the overdue report of that day, its
problems, the ledger entries made from them, its draft 自查自纠 report, and who sees what."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from disclosure.models import CatalogItemPage, Finding, Patrol, PublicationPage
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.rules.rectification import FindingSource, ProblemKind
from disclosure.selectors.compliance import item_compliance
from disclosure.selectors.inspections import site_items
from disclosure.services import rectification as ledger
from disclosure.services.departments import ensure_office_group
from home.demo import DEMO_PASSWORD

LATE = {ComplianceStatus.OVERDUE, ComplianceStatus.MISSING}


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def dead_link(monkeypatch, demo_item):
    """The link check (another module's work) finds one dead link on a page of the demo."""
    page = demo_item("机构基本信息")
    found = SimpleNamespace(
        kind=ProblemKind.BROKEN_LINK,
        page_id=page.pk,
        page_title=page.title,
        target="/xxgk/gone/",
        detail="链接指向的页面不存在",
    )
    monkeypatch.setattr(
        ledger, "check_links", lambda *, site: SimpleNamespace(pages_checked=7, problems=[found])
    )
    return found


@pytest.fixture
def patrol(demo_site, dead_link) -> Patrol:
    return ledger.run_patrol(site=demo_site, user=user("office"))


def frozen(patrol: Patrol) -> list[tuple]:
    return [(row.item_id, row.status, row.due) for row in patrol.standings.all()]


def test_the_patrol_freezes_the_overdue_report_of_its_day(client, login, demo_site, patrol):
    today = timezone.localdate()
    assert patrol.patrolled_on == today
    engine = {
        (row.item.pk, row.deadline.status, row.deadline.due)
        for row in item_compliance(items=site_items(demo_site), today=today, summaries=True)
    }
    assert set(frozen(patrol)) == engine

    login("office")
    report = client.get(reverse("disclosure_admin:overdue_report"), {"site": demo_site.pk})
    shown = [
        (row.item.pk, row.deadline.status, row.deadline.due)
        for row in report.context["object_list"]
    ]
    # The same rows in the same order: most urgent first, as the report lists them.
    assert frozen(patrol) == shown


def test_the_standings_stay_as_taken_when_the_catalog_changes(patrol):
    before = frozen(patrol)
    CatalogItemPage.objects.filter(pk__in=[row[0] for row in before]).update(rule_working_days=99)
    patrol.refresh_from_db()
    assert frozen(patrol) == before


def test_each_late_column_and_each_dead_link_is_a_problem(patrol, dead_link):
    late_items = {row.item_id for row in patrol.standings.all() if row.status in LATE}
    assert late_items
    problems = list(patrol.problems.all())
    late_problems = {
        problem.item_id
        for problem in problems
        if problem.kind in (ProblemKind.OVERDUE_ITEM, ProblemKind.MISSING_ITEM)
    }
    assert late_problems == late_items
    (link,) = [problem for problem in problems if problem.kind == ProblemKind.BROKEN_LINK]
    assert (link.page_id, link.target) == (dead_link.page_id, "/xxgk/gone/")
    assert patrol.pages_checked == 7


def test_the_office_runs_a_patrol_from_the_list(client, login, demo_site, dead_link):
    demo_patrols = set(Patrol.objects.values_list("pk", flat=True))  # the demo's, last month
    login("office")
    response = client.post(reverse("disclosure_admin:patrol_run"), {"institution": demo_site.pk})
    (patrol,) = Patrol.objects.exclude(pk__in=demo_patrols)
    assert response["Location"] == reverse("disclosure_admin:patrol", args=[patrol.pk])
    page = client.get(response["Location"]).content.decode()
    assert "/xxgk/gone/" in page and "链接指向的页面不存在" in page
    assert client.get(reverse("disclosure_admin:patrols")).context["patrols"][0] == patrol


def test_a_department_may_not_run_or_read_patrols(client, login, demo_site, patrol):
    patrols = Patrol.objects.count()  # the demo's and this test's
    login("medical-head")
    refused = client.post(reverse("disclosure_admin:patrol_run"), {"institution": demo_site.pk})
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert Patrol.objects.count() == patrols
    assert client.get(reverse("disclosure_admin:patrol", args=[patrol.pk])).status_code == 404


def test_a_supervisor_reads_a_patrol_but_adds_nothing(client, login, patrol):
    login("supervisor")
    url = reverse("disclosure_admin:patrol", args=[patrol.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["problem_form"] is None
    assert reverse("disclosure_admin:finding_create") not in page.content.decode()
    client.post(url, {"detail": "公开栏照片缺失"})
    assert not patrol.problems.filter(detail="公开栏照片缺失").exists()


def test_another_institution_does_not_see_the_patrol(client, fresh_site, patrol):
    other = get_user_model().objects.create_user("other-office", password=DEMO_PASSWORD)
    other.groups.add(ensure_office_group(site=fresh_site))
    client.force_login(other)
    assert client.get(reverse("disclosure_admin:patrol", args=[patrol.pk])).status_code == 404
    assert list(client.get(reverse("disclosure_admin:patrols")).context["patrols"]) == []


def test_the_office_adds_a_problem_by_hand(client, login, patrol):
    login("office")
    client.post(reverse("disclosure_admin:patrol", args=[patrol.pk]), {"detail": "公开栏照片缺失"})
    problem = patrol.problems.get(detail="公开栏照片缺失")
    assert problem.kind == ProblemKind.MANUAL and problem.added_by == user("office")


def test_a_problem_goes_to_the_ledger_with_the_form_filled_in(client, login, demo_site, patrol):
    problem = patrol.problems.filter(kind__in=[ProblemKind.OVERDUE_ITEM, ProblemKind.MISSING_ITEM])
    problem = problem.select_related("item__department").first()
    login("office")
    url = f"{reverse('disclosure_admin:finding_create')}?problem={problem.pk}"
    form = client.get(url).context["form"]
    assert form.initial["problem"] == problem.detail
    assert form.initial["item"] == problem.item_id
    assert form.initial["department"] == problem.item.department_id
    assert form.initial["source"] == FindingSource.PATROL

    client.post(
        url,
        {
            "institution": demo_site.pk,
            "source": FindingSource.PATROL,
            "department": problem.item.department_id,
            "item": problem.item_id,
            "problem": problem.detail,
            "measure": "按时限补发",
            "working_days": "5",
        },
    )

    finding = Finding.objects.get(patrol_problem=problem)
    assert finding.item_id == problem.item_id
    page = client.get(reverse("disclosure_admin:patrol", args=[patrol.pk])).content.decode()
    assert finding.number in page


def test_the_report_is_a_draft_under_the_chosen_item_linked_to_the_patrol(
    client, login, patrol, demo_item
):
    item = demo_item("自查自纠报告")
    login("office")
    url = reverse("disclosure_admin:patrol_report", args=[patrol.pk])
    assert client.get(url).context["form"]["item"].initial == item

    response = client.post(url, {"item": item.pk})

    patrol.refresh_from_db()
    report = PublicationPage.objects.get(pk=patrol.report_id)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[report.pk])
    assert report.get_parent().pk == item.pk
    assert not report.live and report.has_unpublished_changes


def test_a_supervisor_cannot_write_the_report(client, login, patrol, demo_item):
    login("supervisor")
    client.post(
        reverse("disclosure_admin:patrol_report", args=[patrol.pk]),
        {"item": demo_item("自查自纠报告").pk},
    )
    patrol.refresh_from_db()
    assert patrol.report_id is None
