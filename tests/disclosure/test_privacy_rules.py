"""The privacy scanner on a corpus of real-looking identifiers and look-alikes that must pass."""

import pytest

from disclosure.rules.privacy import IdentifierKind, find_identifiers, is_resident_id, luhn_valid

HITS = [
    ("患者张某，身份证号11010519491231002X，于3月入院。", IdentifierKind.RESIDENT_ID),
    ("证件号码：440304199003071234有误", None),  # checksum fails: not an ID
    ("证件号码：44030419900307123x。", IdentifierKind.RESIDENT_ID),  # lower-case x
    ("联系人手机13812345678", IdentifierKind.MOBILE),
    ("电话：+86 138-1234-5678（工作日）", IdentifierKind.MOBILE),
    ("联系电话 15900001111。", IdentifierKind.MOBILE),
    ("退款账户6222021000112230，开户行工商银行", IdentifierKind.BANK_CARD),
    ("卡号 6217 0000 1234 5678 907", IdentifierKind.BANK_CARD),
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
