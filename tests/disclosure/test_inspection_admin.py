"""The self-inspection screens (自查评估) in the admin: checklist templates, an inspection's
scoring and its sign-off by each role, the automatic items against the overdue report, and the
XLSX sheet."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Inspection,
    InstitutionSettings,
)
from disclosure.rules.inspections import InspectionState, Measure, points_text
from disclosure.selectors.compliance import counts_by_institution, item_compliance
from disclosure.selectors.inspections import site_items
from disclosure.services import inspections as service
from disclosure.services.departments import ensure_office_group

PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def build_template(site=None, *, name="自查评估表") -> ChecklistTemplate:
    """Two sections, four items, 100 points; A1 scored by the on-time rate."""
    template = ChecklistTemplate.objects.create(site=site, name=name)
    lead, content = ChecklistSection.objects.bulk_create(
        [
            ChecklistSection(template=template, title="组织领导", sort_order=0),
            ChecklistSection(template=template, title="公开内容", sort_order=1),
        ]
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                section=lead,
                sort_order=0,
                code="A1",
                text="按时更新公开目录",
                points=Decimal(20),
                guidance="按时率每低1个百分点扣1分",
                measure=Measure.ON_TIME_RATE,
                threshold=90,
                deduction=Decimal(1),
            ),
            ChecklistItem(
                section=lead,
                sort_order=1,
                code="A2",
                text="成立信息公开领导小组",
                points=Decimal(30),
                guidance="未成立扣30分",
            ),
            ChecklistItem(
                section=content,
                sort_order=0,
                code="B1",
                text="公开医疗服务价格",
                points=Decimal(40),
                guidance="缺一项扣5分",
            ),
            ChecklistItem(
                section=content,
                sort_order=1,
                code="B2",
                text="公开投诉渠道",
                points=Decimal(10),
            ),
        ]
    )
    return template


def start(site, user, template=None) -> Inspection:
    return service.start_inspection(
        site=site,
        template=template or build_template(),
        kind="self",
        title="2026年上半年自查",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        user=user,
        today=PERIOD[1],
    )


def score_all(inspection, user) -> None:
    for score in inspection.scores.select_related("item"):
        if not score.item.measure:
            value = score.item.points - (5 if score.item.code == "B1" else 0)
            service.score_item(score, user=user, value=value, note="缺一项" if value else "")


def user(username):
    return get_user_model().objects.get(username=username)


def make_user(username, group) -> object:
    person = get_user_model().objects.create_user(username=username)
    person.groups.add(group)
    return person


@pytest.fixture
def leader(demo_site):
    """The demo's leadership (第一责任人): the group 院领导 and its member ``leader``."""
    group = InstitutionSettings.for_site(demo_site).leadership_group
    assert group is not None and group.name == "院领导"
    assert group.permissions.filter(codename="access_admin").exists()
    person = user("leader")
    assert list(person.groups.all()) == [group]
    return person


@pytest.fixture
def other_office(fresh_site):
    return make_user("other-office", ensure_office_group(site=fresh_site))


@pytest.fixture
def submitted(demo_site):
    inspection = start(demo_site, user("office"))
    score_all(inspection, user("office"))
    return service.submit(inspection, user=user("office"))


#: Wagtail's answer to PermissionDenied in the admin: back to the dashboard, with a message.
DENIED = "denied"


def outcome(response, inspection=None) -> int | str:
    if response.status_code == 302 and response.url == reverse("wagtailadmin_home"):
        return DENIED
    if inspection is not None and response.status_code == 302:
        assert response.url == page_of(inspection)
    return response.status_code


def page_of(inspection):
    return reverse("disclosure_admin:inspection", args=[inspection.pk])


# Scoring and totals ---------------------------------------------------------------------------


def test_scores_entered_on_the_screen_make_the_total(client, login, demo_site):
    office = login("office")
    inspection = start(demo_site, office)
    automatic = inspection.scores.get(item__code="A1").score
    scores = {score.item.code: score for score in inspection.scores.select_related("item")}
    response = client.post(
        page_of(inspection),
        {
            "action": "scores",
            f"score-{scores['A2'].pk}": "30",
            f"score-{scores['B1'].pk}": "35",
            f"note-{scores['B1'].pk}": "缺少收费标准",
            f"score-{scores['B2'].pk}": "10",
            f"score-{scores['A1'].pk}": str(automatic.normalize()),
        },
    )
    assert response.status_code == 302
    expected = automatic + 75
    assert inspection.total() == expected
    page = client.get(page_of(inspection)).content.decode()
    assert f'class="dc-inspection-total">{points_text(expected)}<' in page
    listing = client.get(reverse("disclosure_admin:inspections")).content.decode()
    assert f'class="dc-inspection-total">{points_text(expected)}<' in listing


def test_a_deduction_without_a_note_is_refused_on_its_item(client, login, demo_site):
    office = login("office")
    inspection = start(demo_site, office)
    b1 = inspection.scores.get(item__code="B1")
    response = client.post(page_of(inspection), {"action": "scores", f"score-{b1.pk}": "30"})
    assert response.status_code == 400
    assert "Say why points were deducted." in response.content.decode() or "扣分" in (
        response.content.decode()
    )
    b1.refresh_from_db()
    assert b1.score is None


def test_the_automatic_item_follows_the_overdue_report(client, login, demo_site):
    office = login("office")
    inspection = start(demo_site, office)
    rows = item_compliance(items=site_items(demo_site), today=PERIOD[1], summaries=True)
    counts = counts_by_institution(rows)[0]
    a1 = inspection.scores.get(item__code="A1")
    if counts.on_time_rate is None:
        expected = Decimal(20)
    else:
        expected = max(Decimal(20) - max(90 - counts.on_time_rate, 0), Decimal(0))
    assert a1.score == expected
    assert f"{counts.on_time_rate}%" in a1.computed
    # Recomputing from the screen gives the same figure, shown beside the item.
    response = client.post(page_of(inspection), {"action": "recompute"}, follow=True)
    a1.refresh_from_db()
    assert a1.score == expected
    assert a1.computed in response.content.decode()


def test_a_new_template_version_leaves_an_old_inspection_intact(demo_site):
    office = user("office")
    inspection = start(demo_site, office)
    score_all(inspection, office)
    total = inspection.total()
    codes = list(inspection.scores.values_list("item__code", "item__points"))
    copy = service.new_template_version(inspection.template, user=user("admin"))
    ChecklistItem.objects.filter(section__template=copy, code="B1").update(points=Decimal(30))
    ChecklistItem.objects.filter(section__template=copy, code="B2").update(text="新的内容")
    inspection.refresh_from_db()
    assert copy.version == 2 and inspection.template.version == 1
    assert list(inspection.scores.values_list("item__code", "item__points")) == codes
    assert inspection.total() == total
    assert inspection.template.total_points() == 100


# Sign-off by role -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status", "state"),
    [
        ("office-deputy", 302, InspectionState.SIGNED_OFF),
        ("office", 302, InspectionState.SUBMITTED),  # the submitter: refused with a message
        ("leader", 302, InspectionState.SIGNED_OFF),
        ("medical-editor", DENIED, InspectionState.SUBMITTED),
        ("medical-head", DENIED, InspectionState.SUBMITTED),
        ("supervisor", DENIED, InspectionState.SUBMITTED),
        ("other-office", 404, InspectionState.SUBMITTED),
    ],
)
def test_sign_off_by_role(client, submitted, leader, other_office, username, status, state):
    client.force_login(user(username))
    response = client.post(page_of(submitted), {"action": "sign_off"})
    assert outcome(response, submitted) == status
    submitted.refresh_from_db()
    assert submitted.state == state


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("office", 200),
        ("supervisor", 200),
        ("leader", 200),
        ("medical-editor", DENIED),
        ("other-office", 404),
    ],
)
def test_who_reads_an_inspection(client, submitted, leader, other_office, username, status):
    client.force_login(user(username))
    response = client.get(page_of(submitted))
    assert outcome(response) == status
    if status == 200:
        page = response.content.decode()
        may_sign = username == "leader"
        assert ('value="sign_off"' in page) is may_sign
        # The history names the submission.
        assert "dc-inspection-history" in page


@pytest.mark.parametrize("username", ["office-deputy", "leader"])
def test_return_needs_a_comment(client, submitted, leader, username):
    client.force_login(user(username))
    response = client.post(page_of(submitted), {"action": "return", "return-comment": ""})
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.state == InspectionState.SUBMITTED
    response = client.post(
        page_of(submitted), {"action": "return", "return-comment": "B1 缺少证明材料"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == InspectionState.RETURNED
    assert submitted.return_comment == "B1 缺少证明材料"


def test_the_submitter_cannot_return_it(client, submitted):
    client.force_login(user("office"))
    client.post(page_of(submitted), {"action": "return", "return-comment": "x"})
    submitted.refresh_from_db()
    assert submitted.state == InspectionState.SUBMITTED


def test_publish_the_score_once_signed_off(client, submitted):
    service.sign_off(submitted, user=user("office-deputy"))
    client.force_login(user("office"))
    client.post(page_of(submitted), {"action": "publish"})
    submitted.refresh_from_db()
    assert submitted.score_published


def test_departments_do_not_see_the_menu_or_the_lists(client, db):
    client.force_login(user("medical-editor"))
    assert outcome(client.get(reverse("disclosure_admin:inspections"))) == DENIED
    assert outcome(client.get(reverse("disclosure_checklisttemplate_modeladmin_index"))) == DENIED
    assert reverse("disclosure_admin:inspections") not in client.get("/admin/").content.decode()
    client.force_login(user("office"))
    assert reverse("disclosure_admin:inspections") in client.get("/admin/").content.decode()


def test_a_new_inspection_from_the_form(client, demo_site):
    template = build_template()
    client.force_login(user("office"))
    data = {
        "site": demo_site.pk,
        "template": template.pk,
        "kind": "third_party",
        "title": "第三方评估",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "evaluator": "",
    }
    response = client.post(reverse("disclosure_admin:inspection_new"), data)
    assert response.status_code == 400  # a third party's evaluation names the organisation
    assert "Name the commission" in response.content.decode() or "请填写进行评分的" in (
        response.content.decode()
    )
    data["evaluator"] = "某评估中心"
    response = client.post(reverse("disclosure_admin:inspection_new"), data)
    inspection = Inspection.objects.get(title="第三方评估")
    assert response.url == page_of(inspection)
    assert inspection.scores.count() == 4


# The XLSX sheet -------------------------------------------------------------------------------


def test_the_sheet_in_the_usual_layout(client, demo_site):
    office = user("office")
    inspection = start(demo_site, office)
    score_all(inspection, office)
    client.force_login(user("supervisor"))
    response = client.get(reverse("disclosure_admin:inspection_file", args=[inspection.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][1] == demo_site.site_name
    assert rows[1][1] == inspection.title
    assert rows[6][1] == float(inspection.total())
    assert rows[8] == ["序号", "项目", "内容", "分值", "评分标准", "得分", "扣分说明"] or rows[
        8
    ] == [
        "No.",
        "Section",
        "Content",
        "Points",
        "Scoring guidance",
        "Score",
        "Reasons for deductions",
    ]
    b1 = rows[11]
    assert b1[:6] == ["B1", "公开内容", "公开医疗服务价格", 40, "缺一项扣5分", 35]
    assert b1[6] == "缺一项"
    assert rows[13][5] == float(inspection.total())


# Templates ------------------------------------------------------------------------------------


def test_editing_a_frozen_template_is_refused(client, demo_site):
    office = user("office")
    template = build_template(site=demo_site)
    edit = reverse("disclosure_checklisttemplate_modeladmin_edit", args=[template.pk])
    client.force_login(office)
    assert client.get(edit).status_code == 200  # not yet scored on
    start(demo_site, office, template)
    response = client.get(edit, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "disclosure_checklisttemplate_modeladmin_inspect", args=[template.pk]
    )
    assert reverse("disclosure_admin:checklist_template_new_version", args=[template.pk]) in page
    response = client.post(
        reverse("disclosure_admin:checklist_template_new_version", args=[template.pk])
    )
    copy = ChecklistTemplate.objects.get(name=template.name, version=2)
    assert response.url == reverse("disclosure_checklisttemplate_modeladmin_edit", args=[copy.pk])
    assert client.get(response.url).status_code == 200


def test_a_shared_template_is_read_only_for_the_office(client, db):
    shared = build_template()
    client.force_login(user("office"))
    inspect = reverse("disclosure_checklisttemplate_modeladmin_inspect", args=[shared.pk])
    assert client.get(inspect).status_code == 200
    edit = reverse("disclosure_checklisttemplate_modeladmin_edit", args=[shared.pk])
    assert outcome(client.get(edit)) == DENIED
    response = client.post(
        reverse("disclosure_admin:checklist_template_new_version", args=[shared.pk])
    )
    assert outcome(response) == DENIED
    assert not ChecklistTemplate.objects.filter(version=2).exists()


def test_another_institutions_template_is_hidden(client, fresh_site, other_office):
    own = build_template(site=fresh_site, name="测试医院自查表")
    client.force_login(user("office"))
    inspect = reverse("disclosure_checklisttemplate_modeladmin_inspect", args=[own.pk])
    assert outcome(client.get(inspect)) == DENIED
    index = client.get(reverse("disclosure_checklisttemplate_modeladmin_index"))
    assert "测试医院自查表" not in index.content.decode()


def test_saving_a_template_with_nested_items_reports_its_total(client, demo_site):
    client.force_login(user("office"))
    data = {
        "site": demo_site.pk,
        "name": "院内自查表",
        "notes": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-title": "组织领导",
        "sections-0-ORDER": "1",
        "sections-0-id": "",
        "sections-0-DELETE": "",
        "sections-0-items-TOTAL_FORMS": "1",
        "sections-0-items-INITIAL_FORMS": "0",
        "sections-0-items-MIN_NUM_FORMS": "0",
        "sections-0-items-MAX_NUM_FORMS": "1000",
        "sections-0-items-0-code": "A1",
        "sections-0-items-0-text": "成立领导小组",
        "sections-0-items-0-points": "60",
        "sections-0-items-0-guidance": "",
        "sections-0-items-0-measure": "",
        "sections-0-items-0-threshold": "",
        "sections-0-items-0-deduction": "",
        "sections-0-items-0-ORDER": "1",
        "sections-0-items-0-id": "",
        "sections-0-items-0-DELETE": "",
    }
    response = client.post(
        reverse("disclosure_checklisttemplate_modeladmin_create"), data, follow=True
    )
    template = ChecklistTemplate.objects.get(name="院内自查表")
    assert template.site == demo_site
    assert template.total_points() == 60
    shown = [str(message.message) for message in response.context["messages"]]
    assert service.template_problems(template) == ["各项分值合计为 60，不是 100 分。"]
    assert any("60" in message and "100" in message for message in shown)


def test_evidence_then_submit_from_the_screen(client, demo_site):
    office = user("office")
    inspection = start(demo_site, office)
    b2 = inspection.scores.get(item__code="B2")
    ChecklistItem.objects.filter(pk=b2.item_id).update(evidence_required=True)
    score_all(inspection, office)
    client.force_login(office)
    response = client.post(page_of(inspection), {"action": "submit"}, follow=True)
    assert "B2" in " ".join(str(message.message) for message in response.context["messages"])
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.DRAFT
    response = client.post(
        page_of(inspection),
        {
            "action": "evidence",
            "score": b2.pk,
            "evidence-url": "https://hospital.example/ts",
            "evidence-label": "投诉渠道公示",
        },
    )
    assert response.status_code == 302
    assert b2.evidence.get().label == "投诉渠道公示"
    client.post(page_of(inspection), {"action": "submit"})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.SUBMITTED
    page = client.get(page_of(inspection)).content.decode()
    assert "投诉渠道公示" in page
    assert 'name="score-' not in page  # no longer editable


def test_the_list_filters_by_state(client, submitted, demo_site):
    # The demo's own inspections are listed too: count ours on top of them.
    draft = start(demo_site, user("office"), submitted.template)
    demo = Inspection.objects.exclude(pk__in=[submitted.pk, draft.pk])
    client.force_login(user("supervisor"))
    listing = reverse("disclosure_admin:inspections")
    page = client.get(listing).content.decode()
    assert page.count("dc-inspection-row") == demo.count() + 2
    assert page_of(submitted) in page and page_of(draft) in page
    page = client.get(listing, {"state": "submitted"}).content.decode()
    assert page.count("dc-inspection-row") == demo.filter(state="submitted").count() + 1
    assert page_of(submitted) in page and page_of(draft) not in page


def test_the_printable_pdf(client, submitted):
    client.force_login(user("office"))
    response = client.get(reverse("disclosure_admin:inspection_file", args=[submitted.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
