"""The privacy scanner on a corpus of real-looking identifiers and look-alikes that must pass."""

import pytest

from disclosure.rules.privacy import (
    IdentifierKind,
    find_identifiers,
    is_resident_id,
    luhn_valid,
    mask_digits,
    mask_identifiers,
    mask_identifiers_in,
    scan_values,
)

HITS = [
    ("患者张某，身份证号11010519491231002X，于3月入院。", IdentifierKind.RESIDENT_ID),
    ("证件号码：440304199003071234有误", None),  # checksum fails: not an ID
    ("证件号码：44030419900307123x。", IdentifierKind.RESIDENT_ID),  # lower-case x
    ("联系人手机13812345678", IdentifierKind.MOBILE),
    ("电话：+86 138-1234-5678（工作日）", IdentifierKind.MOBILE),
    ("联系电话 15900001111。", IdentifierKind.MOBILE),
    ("退款账户6222021000112230，开户行工商银行", IdentifierKind.BANK_CARD),
    ("卡号 6217 0000 1234 5678 907", IdentifierKind.BANK_CARD),
    # The same identifiers, formatted the ways people type them.
    ("身份证号 110105 1949 1231 002X。", IdentifierKind.RESIDENT_ID),
    ("身份证号110105-19491231-002X", IdentifierKind.RESIDENT_ID),
    ("身份证号：１１０１０５１９４９１２３１００２Ｘ", IdentifierKind.RESIDENT_ID),  # full-width
    ("身份证号 110105\u30001949\u00a01231 002x", IdentifierKind.RESIDENT_ID),  # 全角空格, NBSP
    ("身份证号11010519491231002 X", IdentifierKind.RESIDENT_ID),
    ("手机138.1234.5678", IdentifierKind.MOBILE),
    ("手机138．1234．5678", IdentifierKind.MOBILE),  # full-width dots
    ("手机138·1234·5678", IdentifierKind.MOBILE),
    ("手机138 1234 5678", IdentifierKind.MOBILE),
    ("手机(138)1234-5678", IdentifierKind.MOBILE),
    ("手机（138）1234－5678", IdentifierKind.MOBILE),  # full-width brackets and dash
    ("手机138—1234—5678", IdentifierKind.MOBILE),  # em dashes
    ("手机138/1234/5678", IdentifierKind.MOBILE),
    ("手机 1 3 8 1 2 3 4 5 6 7 8", IdentifierKind.MOBILE),
    ("手机１３８１２３４５６７８", IdentifierKind.MOBILE),
    ("手机138\u200b1234\u200b5678", IdentifierKind.MOBILE),  # zero-width spaces
    ("手机138\ufeff1234\u20605678", IdentifierKind.MOBILE),
    ("手机+8613812345678", IdentifierKind.MOBILE),
    ("张三_138_1234_5678.pdf", IdentifierKind.MOBILE),  # a file name
    ("咨询电话0571-88880000 13812345678", IdentifierKind.MOBILE),  # after a landline
    ("卡号6222-0210-0011-2230", IdentifierKind.BANK_CARD),
    ("卡号６２２２ ０２１０ ００１１ ２２３０", IdentifierKind.BANK_CARD),
    # Split by characters a browser draws as nothing.
    ("手机138\u00ad1234\u00ad5678", IdentifierKind.MOBILE),  # soft hyphens
    ("手机138\u200f1234\u200e5678", IdentifierKind.MOBILE),  # direction marks
    ("手机1\u034f38123\ufe0f45678", IdentifierKind.MOBILE),  # grapheme joiner, variation
    ("手机138\u03011234\u03015678", IdentifierKind.MOBILE),  # combining accents
    ("手机138\u180e1234\u180e5678", IdentifierKind.MOBILE),  # Mongolian vowel separator
    ("手机138\U000e00201234\U000e00205678", IdentifierKind.MOBILE),  # tag characters
    ("手机138\x071234\x075678", IdentifierKind.MOBILE),  # control characters
    ("手机138\u31641234\u28005678", IdentifierKind.MOBILE),  # Hangul filler, blank Braille
    # Any amount of white space, a star or a times sign between the groups.
    ("手机138\t1234\t5678", IdentifierKind.MOBILE),
    ("手机138      1234      5678", IdentifierKind.MOBILE),
    ("手机138*1234*5678", IdentifierKind.MOBILE),
    ("手机138＊1234＊5678", IdentifierKind.MOBILE),
    ("手机138×1234×5678", IdentifierKind.MOBILE),
    ("手机138x1234x5678", IdentifierKind.MOBILE),
    ("手机138**1234**5678", IdentifierKind.MOBILE),  # the same masks between every group
    # Digits in other shapes, a prefix, more separators, the order a browser shows.
    ("名单①③⑧①②③④⑤⑥⑦⑧", IdentifierKind.MOBILE),  # circled digits
    ("名单➀➂➇➀➁➂➃➄➅➆➇", IdentifierKind.MOBILE),  # dingbats, which NFKC leaves alone
    ("名单¹³⁸¹²³⁴⁵⁶⁷⁸", IdentifierKind.MOBILE),  # superscripts
    ("名单 \u202e87654321831\u202c", IdentifierKind.MOBILE),  # shown as 13812345678
    ("联系 008613812345678", IdentifierKind.MOBILE),
    ("手机138----1234----5678", IdentifierKind.MOBILE),
    ("手机138，1234，5678", IdentifierKind.MOBILE),
    ("手机138、1234、5678", IdentifierKind.MOBILE),
    ("手机138:1234:5678", IdentifierKind.MOBILE),
    ("手机138~1234~5678", IdentifierKind.MOBILE),
    ("手机138|1234|5678", IdentifierKind.MOBILE),
    ("手机138+1234+5678", IdentifierKind.MOBILE),
    # Letters written right against the digits.
    ("ID11010519491231002X", IdentifierKind.RESIDENT_ID),
    ("tel13812345678", IdentifierKind.MOBILE),
    ("card6222021000112230end", IdentifierKind.BANK_CARD),
]

PASSES = [
    "联系人手机138****5678",
    "身份证号1101**********002X",
    "身份证号110105********002X",
    "卡号6222 **** **** 2230",
    "咨询电话0571-88880000",
    "项目编号SFRY-2025-CG-001，预算2380000元",
    "订单号20250101123456789",  # 17 digits, not an ID
    "采购编号6222021000112231",  # fails Luhn
    "2025年3月1日起执行，共12345678人次",
    "电话12345678901",  # not a mobile prefix
    "院内分机 8888",
    # Look-alikes written with the same separators: dates, landlines, amounts, codes, counts.
    "2025-03-01起执行",
    "2025.03.01 — 2025.12.31",
    "有效期2023.01.01-2025.12.31",
    "2025/3/1 13:30",
    "2021 2022 2023 2024年度决算",
    "咨询电话0571-88880000",
    "咨询电话(0571)8888 0000",
    "咨询电话（0571）8888-0000转1234",
    "电话 0571 8888 0000",
    "合计1,380.00元",
    "合计13,800,000.00元",
    "项目编码110200002-2，单价1.38元",
    "价格项目110200002-2 110200002-3",
    "第 1 3 5 7 9 11 13 15 床",
    "共 3 个病区 12 名护士 45 张床位",
    "第1、3、8、12、34、56、78项",
    "1. 门诊 2. 住院 3. 急诊",
    "联系人手机138-****-5678",
    "联系人手机138 **** 5678",
    "卡号6222 0210 **** 2230",
    "批准文号 国药准字H20051234",
    # Stars and times signs that stand for hidden digits or multiply.
    "联系人手机138*5678",
    "规格2×3×5mm，尺寸 100x200x300",
    "剂量 10mg×12片×3盒 2025年",
    # A line break sets numbers apart.
    "手机138\n1234\n5678",
]


@pytest.mark.parametrize(("text", "kind"), HITS)
def test_real_identifiers_are_found(text, kind):
    kinds = [hit.kind for hit in find_identifiers(text)]
    assert kinds == ([kind] if kind else [])


@pytest.mark.parametrize("text", PASSES)
def test_masked_values_and_look_alikes_pass(text):
    assert find_identifiers(text) == []


def test_a_hit_says_where_it_is_without_repeating_the_identifier():
    text = "第一段。患者身份证号11010519491231002X需核实。"
    [hit] = find_identifiers(text)
    assert text[hit.start : hit.end] == "11010519491231002X"
    assert "11010519491231002X" not in hit.context
    assert "身份证号" in hit.context


def test_several_identifiers_are_all_reported_in_order():
    text = "手机13812345678；身份证11010519491231002X；卡号6222021000112230。"
    assert [hit.kind for hit in find_identifiers(text)] == [
        IdentifierKind.MOBILE,
        IdentifierKind.RESIDENT_ID,
        IdentifierKind.BANK_CARD,
    ]


def test_checksums():
    assert is_resident_id("11010519491231002X")
    assert not is_resident_id("110105194912310021")
    assert not is_resident_id("11010519491331002X")  # month 13
    assert luhn_valid("6222021000112230")
    assert not luhn_valid("6222021000112231")


def test_a_formatted_hit_points_into_the_text_as_written():
    text = "第一段。患者身份证号 110105 1949 1231 002X 需核实。"
    [hit] = find_identifiers(text)
    assert text[hit.start : hit.end] == "110105 1949 1231 002X"
    assert "1949" not in hit.context
    assert "【110*** **** **** 002X】" in hit.context

    text = "电话（138）１２３４\u200b5678。"
    [hit] = find_identifiers(text)
    assert text[hit.start : hit.end] == "138）１２３４\u200b5678"


def test_a_hit_shows_no_other_identifier_next_to_it():
    [mobile, _id] = find_identifiers("手机13812345678，身份证11010519491231002X")
    assert "1949" not in mobile.context


def test_identifiers_in_free_text_are_masked_as_the_lists_mask_them():
    assert mask_identifiers("身份证11010519491231002X.pdf") == "身份证110***********002X.pdf"
    assert mask_identifiers("身份证11010519491231002X") == "身份证" + mask_digits(
        "11010519491231002X"
    )
    assert mask_identifiers("张三 138-1234-5678 申请书.docx") == "张三 138-****-5678 申请书.docx"
    assert mask_identifiers("手机１３８１２３４５６７８") == "手机１３８****５６７８"
    assert mask_identifiers("申请书.pdf") == "申请书.pdf"
    assert mask_identifiers("") == ""
    assert mask_identifiers_in({"changes": [{"old": "13812345678", "new": None}], "n": 3}) == {
        "changes": [{"old": "138****5678", "new": None}],
        "n": 3,
    }


def test_rich_text_is_read_as_the_public_sees_it():
    def found(value):
        return [hit.kind for _label, hit in scan_values([("body", value)])]

    # Bold in the middle of a number does not hide it; separate paragraphs are not one number.
    assert found("<p>手机<b>138</b>1234 5678</p>") == [IdentifierKind.MOBILE]
    assert found("<ol><li>138</li><li>1234</li><li>5678</li></ol>") == []
    assert found('<p>请致电<a href="tel:138-1234-5678">值班室</a></p>') == [IdentifierKind.MOBILE]
    assert found("<p>手机138&nbsp;1234&nbsp;5678</p>") == [IdentifierKind.MOBILE]
    # Attribute values: a tooltip, an address without quotes, what the source shows.
    assert found('<p title="13812345678">名单</p>') == [IdentifierKind.MOBILE]
    assert found("<a href=tel:13812345678>值班室</a>") == [IdentifierKind.MOBILE]
    assert found("<p data-note='138 1234 5678'>名单</p>") == [IdentifierKind.MOBILE]
    assert found('<p data-block-key="a8c2k">下周</p><a linktype="document" id="12">附件</a>') == []
    # A line break inside the HTML shows as a space; only a block tag ends a line.
    assert found("<p>手机138\n1234\r\n5678</p>") == [IdentifierKind.MOBILE]
    assert found("<p>手机138&#10;1234&#10;5678</p>") == [IdentifierKind.MOBILE]
    assert found("<p>手机138</p>\n<p>1234</p>\n<p>5678</p>") == []


def test_a_block_id_in_stream_data_is_not_content():
    block = {"type": "paragraph", "value": "<p>下周门诊安排</p>", "id": "138-1234-5678-4abc"}
    assert scan_values([("body", [block])]) == []
