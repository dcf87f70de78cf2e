"""Publications over the API: filters, detail by kind, and nothing a caller may not see."""

import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from disclosure.models import (
    Department,
    ProcurementNoticePage,
    PublicationAttachment,
    PublicationPage,
)

from .conftest import API


def listing(client, headers=None, **params):
    return client.get(f"{API}/publications/", {"limit": 100, **params}, **(headers or {})).json()


def test_publications_are_listed_newest_first_with_their_item_and_department(client, demo_index):
    # Across institutions, and the demo hospital's alone.
    assert listing(client)["count"] == PublicationPage.objects.live().public().count()
    body = listing(client, institution=demo_index.get_site().pk)
    assert (
        body["count"] == PublicationPage.objects.descendant_of(demo_index).live().public().count()
    )
    dates = [row["publication_date"] for row in body["items"]]
    assert dates == sorted(dates, reverse=True)
    first = PublicationPage.objects.get(pk=body["items"][0]["id"])
    item = first.get_parent().specific
    assert body["items"][0]["item"] == {"id": item.pk, "title": item.title}
    assert body["items"][0]["category"]["id"] == item.get_parent().pk
    assert body["items"][0]["department"]["name"] == item.department.name


def test_each_filter_narrows_the_list_to_what_it_names(client, demo_item):
    prices = demo_item("药品价格")
    by_item = listing(client, item=prices.pk)
    assert by_item["count"] == PublicationPage.objects.child_of(prices).live().count()
    assert {row["item"]["id"] for row in by_item["items"]} == {prices.pk}

    category = prices.get_parent()
    by_category = listing(client, category=category.pk)
    assert by_category["items"]
    assert {row["category"]["id"] for row in by_category["items"]} == {category.pk}

    procurement = Department.objects.get(site__is_default_site=True, name="采购中心")
    by_department = listing(client, department=procurement.pk)
    assert by_department["items"]
    assert {row["department"]["id"] for row in by_department["items"]} == {procurement.pk}

    by_kind = listing(client, kind="procurement")
    assert by_kind["count"] == ProcurementNoticePage.objects.live().public().count() > 0
    assert {row["type"] for row in by_kind["items"]} == {"disclosure.ProcurementNoticePage"}
    general = listing(client, kind="general")
    assert {row["type"] for row in general["items"]} == {"disclosure.PublicationPage"}

    in_2025 = listing(client, date_from="2025-01-01", date_to="2025-12-31")
    assert in_2025["items"]
    assert all(row["publication_date"].startswith("2025-") for row in in_2025["items"])


def test_a_filter_naming_a_hidden_item_gives_what_a_missing_one_gives(client, demo_item):
    hidden = listing(client, item=demo_item("大额资金使用").pk)
    missing = listing(client, item=99999999)
    assert hidden == missing
    assert hidden["count"] == 0


def test_bad_filters_get_field_errors(client):
    reversed_dates = client.get(
        f"{API}/publications/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert reversed_dates.status_code == 422
    assert reversed_dates["Content-Type"] == "application/problem+json"
    assert "date_from is after date_to" in reversed_dates.json()["errors"][0]["msg"]

    not_a_date = client.get(f"{API}/publications/", {"date_from": "昨天"})
    assert not_a_date.status_code == 422
    assert not_a_date.json()["errors"][0]["loc"] == ["query", "date_from"]


def test_a_procurement_notice_carries_its_procurement_fields_and_attachment(client, db):
    notice = ProcurementNoticePage.objects.live().filter(attachments__isnull=False).first()
    body = client.get(f"{API}/publications/{notice.pk}/").json()
    assert body["kind"] == "procurement"
    assert body["procurement"]["method"] == notice.procurement_method
    assert body["procurement"]["method_label"] == notice.get_procurement_method_display()
    assert body["recruitment"] is None
    assert body["policy"] is None
    (attachment,) = body["attachments"]
    assert attachment["url"].startswith("http://testserver/documents/")
    assert attachment["file_extension"] == "pdf"
    assert [block["type"] for block in body["body"]]
    assert body["body_html"]


@pytest.fixture
def staff_publication(demo_item, publish_reviewed):
    page = PublicationPage(
        title="本季度大额资金使用情况（内部）",
        slug="api-staff-only",
        publication_date=timezone.localdate(),
        live=False,
    )
    demo_item("大额资金使用").add_child(instance=page)
    return publish_reviewed(page)


def test_a_staff_only_publication_exists_only_for_entitled_tokens(
    client, staff_publication, token_for
):
    assert staff_publication.live
    assert staff_publication.pk not in {row["id"] for row in listing(client)["items"]}
    assert client.get(f"{API}/publications/{staff_publication.pk}/").status_code == 404

    token = token_for("supervisor")
    assert staff_publication.pk in {row["id"] for row in listing(client, token)["items"]}
    detail = client.get(f"{API}/publications/{staff_publication.pk}/", **token)
    assert detail.json()["title"] == "本季度大额资金使用情况（内部）"


def test_drafts_and_unpublished_changes_never_show(client, demo_item, token_for):
    item = demo_item("健康讲座与义诊")
    draft = PublicationPage(title="未审核的草稿", slug="api-draft", live=False)
    item.add_child(instance=draft)
    token = token_for("medical-editor")  # may edit it, but the disclosure API shows live only
    for headers in ({}, token):
        assert client.get(f"{API}/publications/{draft.pk}/", **headers).status_code == 404
        assert "未审核的草稿" not in json.dumps(listing(client, headers), ensure_ascii=False)

    live = PublicationPage.objects.child_of(item).live().first()
    published_title = live.title
    live.title = "尚未审核的修改"
    live.save_revision()
    assert PublicationPage.objects.get(pk=live.pk).has_unpublished_changes
    body = client.get(f"{API}/publications/{live.pk}/").json()
    assert body["title"] == published_title


@pytest.fixture
def private_collection(db):
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_a_document_in_a_private_collection_is_left_out_for_the_public(
    client, demo_item, publish_reviewed, private_collection, token_for
):
    document = Document(title="内部附件", collection=private_collection)
    document.file.save("internal.pdf", ContentFile(b"%PDF-1.4 internal"), save=False)
    document.save()
    page = PublicationPage(
        title="带内部附件的公开信息",
        slug="api-private-doc",
        live=False,
    )
    page.attachments = [PublicationAttachment(document=document)]
    demo_item("健康讲座与义诊").add_child(instance=page)
    publish_reviewed(page)

    public = client.get(f"{API}/publications/{page.pk}/").json()
    assert public["title"] == "带内部附件的公开信息"
    assert public["attachments"] == []
    staff = client.get(f"{API}/publications/{page.pk}/", **token_for("supervisor")).json()
    assert [attachment["title"] for attachment in staff["attachments"]] == ["内部附件"]


def test_wagtails_documents_api_lists_only_documents_of_visible_pages(
    client, demo_item, publish_reviewed
):
    internal = Document(title="大额资金明细（内部）")
    internal.file.save("internal-funds.pdf", ContentFile(b"%PDF-1.4 funds"), save=False)
    internal.save()
    page = PublicationPage(title="大额资金明细", slug="api-staff-doc", live=False)
    page.attachments = [PublicationAttachment(document=internal)]
    demo_item("大额资金使用").add_child(instance=page)
    publish_reviewed(page)
    public_document = Document.objects.filter(title__endswith="采购文件").first()

    titles = {row["title"] for row in client.get("/api/v3/documents/?limit=100").json()["items"]}
    assert public_document.title in titles
    assert "大额资金明细（内部）" not in titles
    assert client.get(f"/api/v3/documents/{internal.pk}/").status_code == 404
    assert client.get(f"/api/v3/documents/{public_document.pk}/").status_code == 200


@pytest.mark.parametrize("who", [None, "supervisor"])
def test_walking_every_page_gives_each_visible_publication_once_in_order(client, token_for, who):
    """The list's page is read as keys with the total beside them, then the rows in full: the
    pages together must be exactly the visible publications, newest first, each once."""
    from django.contrib.auth import get_user_model

    from disclosure.selectors.catalog import publications_visible_to

    headers = token_for(who) if who else {}
    user = get_user_model().objects.get(username=who) if who else None
    expected = list(publications_visible_to(user).values_list("pk", flat=True))
    assert len(expected) > 100
    seen, url = [], f"{API}/publications/?limit=37"
    while url:
        body = client.get(url, **headers).json()
        assert body["count"] == len(expected)
        seen += [row["id"] for row in body["items"]]
        url = body["next"]
    assert seen == expected

    past_the_end = client.get(
        f"{API}/publications/", {"offset": len(expected) + 5, "limit": 10}, **headers
    ).json()
    assert past_the_end["items"] == [] and past_the_end["count"] == len(expected)
    assert past_the_end["previous"] is not None and past_the_end["next"] is None
    nothing = listing(client, headers, date_from="2999-01-01")
    assert nothing["items"] == [] and nothing["count"] == 0
