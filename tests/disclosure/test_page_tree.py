"""What can be created where: the catalog's page-tree rules, in the models and in the admin."""

import pytest
from django.urls import reverse

from disclosure.models import (
    CatalogCategoryPage,
    CatalogItemPage,
    DisclosureIndexPage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationPage,
    RecruitmentNoticePage,
)


def test_the_catalog_nests_index_category_item_publication(demo_site, demo_index, demo_item):
    category = demo_item("药品价格").get_parent()
    assert demo_index.slug == "xxgk"
    assert CatalogCategoryPage.can_create_at(demo_index)
    assert not CatalogCategoryPage.can_create_at(demo_site.root_page)
    assert CatalogItemPage.can_create_at(category)
    assert not CatalogItemPage.can_create_at(demo_index)
    assert PublicationPage.can_create_at(demo_item("药品价格"))
    assert not PublicationPage.can_create_at(category)


def test_one_disclosure_index_per_institution(demo_site, fresh_site):
    assert not DisclosureIndexPage.can_create_at(demo_site.root_page)
    assert DisclosureIndexPage.can_create_at(fresh_site.root_page)


@pytest.mark.parametrize(
    ("item", "allowed", "refused"),
    [
        ("采购公告", [PublicationPage, ProcurementNoticePage], [RecruitmentNoticePage]),
        ("招聘公告", [PublicationPage, RecruitmentNoticePage], [ProcurementNoticePage]),
        (
            "信息公开制度",
            [PolicyDocumentPage, PolicyInterpretationPage],
            [ProcurementNoticePage, RecruitmentNoticePage],
        ),
        (
            "药品价格",
            [PublicationPage],
            [ProcurementNoticePage, RecruitmentNoticePage, PolicyDocumentPage],
        ),
    ],
)
def test_each_item_allows_only_the_publication_types_that_fit_it(demo_item, item, allowed, refused):
    page = demo_item(item)
    for page_type in allowed:
        assert page_type.can_create_at(page), page_type
    for page_type in refused:
        assert not page_type.can_create_at(page), page_type


def test_a_publication_cannot_move_to_an_item_that_does_not_allow_its_type(demo_item):
    notice = ProcurementNoticePage.objects.child_of(demo_item("采购公告")).first()
    assert notice.can_move_to(demo_item("采购结果"))
    assert not notice.can_move_to(demo_item("药品价格"))


def test_admin_offers_only_allowed_types_and_refuses_a_crafted_url(client, login, demo_item):
    login("office")
    item = demo_item("收费依据与费用查询")  # general publications only

    choose = client.get(reverse("wagtailadmin_pages:add_subpage", args=[item.pk]))
    crafted_url = reverse(
        "wagtailadmin_pages:add", args=["disclosure", "procurementnoticepage", item.pk]
    )
    crafted = client.get(crafted_url)
    posted = client.post(
        crafted_url, {"title": "伪造的采购公告", "slug": "fake", "action-publish": "1"}
    )

    # With a single allowed type Wagtail goes straight to its form.
    assert choose.status_code == 302
    assert "/publicationpage/" in choose["Location"]
    # Wagtail answers a permission denial in the admin with a redirect to the dashboard.
    for response in (crafted, posted):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not ProcurementNoticePage.objects.filter(title="伪造的采购公告").exists()
