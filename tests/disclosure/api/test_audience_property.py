"""A property over generated page trees: an anonymous caller of either API never receives a draft,
a restricted page, a staff-only item or a document it may not see.

Every title of something the public may not see contains 机密; no anonymous answer may contain
that word, every such page answers 404 exactly like a page that does not exist, and everything
the public may see is listed (so the property cannot hold by listing nothing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page

from disclosure.models import (
    CatalogCategoryPage,
    CatalogItemPage,
    Department,
    DisclosureIndexPage,
    PublicationAttachment,
    PublicationPage,
)
from disclosure.services.access import sync_audience_restriction
from disclosure.services.visibility import refresh_visibility, visibility_problems

from ...properties import explored
from .conftest import API

# Slow: run once per CI run, on PostgreSQL (see the README's Tests section).
pytestmark = pytest.mark.slow


HIDDEN = "机密"

publications = st.fixed_dictionaries(
    {
        "live": st.booleans(),
        "pending_change": st.booleans(),
        "document": st.sampled_from([None, "public", "private"]),
    }
)
items = st.fixed_dictionaries(
    {
        "live": st.booleans(),
        "audience": st.sampled_from(["public", "patients", "staff"]),
        "publications": st.lists(publications, max_size=2),
    }
)
categories = st.fixed_dictionaries(
    {"live": st.booleans(), "items": st.lists(items, min_size=1, max_size=3)}
)

trees = st.lists(categories, min_size=1, max_size=2)


@dataclass
class Built:
    index: DisclosureIndexPage
    visible_pages: list[Page] = field(default_factory=list)
    hidden_pages: list[Page] = field(default_factory=list)
    visible_documents: list[Document] = field(default_factory=list)
    hidden_documents: list[Document] = field(default_factory=list)


def _title(visible: bool, label: str) -> str:
    return label if visible else f"{label}（{HIDDEN}）"


def _make_live(pages: list[Page]) -> None:
    # Taking generated pages live through two reviews each would make the property too slow to
    # explore; moderation has its own tests. The public faces read only ``live`` and the
    # stored readers, which a bulk update refreshes itself: below each page too, whose rows the
    # database withdrew when the page went live.
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(live=True)
    paths = {page.path for page in pages}
    for path in sorted(paths):
        if not any(path.startswith(other) and path != other for other in paths):
            refresh_visibility(below_path=path)


def build(tree, site, department, private_collection) -> Built:
    index = site.root_page.add_child(
        instance=DisclosureIndexPage(title="信息公开", slug="xxgk", live=False)
    )
    built = Built(index=index)
    live_pages = [index]
    counter = 0
    for category_spec in tree:
        counter += 1
        # A category holding only staff-only items is restricted with them.
        category_visible = category_spec["live"] and any(
            item_spec["audience"] != "staff" for item_spec in category_spec["items"]
        )
        category = index.add_child(
            instance=CatalogCategoryPage(
                title=_title(category_visible, f"类别{counter}"),
                slug=f"c{counter}",
                live=False,
            )
        )
        (built.visible_pages if category_visible else built.hidden_pages).append(category)
        if category_spec["live"]:
            live_pages.append(category)
        for item_spec in category_spec["items"]:
            counter += 1
            # Unpublishing a page unpublishes what is under it: a live page under a draft is
            # not a state the site can reach.
            item_live = category_spec["live"] and item_spec["live"]
            item_visible = item_live and item_spec["audience"] != "staff"
            item = category.add_child(
                instance=CatalogItemPage(
                    title=_title(item_visible, f"事项{counter}"),
                    slug=f"i{counter}",
                    department=department,
                    audience=item_spec["audience"],
                    content_elements="内容",
                    publication_kinds=["general"],
                    live=False,
                )
            )
            sync_audience_restriction(item=item)
            (built.visible_pages if item_visible else built.hidden_pages).append(item)
            if item_live:
                live_pages.append(item)
            for publication_spec in item_spec["publications"]:
                counter += 1
                publication_live = item_live and publication_spec["live"]
                visible = item_visible and publication_live
                page = PublicationPage(
                    title=_title(visible, f"公开信息{counter}"), slug=f"p{counter}", live=False
                )
                if publication_spec["document"]:
                    document_visible = visible and publication_spec["document"] == "public"
                    document = Document(
                        title=_title(document_visible, f"附件{counter}"),
                        collection=private_collection
                        if publication_spec["document"] == "private"
                        else Collection.get_first_root_node(),
                    )
                    document.file.save(f"a{counter}.pdf", ContentFile(b"%PDF-1.4"), save=False)
                    document.save()
                    page.attachments = [PublicationAttachment(document=document)]
                    (
                        built.visible_documents if document_visible else built.hidden_documents
                    ).append(document)
                item.add_child(instance=page)
                (built.visible_pages if visible else built.hidden_pages).append(page)
                if publication_live:
                    live_pages.append(page)
                    if publication_spec["pending_change"]:
                        _make_live([page])
                        draft = PublicationPage.objects.get(pk=page.pk)
                        draft.title = f"未审核的修改（{HIDDEN}）"
                        draft.save_revision()
    _make_live(live_pages)
    return built


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code in (200, 404), (url, response.status_code, response.content)
    return response


@explored(25)
@given(tree=trees)
def test_anonymous_answers_never_contain_what_the_public_may_not_see(client, fresh_site, tree):
    with transaction.atomic():
        department = Department.objects.create(site=fresh_site, name="测试科室")
        private_collection = Collection.get_first_root_node().add_child(name="内部")
        CollectionViewRestriction.objects.create(
            collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
        )
        built = build(tree, fresh_site, department, private_collection)
        # The stored readers of every page agree with the rule and the computed selector.
        assert [str(problem) for problem in visibility_problems()] == []
        check(client, fresh_site, built)
        transaction.set_rollback(True)


def check(client, site, built: Built) -> None:
    where = {"institution": site.pk, "limit": 100}
    answers = [
        _get(client, f"{API}/catalog/", institution=site.pk),
        _get(client, f"{API}/items/", **where),
        _get(client, f"{API}/publications/", **where),
        _get(client, "/api/v3/pages/", site=site.hostname, limit=100),
        _get(client, "/api/v3/documents/", limit=100),
    ]
    listed = "".join(json.dumps(answer.json(), ensure_ascii=False) for answer in answers)
    missing = client.get(f"{API}/items/99999999/").json()

    for page in built.visible_pages + built.hidden_pages:
        for url in _detail_urls(page):
            answer = _get(client, url)
            answers.append(answer)
            if page in built.hidden_pages:
                assert answer.status_code == 404, url
                if url.startswith(API):
                    assert answer.json() == missing
    for document in built.hidden_documents:
        assert _get(client, f"/api/v3/documents/{document.pk}/").status_code == 404

    for answer in answers:
        assert HIDDEN not in answer.content.decode(), answer.content.decode()
    for page in built.visible_pages:
        assert page.title in listed, page.title
    for document in built.visible_documents:
        assert document.title in listed, document.title


def _detail_urls(page: Page) -> list[str]:
    urls = [f"/api/v3/pages/{page.pk}/"]
    if isinstance(page, CatalogItemPage):
        urls += [f"{API}/items/{page.pk}/", f"{API}/items/{page.pk}/history/"]
    elif isinstance(page, PublicationPage):
        urls.append(f"{API}/publications/{page.pk}/")
    return urls
