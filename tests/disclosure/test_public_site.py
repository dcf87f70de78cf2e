"""What a visitor sees on the public site."""

import html
import re

from django.urls import reverse

from disclosure.models import (
    CatalogCategoryPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationPage,
    RecruitmentNoticePage,
)
from disclosure.selectors.catalog import catalog_items
from disclosure.selectors.visibility import visible_to
from tests.home.test_demo import ARTICLE_SIX_CATEGORIES

ITEM_LINK = re.compile(r'<th scope="row" role="rowheader"><a href="([^"]*)">([^<]*)</a></th>')


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_catalog_shows_every_article_six_category_with_its_items(client, demo_index):
    body = text_of(client.get("/xxgk/"))
    for category in ARTICLE_SIX_CATEGORIES:
        assert category in body
    for item in ("机构基本信息", "药品价格", "采购公告", "咨询及投诉方式"):
        assert item in body
    assert "财务科" in body  # departments are listed beside their items
    assert "每月公开" in body  # and update rules in words


def item_links(response) -> list[tuple[str, str]]:
    return [
        (html.unescape(title), html.unescape(url))
        for url, title in ITEM_LINK.findall(text_of(response))
    ]


def test_the_item_tables_link_each_item_where_wagtail_serves_it(client, demo_index):
    """The index and the category pages link their items from their own URL, not by reversing
    each: every link is the one ``Page.get_url`` gives (Chinese slugs quoted), in order."""
    pages = [demo_index, *visible_to(CatalogCategoryPage.objects.child_of(demo_index), None)]
    linked = {}
    for page in pages:
        response = client.get(page.url)
        expected = [
            (item.title, item.get_url(response.wsgi_request))
            for item in catalog_items(root=page, user=None)
        ]
        assert item_links(response) == expected, page.title
        linked[page.pk] = expected
    assert len(linked[demo_index.pk]) > 30
    assert all("%" in url for _title, url in linked[demo_index.pk])  # Chinese slugs, quoted
    assert sum(len(links) for links in linked.values()) == 2 * len(linked[demo_index.pk])


def test_a_category_shown_with_another_slug_links_its_items_where_they_are(client, demo_index):
    """A preview, a draft or an old revision of a category may carry another slug than the
    live one: its items are still where the live category puts them."""
    category = visible_to(CatalogCategoryPage.objects.child_of(demo_index), None).first()
    request = client.get(category.url).wsgi_request
    draft = CatalogCategoryPage.objects.get(pk=category.pk)
    draft.slug = f"{category.slug}-draft"
    draft.set_url_path(draft.get_parent())
    assert draft.get_url(request) != category.get_url(request)
    expected = [
        (item.title, item.get_url(request)) for item in catalog_items(root=category, user=None)
    ]
    assert expected
    shown = [(row.title, row.url) for row in draft.get_context(request)["items"]]
    assert shown == expected


def test_an_item_page_shows_department_audience_channels_and_rule(client, demo_item):
    body = text_of(client.get(demo_item("医疗服务项目价格").url))
    for expected in ("财务科", "社会公众", "医院网站", "电子屏", "触摸屏", "每季度公开"):
        assert expected in body
    assert "《医疗机构实行价格公示的规定》" in body


def test_item_publications_are_paginated_newest_first(client, demo_item):
    item = demo_item("专家出诊信息")
    publications = list(PublicationPage.objects.child_of(item).order_by("-publication_date"))
    assert len(publications) > 20
    first_page = text_of(client.get(item.url))
    second_page = text_of(client.get(item.url, {"page": 2}))
    assert publications[0].title in first_page
    assert publications[-1].title not in first_page
    assert publications[-1].title in second_page


def test_each_publication_type_renders_its_details(client, demo_item):
    notice = ProcurementNoticePage.objects.child_of(demo_item("采购结果")).first()
    body = text_of(client.get(notice.url))
    assert notice.winning_supplier in body
    assert notice.project_number in body
    assert "采购中心" in body
    recruitment = RecruitmentNoticePage.objects.child_of(demo_item("招聘公告")).first()
    body = text_of(client.get(recruitment.url))
    assert recruitment.positions.first().title in body
    interpretation = PolicyInterpretationPage.objects.child_of(demo_item("信息公开制度")).first()
    body = text_of(client.get(interpretation.url))
    assert interpretation.policy_document.title in body
    policy_body = text_of(client.get(interpretation.policy_document.url))
    assert interpretation.title in policy_body
    assert ".pdf" in policy_body  # its attachment


def test_the_home_page_links_into_the_catalog_and_lists_the_latest(client, demo_index):
    body = text_of(client.get("/"))
    newest = (
        PublicationPage.objects.live()
        .public()
        .descendant_of(demo_index)
        .order_by("-publication_date")
        .first()
    )
    assert newest.title in body
    assert demo_index.relative_url(demo_index.get_site()) in body


def test_search_finds_a_publication(client, demo_item):
    notice = ProcurementNoticePage.objects.child_of(demo_item("采购公告")).first()
    body = text_of(client.get(reverse("disclosure:search"), {"q": notice.title}))
    assert notice.relative_url(notice.get_site()) in body


def test_not_found_is_in_chinese(client, db):
    response = client.get("/xxgk/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_pages_declare_simplified_chinese(client, demo_index):
    assert '<html lang="zh-Hans"' in text_of(client.get(demo_index.url))


def test_an_item_page_shows_last_updated_and_next_due(client, demo_item):
    from disclosure.selectors.compliance import deadline_for_item

    item = demo_item("医疗服务项目价格")  # quarterly
    standing = deadline_for_item(item)
    body = text_of(client.get(item.url))
    assert "最近更新" in body and "下次更新截止" in body
    assert standing.item.last_published_on.isoformat() in body
    assert standing.deadline.due.isoformat() in body


def test_a_periodic_item_page_shows_each_period(client, demo_item):
    from disclosure.selectors.compliance import period_records

    item = demo_item("医用耗材价格")  # quarterly; one quarter was published late in the demo
    periods = period_records(item)
    assert {p.status for p in periods} >= {"on_time", "late"}
    body = text_of(client.get(item.url))
    assert "各期公开情况" in body
    for period in periods:
        # Each date is a <time>, never broken inside on a phone.
        assert (
            f'<time datetime="{period.start:%Y-%m-%d}">{period.start:%Y-%m-%d}</time> — '
            f'<time datetime="{period.end:%Y-%m-%d}">{period.end:%Y-%m-%d}</time>'
        ) in body
    assert "逾期公开" in body
    # The page opens with a link down to its publications, their number in it.
    assert '<a href="#dc-publications-heading">本栏目公开信息（' in body


def test_the_pages_of_an_items_publications_land_on_the_list(client, demo_item):
    """On a phone the item's facts fill a screen: the next page opens at the list."""
    item = demo_item("药品价格")
    count = PublicationPage.objects.child_of(item).live().count()
    assert count > 20  # monthly since the demo's first year: more than one page
    body = text_of(client.get(item.url))
    assert f'<a href="#dc-publications-heading">本栏目公开信息（{count}）</a>' in body
    assert '<a href="?page=2#dc-publications-heading" rel="next">' in body
