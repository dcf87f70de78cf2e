"""The link check of the monthly column patrol (栏目巡查): every live disclosure page of an
institution is read for links to pages that are gone or not published, addresses on the site
that lead nowhere, and documents that are gone or have lost their file. Nothing is fetched over
the network.

The pages under test are written directly (``tests/growth.py``): what is checked is what a
live page holds, not the review that took it live.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.models import Page

from disclosure.models import (
    CatalogCategoryPage,
    DisclosureIndexPage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    PublicationAttachment,
    PublicationPage,
    RequestCentrePage,
)
from disclosure.selectors.links import (
    BROKEN_LINK,
    DOCUMENT,
    HREF,
    MISSING_DOCUMENT,
    PAGE,
    UNPUBLISHED_TARGET,
    Link,
    check_links,
    stream_links,
)
from disclosure.services.departments import institution_collection
from home.demo_inspections import PATROL_ITEM

from ..growth import add_pages

# The demo's revised complaints procedure (投诉处理流程（修订版）) links to the rules it
# replaced, since deleted: the dead link last month's patrol found, kept for the demo.
DEMO_DEAD_LINK_PAGE = f"{PATROL_ITEM}（"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEM = "健康讲座与义诊"


@pytest.fixture(autouse=True)
def _in_english():
    """Targets and details are translated: the tests read them in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def item(demo_item):
    return demo_item(ITEM)


@pytest.fixture
def document(demo_site):
    """``document("title", "file.pdf")``: a new document of the institution, its file stored."""

    def make(title: str, name: str):
        made = get_document_model()(title=title, collection=institution_collection(demo_site))
        made.file.save(name, ContentFile(PDF))
        return made

    return make


def publication(parent: Page, slug: str, html: str = "", *, live: bool = True) -> PublicationPage:
    """A publication under ``parent`` whose body is one paragraph of ``html``."""
    body = json.dumps([{"type": "paragraph", "value": html}]) if html else "[]"
    page = PublicationPage(title=f"巡查测试{slug}", slug=slug, body=body)
    return add_pages(parent, [page], live=live)[0]


def address(page: Page, demo_site) -> str:
    """The address a visitor uses for ``page`` on the demo site, percent-encoded as an editor's
    browser would copy it (the catalog's slugs are Chinese)."""
    return quote("/" + page.url_path.removeprefix(demo_site.root_page.url_path))


def problems_of(check, page: Page) -> set[tuple[str, str]]:
    return {
        (problem.kind, problem.target) for problem in check.problems if problem.page_id == page.pk
    }


def a_page_id_that_was_deleted(item) -> int:
    gone = publication(item, "gone", live=False)
    gone_id = gone.pk
    Page.objects.filter(pk=gone_id).delete()
    return gone_id


def demo_problems(check):
    """The problems of ``check`` beyond the one the demo hospital keeps for its patrol."""
    return [p for p in check.problems if not p.page_title.startswith(DEMO_DEAD_LINK_PAGE)]


def test_the_demo_hospital_has_only_the_dead_link_its_patrol_finds(demo_site, demo_index):
    check = check_links(site=demo_site)

    assert [problem.kind for problem in check.problems] == [BROKEN_LINK]
    assert check.problems[0].page_title.startswith(DEMO_DEAD_LINK_PAGE)
    dead = Page.objects.get(pk=check.problems[0].page_id)
    assert dead.get_parent().title == PATROL_ITEM
    assert check.pages_checked == Page.objects.live().descendant_of(demo_index, True).count()


def test_each_problem_of_a_page_is_found_with_its_kind(demo_site, item, document):
    deleted_id = a_page_id_that_was_deleted(item)
    draft = publication(item, "draft", live=False)
    lost = document("已丢失文件的附件", "lost.pdf")
    replaced = document("院内导引图", "map.pdf")
    no_document_id = get_document_model().objects.order_by("-pk").first().pk + 1000
    column = address(item, demo_site)
    page = publication(
        item,
        "broken",
        f'<p><a linktype="page" id="{deleted_id}">已删除的页面</a>'
        f'<a linktype="page" id="{draft.pk}">草稿</a>'
        f'<a linktype="document" id="{no_document_id}">不存在的文件</a>'
        f'<a href="{column}no-such-notice/">失效的站内链接</a>'
        f'<a href="http://localhost{column}also-gone/">本站的绝对地址</a>'
        f'<a href="/documents/{no_document_id}/old.pdf">文件地址</a>'
        f'<a href="/documents/{replaced.pk}/map-2023.pdf">替换前的文件</a>'
        '<a href="/media/images/nothing-here.png">媒体文件</a></p>',
    )
    PublicationAttachment.objects.create(page=page, document=lost, sort_order=0)
    lost.file.storage.delete(lost.file.name)

    check = check_links(site=demo_site)

    assert problems_of(check, page) == {
        (BROKEN_LINK, f"page {deleted_id}"),
        (UNPUBLISHED_TARGET, f"page {draft.pk}"),
        (MISSING_DOCUMENT, f"document {no_document_id}"),
        (BROKEN_LINK, f"{column}no-such-notice/"),
        (BROKEN_LINK, f"http://localhost{column}also-gone/"),
        (MISSING_DOCUMENT, f"/documents/{no_document_id}/old.pdf"),
        (BROKEN_LINK, f"/documents/{replaced.pk}/map-2023.pdf"),
        (BROKEN_LINK, "/media/images/nothing-here.png"),
        (MISSING_DOCUMENT, "已丢失文件的附件"),
    }
    found = {problem.target: problem for problem in check.problems if problem.page_id == page.pk}
    assert found[f"page {draft.pk}"].page_title == page.title
    assert draft.title in found[f"page {draft.pk}"].detail
    assert lost.file.name in found["已丢失文件的附件"].detail


def test_a_page_with_sound_links_and_documents_has_no_problems(
    demo_site, demo_index, item, document
):
    sound = document("健康讲座日程", "schedule.pdf")
    linked = document("义诊安排", "clinic.pdf")
    requests_page = RequestCentrePage.objects.descendant_of(demo_index).get()
    page = publication(
        item,
        "sound",
        f'<p><a linktype="page" id="{item.pk}">本栏目</a>'
        f'<a linktype="document" id="{linked.pk}">义诊安排</a>'
        f'<a href="{address(item, demo_site)}">本栏目的地址</a>'
        f'<a href="{address(item, demo_site)[:-1]}">少了结尾斜杠</a>'
        f'<a href="{address(requests_page, demo_site)}request/">在线申请</a>'
        f'<a href="{linked.url}">文件地址</a>'
        '<a href="/search/?q=义诊">站内搜索</a>'
        '<a href="../">上一级</a>'
        '<a href="#top">回到顶部</a>'
        '<a href="https://www.nhc.gov.cn/no-such-page/">国家卫健委</a>'
        '<a href="mailto:xxgk@hospital.example">来信</a>'
        '<a href="tel:0000-88880120">电话</a></p>',
    )
    PublicationAttachment.objects.create(page=page, document=sound, sort_order=0)

    check = check_links(site=demo_site)

    assert problems_of(check, page) == set()
    assert demo_problems(check) == []


def test_a_link_to_a_page_below_an_unpublished_one_names_it(demo_site, demo_index, item):
    elsewhere = PublicationPage.objects.live().descendant_of(demo_index)
    hidden = elsewhere.exclude(path__startswith=item.get_parent().path).first()
    category = CatalogCategoryPage.objects.ancestor_of(hidden).get()
    CatalogCategoryPage.objects.filter(pk=category.pk).update(live=False)
    page = publication(item, "to-hidden", f'<p><a linktype="page" id="{hidden.pk}">x</a></p>')

    problems = [p for p in check_links(site=demo_site).problems if p.page_id == page.pk]

    assert [(p.kind, p.target) for p in problems] == [(UNPUBLISHED_TARGET, f"page {hidden.pk}")]
    assert f"“{hidden.title}”, below “{category.title}”" in problems[0].detail


def test_links_in_the_index_and_requests_page_are_checked(demo_site, demo_index, item):
    draft = publication(item, "draft", live=False)
    DisclosureIndexPage.objects.filter(pk=demo_index.pk).update(
        intro='<p>详见<a href="/xxgk/no-such-column/">旧栏目</a>。</p>'
    )
    requests_page = RequestCentrePage.objects.descendant_of(demo_index).get()
    RequestCentrePage.objects.filter(pk=requests_page.pk).update(
        guide=f'<p>参见<a linktype="page" id="{draft.pk}">申请须知</a>。</p>'
    )

    check = check_links(site=demo_site)

    assert problems_of(check, demo_index) == {(BROKEN_LINK, "/xxgk/no-such-column/")}
    assert problems_of(check, requests_page) == {(UNPUBLISHED_TARGET, f"page {draft.pk}")}


def test_an_interpretation_of_an_unpublished_policy_points_to_it(demo_site):
    interpretation = PolicyInterpretationPage.objects.descendant_of(demo_site.root_page).live()
    interpretation = interpretation.first()
    PolicyDocumentPage.objects.filter(pk=interpretation.policy_document_id).update(live=False)

    check = check_links(site=demo_site)

    assert problems_of(check, interpretation) == {
        (UNPUBLISHED_TARGET, f"page {interpretation.policy_document_id}")
    }


def test_a_page_that_is_not_live_is_not_checked(demo_site, item):
    before = check_links(site=demo_site).pages_checked
    draft = publication(item, "draft-broken", '<p><a linktype="page" id="0">x</a></p>', live=False)

    check = check_links(site=demo_site)

    assert check.pages_checked == before
    assert problems_of(check, draft) == set()


def test_the_pages_of_another_institution_are_not_checked(demo_site, fresh_site, fresh_site_item):
    other_item = fresh_site_item("内科")
    Page.objects.filter(pk__in=[a.pk for a in other_item.get_ancestors()]).update(live=True)
    Page.objects.filter(pk=other_item.pk).update(live=True)
    other = publication(other_item, "other", '<p><a href="/xxgk/gone/">x</a></p>')

    assert demo_problems(check_links(site=demo_site)) == []
    assert problems_of(check_links(site=fresh_site), other) == {(BROKEN_LINK, "/xxgk/gone/")}


def test_links_are_read_from_choosers_structs_and_lists_in_a_stream():
    body = blocks.StreamBlock(
        [
            ("page", blocks.PageChooserBlock()),
            ("file", DocumentChooserBlock()),
            (
                "card",
                blocks.StructBlock(
                    [
                        ("text", blocks.RichTextBlock()),
                        ("more", blocks.ListBlock(blocks.PageChooserBlock())),
                    ]
                ),
            ),
            ("heading", blocks.CharBlock()),
        ]
    )
    raw = [
        {"type": "page", "value": 12, "id": "a"},
        {"type": "file", "value": 3, "id": "b"},
        {
            "type": "card",
            "value": {
                "text": '<p><a href="/xxgk/">信息公开</a></p>',
                "more": [{"type": "item", "value": 13, "id": "c"}, 14],
            },
            "id": "d",
        },
        {"type": "heading", "value": '<a href="/not-a-link/">', "id": "e"},
    ]

    assert list(stream_links(body, raw)) == [
        Link(PAGE, "12"),
        Link(DOCUMENT, "3"),
        Link(HREF, "/xxgk/"),
        Link(PAGE, "13"),
        Link(PAGE, "14"),
    ]


def test_the_check_costs_the_same_queries_for_more_pages_and_links(
    demo_site, item, document, django_assert_max_num_queries
):
    files = [document(f"附件{number}", f"file{number}.pdf") for number in range(3)]

    def add_linked_publications(count: int, start: int) -> None:
        pages = add_pages(
            item,
            [
                PublicationPage(
                    title=f"巡查增长{number}",
                    slug=f"growth-{number}",
                    body=json.dumps(
                        [
                            {
                                "type": "paragraph",
                                "value": f'<p><a linktype="page" id="{item.pk}">栏目</a>'
                                f'<a linktype="page" id="{10**6 + number}">已删除</a>'
                                f'<a linktype="document" id="{files[0].pk}">文件</a>'
                                f'<a href="{address(item, demo_site)}">地址</a>'
                                f'<a href="/xxgk/gone-{number}/">失效</a></p>',
                            }
                        ]
                    ),
                )
                for number in range(start, start + count)
            ],
        )
        PublicationAttachment.objects.bulk_create(
            PublicationAttachment(page=page, document=files[number % 3], sort_order=0)
            for number, page in enumerate(pages)
        )

    add_linked_publications(2, 0)
    check_links(site=demo_site)  # warm per-process caches (content types, site roots)
    with CaptureQueriesContext(connection) as small:
        check_links(site=demo_site)

    add_linked_publications(40, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        check = check_links(site=demo_site)
    assert len([p for p in demo_problems(check) if p.kind == BROKEN_LINK]) == 2 * 42
