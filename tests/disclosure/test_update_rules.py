import pytest

from disclosure.rules.update_rules import Period, RuleKind, RuleParseError, UpdateRule


@pytest.mark.parametrize(
    ("text", "notes", "expected"),
    [
        ("信息形成或变更之日起20个工作日内", "", UpdateRule(RuleKind.ON_CHANGE, working_days=20)),
        (
            "自信息形成或者变更之日起二十个工作日内",
            "",
            UpdateRule(RuleKind.ON_CHANGE, working_days=20),
        ),
        ("10个工作日内", "", UpdateRule(RuleKind.ON_CHANGE, working_days=10)),
        ("制定或获取信息之日起１０个工作日内", "", UpdateRule(RuleKind.ON_CHANGE, working_days=10)),
        ("每月", "", UpdateRule(RuleKind.PERIODIC, period=Period.MONTH)),
        ("每季度", "", UpdateRule(RuleKind.PERIODIC, period=Period.QUARTER)),
        ("每半年", "", UpdateRule(RuleKind.PERIODIC, period=Period.HALF_YEAR)),
        ("每年", "", UpdateRule(RuleKind.PERIODIC, period=Period.YEAR)),
        # A yearly rule due on a fixed date of the next year (年度报告), in the rule or its notes.
        (
            "每年",
            "次年1月31日前",
            UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31),
        ),
        (
            "每年1月31日前",
            "",
            UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31),
        ),
        (
            "次年一月三十一日前",
            "",
            UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31),
        ),
        (
            "每年（次年1月31日前）",
            "",
            UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31),
        ),
        (
            "每月（期满后10个工作日内）",
            "",
            UpdateRule(RuleKind.PERIODIC, period=Period.MONTH, working_days=10),
        ),
        ("实时", "", UpdateRule(RuleKind.REAL_TIME)),
        ("长期", "", UpdateRule(RuleKind.REVIEW)),
        ("长期", "每6个月复核", UpdateRule(RuleKind.REVIEW, review_months=6)),
        ("长期（每3个月复核）", "", UpdateRule(RuleKind.REVIEW, review_months=3)),
    ],
)
def test_catalog_phrasings_are_read_as_rules(text, notes, expected):
    assert UpdateRule.parse(text, notes) == expected


@pytest.mark.parametrize("text", ["", "尽快", "看情况", "每周", "每年2月30日前", "每年13月1日前"])
def test_unknown_phrasings_are_refused_with_a_reason(text):
    with pytest.raises(RuleParseError) as error:
        UpdateRule.parse(text)
    assert str(error.value)


@pytest.mark.parametrize(
    "rule",
    [
        UpdateRule(RuleKind.ON_CHANGE, working_days=10),
        UpdateRule(RuleKind.PERIODIC, period=Period.QUARTER),
        UpdateRule(RuleKind.PERIODIC, period=Period.MONTH, working_days=5),
        UpdateRule(RuleKind.REAL_TIME),
        UpdateRule(RuleKind.REVIEW, review_months=6),
        UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31),
    ],
)
def test_catalog_text_reads_back_to_the_same_rule(rule):
    assert UpdateRule.parse(rule.to_catalog_text(default_working_days=20)) == rule


def test_review_interval_kept_in_notes_is_not_repeated_in_the_rule_text():
    rule = UpdateRule(RuleKind.REVIEW, review_months=12)
    assert rule.to_catalog_text(notes="每12个月复核", default_working_days=20) == "长期"


def test_on_change_rule_without_a_limit_uses_the_institution_default():
    words = UpdateRule(RuleKind.ON_CHANGE).describe(default_working_days=15)
    assert "15" in words


def test_a_fixed_date_rule_says_its_date():
    rule = UpdateRule.parse("每年1月31日前")
    assert rule.to_catalog_text(default_working_days=20) == "每年（次年1月31日前）"
    assert rule.fixed_date == (1, 31)
    # Kept in 备注, as the demo catalog has it: not repeated in the rule.
    assert rule.to_catalog_text(notes="次年1月31日前", default_working_days=20) == "每年"


def test_inconsistent_rules_cannot_be_built():
    with pytest.raises(ValueError):  # a fixed date is for a yearly rule only
        UpdateRule(RuleKind.PERIODIC, period=Period.QUARTER, due_month=1, due_day=31)
    with pytest.raises(ValueError):  # and counts no working days
        UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, working_days=5, due_month=1, due_day=31)
    with pytest.raises(ValueError):
        UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1)
    with pytest.raises(ValueError):
        UpdateRule(RuleKind.PERIODIC)
    with pytest.raises(ValueError):
        UpdateRule(RuleKind.ON_CHANGE, period=Period.MONTH)
