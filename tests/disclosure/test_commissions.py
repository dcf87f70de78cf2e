"""Health commissions (卫健委): the area a commission reads (its institutions and those of the
commissions below it), the shape of oversight the admin accepts, and what a member reads and
cannot change: the overdue report, the ledger, the statistics and the audit trail of its area,
nothing of another area, no write into an institution."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.documents import get_document_model

from disclosure.models import (
    Commission,
    Department,
    Finding,
    InstitutionSettings,
    PublicationAttachment,
    PublicationPage,
)
from disclosure.rules.commissions import area_of, depth_below
from disclosure.rules.rectification import FindingSource
from disclosure.selectors.commissions import CommissionAccess, sites_of_area
from disclosure.selectors.rectification import LedgerAccess, findings_visible_to
from disclosure.selectors.scope import reported_items
from disclosure.services import rectification as ledger
from disclosure.services.audit import AuditProtectedError
from disclosure.services.commissions import ensure_commission_groups, oversight_problem
from disclosure.services.departments import institution_collection
from disclosure.services.inspections import require_own_evidence
from disclosure.views.service_forms import EvidenceForm
from disclosure.viewsets import CommissionAdmin, CommissionForm

pytestmark = pytest.mark.django_db

OVERDUE_REPORT = "/admin/reports/disclosure-overdue/"
LEDGER = "/admin/disclosure/ledger/"
AUDIT = "/admin/reports/disclosure-audit/"
STATISTICS = "/admin/disclosure/annual-reports/statistics/"


def commission(name: str, *, level: str = "municipal", sites=(), below=()) -> Commission:
    made = ensure_commission_groups(commission=Commission.objects.create(name=name, level=level))
    made.institutions.add(*sites)
    made.oversees.add(*below)
    return made


def member(username: str, *groups):
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(*groups)
    return user


# The area, as a rule ------------------------------------------------------------------------


def test_a_commission_reads_its_own_institutions_and_those_of_the_commissions_below():
    institutions = {1: [10], 2: [20, 21], 3: [30]}
    below = {1: [2], 2: [3]}
    assert area_of(1, institutions=institutions, below=below) == {10, 20, 21, 30}
    assert area_of(2, institutions=institutions, below=below) == {20, 21, 30}
    assert area_of(3, institutions=institutions, below=below) == {30}


def test_a_loop_of_oversight_ends_the_walk_and_is_reported():
    below = {1: [2], 2: [1]}
    assert area_of(1, institutions={1: [10], 2: [20]}, below=below) == {10, 20}
    assert depth_below(1, below=below) is None
    assert depth_below(1, below={1: [2], 2: [3]}) == 2


# The admin refuses an oversight that loops or reaches too deep -------------------------------


def test_a_commission_cannot_oversee_the_commission_above_it():
    province = commission("省卫健委", level="provincial")
    city = commission("市卫健委")
    province.oversees.add(city)
    assert oversight_problem(city, [province.pk]) is not None
    assert oversight_problem(province, [city.pk]) is None


def test_oversight_reaches_at_most_three_levels_down():
    county = commission("县卫健委", level="county")
    city = commission("市卫健委", below=[county])
    province = commission("省卫健委", level="provincial", below=[city])
    nation = commission("国家卫健委", level="national", below=[province])
    fourth = commission("乡卫健委", level="county")
    assert oversight_problem(nation, [province.pk]) is None
    assert "3" in oversight_problem(county, [fourth.pk])


def test_the_commission_form_names_the_loop_on_its_field():
    province = commission("省卫健委", level="provincial")
    city = commission("市卫健委")
    province.oversees.add(city)
    form_class = CommissionAdmin.edit_handler.bind_to_model(Commission).get_form_class()
    assert issubclass(form_class, CommissionForm)
    form = form_class(
        instance=city,
        data={"name": city.name, "level": "municipal", "region": "", "oversees": [province.pk]},
    )
    assert not form.is_valid()
    assert "oversees" in form.errors


def test_a_new_commission_gets_its_readers_and_assessors_groups_and_collection():
    made = commission("示范卫健委")
    assert made.readers_group.permissions.filter(codename="access_admin").exists()
    assert made.assessors_group.permissions.filter(codename="access_admin").exists()
    assert made.document_collection.name == "示范卫健委"
    # Reading follows from the commission, not from Wagtail's page or collection permissions.
    assert not made.readers_group.page_permissions.exists()
    assert not made.readers_group.collection_permissions.exists()


# Who reads what -----------------------------------------------------------------------------


@pytest.fixture
def two_areas(demo_site, fresh_site):
    """The demo hospital under a city under a province; a second institution under another
    city."""
    city = commission("示范市卫健委", sites=[demo_site])
    province = commission("示范省卫健委", level="provincial", below=[city])
    elsewhere = commission("邻市卫健委", sites=[fresh_site])
    return {
        "city-reader": member("city-reader", city.readers_group),
        "city-assessor": member("city-assessor", city.assessors_group),
        "province-reader": member("province-reader", province.readers_group),
        "elsewhere-reader": member("elsewhere-reader", elsewhere.readers_group),
        "city": city,
        "province": province,
        "elsewhere": elsewhere,
    }


def test_each_member_reads_the_area_of_their_commission_only(demo_site, fresh_site, two_areas):
    city_reader = CommissionAccess.of(two_areas["city-reader"])
    assert city_reader.site_ids == {demo_site.pk}
    assert city_reader.assessed_site_ids == frozenset()
    assessor = CommissionAccess.of(two_areas["city-assessor"])
    assert assessor.site_ids == assessor.assessed_site_ids == {demo_site.pk}
    assert CommissionAccess.of(two_areas["province-reader"]).site_ids == {demo_site.pk}
    assert CommissionAccess.of(two_areas["elsewhere-reader"]).site_ids == {fresh_site.pk}
    assert list(sites_of_area(two_areas["province"].pk)) == [demo_site]


def test_the_overdue_report_lists_the_area_and_offers_no_record(client, demo_site, two_areas):
    reader = two_areas["city-reader"]
    assert (
        reported_items(reader).count()
        == reported_items(get_user_model().objects.get(username="office")).count()
    )
    client.force_login(reader)
    page = client.get(OVERDUE_REPORT).content.decode()
    assert "门诊服务流程" in page or "医疗服务项目价格" in page
    assert "/attest/" not in page and "/change/" not in page
    client.force_login(two_areas["elsewhere-reader"])
    assert "医疗服务项目价格" not in client.get(OVERDUE_REPORT).content.decode()


def test_the_commission_reads_the_ledger_of_its_area_and_answers_nothing(
    client, demo_site, two_areas
):
    medical = Department.objects.get(site=demo_site, name="医务科")
    finding = ledger.raise_finding(
        site=demo_site,
        user=get_user_model().objects.get(username="office"),
        source=FindingSource.COMMISSION,
        department=medical,
        problem="院务公开栏目未及时更新",
        measure="两周内更新",
        working_days=10,
    )
    reader = two_areas["province-reader"]
    access = LedgerAccess.of(reader)
    assert access.may_view(finding)
    assert not access.may_answer(finding) and not access.is_office(demo_site.pk)
    assert findings_visible_to(reader).filter(pk=finding.pk).exists()
    with pytest.raises(PermissionDenied):
        ledger.answer_finding(finding, user=reader, response="已更新", done=True)
    client.force_login(reader)
    assert "院务公开栏目未及时更新" in client.get(LEDGER).content.decode()
    answer = client.post(
        f"{LEDGER}{finding.pk}/", {"action": "answer", "response": "已更新", "done": "on"}
    )
    assert answer.status_code in (302, 403)
    assert Finding.objects.get(pk=finding.pk).response == ""
    elsewhere = two_areas["elsewhere-reader"]
    assert not findings_visible_to(elsewhere).filter(pk=finding.pk).exists()
    client.force_login(elsewhere)
    assert client.get(f"{LEDGER}{finding.pk}/").status_code in (403, 404)


def test_the_audit_trail_and_statistics_of_the_area_only(client, demo_site, two_areas):
    client.force_login(two_areas["city-reader"])
    trail = client.get(AUDIT)
    assert trail.status_code == 200
    assert demo_site.site_name in trail.content.decode()
    statistics = client.get(STATISTICS)
    assert statistics.status_code == 200
    assert demo_site.site_name in statistics.content.decode()
    assert "测试医院" not in statistics.content.decode()
    client.force_login(two_areas["elsewhere-reader"])
    statistics = client.get(STATISTICS).content.decode()
    assert "测试医院" in statistics and demo_site.site_name not in statistics


def test_a_commission_changes_nothing_in_an_institution(client, demo_site, demo_item, two_areas):
    item = demo_item("医疗服务项目价格")
    client.force_login(two_areas["city-assessor"])
    for url in (
        f"/admin/pages/{item.pk}/edit/",
        f"/admin/pages/add/disclosure/publicationpage/{item.pk}/",
        f"/admin/disclosure/items/{item.pk}/attest/",
        f"/admin/settings/disclosure/institutionsettings/{demo_site.pk}/",
        "/admin/disclosure/requests/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert "/login/" not in response["Location"]


def test_the_history_of_an_area_is_append_only(demo_site):
    """Who put an institution in a commission's area stays on record: the rows of the area's
    history (a table of its own) are never deleted."""
    made = commission("示范卫健委", sites=[demo_site])
    area_history = next(
        related.related_model
        for related in Commission.history.model._meta.related_objects
        if related.related_model.__name__ == "HistoricalCommission_institutions"
    )
    row = area_history.objects.filter(history__in=made.history.all(), site=demo_site).first()
    assert row is not None
    with pytest.raises(AuditProtectedError), transaction.atomic():
        row.delete()
    assert area_history.objects.filter(pk=row.pk).exists()


# What the attack of the commission's role found, closed --------------------------------------


def test_evidence_is_a_published_page_and_for_the_commission_a_published_document(
    demo_site, demo_item
):
    item = demo_item("医疗服务项目价格")
    draft = item.add_child(
        instance=PublicationPage(title="秘密草稿标题", slug="secret", live=False)
    )
    with pytest.raises(ValidationError) as refused:
        require_own_evidence(demo_site, page=draft)
    assert "page" in refused.value.message_dict
    private = get_document_model().objects.create(
        title="内部机密文件", collection=institution_collection(demo_site), file="private.pdf"
    )
    require_own_evidence(demo_site, document=private)  # the office may cite its own
    with pytest.raises(ValidationError) as refused:
        require_own_evidence(demo_site, document=private, published_only=True)
    assert "document" in refused.value.message_dict
    attached = PublicationAttachment.objects.filter(page__live=True).first().document
    require_own_evidence(demo_site, document=attached, published_only=True)

    offered = EvidenceForm(site=demo_site, published_only=True)
    assert private not in offered.fields["document"].queryset
    assert attached in offered.fields["document"].queryset
    assert draft not in EvidenceForm(site=demo_site).fields["page"].queryset
    assert private in EvidenceForm(site=demo_site).fields["document"].queryset


def test_a_ledgers_texts_never_carry_a_persons_identifiers(demo_site):
    office = get_user_model().objects.get(username="office")
    medical = Department.objects.get(site=demo_site, name="医务科")
    with pytest.raises(ValidationError) as refused:
        ledger.raise_finding(
            site=demo_site,
            user=office,
            source=FindingSource.SUPERVISOR,
            department=medical,
            problem="投诉人张伟（电话13912340007）反映未公开",
            measure="补充公开",
            working_days=10,
        )
    assert "problem" in refused.value.message_dict
    finding = ledger.raise_finding(
        site=demo_site,
        user=office,
        source=FindingSource.SUPERVISOR,
        department=medical,
        problem="收费标准未公开",
        measure="补充公开",
        working_days=10,
    )
    with pytest.raises(ValidationError) as refused:
        ledger.answer_finding(
            finding,
            user=get_user_model().objects.get(username="medical-head"),
            response="已联系申请人，身份证110105198507190181",
            done=True,
        )
    assert "response" in refused.value.message_dict
    assert Finding.objects.get(pk=finding.pk).response == ""


def test_a_commission_reads_no_history_of_an_institutions_settings(client, demo_site, two_areas):
    settings = InstitutionSettings.for_site(demo_site)
    settings.office_phone = "0000-88880121"
    settings.save()
    client.force_login(two_areas["city-reader"])
    history = client.get(f"/admin/disclosure/history/disclosure/institutionsettings/{settings.pk}/")
    assert history.status_code == 302 and "/login/" not in history["Location"]
    department = Department.objects.get(site=demo_site, name="医务科")
    assert (
        client.get(f"/admin/disclosure/history/disclosure/department/{department.pk}/").status_code
        == 200
    )
