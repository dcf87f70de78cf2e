"""Commission assessments: a health commission's assessors score an institution of its area on
the checklist templates, beside the institution's own self-score. The commission's members read
every inspection of the area and keep only the commission's own; the institution reads those and
keeps its own; another commission, and an institution outside the area, are out of reach."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import Commission, Inspection
from disclosure.rules.commissions import CommissionLevel
from disclosure.rules.inspections import InspectionKind, InspectionState, points_text
from disclosure.services import inspections as service
from disclosure.services.commissions import ensure_commission_groups

from .test_inspection_admin import (
    DENIED,
    PERIOD,
    build_template,
    make_user,
    outcome,
    page_of,
    score_all,
    start,
    user,
)

COMMISSION = "测试市卫生健康委员会"
API = "/api/disclosure/v1"


def build_commission(name: str, *sites) -> Commission:
    commission = Commission.objects.create(name=name, level=CommissionLevel.MUNICIPAL)
    commission.institutions.add(*sites)
    return ensure_commission_groups(commission=commission)


@pytest.fixture
def commission(demo_site) -> Commission:
    """The city's commission over the demo hospital: two assessors and a reader."""
    commission = build_commission(COMMISSION, demo_site)
    make_user("assessor-one", commission.assessors_group)
    make_user("assessor-two", commission.assessors_group)
    make_user("test-reader", commission.readers_group)
    return commission


@pytest.fixture
def other_commission(fresh_site) -> Commission:
    """Another city's commission, over another hospital only."""
    commission = build_commission("邻市卫生健康委员会", fresh_site)
    make_user("other-assessor", commission.assessors_group)
    return commission


@pytest.fixture
def template(db):
    return build_template()


def open_commission_inspection(site, commission, template, username="assessor-one"):
    return service.start_inspection(
        site=site,
        template=template,
        kind=InspectionKind.COMMISSION,
        title="2026年上半年卫健委检查",
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        commission=commission,
        user=user(username),
        today=PERIOD[1],
    )


@pytest.fixture
def submitted(demo_site, commission, template):
    """The commission's inspection of the demo hospital, scored and submitted by assessor-one."""
    inspection = open_commission_inspection(demo_site, commission, template)
    score_all(inspection, user("assessor-one"))
    return service.submit(inspection, user=user("assessor-one"))


def self_inspection_signed_off(site, template) -> Inspection:
    inspection = start(site, user("office"), template)
    score_all(inspection, user("office"))
    inspection = service.submit(inspection, user=user("office"))
    return service.sign_off(inspection, user=user("office-deputy"))


# An assessor scores -----------------------------------------------------------------------------


def test_an_assessor_opens_scores_and_submits_from_the_screens(
    client, demo_site, fresh_site, commission, template
):
    client.force_login(user("assessor-one"))
    new = reverse("disclosure_admin:inspection_new")
    form = client.get(new).context["form"]
    # The commission's kind only, for the institutions of its area only.
    assert [value for value, _label in form.fields["kind"].choices] == ["commission"]
    assert list(form.fields["site"].queryset) == [demo_site]
    assert list(form.fields["commission"].queryset) == [commission]
    response = client.post(
        new,
        {
            "site": demo_site.pk,
            "template": template.pk,
            "kind": "commission",
            "commission": commission.pk,
            "title": "2026年上半年卫健委检查",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
        },
    )
    inspection = Inspection.objects.get(title="2026年上半年卫健委检查")
    assert response.url == page_of(inspection)
    assert (inspection.kind, inspection.commission, inspection.created_by) == (
        InspectionKind.COMMISSION,
        commission,
        user("assessor-one"),
    )
    page = client.get(page_of(inspection)).content.decode()
    assert f'class="dc-inspection-evaluator">{COMMISSION}<' in page
    assert 'name="score-' in page and 'value="submit"' in page

    scores = {score.item.code: score for score in inspection.scores.select_related("item")}
    a1 = scores["A1"].score
    response = client.post(
        page_of(inspection),
        {
            "action": "scores",
            f"score-{scores['A1'].pk}": points_text(a1),
            f"score-{scores['A2'].pk}": "30",
            f"score-{scores['B1'].pk}": "30",
            f"note-{scores['B1'].pk}": "价格公示不全",
            f"score-{scores['B2'].pk}": "10",
        },
    )
    assert outcome(response, inspection) == 302
    response = client.post(
        page_of(inspection),
        {
            "action": "evidence",
            "score": scores["B1"].pk,
            "evidence-url": "https://hospital.example/price",
            "evidence-label": "价格公示页",
        },
    )
    assert outcome(response, inspection) == 302
    client.post(page_of(inspection), {"action": "submit"})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.SUBMITTED
    assert inspection.submitted_by == user("assessor-one")
    page = client.get(page_of(inspection)).content.decode()
    assert f'class="dc-inspection-total">{points_text(a1 + 70)}<' in page
    assert "价格公示页" in page
    # The submitter is offered no sign-off.
    assert 'value="sign_off"' not in page
    listing = client.get(reverse("disclosure_admin:inspections")).content.decode()
    assert page_of(inspection) in listing and COMMISSION in listing


def test_the_automatic_items_score_as_for_the_self_inspection(demo_site, commission, template):
    own = start(demo_site, user("office"), template)
    theirs = open_commission_inspection(demo_site, commission, template)
    mine, its = (
        inspection.scores.get(item__code="A1") for inspection in (own, theirs)
    )  # the on-time rate
    assert (its.score, its.computed) == (mine.score, mine.computed)
    assert its.computed


def test_evidence_is_still_the_institutions_own(demo_site, fresh_site, commission, template):
    inspection = open_commission_inspection(demo_site, commission, template)
    b1 = inspection.scores.get(item__code="B1")
    with pytest.raises(ValidationError) as refused:
        service.add_evidence(b1, user=user("assessor-one"), page=fresh_site.root_page)
    assert "page" in refused.value.message_dict
    assert not b1.evidence.exists()


# Sign-off ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status", "state"),
    [
        ("assessor-two", 302, InspectionState.SIGNED_OFF),
        ("assessor-one", 302, InspectionState.SUBMITTED),  # the submitter: refused with a message
        ("test-reader", DENIED, InspectionState.SUBMITTED),
        # The commission's working paper: the institution reads it once signed off.
        ("office", 404, InspectionState.SUBMITTED),
        ("office-deputy", 404, InspectionState.SUBMITTED),
        ("supervisor", 404, InspectionState.SUBMITTED),
        ("other-assessor", 404, InspectionState.SUBMITTED),
    ],
)
def test_who_signs_off_the_commissions_inspection(
    client, submitted, other_commission, username, status, state
):
    client.force_login(user(username))
    response = client.post(page_of(submitted), {"action": "sign_off"})
    assert outcome(response, submitted) == status
    submitted.refresh_from_db()
    assert submitted.state == state


def test_the_submitter_is_told_why(client, submitted):
    client.force_login(user("assessor-one"))
    response = client.post(page_of(submitted), {"action": "sign_off"}, follow=True)
    shown = [str(message.message) for message in response.context["messages"]]
    assert any("提交人不能签批" in message or "cannot sign it off" in message for message in shown)
    with pytest.raises(PermissionDenied):
        service.sign_off(submitted, user=user("assessor-one"))


def test_another_assessor_returns_it_to_the_assessors(client, submitted):
    client.force_login(user("assessor-two"))
    page = client.get(page_of(submitted)).content.decode()
    assert 'value="sign_off"' in page
    response = client.post(
        page_of(submitted), {"action": "return", "return-comment": "B1 扣分依据不足"}
    )
    assert outcome(response, submitted) == 302
    submitted.refresh_from_db()
    assert (submitted.state, submitted.return_comment) == (
        InspectionState.RETURNED,
        "B1 扣分依据不足",
    )
    # Back with the assessors, who may score it again; the office still may not.
    client.force_login(user("assessor-one"))
    assert 'name="score-' in client.get(page_of(submitted)).content.decode()
    with pytest.raises(PermissionDenied):
        service.score_item(submitted.scores.get(item__code="A2"), user=user("office"), value="30")


# Readers ----------------------------------------------------------------------------------------


def test_a_commission_reader_reads_it_and_changes_nothing(client, submitted):
    client.force_login(user("test-reader"))
    page = client.get(page_of(submitted)).content.decode()
    assert f'class="dc-inspection-total">{points_text(submitted.total())}<' in page
    for offered in ('name="score-', 'value="sign_off"', 'value="submit"', 'value="publish"'):
        assert offered not in page
    a2 = submitted.scores.get(item__code="A2")
    response = client.post(page_of(submitted), {"action": "scores", f"score-{a2.pk}": "0"})
    assert outcome(response) == DENIED
    assert outcome(client.post(page_of(submitted), {"action": "submit"})) == DENIED
    a2.refresh_from_db()
    assert a2.score == 30
    # Readers open no inspection of their own.
    assert outcome(client.get(reverse("disclosure_admin:inspection_new"))) == DENIED
    listing = client.get(reverse("disclosure_admin:inspections")).content.decode()
    assert page_of(submitted) in listing
    assert reverse("disclosure_admin:inspection_new") not in listing
    with pytest.raises(PermissionDenied):
        open_commission_inspection(
            submitted.site, submitted.commission, submitted.template, username="test-reader"
        )
    with pytest.raises(PermissionDenied):
        service.sign_off(submitted, user=user("test-reader"))
    # The XLSX names the commission as the evaluator.
    response = client.get(reverse("disclosure_admin:inspection_file", args=[submitted.pk, "xlsx"]))
    rows = [
        [cell.value for cell in row]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    assert rows[4][1] == COMMISSION
    assert rows[6][1] == float(submitted.total())
    response = client.get(reverse("disclosure_admin:inspection_file", args=[submitted.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_commission_members_read_the_institutions_own_but_never_keep_it(
    client, demo_site, commission, template
):
    own = start(demo_site, user("office"), template)
    a2 = own.scores.get(item__code="A2")
    for username in ("test-reader", "assessor-one"):
        client.force_login(user(username))
        page = client.get(page_of(own)).content.decode()
        assert own.title in page and 'name="score-' not in page
        response = client.post(page_of(own), {"action": "scores", f"score-{a2.pk}": "30"})
        assert outcome(response) == DENIED
        with pytest.raises(PermissionDenied):
            service.score_item(a2, user=user(username), value="30")
    a2.refresh_from_db()
    assert a2.score is None


# The institution ------------------------------------------------------------------------------


def test_the_office_reads_it_but_does_not_keep_or_publish_it(client, submitted):
    service.sign_off(submitted, user=user("assessor-two"))
    for username in ("office", "supervisor", "office-deputy"):
        client.force_login(user(username))
        page = client.get(page_of(submitted)).content.decode()
        assert f'class="dc-inspection-evaluator">{COMMISSION}<' in page
        for offered in ('name="score-', 'value="sign_off"', 'value="publish"'):
            assert offered not in page
    client.force_login(user("office"))
    assert outcome(client.post(page_of(submitted), {"action": "publish"})) == DENIED
    with pytest.raises(PermissionDenied):
        service.publish_score(submitted, user=user("office"))
    submitted.refresh_from_db()
    assert not submitted.score_published
    # Publishing is the commission's decision.
    client.force_login(user("assessor-one"))
    assert 'value="publish"' in client.get(page_of(submitted)).content.decode()
    client.post(page_of(submitted), {"action": "publish"})
    submitted.refresh_from_db()
    assert submitted.score_published


def test_the_office_no_longer_opens_a_commission_inspection(
    client, demo_site, commission, template
):
    client.force_login(user("office"))
    new = reverse("disclosure_admin:inspection_new")
    form = client.get(new).context["form"]
    assert "commission" not in [value for value, _label in form.fields["kind"].choices]
    assert "commission" not in form.fields
    response = client.post(
        new,
        {
            "site": demo_site.pk,
            "template": template.pk,
            "kind": "commission",
            "title": "卫健委检查",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "evaluator": "市卫健委",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    with pytest.raises(PermissionDenied):
        open_commission_inspection(demo_site, commission, template, username="office")
    assert not Inspection.objects.filter(kind=InspectionKind.COMMISSION).exists()


# Other areas ------------------------------------------------------------------------------------


def test_another_commission_sees_nothing_of_it(client, submitted, other_commission):
    client.force_login(user("other-assessor"))
    assert outcome(client.get(page_of(submitted))) == 404
    file = reverse("disclosure_admin:inspection_file", args=[submitted.pk, "xlsx"])
    assert outcome(client.get(file)) == 404
    listing = client.get(reverse("disclosure_admin:inspections")).content.decode()
    assert page_of(submitted) not in listing
    assert submitted.site.site_name not in listing


def test_an_institution_outside_the_area_is_refused(
    client, demo_site, fresh_site, commission, other_commission, template
):
    client.force_login(user("assessor-one"))
    response = client.post(
        reverse("disclosure_admin:inspection_new"),
        {
            "site": fresh_site.pk,
            "template": template.pk,
            "kind": "commission",
            "commission": commission.pk,
            "title": "越区检查",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert "site" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        open_commission_inspection(fresh_site, commission, template)
    assert "site" in refused.value.message_dict
    # Nor may an assessor score for a commission not theirs.
    with pytest.raises(PermissionDenied):
        open_commission_inspection(demo_site, commission, template, username="other-assessor")
    assert not Inspection.objects.filter(kind=InspectionKind.COMMISSION).exists()


# Side by side ---------------------------------------------------------------------------------


def test_each_screen_shows_the_other_sides_score(client, demo_site, submitted):
    own = self_inspection_signed_off(demo_site, submitted.template)
    client.force_login(user("assessor-one"))
    page = client.get(page_of(submitted)).content.decode()
    assert f'class="dc-counterpart-total">{points_text(own.total())}<' in page
    assert page_of(own) in page

    client.force_login(user("office"))
    page = client.get(page_of(own)).content.decode()
    # Not yet signed off on the commission's side: the self-screen has no score beside it.
    assert "dc-counterpart-total" not in page and "dc-counterpart-score" in page
    service.sign_off(submitted, user=user("assessor-two"))
    page = client.get(page_of(own)).content.decode()
    assert f'class="dc-counterpart-total">{points_text(submitted.total())}<' in page
    assert page_of(submitted) in page and COMMISSION in page


def test_a_self_score_of_another_period_is_not_shown_beside_it(client, demo_site, submitted):
    earlier = service.start_inspection(
        site=demo_site,
        template=submitted.template,
        kind=InspectionKind.SELF,
        title="2025年自查",
        period_start=PERIOD[0].replace(year=2025),
        period_end=PERIOD[1].replace(year=2025),
        user=user("office"),
    )
    score_all(earlier, user("office"))
    earlier = service.submit(earlier, user=user("office"))
    service.sign_off(earlier, user=user("office-deputy"))
    client.force_login(user("assessor-two"))
    page = client.get(page_of(submitted)).content.decode()
    assert "dc-counterpart-score" in page and "dc-counterpart-total" not in page
    assert page_of(earlier) not in page


def test_the_api_lists_the_area_to_the_commission_and_nothing_else(
    client, demo_site, submitted, other_commission, token_for
):
    response = client.get(f"{API}/inspections/?limit=100", **token_for("test-reader"))
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["items"]}
    assert set(rows) == set(Inspection.objects.filter(site=demo_site).values_list("pk", flat=True))
    assert rows[submitted.pk]["evaluator"] == COMMISSION
    assert rows[submitted.pk]["kind"] == InspectionKind.COMMISSION
    response = client.get(f"{API}/inspections/?limit=100", **token_for("other-assessor"))
    assert submitted.pk not in {row["id"] for row in response.json()["items"]}


def test_another_commission_over_the_institution_reads_the_draft_nowhere(
    client, demo_site, commission, template
):
    """A province over the same hospital sees the city's assessment once signed off, in the
    drill-down as in the list; the city's assessors link to their draft from the drill-down."""
    draft = open_commission_inspection(demo_site, commission, template)
    province = build_commission("测试省卫生健康委员会", demo_site)
    make_user("province-reader", province.readers_group)
    drill_down = f"/admin/disclosure/commission/{province.pk}/institutions/{demo_site.pk}/"
    client.force_login(user("province-reader"))
    assert client.get(drill_down).status_code == 200
    assert (
        f"/admin/disclosure/inspections/{draft.pk}/" not in client.get(drill_down).content.decode()
    )
    client.force_login(user("assessor-one"))
    own = f"/admin/disclosure/commission/{commission.pk}/institutions/{demo_site.pk}/"
    assert f"/admin/disclosure/inspections/{draft.pk}/" in client.get(own).content.decode()
