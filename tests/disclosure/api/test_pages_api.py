"""Wagtail's v3 pages API with the disclosure page types: drafts follow Wagtail's permissions,
and writes cannot publish around the review."""

import pytest

from disclosure.models import PublicationPage


@pytest.fixture
def draft(demo_item):
    page = PublicationPage(title="医务科的草稿", slug="v3-draft", live=False)
    demo_item("健康讲座与义诊").add_child(instance=page)  # 医务科
    return page


def test_a_draft_is_seen_only_by_those_who_may_edit_it(client, draft, token_for):
    assert client.get(f"/api/v3/pages/{draft.pk}/").status_code == 404
    own = client.get(f"/api/v3/pages/{draft.pk}/?version=draft", **token_for("medical-editor"))
    assert own.status_code == 200
    assert own.json()["title"] == "医务科的草稿"
    assert own.json()["meta"]["type"] == "disclosure.PublicationPage"
    other = client.get(f"/api/v3/pages/{draft.pk}/", **token_for("finance-editor"))
    assert other.status_code == 404
    revisions = client.get(f"/api/v3/pages/{draft.pk}/revisions/", **token_for("finance-editor"))
    assert revisions.status_code in (403, 404)


def test_a_catalog_item_reads_with_its_typed_fields(client, demo_item):
    item = demo_item("药品价格")
    body = client.get(f"/api/v3/pages/{item.pk}/").json()
    assert body["meta"]["type"] == "disclosure.CatalogItemPage"
    assert body["channels"] == item.channels
    assert body["rule_kind"] == "periodic"
    assert body["department"]["id"] == item.department_id


def test_creating_or_editing_through_the_api_cannot_publish(client, demo_item, draft, token_for):
    item = demo_item("健康讲座与义诊")
    office = token_for("office")
    created = client.post(
        "/api/v3/pages/",
        {
            "meta": {
                "type": "disclosure.PublicationPage",
                "parent_id": item.pk,
                "action": "publish",
            },
            "title": "绕过审核的发布",
            "slug": "v3-bypass",
        },
        content_type="application/json",
        **office,
    )
    assert created.status_code in (403, 422), created.content
    assert not PublicationPage.objects.filter(slug="v3-bypass", live=True).exists()

    patched = client.patch(
        f"/api/v3/pages/{draft.pk}/",
        {"meta": {"action": "publish"}, "title": "改后直接发布"},
        content_type="application/json",
        **token_for("medical-editor"),
    )
    assert patched.status_code in (403, 422), patched.content
    draft.refresh_from_db()
    assert not draft.live
