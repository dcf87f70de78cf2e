"""The price list's query laid out in memory (``rules.price_search``): what matches, in what
order, at the edges of its column strings. No database: the rows are given as they are read."""

from decimal import Decimal

from disclosure.rules.price_search import PriceSearch, SearchRow
from disclosure.rules.prices import pinyin_initials


def row(pk: int, code: str, name: str, price: str, category: str = "") -> SearchRow:
    initials, alternates = pinyin_initials(name)
    return SearchRow(pk, code, name, initials, alternates, category, Decimal(price))


ROWS = [
    row(11, "250101001", "血常规", "20.00", "血液检查"),
    row(12, "110200002-1", "主任医师诊查费", "50.00", "诊查"),
    row(13, "110200002-2", "副主任医师诊查费", "30.00", "诊查"),
    row(14, "240300003", "调强放射治疗", "2100.00", "放射治疗"),
    row(15, "210300001", "CT平扫", "150.00", "放射检查"),
    row(16, "250101002", "血常规（五分类）", "20.00", "血液检查"),
]
SEARCH = PriceSearch(ROWS)


def names(rows) -> list[str]:
    return [ROWS[index].name for index in rows]


def test_a_name_matches_anywhere_in_it_and_each_row_once():
    assert names(SEARCH.matching("血常规")) == ["血常规", "血常规（五分类）"]
    assert names(SEARCH.matching("诊查")) == ["主任医师诊查费", "副主任医师诊查费"]
    # 费 ends one row and 副 starts the next: a match never runs across two rows.
    assert names(SEARCH.matching("费副")) == []


def test_a_code_matches_from_its_start_in_the_first_and_the_last_row():
    assert names(SEARCH.matching("2501")) == ["血常规", "血常规（五分类）"]
    assert names(SEARCH.matching("250101002")) == ["血常规（五分类）"]
    assert names(SEARCH.matching("110200002-2")) == ["副主任医师诊查费"]
    assert names(SEARCH.matching("0101")) == []


def test_letters_match_initials_in_any_reading_and_latin_names_in_any_case():
    assert names(SEARCH.matching("XCG")) == ["血常规", "血常规（五分类）"]
    assert names(SEARCH.matching("dqfs")) == ["调强放射治疗"]
    assert names(SEARCH.matching("tqfs")) == ["调强放射治疗"]
    assert names(SEARCH.matching("ct")) == ["CT平扫"]
    # Chinese is matched as typed; full-width letters are read as half-width.
    assert names(SEARCH.matching("ＣＴ平扫")) == ["CT平扫"]


def test_a_category_narrows_a_query_and_the_categories_keep_the_list_order():
    assert names(SEARCH.matching("", "血液检查")) == ["血常规", "血常规（五分类）"]
    assert names(SEARCH.matching("xcg", "放射检查")) == []
    assert SEARCH.categories == ["血液检查", "诊查", "放射治疗", "放射检查"]


def test_orders_keep_the_list_order_between_equal_values():
    everything = SEARCH.matching()
    assert names(SEARCH.ordered(everything, "price")) == [
        "血常规",
        "血常规（五分类）",
        "副主任医师诊查费",
        "主任医师诊查费",
        "CT平扫",
        "调强放射治疗",
    ]
    assert names(SEARCH.ordered(SEARCH.matching("xcg"), "-price")) == ["血常规", "血常规（五分类）"]
    assert [ROWS[i].code for i in SEARCH.ordered(everything, "code")] == sorted(
        r.code for r in ROWS
    )
    assert names(SEARCH.ordered(SEARCH.matching("诊查"), "name")) == [
        "主任医师诊查费",
        "副主任医师诊查费",
    ]
    assert list(SEARCH.ordered(everything, "nonsense")) == list(range(len(ROWS)))


def test_an_empty_list_matches_nothing():
    empty = PriceSearch([])
    assert list(empty.matching("xcg")) == []
    assert list(empty.matching()) == []
    assert empty.categories == []
