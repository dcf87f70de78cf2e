"""Search over the demo hospital: Chinese words found inside longer words, Traditional and
full-width queries, highlighted results, filters, the audience, the rate limit, the API, the
admin and Wagtail's own API searching the same way."""

from __future__ import annotations

import itertools
import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from modelsearch.query import And, Phrase, PlainText
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.search.backends import get_search_backend

from disclosure.models import (
    CatalogCategoryPage,
    CatalogItemPage,
    Consultation,
    Department,
    PublicationAttachment,
    PublicationPage,
)
from disclosure.rules.search_text import (
    MAX_QUERY_LENGTH,
    MIN_QUERY_LENGTH,
    QueryTerm,
    Segment,
    TermKind,
    contains_all,
    highlight,
    holds_all,
    index_text,
    join_sentences,
    phrase_text,
    query_length,
    query_terms,
    table_sentences,
)
from disclosure.search_backend import Prefix, ranked_keys, rewrite
from disclosure.selectors.requests import tracked_case
from disclosure.selectors.search import search_pages
from disclosure.selectors.visibility import visible_to
from disclosure.services.requests import submit
from disclosure.services.visibility import refresh_visibility

pytestmark = pytest.mark.django_db

API = "/api/disclosure/v1/search/"
CHARGES = "收费依据与费用查询"  # a catalog item of 医保价格收费 (财务科)
STAFF_ONLY_ITEM = "药械采购计划"  # under 院务公开, for the institution's staff only
TOO_SHORT = "请至少输入2个字。"
TOO_MANY = "短时间内检索次数过多"


def search(client, **params):
    return client.get(reverse("disclosure:search"), params)


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def titles_listed(response) -> list[str]:
    """The result titles a visitor reads, in order, without the marks."""
    return [
        unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(
            r'<h3 class="dc-results__title"><a href="[^"]*">(.*?)</a></h3>',
            response.content.decode(),
        )
    ]


def pages_listed(response) -> list[Page]:
    return [result.page for result in response.context["search_results"]]


def body(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs])


_slugs = itertools.count(1)


@pytest.fixture
def add_publication(demo_item, publish_reviewed):
    """A live publication under 健康讲座与义诊 (医务科), taken through the review."""

    def add(title: str, *paragraphs: str, item: str = "健康讲座与义诊", slug=None):
        page = PublicationPage(
            title=title,
            # A short number: a long run of digits (a hash) may read as a bank card number.
            slug=slug or f"search-{next(_slugs)}",
            body=body(*paragraphs),
            live=False,
        )
        demo_item(item).add_child(instance=page)
        return publish_reviewed(page)

    return add


# How text and queries are cut into terms -------------------------------------------------


def test_chinese_text_is_indexed_as_overlapping_pairs_and_latin_as_words():
    assert index_text("门诊收费标准") == "门诊 诊收 收费 费标 标准 准"
    assert index_text("ＣＴ平扫2025年") == "ct 平扫 扫 2025 年"
    # Punctuation ends a run: no pair is made across it.
    assert index_text("收费，标准") == "收费 费 标准 准"
    # A phrase stops at its last pair: the text it is looked for in may go on.
    assert phrase_text("门诊收费标准") == "门诊 诊收 收费 费标 标准"


def test_a_query_becomes_words_phrases_and_prefixes():
    assert query_terms("收费") == (QueryTerm("收费", TermKind.WORD),)
    (tender,) = query_terms("招标公告")
    assert tender.kind is TermKind.PHRASE
    assert tender.tokens == ("招标", "标公", "公告")
    (year,) = query_terms("年")
    assert (year.kind, year.tokens) == (TermKind.PREFIX, ("年",))
    assert query_terms("CT") == (QueryTerm("ct", TermKind.WORD),)
    assert query_terms("CT平扫") == (
        QueryTerm("ct", TermKind.WORD),
        QueryTerm("平扫", TermKind.WORD),
    )


def test_full_width_and_traditional_queries_read_as_simplified_half_width():
    assert query_terms("ＣＴ") == query_terms("CT") == query_terms("ct")
    assert query_terms("收費") == (QueryTerm("收费", TermKind.WORD),)
    assert query_terms("招標公告") == query_terms("招标公告")


def test_a_repeated_word_is_looked_for_once():
    assert query_terms("收费 收费 收費 CT ＣＴ") == (
        QueryTerm("收费", TermKind.WORD),
        QueryTerm("ct", TermKind.WORD),
    )


def test_spaces_do_not_count_towards_the_query_length():
    assert query_length(" 收 费 ") == 2 == MIN_QUERY_LENGTH
    assert query_length("费 ") < MIN_QUERY_LENGTH
    assert len(query_terms("收" * (MAX_QUERY_LENGTH + 50))[0].text) == MAX_QUERY_LENGTH


def test_a_text_holds_a_query_only_where_its_characters_stand_together():
    assert contains_all("门诊收费标准", query_terms("收费标准"))
    assert contains_all("門診收費標準", query_terms("收费"))
    assert not contains_all("收费，标准", query_terms("收费标准"))
    assert not contains_all("门诊收费标准", query_terms("收费 价格"))
    assert not contains_all("门诊收费标准", ())


def test_highlight_marks_every_occurrence():
    assert highlight("收费标准与收费依据", query_terms("收费")) == [
        Segment("收费", hit=True),
        Segment("标准与"),
        Segment("收费", hit=True),
        Segment("依据"),
    ]


def test_highlight_keeps_the_characters_of_the_text():
    assert highlight("門診收費標準，收費公示", query_terms("收费")) == [
        Segment("門診"),
        Segment("收費", hit=True),
        Segment("標準，"),
        Segment("收費", hit=True),
        Segment("公示"),
    ]
    assert highlight("ＣＴ平扫", query_terms("ct")) == [Segment("ＣＴ", hit=True), Segment("平扫")]


def test_highlight_cuts_a_passage_around_the_first_hit():
    text = "甲" * 100 + "收费" + "乙" * 100
    passage = highlight(text, query_terms("收费"), width=40)
    assert passage[0] == passage[-1] == Segment("…")
    assert Segment("收费", hit=True) in passage
    kept = "".join(segment.text for segment in passage[1:-1])
    assert len(kept) == 40
    assert kept.startswith("甲") and kept.endswith("乙")


def test_highlight_without_a_hit_returns_the_text_unmarked():
    assert highlight("门诊时间", query_terms("收费")) == [Segment("门诊时间")]
    passage = highlight("门诊时间" * 20, query_terms("收费"), width=10)
    assert passage == [Segment("门诊时间门诊时间门诊"), Segment("…")]


def test_highlight_marks_what_the_index_found_whatever_the_characters():
    """The index and ``contains_all`` convert a text to Simplified by phrase: 瞭解 is 了解, and
    乾隆 stays 乾隆 (乾 alone would be 干). The marks must find the same words."""
    assert contains_all("请先瞭解收费标准", query_terms("了解"))
    assert highlight("请先瞭解收费标准", query_terms("了解")) == [
        Segment("请先"),
        Segment("瞭解", hit=True),
        Segment("收费标准"),
    ]
    assert contains_all("乾隆年间的药方", query_terms("乾隆"))
    assert highlight("乾隆年间的药方", query_terms("乾隆")) == [
        Segment("乾隆", hit=True),
        Segment("年间的药方"),
    ]


def test_a_table_reads_as_one_sentence_per_row_each_cell_named_by_its_column():
    rows = [
        ["项目名称", "计价单位", "价格（元）", "备注"],
        ["CT平扫（单部位）", "次", "180.00", ""],
        ["<b>血常规</b>", "次", "20.00", None],
        ["", "", "", ""],
    ]
    assert table_sentences(rows, header_row=True) == (
        "项目名称：CT平扫（单部位），计价单位：次，价格（元）：180.00。"
        "项目名称：血常规，计价单位：次，价格（元）：20.00。"
    )
    without_header = table_sentences(rows[1:3], header_row=False)
    assert without_header == "CT平扫（单部位），次，180.00。血常规，次，20.00。"


def test_parts_of_a_text_are_joined_into_sentences():
    assert join_sentences(["收费标准", "本院执行省定价格。", "", "详见下表"]) == (
        "收费标准。本院执行省定价格。详见下表"
    )


def test_a_passage_starts_at_the_sentence_of_its_first_hit_when_it_can():
    text = "甲" * 200 + "。门诊收费按省定标准执行，" + "乙" * 200
    passage = highlight(text, query_terms("收费"), width=40)
    assert passage[0] == Segment("…")
    assert passage[1] == Segment("门诊")
    assert passage[2] == Segment("收费", hit=True)


def test_words_may_stand_in_the_title_or_the_names_above_it():
    terms = query_terms("收费 2025")
    assert holds_all(["2025年1月药品价格", "医保价格收费", "药品价格"], terms)
    assert not holds_all(["2025年1月药品价格", "药品价格"], terms)
    # A word is found whole in one text, not across two.
    assert not holds_all(["医保价格收", "费用"], query_terms("收费"))


# The search backend: Wagtail's search, through the default backend -----------------------


def test_a_query_is_rewritten_into_the_terms_of_the_index():
    word = rewrite(PlainText("收费"))
    assert type(word) is PlainText and word.query_string == "收费"
    phrase = rewrite(PlainText("招标公告"))
    assert isinstance(phrase, Phrase) and phrase.query_string == "招标 标公 公告"
    prefix = rewrite(PlainText("年"))
    assert isinstance(prefix, Prefix) and prefix.query_string == "年"
    both = rewrite(PlainText("CT平扫"))
    assert isinstance(both, And)
    assert [sub.query_string for sub in both.subqueries] == ["ct", "平扫"]


def test_a_query_of_punctuation_alone_finds_nothing_and_does_not_fail(demo_item):
    assert rewrite(PlainText("！！")) is None
    assert rewrite(Phrase("，")) is None
    # An empty part of a compound query is dropped, the rest still applies.
    kept = rewrite(And([Phrase("门诊收费"), PlainText("、")]))
    assert isinstance(kept, Phrase) and kept.query_string == "门诊 诊收 收费"
    assert list(Page.objects.search("！！？")) == []
    assert demo_item(CHARGES).pk in {page.pk for page in Page.objects.search("收费 ！！")}


def test_wagtail_search_finds_a_word_inside_a_chinese_title(demo_item):
    assert type(get_search_backend()).__module__.startswith("disclosure.search_backend")
    charges = demo_item(CHARGES)
    # A stock full-text index sees 收费依据与费用查询 as one word: 收费 would find nothing.
    assert charges.pk in {page.pk for page in Page.objects.search("收费")}
    assert charges.pk in {page.pk for page in Page.objects.search("费用查询")}
    assert charges.pk in {page.pk for page in Page.objects.search("收費")}
    # Characters that do not stand together in the text do not match.
    assert charges.pk not in {page.pk for page in Page.objects.search("收费查询")}


def test_a_page_is_found_as_soon_as_it_is_published(client, add_publication):
    assert not list(Page.objects.live().search("蓝鲸灯塔"))
    page = add_publication("冬季健康讲座安排", "本次讲座在蓝鲸灯塔报告厅举行。")
    assert [found.pk for found in Page.objects.live().search("蓝鲸灯塔")] == [page.pk]
    assert titles_listed(search(client, q="蓝鲸灯塔")) == ["冬季健康讲座安排"]


def test_a_new_word_in_a_republished_body_is_found_and_the_old_one_is_not(
    client, add_publication, publish_reviewed
):
    page = add_publication("冬季健康讲座安排", "本次讲座在蓝鲸灯塔报告厅举行。")
    page.body = body("讲座改在银杏长廊举行。")
    publish_reviewed(page)
    assert titles_listed(search(client, q="银杏长廊")) == ["冬季健康讲座安排"]
    assert titles_listed(search(client, q="蓝鲸灯塔")) == []


def test_the_words_of_an_unpublished_draft_are_not_found(client, add_publication):
    page = add_publication("冬季健康讲座安排", "本次讲座在蓝鲸灯塔报告厅举行。")
    page.body = body("草稿：讲座改在银杏长廊举行。")
    page.save_revision(user=get_user_model().objects.get(username="medical-editor"))
    assert not list(Page.objects.search("银杏长廊"))
    assert titles_listed(search(client, q="银杏长廊")) == []
    assert titles_listed(search(client, q="蓝鲸灯塔")) == ["冬季健康讲座安排"]


def test_the_backend_ranks_a_title_match_above_a_body_only_match(add_publication):
    in_body = add_publication(
        "院内通知", "蜂鸟计划启动。", "蜂鸟计划的报名方式见附件。", slug="search-rank-body"
    )
    in_title = add_publication("蜂鸟计划实施说明", "详见正文。", slug="search-rank-title")
    ranked = [page.pk for page in Page.objects.live().search("蜂鸟计划")]
    assert ranked == [in_title.pk, in_body.pk]


def test_search_pages_lists_title_matches_first_and_highlights_the_slice(
    demo_site, add_publication
):
    in_body = add_publication(
        "院内通知", "蜂鸟计划启动。", "蜂鸟计划的报名方式见附件。", slug="search-rank-body"
    )
    in_title = add_publication("蜂鸟计划实施说明", "详见正文。", slug="search-rank-title")
    hits = search_pages(root=demo_site.root_page, user=None, query="蜂鸟计划")
    assert hits.ids == [in_title.pk, in_body.pk]
    assert hits.capped is False
    first, second = hits[0:2]
    assert first.page.pk == in_title.pk
    assert first.title == [Segment("蜂鸟计划", hit=True), Segment("实施说明")]
    assert second.title == [Segment("院内通知")]
    assert Segment("蜂鸟计划", hit=True) in second.passage


# The public search page ------------------------------------------------------------------


def test_search_finds_a_word_inside_chinese_text_and_marks_it(client):
    response = search(client, q="收费依据")
    # The item, then its two publications (filed under a name holding the words).
    assert titles_listed(response) == [CHARGES, "门诊费用查询方式说明", "住院费用一日清单制度"]
    page = text_of(response)
    assert "<mark>收费依据</mark>与费用查询</a></h3>" in page
    passage = re.search(r'<p class="dc-results__text">(.*?)</p>', page).group(1)
    assert passage.startswith("<mark>收费依据</mark>文件")
    assert "找到3条与“收费依据”相关的结果" in page


def test_a_word_of_a_category_name_finds_the_category_its_items_and_their_publications(
    client, demo_index
):
    """收费 stands in no price list's own text: the lists are found as what is filed under
    医保价格收费, after the category and the items named by the word."""
    prices = CatalogCategoryPage.objects.child_of(demo_index).get(title="医保价格收费")
    hits = search_pages(root=demo_index.get_site().root_page, user=None, query="收费")
    results = hits[0 : len(hits)]
    assert [result.page.title for result in results[:2]] == ["医保价格收费", CHARGES]
    filed_here = {page.pk for page in Page.objects.descendant_of(prices, inclusive=True).live()}
    assert filed_here <= set(hits.ids)
    drug_lists = [r for r in results if r.page.title.endswith("月药品价格")]
    assert len(drug_lists) > 10
    # The page says where each one is filed, the word marked.
    assert drug_lists[0].place == [
        [Segment("医保价格"), Segment("收费", hit=True)],
        [Segment("药品价格")],
    ]
    # The items named by the category come before the publications filed under them.
    kinds = [type(result.page) for result in results[2:]]
    first_publication = next(i for i, kind in enumerate(kinds) if kind is not CatalogItemPage)
    assert all(kind is CatalogItemPage for kind in kinds[:first_publication])
    assert first_publication == 4  # 医保政策与结算 and the three price items
    page = text_of(search(client, q="收费"))
    assert "所在栏目：" in page and "医保价格<mark>收费</mark>" in page


def test_publications_equally_relevant_are_listed_newest_first(demo_site):
    hits = search_pages(root=demo_site.root_page, user=None, query="药品价格")
    results = hits[0 : len(hits)]
    assert results[0].page.title == "药品价格"  # the item named by the words, first
    dates = [result.page.publication_date for result in results[1:]]
    assert len(dates) > 10
    assert dates == sorted(dates, reverse=True)
    # Monthly lists whose text is the same score the same where the words are in the text
    # only: the newest comes first there too.
    ct = [r.page for r in search_pages(root=demo_site.root_page, user=None, query="CT平扫")[0:50]]
    monthly = [page.publication_date for page in ct if page.title.endswith("月药品价格")]
    assert len(monthly) > 10
    assert monthly == sorted(monthly, reverse=True)


def test_a_renamed_category_has_the_pages_under_it_found_by_its_new_name(
    client, demo_index, publish_reviewed
):
    prices = CatalogCategoryPage.objects.child_of(demo_index).get(title="医保价格收费")
    assert not titles_listed(search(client, q="蓝鲸收费"))
    prices.title = "蓝鲸收费公示"
    prices.save_revision()
    publish_reviewed(prices)
    titles = titles_listed(search(client, q="蓝鲸收费"))
    assert titles[0] == "蓝鲸收费公示"
    assert CHARGES in titles and any(title.endswith("月药品价格") for title in titles)
    # The old name no longer finds them.
    assert titles_listed(search(client, q="价格收费")) == []


def test_a_snippet_from_a_table_is_escaped_and_marked(client, demo_item, publish_reviewed):
    rows = [["项目名称", "说明"], ["蓝鲸检查", "<script>alert(1)</script>"]]
    page = PublicationPage(
        title="院内通知",
        slug="search-table-xss",
        body=json.dumps(
            [{"type": "table", "value": {"data": rows, "first_row_is_table_header": True}}]
        ),
        live=False,
    )
    demo_item("健康讲座与义诊").add_child(instance=page)
    publish_reviewed(page)
    html = text_of(search(client, q="蓝鲸检查"))
    passage = re.search(r'<p class="dc-results__text">(.*?)</p>', html).group(1)
    assert "<script>" not in html.split("<main", 1)[1]
    # Markup in a cell is dropped; what is left is text.
    assert passage == "项目名称：<mark>蓝鲸检查</mark>，说明：alert(1)。"


def test_a_snippet_from_a_price_table_reads_as_sentences(client):
    response = search(client, q="CT平扫")
    page = text_of(response)
    passage = re.search(r'<p class="dc-results__text">(.*?)</p>', page).group(1)
    assert "项目名称：<mark>CT平扫</mark>（单部位），计价单位：次，价格（元）：180.00。" in passage
    # No run of bare cells, as the table's searchable content would give.
    assert "210300001, CT平扫" not in unescape(re.sub(r"<[^>]+>", "", passage))
    assert "项目编码：210300001" in passage


def test_a_phrase_finds_every_tender_notice_and_marks_the_phrase(client):
    response = search(client, q="招标公告")
    titles = titles_listed(response)
    assert len(titles) >= 5
    assert all(title.endswith("公开招标公告") for title in titles)
    assert text_of(response).count("<mark>招标公告</mark></a></h3>") == len(titles)


def test_the_query_and_the_results_are_escaped(client, add_publication):
    typed = "<script>alert(1)</script>收费"
    page = text_of(search(client, q=typed))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;收费" in page

    add_publication("检验收费<script>alert(2)</script>说明", "检验收费的说明。")
    response = search(client, q="检验收费")
    assert titles_listed(response) == ["检验收费<script>alert(2)</script>说明"]
    page = text_of(response)
    assert "<script>alert(2)" not in page
    assert "<mark>检验收费</mark>&lt;script&gt;alert(2)&lt;/script&gt;说明" in page


@pytest.mark.parametrize("query", ["费", " 费 ", "a"])
def test_a_one_character_query_is_refused_in_chinese(client, query):
    response = search(client, q=query)
    page = text_of(response)
    assert "q" in response.context["form"].errors
    assert TOO_SHORT in page
    assert 'aria-invalid="true"' in page
    assert titles_listed(response) == []


@pytest.mark.parametrize(
    "query",
    [
        "NOT 收费",
        "收费 OR 价格",
        '"收费',
        "收费*",
        "NEAR(收费 价格)",
        "title:收费",
        "-收费",
        "！！",
    ],
)
def test_search_syntax_in_a_query_is_read_as_words(client, demo_site, query):
    response = search(client, q=query)
    assert response.status_code == 200
    plain = search_pages(root=demo_site.root_page, user=None, query="收费")
    assert {page.pk for page in pages_listed(response)} <= set(plain.ids)


def test_a_traditional_query_finds_what_the_simplified_one_finds(client):
    assert titles_listed(search(client, q="收費")) == titles_listed(search(client, q="收费"))
    tenders = titles_listed(search(client, q="招标公告"))
    assert tenders and titles_listed(search(client, q="招標公告")) == tenders


def test_the_category_filter_keeps_the_category(client, demo_index):
    procurement = CatalogCategoryPage.objects.child_of(demo_index).get(title="招标采购")
    everywhere = pages_listed(search(client, q="公告"))
    narrowed = pages_listed(search(client, q="公告", category=procurement.pk))
    assert narrowed and len(narrowed) < len(everywhere)
    assert all(page.path.startswith(procurement.path) for page in narrowed)
    assert {page.pk for page in narrowed} < {page.pk for page in everywhere}


def test_the_department_filter_keeps_its_items_and_their_publications(client, demo_site):
    pharmacy = Department.objects.get(site=demo_site, name="药学部")
    response = search(client, q="价格", department=pharmacy.pk)
    titles = titles_listed(response)
    assert "药品价格" in titles
    assert len(titles) > 10
    assert all("药品价格" in title for title in titles)
    finance = Department.objects.get(site=demo_site, name="财务科")
    # The first two pages: the department's price lists come first (their titles hold the word).
    titles = [
        title
        for page in (1, 2)
        for title in titles_listed(search(client, q="价格", department=finance.pk, page=page))
    ]
    assert CHARGES in titles and "医疗服务项目价格" in titles
    assert not any("药品价格" in title for title in titles)


def test_a_date_range_keeps_the_publications_of_those_days_and_no_items(client, demo_site):
    hits = search_pages(root=demo_site.root_page, user=None, query="价格")
    unfiltered = [result.page for result in hits[0 : len(hits)]]
    assert any(isinstance(page, CatalogItemPage) for page in unfiltered)
    dates = sorted({p.publication_date for p in unfiltered if isinstance(p, PublicationPage)})
    date_from, date_to = dates[2], dates[5]
    expected = {
        p.pk
        for p in unfiltered
        if isinstance(p, PublicationPage) and date_from <= p.publication_date <= date_to
    }
    response = search(client, q="价格", date_from=date_from, date_to=date_to)
    listed = pages_listed(response)
    assert {page.pk for page in listed} == expected
    assert not any(isinstance(page, CatalogItemPage) for page in listed)
    assert "药品价格" not in titles_listed(response)
    page = text_of(response)
    assert f'<time datetime="{date_from:%Y-%m-%d}">' in page


def test_an_end_date_before_the_start_date_is_refused(client):
    response = search(client, q="价格", date_from="2025-06-01", date_to="2025-01-01")
    page = text_of(response)
    assert "date_to" in response.context["form"].errors
    assert "截止日期早于起始日期。" in page
    assert titles_listed(response) == []


def test_the_result_pages_keep_the_query_and_the_filters(client, demo_index):
    prices = CatalogCategoryPage.objects.child_of(demo_index).get(title="医保价格收费")
    first = search(client, q="价格", category=prices.pk)
    first_titles = titles_listed(first)
    assert len(first_titles) == 20
    links = re.findall(r'<a href="(\?[^"]*)" rel="next">', text_of(first))
    assert len(links) == 1
    link = unescape(links[0])
    assert "q=%E4%BB%B7%E6%A0%BC" in link and f"category={prices.pk}" in link
    assert "page=2" in link
    second = client.get(reverse("disclosure:search") + link)
    second_titles = titles_listed(second)
    assert second_titles and not set(second_titles) & set(first_titles)
    assert '<ol class="dc-results" start="21"' in text_of(second)
    assert all(page.path.startswith(prices.path) for page in pages_listed(second))


def test_staff_only_pages_are_never_shown_to_anonymous_visitors(client, demo_index, demo_item):
    assert demo_item(STAFF_ONLY_ITEM).audience == "staff"
    response = search(client, q="采购计划")
    assert titles_listed(response) == []
    assert STAFF_ONLY_ITEM not in text_of(response)
    # Nor is their category offered as a filter, nor accepted when named.
    staff_category = CatalogCategoryPage.objects.child_of(demo_index).get(title="院务公开")
    assert f'<option value="{staff_category.pk}">' not in text_of(response)
    named = search(client, q="采购计划", category=staff_category.pk)
    assert "category" in named.context["form"].errors
    assert titles_listed(named) == []


@pytest.mark.parametrize("username", ["office", "supervisor", "medical-editor"])
def test_staff_of_the_institution_find_its_staff_only_pages(client, login, username):
    login(username)
    titles = titles_listed(search(client, q="采购计划"))
    assert STAFF_ONLY_ITEM in titles
    assert sum(title.endswith("药械采购计划") for title in titles) > 1


def test_a_logged_in_outsider_does_not_find_staff_only_pages(client):
    get_user_model().objects.create_user(username="outsider", password="x-2026-pass")
    assert client.login(username="outsider", password="x-2026-pass")
    assert titles_listed(search(client, q="采购计划")) == []


def attached(title: str, document_title: str, collection, slug: str) -> PublicationPage:
    document = Document(title=document_title, collection=collection)
    document.file.save(f"{slug}.pdf", ContentFile(b"%PDF-1.4 " + slug.encode()), save=False)
    document.save()
    page = PublicationPage(title=title, slug=slug, live=False)
    page.attachments = [PublicationAttachment(document=document, title=document_title)]
    return page


@pytest.fixture
def internal_collection(db):
    collection = Collection.get_first_root_node().add_child(name="内部文件")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_an_attachment_title_makes_a_page_findable(client, demo_item, publish_reviewed):
    public = attached(
        "健康讲座通知", "门诊排班一览表", Collection.get_first_root_node(), "search-public-doc"
    )
    demo_item("健康讲座与义诊").add_child(instance=public)
    publish_reviewed(public)
    assert titles_listed(search(client, q="排班一览表")) == ["健康讲座通知"]


def test_the_title_of_a_private_attachment_does_not_make_a_page_findable(
    client, demo_item, publish_reviewed, internal_collection
):
    """The disclosure API leaves documents of private collections out for the public: a
    search must not tell that a page holds one, nor which words its title has."""
    private = attached("义诊活动通知", "院长办公会纪要", internal_collection, "search-private-doc")
    demo_item("健康讲座与义诊").add_child(instance=private)
    publish_reviewed(private)
    detail = client.get(f"/api/disclosure/v1/publications/{private.pk}/").json()
    assert detail["attachments"] == []
    assert titles_listed(search(client, q="义诊活动通知")) == ["义诊活动通知"]
    assert titles_listed(search(client, q="院长办公会纪要")) == []
    assert client.get(API, {"q": "院长办公会纪要"}).json()["count"] == 0


def test_the_public_page_does_not_list_a_private_attachment(
    client, demo_item, publish_reviewed, internal_collection
):
    """As the disclosure API does (its publications leave private documents out)."""
    private = attached("义诊活动通知", "院长办公会纪要", internal_collection, "search-private-doc")
    demo_item("健康讲座与义诊").add_child(instance=private)
    publish_reviewed(private)
    page = text_of(client.get(private.url))
    assert "义诊活动通知" in page
    assert "院长办公会纪要" not in page


def test_the_publications_of_an_unpublished_item_are_not_found(client, demo_item):
    item = demo_item(CHARGES)
    publication = PublicationPage.objects.child_of(item).live().first()
    assert publication.title in titles_listed(search(client, q=publication.title))
    item.unpublish()
    assert titles_listed(search(client, q=publication.title)) == []


def test_search_stays_within_the_institution_asked(client, fresh_site, demo_site):
    page = fresh_site.root_page.add_child(
        instance=PublicationPage(title="测试医院收费公示", slug="fees", live=False)
    )
    # Taken live directly: the review has its own tests, and the fresh site has no workflow.
    Page.objects.filter(pk=page.pk).update(live=True)
    refresh_visibility(page_ids=[page.pk])
    assert "测试医院收费公示" not in titles_listed(search(client, q="收费"))
    assert [hit["title"] for hit in client.get(API, {"q": "收费公示"}).json()["items"]] == []
    other = client.get(API, {"q": "收费公示", "institution": fresh_site.pk}).json()
    assert [hit["title"] for hit in other["items"]] == ["测试医院收费公示"]


@override_settings(DISCLOSURE_SEARCH_RATE_LIMIT=(2, 3600))
def test_searching_too_often_is_answered_with_a_chinese_429(client):
    # Opening the page and mistyped queries do not count.
    assert search(client).status_code == 200
    assert search(client, q="费").status_code == 200
    assert titles_listed(search(client, q="收费依据文件")) == [CHARGES]
    assert titles_listed(search(client, q="价格"))
    response = search(client, q="收费")
    assert response.status_code == 429
    page = response.content.decode()
    assert TOO_MANY in page
    assert titles_listed(response) == []


def test_too_many_results_are_capped_with_a_notice(client, monkeypatch):
    monkeypatch.setattr("disclosure.selectors.search.MAX_RESULTS", 5)
    response = search(client, q="价格")
    assert len(titles_listed(response)) == 5
    assert response.context["capped"] is True
    assert "dc-notice" in text_of(response)


# On PostgreSQL the index drives the search -----------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index-driven query is PostgreSQL's"
)

#: How the stock query reaches the index entries: from each row of the queryset.
STOCK_JOIN = 'LEFT OUTER JOIN "wagtailsearch_indexentry"'

PARITY_QUERIES = [
    "价格",
    "收费",
    "招标公告",
    "医院 价格",
    '"药品价格"',
    "药",
    "价格 OR 招聘",
    "无此词语",
]


def stock_query(monkeypatch):
    """Make the PostgreSQL backend answer with the stock query (the entries of each row)."""
    from disclosure.search_backend import postgres  # PostgreSQL's module

    monkeypatch.setattr(postgres.PostgresSearchQueryCompiler, "ranked", lambda *args: None)
    monkeypatch.setattr(postgres.PostgresSearchQueryCompiler, "count", lambda *args: None)


def searched(rows, query: str):
    results = rows.search(query, operator="and").annotate_score("_score")
    return (
        [(page.pk, type(page), round(page._score, 9)) for page in results[3:40]],
        results.count(),
        (results[3:8].count(), results[2:].count(), results[:500].count()),
        [pk for pk, _score in ranked_keys(rows.search(query, operator="and"))],
    )


@postgresql_only
@pytest.mark.parametrize("query", PARITY_QUERIES)
def test_the_index_driven_search_answers_as_the_stock_query(monkeypatch, query):
    from disclosure.search_backend.postgres import MATCHED  # PostgreSQL's module

    visible = Page.objects.filter(
        pk__in=visible_to(Page.objects.all(), AnonymousUser()).values("pk")
    )
    querysets = [
        Page.objects.live(),
        Page.objects.live().specific(),
        visible.only("title"),
        PublicationPage.objects.live(),  # a page type's key is its page's
        Page.objects.filter(pk__in=[]),  # no rows: no SQL at all
    ]
    driven = []
    for rows in querysets[:-1]:
        with CaptureQueriesContext(connection) as context:
            driven.append(searched(rows, query))
        sql = [captured["sql"] for captured in context.captured_queries]
        assert any(MATCHED in each for each in sql)
        assert not any(STOCK_JOIN in each for each in sql)
    with CaptureQueriesContext(connection) as context:
        driven.append(searched(querysets[-1], query))
    assert not context.captured_queries
    stock_query(monkeypatch)
    with CaptureQueriesContext(connection) as context:
        stock = [searched(rows, query) for rows in querysets]
    sql = [captured["sql"] for captured in context.captured_queries]
    assert any(STOCK_JOIN in each for each in sql)
    assert not any(MATCHED in each for each in sql)
    assert driven == stock
    if query == "价格":  # the comparison is not between two empty lists
        assert all(
            len(results) == 37 and count > 40 and sliced[0] == 5
            for results, count, sliced, _keys in driven[:4]
        )


@postgresql_only
def test_a_distinct_on_queryset_keeps_the_stock_query():
    """Which row DISTINCT ON keeps depends on the queryset's order, which narrowing the
    matches to its rows would drop: such a queryset is searched the stock way."""
    from disclosure.search_backend.postgres import PostgresSearchQueryCompiler  # PostgreSQL's

    rows = Page.objects.order_by("content_type_id", "-pk").distinct("content_type_id")
    assert not PostgresSearchQueryCompiler(rows, PlainText("价格"))._index_driven()
    assert PostgresSearchQueryCompiler(Page.objects.all(), PlainText("价格"))._index_driven()


@postgresql_only
def test_search_pages_ranks_as_with_the_stock_query(monkeypatch, demo_site):
    def ranked(query):
        hits = search_pages(root=demo_site.root_page, user=AnonymousUser(), query=query)
        return hits.ids, hits.capped, hits.places

    driven = [ranked(query) for query in PARITY_QUERIES]
    stock_query(monkeypatch)
    assert driven == [ranked(query) for query in PARITY_QUERIES]
    assert len(driven[0][0]) > 40


@postgresql_only
def test_the_matching_entries_are_found_through_their_own_index():
    """The condition the search asks of an entry is the one the migration indexes: with
    sequential scans priced out, PostgreSQL reads it from that index."""
    from disclosure.search_backend.postgres import PostgresSearchQueryCompiler  # PostgreSQL's

    compiler = PostgresSearchQueryCompiler(Page.objects.live(), PlainText("价格"))
    sql, params = compiler.entries_matching(get_search_backend().config).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "disclosure_search_entry_vector_gin" in plan


def close(page_id: int) -> None:
    """Unpublish a page around Django, as a concurrent request would between two queries."""
    Page.objects.filter(pk=page_id).update(live=False)


def test_a_page_closed_while_searching_is_neither_ranked_nor_shown(monkeypatch, demo_site):
    from disclosure.selectors import search as selector

    keys_of = selector.ranked_keys
    closed = []

    def keys_then_close(results):
        found = keys_of(results)
        # A publication (closing a category would close every page below it too).
        leaves = set(
            Page.objects.filter(pk__in=[pk for pk, _score in found], numchild=0).values_list(
                "pk", flat=True
            )
        )
        leaf = next(pk for pk, _score in found if pk in leaves)
        closed.append(leaf)
        close(leaf)
        return found

    monkeypatch.setattr(selector, "ranked_keys", keys_then_close)
    hits = search_pages(root=demo_site.root_page, user=AnonymousUser(), query="价格")
    assert len(hits) > 20 and closed[0] not in hits.ids
    # Closed after the ranking, before the page of results is read: not shown either.
    close(hits.ids[0])
    assert hits.ids[0] not in [result.page.pk for result in hits[0:20]]


@postgresql_only
def test_the_index_driven_search_reads_its_rows_through_the_queryset_again(monkeypatch):
    from disclosure.search_backend import postgres  # PostgreSQL's module

    ranked = postgres.PostgresSearchQueryCompiler.ranked
    closed = []

    def ranked_then_close(compiler, *args):
        found = ranked(compiler, *args)
        if found:
            closed.append(found[0][0])
            close(found[0][0])
        return found

    monkeypatch.setattr(postgres.PostgresSearchQueryCompiler, "ranked", ranked_then_close)
    served = [page.pk for page in Page.objects.live().search("价格")[:10]]
    assert closed and closed[0] not in served and len(served) == 9


# The number of queries does not grow with the results -----------------------------------


def queries_for(client, query: str) -> tuple[int, int]:
    """(queries, distinct page types listed) for one search."""
    with CaptureQueriesContext(connection) as context:
        response = search(client, q=query)
    assert response.status_code == 200
    return len(context.captured_queries), len({type(page) for page in pages_listed(response)})


def test_a_search_costs_the_same_for_one_result_and_for_many(client):
    search(client, q="收费")  # warm per-process caches (content types, site root paths)
    one, one_kind = queries_for(client, "医院物业管理服务项目")
    many, many_kinds = queries_for(client, "招标公告")
    assert len(pages_listed(search(client, q="医院物业管理服务项目"))) == 1
    assert len(pages_listed(search(client, q="招标公告"))) >= 5
    assert one_kind == many_kinds == 1
    assert many == one


def test_a_full_page_of_results_costs_one_query_per_page_type_more(client):
    """Wagtail loads specific pages with one query per page type: a page of 20 results of two
    types costs one query more than one result, and no more."""
    search(client, q="收费")
    one, one_kind = queries_for(client, "收费依据")
    many, many_kinds = queries_for(client, "价格")
    assert len(pages_listed(search(client, q="价格"))) == 20
    assert many == one + (many_kinds - one_kind)


# The API ---------------------------------------------------------------------------------


def test_the_api_finds_and_marks_a_word(client, demo_item):
    response = client.get(API, {"q": "收费依据"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["count"] == 3  # the item and the two publications filed under it
    assert answer["capped"] is False
    hit = answer["items"][0]
    charges = demo_item(CHARGES)
    assert hit["id"] == charges.pk
    assert hit["title"] == CHARGES
    assert hit["type"] == "disclosure.CatalogItemPage"
    assert hit["url"].endswith(charges.url)
    assert hit["publication_date"] is None
    assert hit["title_segments"] == [
        {"text": "收费依据", "hit": True},
        {"text": "与费用查询", "hit": False},
    ]
    assert hit["passage"][0] == {"text": "收费依据", "hit": True}


def test_the_api_finds_the_same_pages_for_a_traditional_query(client):
    simplified = client.get(API, {"q": "招标公告"}).json()
    traditional = client.get(API, {"q": "招標公告"}).json()
    assert simplified["count"] >= 5
    assert [hit["id"] for hit in traditional["items"]] == [hit["id"] for hit in simplified["items"]]


def test_the_api_refuses_a_one_character_query_naming_the_field(client):
    response = client.get(API, {"q": "a"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["loc"] for error in response.json()["errors"]] == [["query", "q"]]


def test_the_api_refuses_dates_out_of_order_or_malformed(client):
    response = client.get(API, {"q": "价格", "date_from": "2025-06-01", "date_to": "2025-01-01"})
    assert response.status_code == 422
    assert "date_from is after date_to" in json.dumps(response.json())
    malformed = client.get(API, {"q": "价格", "date_from": "2025/06/01"})
    assert malformed.status_code == 422
    assert ["query", "date_from"] in [error["loc"] for error in malformed.json()["errors"]]


def test_the_api_date_range_leaves_out_catalog_items(client):
    answer = client.get(
        API, {"q": "价格", "date_from": "2000-01-01", "date_to": "2099-12-31", "limit": 100}
    ).json()
    assert answer["count"] > 10
    types = {hit["type"] for hit in answer["items"]}
    assert "disclosure.PublicationPage" in types  # (and the annual report that names prices)
    assert not types & {"disclosure.CatalogItemPage", "disclosure.CatalogCategoryPage"}
    assert all(hit["publication_date"] for hit in answer["items"])


@override_settings(DISCLOSURE_SEARCH_RATE_LIMIT=(2, 3600))
def test_the_api_answers_429_when_searched_too_often(client):
    assert client.get(API, {"q": "收费"}).status_code == 200
    assert client.get(API, {"q": "价格"}).status_code == 200
    response = client.get(API, {"q": "收费"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert TOO_MANY in response.json()["detail"]


def test_a_hidden_category_answers_like_an_unknown_one(client, demo_index):
    staff_category = CatalogCategoryPage.objects.child_of(demo_index).get(title="院务公开")
    hidden = client.get(API, {"q": "采购计划", "category": staff_category.pk})
    unknown = client.get(API, {"q": "采购计划", "category": 987654})
    assert hidden.status_code == unknown.status_code == 200
    assert hidden.json()["items"] == [] and hidden.json()["count"] == 0
    assert hidden.json() == unknown.json()


def test_staff_only_pages_are_absent_for_anonymous_callers(client, token_for):
    assert client.get(API, {"q": "采购计划"}).json()["count"] == 0
    titles = [
        hit["title"]
        for hit in client.get(API, {"q": "采购计划"}, **token_for("office")).json()["items"]
    ]
    assert STAFF_ONLY_ITEM in titles


def test_a_session_does_not_open_staff_only_pages_in_the_api(client, login):
    login("office")
    assert client.get(API, {"q": "采购计划"}).json()["count"] == 0


def test_the_api_says_when_the_results_are_capped(client, monkeypatch):
    monkeypatch.setattr("disclosure.selectors.search.MAX_RESULTS", 5)
    answer = client.get(API, {"q": "价格"}).json()
    assert answer["capped"] is True
    assert answer["count"] == 5


# The admin and Wagtail's v3 API search the same way ---------------------------------------


def test_the_admin_page_search_finds_a_word_inside_a_title(client, login, demo_item):
    login("office")
    response = client.get("/admin/pages/search/", {"q": "收费"})
    page = text_of(response)
    assert CHARGES in page
    assert f"/admin/pages/{demo_item(CHARGES).pk}/edit/" in page


def test_the_wagtail_pages_api_finds_a_word_inside_a_title(client, demo_item):
    response = client.get("/api/v3/pages/", {"search": "收费"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert demo_item(CHARGES).pk in [item["id"] for item in items]
    assert CHARGES in [item["title"] for item in items]


def test_the_wagtail_pages_api_search_leaves_out_staff_only_pages(client):
    response = client.get("/api/v3/pages/", {"search": "采购计划"})
    assert response.status_code == 200
    assert STAFF_ONLY_ITEM not in [item["title"] for item in response.json()["items"]]


# Tracking a case: the number's prefix names its kind -------------------------------------

CONSULTATION = {"name": "李四", "phone": "13900001111", "question": "周末门诊几点开始挂号？"}


def test_a_consultation_is_tracked_by_its_zx_number(demo_site):
    submitted = submit(Consultation, site=demo_site, values=CONSULTATION, acknowledge=False)
    number, code = submitted.case.number, submitted.lookup_code
    assert number.startswith("ZX-")
    found = tracked_case(site_id=demo_site.pk, number=number, code=code)
    assert isinstance(found, Consultation) and found.pk == submitted.case.pk
    loosely = tracked_case(site_id=demo_site.pk, number=f" {number.lower()} ", code=code.lower())
    assert loosely == submitted.case


def test_a_consultation_number_with_a_request_prefix_finds_nothing(demo_site):
    submitted = submit(Consultation, site=demo_site, values=CONSULTATION, acknowledge=False)
    number, code = submitted.case.number, submitted.lookup_code
    assert tracked_case(site_id=demo_site.pk, number=number.replace("ZX", "YSQ"), code=code) is None


def test_a_host_no_institution_serves_gets_a_404_not_an_error(client, monkeypatch):
    from wagtail.models import Site

    # What Wagtail answers for a host no site serves, when there is no default site either.
    monkeypatch.setattr(Site, "find_for_request", staticmethod(lambda request: None))
    response = client.get(reverse("disclosure:search"), {"q": "收费"})
    assert response.status_code == 404
