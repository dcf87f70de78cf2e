"""简体 and 繁體: the public site read in Traditional characters, the switch between the two, and
what must stay as it was written (links, what a visitor typed, scripts, the admin)."""

from __future__ import annotations

import hashlib
import html
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from disclosure.display import LARGE_TEXT_COOKIE, SCRIPT_COOKIE
from disclosure.rules.scripts import Script, html_to_traditional, to_simplified, to_traditional

pytestmark = pytest.mark.django_db

CHARGES = "收费依据与费用查询"
CHARGES_TRADITIONAL = "收費依據與費用查詢"
ONE_YEAR = 365 * 24 * 3600


def traditional(client):
    client.cookies[SCRIPT_COOKIE] = Script.TRADITIONAL.value
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def publication_links(html: str) -> list[str]:
    return re.findall(r'<a class="dc-publications__title" href="([^"]+)"', html)


# Conversion ------------------------------------------------------------------------------


def test_conversion_goes_by_phrase_both_ways():
    assert to_traditional("门诊收费标准") == "門診收費標準"
    assert to_traditional("之后") == "之後"
    assert to_traditional("皇后") == "皇后"  # the same character, kept in this phrase
    assert to_simplified("門診收費標準") == "门诊收费标准"
    assert to_simplified("门诊") == "门诊"
    assert to_traditional("") == "" == to_simplified("")


PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<title>门诊时间</title>
<meta name="description" content="门诊收费标准">
<style>.notice::before { content: "门诊"; }</style>
<script>var label = "门诊"; if (a<b && c>d) { label = "后来"; }</script>
</head>
<body>
<!-- 门诊 注释 -->
<a href="/xxgk/医保价格收费/" title="医保价格收费">医保价格收费</a>
<img src="/media/门诊楼.png" alt="门诊楼">
<input name="q" value="门诊" placeholder="搜索门诊" aria-label='搜索门诊'>
<textarea name="question">门诊几点开门</textarea>
<p>后来</p>
</body>
</html>"""


@pytest.fixture
def converted() -> str:
    return html_to_traditional(PAGE)


def test_the_text_a_visitor_reads_is_converted(converted):
    assert "<title>門診時間</title>" in converted
    assert ">醫保價格收費</a>" in converted
    assert "<p>後來</p>" in converted  # after a textarea, text is converted again


def test_readable_attributes_are_converted(converted):
    assert 'content="門診收費標準"' in converted
    assert 'title="醫保價格收費"' in converted
    assert 'alt="門診樓"' in converted
    assert 'placeholder="搜索門診"' in converted
    assert "aria-label='搜索門診'" in converted


def test_links_typed_values_scripts_styles_and_comments_are_left_alone(converted):
    assert 'href="/xxgk/医保价格收费/"' in converted
    assert 'src="/media/门诊楼.png"' in converted
    assert 'value="门诊"' in converted
    assert '<textarea name="question">门诊几点开门</textarea>' in converted
    assert '<script>var label = "门诊"; if (a<b && c>d) { label = "后来"; }</script>' in converted
    assert '<style>.notice::before { content: "门诊"; }</style>' in converted
    assert "<!-- 门诊 注释 -->" in converted


def test_the_page_declares_traditional_chinese(converted):
    assert '<html lang="zh-Hant">' in converted
    assert "zh-Hans" not in converted


def test_a_page_without_chinese_is_unchanged_but_for_its_language():
    html = '<html lang="zh-Hans"><body><a href="/a/">CT 2025</a></body></html>'
    assert html_to_traditional(html) == html.replace("zh-Hans", "zh-Hant")


# The switch ------------------------------------------------------------------------------


def switch_to(client, script: str, next_url: str | None = None):
    url = reverse("disclosure:script", args=[script])
    return client.get(url, {"next": next_url} if next_url is not None else {})


def test_the_switch_remembers_the_choice_and_goes_back(client):
    response = switch_to(client, "zh-Hant", "/xxgk/")
    assert response.status_code == 302
    assert response["Location"] == "/xxgk/"
    cookie = response.cookies[SCRIPT_COOKIE]
    assert cookie.value == "zh-Hant"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == ONE_YEAR


def test_the_switch_goes_back_to_a_page_with_its_query(client):
    response = switch_to(client, "zh-Hant", "/search/?q=%E6%94%B6%E8%B4%B9&page=2")
    assert response["Location"] == "/search/?q=%E6%94%B6%E8%B4%B9&page=2"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_the_switch_never_sends_a_visitor_off_the_site(client, next_url):
    response = switch_to(client, "zh-Hant", next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[SCRIPT_COOKIE].value == "zh-Hant"


def test_an_unknown_script_is_not_found(client):
    response = switch_to(client, "zh-Latn", "/")
    assert response.status_code == 404
    assert SCRIPT_COOKIE not in response.cookies


def test_switching_back_to_simplified_shows_simplified_pages(client, demo_item):
    url = demo_item(CHARGES).relative_url(demo_item(CHARGES).get_site())
    switch_to(client, "zh-Hant", url)
    assert CHARGES_TRADITIONAL in text_of(client.get(url))
    back = switch_to(client, "zh-Hans", url)
    assert back["Location"] == url
    page = text_of(client.get(url))
    assert CHARGES in page and CHARGES_TRADITIONAL not in page


def test_the_switch_link_leads_back_to_the_same_page(client, demo_item):
    url = demo_item(CHARGES).relative_url(demo_item(CHARGES).get_site())
    page = text_of(client.get(url))
    link = re.search(r'<a class="script-switch" href="([^"]+)"', page).group(1)
    followed = client.get(link.replace("&amp;", "&"), follow=True)
    assert followed.redirect_chain[-1][0] == url
    assert CHARGES_TRADITIONAL in text_of(followed)


def test_the_switch_back_to_simplified_is_labelled_in_simplified(client):
    """The template writes 简体 (lang="zh-Hans") for the way back; a visitor reading Traditional
    looks for the word in the script it names."""
    page = text_of(traditional(client).get("/"))
    switch = re.search(r'<a class="script-switch"[^>]*>([^<]*)</a>', page)
    assert 'lang="zh-Hans"' in switch.group(0)
    assert html.unescape(switch.group(1)) == "简体"


# Pages read with the cookie --------------------------------------------------------------


def test_the_home_page_comes_back_in_traditional(client):
    simplified = text_of(client.get("/"))
    assert "门诊" in simplified
    response = traditional(client).get("/")
    page = text_of(response)
    assert "門診" in page and "门诊" not in page
    assert '<html lang="zh-Hant"' in page
    assert response["Content-Language"] == "zh-Hant"
    assert "Cookie" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)


def test_the_catalog_table_labels_shown_on_small_screens_are_converted(client, demo_index):
    """On a narrow screen each cell of the catalog table is labelled by CSS from its
    ``data-label`` (content: attr(data-label)): the visitor reads it like any other text."""
    simplified = text_of(client.get(demo_index.url))
    assert 'data-label="责任科室"' in simplified
    page = text_of(traditional(client).get(demo_index.url))
    assert 'data-label="責任科室"' in page
    assert 'data-label="责任科室"' not in page


def test_a_catalog_item_page_comes_back_in_traditional_with_working_links(client, demo_item):
    url = demo_item(CHARGES).relative_url(demo_item(CHARGES).get_site())
    simplified_links = publication_links(text_of(client.get(url)))
    assert simplified_links
    response = traditional(client).get(url)
    page = text_of(response)
    assert f"<h1>{CHARGES_TRADITIONAL}</h1>" in page
    assert response["Content-Language"] == "zh-Hant"
    # The links (Chinese slugs) are those of the Simplified page, and they still work.
    assert publication_links(page) == simplified_links
    followed = client.get(simplified_links[0])
    assert followed.status_code == 200
    assert followed["Content-Language"] == "zh-Hant"


def test_the_search_page_comes_back_in_traditional(client):
    response = traditional(client).get(reverse("disclosure:search"), {"q": "收费"})
    page = text_of(response)
    assert '<html lang="zh-Hant"' in page
    assert response["Content-Language"] == "zh-Hant"
    assert f"<mark>收費</mark>{CHARGES_TRADITIONAL[2:]}</a></h3>" in page
    # What the visitor typed stays as typed.
    assert 'name="q" value="收费"' in page


def test_a_traditional_query_shows_traditional_results_with_their_marks(client):
    response = traditional(client).get(reverse("disclosure:search"), {"q": "收費依據文件"})
    page = text_of(response)
    assert f">{CHARGES_TRADITIONAL}</a></h3>" in page
    passage = re.search(r'<p class="dc-results__text">(.*?)</p>', page).group(1)
    assert passage.startswith("<mark>收費依據文件</mark>")
    assert "找到1條與“收費依據文件”相關的結果" in page
    assert 'name="q" value="收費依據文件"' in page


def test_without_the_cookie_pages_are_simplified_and_vary_on_the_cookie(client, demo_item):
    for url in ("/", demo_item(CHARGES).url, reverse("disclosure:search")):
        response = client.get(url)
        page = text_of(response)
        assert '<html lang="zh-Hans"' in page
        assert "Content-Language" not in response
        assert "Cookie" in response["Vary"]
    assert CHARGES in text_of(client.get(demo_item(CHARGES).url))


def test_an_unknown_cookie_value_reads_as_simplified(client):
    client.cookies[SCRIPT_COOKIE] = "klingon"
    page = text_of(client.get("/"))
    assert '<html lang="zh-Hans"' in page and "门诊" in page


def test_the_admin_is_never_converted(client, login):
    login("office")
    traditional(client)
    response = client.get("/admin/")
    page = text_of(response)
    assert "Content-Language" not in response
    assert 'lang="zh-Hant"' not in page
    assert '<html lang="zh-hans"' in page
    pages = text_of(client.get("/admin/pages/search/", {"q": "收费"}))
    assert CHARGES in pages and CHARGES_TRADITIONAL not in pages


def test_the_api_is_never_converted(client):
    response = traditional(client).get("/api/disclosure/v1/search/", {"q": "收费依据文件"})
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == CHARGES
    assert "Content-Language" not in response


def test_a_converted_page_is_converted_once_and_kept_in_the_cache(client, demo_item):
    url = demo_item(CHARGES).relative_url(demo_item(CHARGES).get_site())
    traditional(client)
    with mock.patch(
        "disclosure.middleware.html_to_traditional", wraps=html_to_traditional
    ) as convert:
        first = client.get(url)
        assert convert.call_count == 1
        (original,), _ = convert.call_args
        second = client.get(url)
        assert convert.call_count == 1
    assert second.content == first.content
    key = "disclosure:zh-hant:" + hashlib.sha256(original.encode()).hexdigest()
    assert cache.get(key) == first.content
    assert CHARGES_TRADITIONAL in first.content.decode()


# The large-text mode (适老化) -------------------------------------------------------------


def test_the_large_text_mode_is_remembered_and_marks_every_public_page(client, demo_item):
    item = demo_item(CHARGES)
    url = item.relative_url(item.get_site())
    response = client.get(reverse("disclosure:text_size", args=["large"]), {"next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    cookie = response.cookies[LARGE_TEXT_COOKIE]
    assert cookie.value == "1"
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax"

    page = client.get(item.url).content.decode()
    assert '<html lang="zh-Hans" class="dc-large-text">' in page
    assert "标准模式" in page  # the way back

    response = client.get(reverse("disclosure:text_size", args=["standard"]), {"next": "/"})
    assert response.cookies[LARGE_TEXT_COOKIE].value == ""  # deleted
    client.cookies.pop(LARGE_TEXT_COOKIE, None)
    page = client.get(item.url).content.decode()
    assert "dc-large-text" not in page
    assert "大字模式" in page


def test_the_large_text_mode_keeps_visitors_on_the_site(client):
    response = client.get(
        reverse("disclosure:text_size", args=["large"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert client.get(reverse("disclosure:text_size", args=["huge"])).status_code == 404


def test_large_text_and_traditional_script_combine(client, demo_item):
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    client.cookies[SCRIPT_COOKIE] = Script.TRADITIONAL.value
    page = client.get(demo_item(CHARGES).url).content.decode()
    assert '<html lang="zh-Hant" class="dc-large-text">' in page
    assert "標準模式" in page
