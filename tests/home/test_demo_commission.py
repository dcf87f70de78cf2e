"""The demo's two more hospitals and the health commission over the three (load_demo's stage 9)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, Site

from disclosure.models import (
    CatalogItemPage,
    Commission,
    Department,
    InstitutionSettings,
    PublicationPage,
)
from disclosure.rules.commissions import CommissionLevel
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.commissions import CommissionAccess, commission_areas, sites_of_area
from disclosure.selectors.compliance import counts_by_institution, item_compliance
from home.demo import DEMO_PASSWORD, DEPARTMENTS, load_demo
from home.demo_commission import CITY_COMMISSION, HOSPITALS, PROVINCE_COMMISSION

SECOND, TCM = HOSPITALS


@pytest.fixture
def hospitals(db) -> dict[str, Site]:
    return {hospital.name: Site.objects.get(hostname=hospital.hostname) for hospital in HOSPITALS}


@pytest.fixture
def city(db) -> Commission:
    return Commission.objects.get(name=CITY_COMMISSION)


def _standing(site: Site) -> tuple[object, dict[str, set[str]]]:
    rows = item_compliance(
        items=CatalogItemPage.objects.descendant_of(site.root_page), summaries=True
    )
    (counts,) = counts_by_institution(rows)
    titles: dict[str, set[str]] = {}
    for row in rows:
        titles.setdefault(row.deadline.status, set()).add(row.item.title)
    return counts, titles


def test_the_demo_holds_three_hospitals_the_first_still_the_default(demo_site, hospitals):
    assert demo_site.site_name == "示范市人民医院"
    assert Site.objects.get(is_default_site=True) == demo_site
    for hospital in HOSPITALS:
        site = hospitals[hospital.name]
        institution = InstitutionSettings.for_site(site)
        assert (institution.full_name, institution.grade) == (hospital.name, hospital.grade)
        assert institution.publication_workflow and institution.catalog_workflow
        assert [d.name for d in Department.objects.filter(site=site)] == [
            name for name, _prefix in DEPARTMENTS
        ]
        # The same 43-item catalog as the demo hospital's, approved and live.
        items = CatalogItemPage.objects.descendant_of(site.root_page)
        assert items.count() == 43
        assert not items.filter(live=False).exists()


def test_each_hospital_serves_its_own_home_page(client, settings, hospitals):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    for hospital in HOSPITALS:
        response = client.get("/", HTTP_HOST=hospital.hostname)
        assert response.status_code == 200
        assert hospital.name in response.content.decode()


def test_the_hospitals_keep_their_catalogs_up_to_date_differently(demo_site, hospitals):
    second, second_titles = _standing(hospitals[SECOND.name])
    tcm, tcm_titles = _standing(hospitals[TCM.name])
    demo, _titles = _standing(demo_site)
    # The second people's hospital is late with a few items only ...
    assert second_titles[ComplianceStatus.OVERDUE] == set(SECOND.lapsed)
    assert second_titles[ComplianceStatus.MISSING] == set(SECOND.never)
    # ... the hospital of traditional Chinese medicine with several, and never published some.
    assert tcm_titles[ComplianceStatus.OVERDUE] == set(TCM.lapsed)
    assert tcm_titles[ComplianceStatus.MISSING] == set(TCM.never)
    assert second.late < demo.late < tcm.late
    assert second.on_time_rate > demo.on_time_rate > tcm.on_time_rate
    # Two years of publications each, but none where an item was never published.
    for site, hospital in ((hospitals[SECOND.name], SECOND), (hospitals[TCM.name], TCM)):
        publications = PublicationPage.objects.descendant_of(site.root_page)
        assert publications.count() > 100
        never = CatalogItemPage.objects.descendant_of(site.root_page).filter(
            title__in=hospital.never
        )
        assert all(item.numchild == 0 for item in never)


def test_the_municipal_commission_oversees_the_three_and_the_province_it(
    demo_site, hospitals, city
):
    three = {demo_site, *hospitals.values()}
    assert city.level == CommissionLevel.MUNICIPAL
    assert set(sites_of_area(city.pk)) == three
    province = Commission.objects.get(name=PROVINCE_COMMISSION)
    assert province.level == CommissionLevel.PROVINCIAL
    assert not province.institutions.exists()
    assert commission_areas([province.pk])[province.pk] == {site.pk for site in three}


@pytest.mark.parametrize(
    ("username", "assesses"), [("commission", True), ("commission-reader", False)]
)
def test_the_commission_accounts_read_the_area_and_only_one_assesses(
    client, city, demo_site, hospitals, username, assesses
):
    user = get_user_model().objects.get(username=username)
    assert city.readers_group in user.groups.all()
    assert (city.assessors_group in user.groups.all()) is assesses
    access = CommissionAccess.of(user)
    assert access.site_ids == {demo_site.pk, *(site.pk for site in hospitals.values())}
    assert access.assesses_for(city.pk) is assesses
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    # The overdue report lists the three hospitals' late items, read-only.
    report = client.get(reverse("disclosure_admin:overdue_report")).content.decode()
    for name in ("示范市人民医院", SECOND.name, TCM.name):
        assert name in report
    assert "医德医风建设" in report


@pytest.mark.parametrize("number", [hospital.number for hospital in HOSPITALS])
def test_each_hospitals_office_and_heads_log_in_to_their_own_institution(client, hospitals, number):
    hospital = next(h for h in HOSPITALS if h.number == number)
    site = hospitals[hospital.name]
    office = get_user_model().objects.get(username=f"office-{number}")
    assert InstitutionSettings.for_site(site).office_group in office.groups.all()
    head = get_user_model().objects.get(username=f"hospital-office-head-{number}")
    assert Department.objects.get(site=site, name="院办").heads_group in head.groups.all()
    for username in (f"office-{number}", f"office-deputy-{number}", f"medical-editor-{number}"):
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert client.get("/admin/").status_code == 200
    # Its publications went through its own people's review.
    publication = PublicationPage.objects.descendant_of(site.root_page).first()
    assert publication.live_revision.user.username.endswith(f"-{number}")


def test_loading_the_demo_again_changes_nothing_in_the_new_stage(hospitals, city):
    sites = list(hospitals.values())

    def state():
        return (
            Site.objects.count(),
            Page.objects.count(),
            get_user_model().objects.count(),
            Commission.objects.count(),
            city.history.count(),
            sorted(city.institutions.values_list("pk", flat=True)),
            [InstitutionSettings.for_site(site).history.count() for site in sites],
        )

    before = state()
    summary = load_demo()
    assert summary.commission.publications_created == 0
    assert state() == before
