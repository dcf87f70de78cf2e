"""The public face of a price list: its query (name, code, pinyin initials), filters, order and
pages; 繁體 and large text; the lobby screen and kiosk; nothing of a staff-only list shown."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.utils.translation import gettext

from disclosure.display import LARGE_TEXT_COOKIE, SCRIPT_COOKIE
from disclosure.models import PriceListPage
from disclosure.rules.prices import pinyin_initials
from disclosure.rules.scripts import Script
from disclosure.selectors.prices import categories_of, live_rows, price_lists_for_item
from disclosure.services.price_import import import_price_list

from .price_lists import (
    SERVICE_ITEM,
    SERVICES,
    add_rows,
    filler_services,
    new_version,
    publish_version,
)
from .price_lists import drugs as drugs
from .price_lists import services as services
from .price_lists import staff_list as staff_list


def path(page) -> str:
    """The page's address on its own site, as its links name it."""
    return page.relative_url(page.get_site())


def names(page, **query) -> list[str]:
    return [row.name for row in live_rows(page, **query)]


def shown_names(response) -> list[str]:
    """The row names of a page of results, in order (each row's header cell)."""
    body = response.content.decode()
    return re.findall(r'<th scope="row" role="rowheader">([^<]+)</th>', body)


# The query ------------------------------------------------------------------------------------


def test_a_name_is_found_by_any_part_of_it(services):
    assert names(services, q="血常规") == ["血常规"]
    assert names(services, q="诊查") == ["副主任医师诊查费", "主任医师诊查费"]


def test_a_code_is_found_by_its_beginning_and_a_sub_code_exactly(services):
    assert names(services, q="1102") == ["副主任医师诊查费", "主任医师诊查费"]
    assert names(services, q="110200002-1") == ["主任医师诊查费"]
    # A code is matched from its start, not in its middle.
    assert names(services, q="0200002") == []


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("血常规", "xcg"),
        ("重症监护", "zzjh"),
        ("单采血小板", "dcxxb"),
        ("长春新碱", "ccxj"),
        ("乐卡地平", "lkdp"),
    ],
)
def test_real_item_names_with_polyphonic_characters_read_as_a_patient_types_them(name, initials):
    main, _others = pinyin_initials(name)
    assert main == initials


def test_pinyin_initials_find_a_row_in_either_reading_of_a_polyphonic_character(services):
    # 调 reads tiao (调强: intensity-modulated) in context, diao elsewhere: either finds it.
    assert names(services, q="tqfs") == ["调强放射治疗"]
    assert names(services, q="dqfs") == ["调强放射治疗"]
    assert names(services, q="XCG") == ["血常规"]
    assert names(services, q="zzjh") == ["重症监护"]
    assert names(services, q="dcxxb") == ["单采血小板"]
    # Letters mixed with the name's own Latin letters: CT平扫.
    assert names(services, q="ctps") == ["CT平扫"]


def test_drug_names_with_polyphonic_characters_are_found_by_initials(drugs):
    assert names(drugs, q="ccxj") == ["长春新碱"]
    assert names(drugs, q="lkdp") == ["乐卡地平"]


def test_a_category_narrows_the_rows_and_the_categories_come_in_list_order(services):
    assert categories_of(services) == ["血液检查", "放射治疗", "综合医疗服务", "放射检查"]
    assert names(services, category="血液检查") == ["血常规", "单采血小板"]
    assert names(services, q="xcg", category="放射检查") == []


def test_rows_sort_by_code_name_and_price_either_way(services):
    codes = [row.code for row in live_rows(services, sort="code")]
    assert codes == sorted(codes)
    prices = [row.price for row in live_rows(services, sort="price")]
    assert prices == sorted(prices)
    assert [row.price for row in live_rows(services, sort="-price")] == sorted(prices, reverse=True)
    assert names(services)[0] == "血常规"  # the list's own order by default
    assert names(services, sort="nonsense")[0] == "血常规"


def test_a_new_version_is_queried_as_soon_as_it_goes_live(services):
    """The query of a version is laid out once per process and kept: the next version, even
    of the same number of rows, is laid out anew."""
    assert names(services, q="xcg") == ["血常规"]
    renamed = [("250101001", "血常规（五分类）", "次", "22.00"), *(row[:4] for row in SERVICES[1:])]
    later = services.rows_version.effective_date + dt.timedelta(days=30)
    services = publish_version(services, new_version(services, renamed, effective_date=later))
    assert names(services, q="xcg") == ["血常规（五分类）"]
    assert names(services, q="2501")[0] == "血常规（五分类）"


# The page -------------------------------------------------------------------------------------


def test_the_page_shows_the_live_rows_with_the_effective_date_and_basis(client, services):
    response = client.get(services.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "X医保发〔2026〕12号" in body
    assert 'datetime="2026-10-01"' in body
    assert shown_names(response) == [name for _code, name, *_ in SERVICES]
    assert "2100.00" in body
    for route in ("changes/", "screen/", "kiosk/"):
        assert f'href="{path(services)}{route}"' in body


def test_the_page_query_filters_sorts_and_says_when_nothing_matches(client, services):
    response = client.get(services.url, {"q": "tqfs"})
    assert shown_names(response) == ["调强放射治疗"]
    assert 'value="tqfs"' in response.content.decode()
    response = client.get(services.url, {"category": "血液检查", "sort": "-price"})
    assert shown_names(response) == ["单采血小板", "血常规"]
    body = client.get(services.url, {"q": "不存在的项目"}).content.decode()
    assert gettext("No price matches “%(query)s”.").split("“")[0] in body
    assert 'class="dc-empty"' in body


def test_pagination_keeps_the_query_category_and_order(client, services):
    add_rows(services.rows_version, filler_services(120))
    response = client.get(services.url, {"q": "检查项目", "category": "临床诊疗", "sort": "name"})
    assert len(shown_names(response)) == PriceListPage.rows_per_page
    body = response.content.decode()
    next_link = re.search(r'href="\?([^"#]+)#dc-prices-results" rel="next"', body).group(1)
    params = next_link.replace("&amp;", "&")
    assert "q=%E6%A3%80%E6%9F%A5%E9%A1%B9%E7%9B%AE" in params
    assert "category=%E4%B8%B4%E5%BA%8A%E8%AF%8A%E7%96%97" in params
    assert "sort=name" in params
    assert "page=2" in params
    second = client.get(f"{services.url}?{params}")
    assert shown_names(second)[0] != shown_names(response)[0]
    assert (
        shown_names(second)
        == names(services, q="检查项目", category="临床诊疗", sort="name")[
            PriceListPage.rows_per_page : 2 * PriceListPage.rows_per_page
        ]
    )


def test_the_kind_tabs_link_the_lists_beside_it(client, services, drugs):
    body = client.get(services.url).content.decode()
    assert f'href="{path(drugs)}"' in body
    assert 'aria-current="page"' in body


def test_a_query_page_is_never_served_from_the_cache_of_another_query(client, services, settings):
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = 60
    assert shown_names(client.get(services.url, {"q": "xcg"})) == ["血常规"]
    second = client.get(services.url, {"q": "zzjh"})
    assert shown_names(second) == ["重症监护"]
    again = client.get(services.url, {"q": "xcg"})
    assert again["X-Disclosure-Cache"] == "hit"
    assert shown_names(again) == ["血常规"]


def test_traditional_characters_and_large_text_apply_to_the_page_and_its_screens(client, services):
    client.cookies[SCRIPT_COOKIE] = Script.TRADITIONAL.value
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    for url in (services.url, f"{services.url}screen/", f"{services.url}kiosk/?q=XCG"):
        body = client.get(url).content.decode()
        assert "血常規" in body, url  # 规 → 規
        assert "dc-large-text" in body, url


def test_query_count_does_not_grow_with_the_rows(client, services, django_assert_max_num_queries):
    def count_queries() -> int:
        with django_assert_max_num_queries(60) as captured:
            client.get(services.url, {"q": "jcxm", "sort": "price"})
            client.get(f"{services.url}screen/", {"page": 3})
            client.get(f"{services.url}kiosk/", {"q": "JC"})
        return len(captured)

    add_rows(services.rows_version, filler_services(100))
    small = count_queries()
    add_rows(services.rows_version, filler_services(1900, start=100))
    assert count_queries() <= small


# The lobby screen and the kiosk ----------------------------------------------------------------


class ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.sources, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._in_script = True
            if attributes.get("src"):
                self.sources.append(attributes["src"])
        for name, _value in attrs:
            assert not name.startswith("on"), f"inline handler {name}"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline.append(data)


def test_the_lobby_screen_pages_through_the_list_and_names_the_next_page(client, services):
    add_rows(services.rows_version, filler_services(20))  # 27 rows: three screenfuls of 9
    response = client.get(f"{services.url}screen/", {"rows": 9, "interval": 5})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-page-number="1"' in body
    assert gettext("Page %(number)s / %(total)s") % {"number": 1, "total": 3} in body
    assert 'data-interval="5"' in body
    assert f'data-next="{path(services)}screen/?page=2&amp;rows=9&amp;interval=5"' in body
    assert "X医保发〔2026〕12号" in body
    assert "site-header" not in body  # the whole window, no site chrome
    last = client.get(f"{services.url}screen/", {"rows": 9, "page": 3}).content.decode()
    assert f'data-next="{path(services)}screen/?page=1&amp;rows=9"' in last  # round again


def test_the_kiosk_keys_type_the_initials_and_show_the_rows(client, services):
    body = client.get(f"{services.url}kiosk/", {"q": "XC"}).content.decode()
    assert 'name="q" value="XCG"' in body  # the G key types the next letter
    assert 'name="q" value="X"' in body  # backspace
    assert "血常规" in body
    assert "data-idle=" in body


def test_the_screen_and_the_kiosk_carry_no_inline_script(client, services):
    for url in (f"{services.url}screen/", f"{services.url}kiosk/?q=X", services.url):
        parser = ScriptTags()
        parser.feed(client.get(url).content.decode())
        assert parser.inline == [], url
    parser = ScriptTags()
    parser.feed(client.get(f"{services.url}screen/").content.decode())
    assert parser.sources == ["/static/disclosure/js/price-screen.js"]


# Audience -------------------------------------------------------------------------------------


def test_a_staff_only_list_is_refused_to_anonymous_visitors_on_every_face(client, staff_list):
    for url in (staff_list.url, f"{staff_list.url}screen/", f"{staff_list.url}kiosk/?q=XCG"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]
        assert "血常规" not in response.content.decode()


def test_a_staff_only_list_is_shown_to_the_institutions_staff(client, login, staff_list):
    login("finance-editor")
    assert shown_names(client.get(staff_list.url))[0] == "血常规"
    assert "血常规" in client.get(f"{staff_list.url}screen/").content.decode()


def test_an_items_lists_leave_out_what_the_visitor_may_not_see(
    demo_item, staff_list, django_user_model
):
    item = demo_item(SERVICE_ITEM)
    assert price_lists_for_item(item=item, user=None) == []
    staff = django_user_model.objects.get(username="finance-editor")
    # The demo's own list of the item, and this test's.
    assert staff_list in price_lists_for_item(item=item, user=staff)
    assert {page.get_parent().pk for page in price_lists_for_item(item=item, user=staff)} == {
        item.pk
    }


def test_a_list_imported_from_a_file_is_found_by_initials_once_published(
    client, demo_item, publish_reviewed
):
    # The import service's rows, not the builder's: the two agree on what the query reads.
    item = demo_item(SERVICE_ITEM)
    page = PriceListPage(
        title="医疗服务项目价格（导入）",
        slug="imported-prices",
        publication_date=dt.date(2026, 11, 1),
        live=False,
    )
    item.add_child(instance=page)
    editor = item.department.editors_group.user_set.first()
    table = [
        ["项目编码", "项目名称", "计价单位", "价格"],
        ["311201001", "调强放射治疗", "次", "2100"],
        ["250101001", "血常规", "次", "20"],
    ]
    import_price_list(
        page=page, user=editor, table=table, effective_date=dt.date(2026, 11, 1), basis="测试"
    )
    assert client.get(page.url).status_code == 404  # a draft: nothing public yet
    # Submitted as the editor's form submits it: the draft the import made, with its rows.
    draft = PriceListPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.rows_version is not None
    page = publish_reviewed(draft)
    assert shown_names(client.get(page.url, {"q": "dqfs"})) == ["调强放射治疗"]
    assert shown_names(client.get(page.url, {"q": "2501"})) == ["血常规"]
