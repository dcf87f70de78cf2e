"""The annual report's item is due on 31 January itself (每年1月31日前), read from the catalog."""

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import CatalogItemPage
from disclosure.rules.update_rules import Period, RuleKind
from disclosure.selectors.compliance import deadline_for_item

ANNUAL_REPORT = "信息公开工作年度报告"


def test_the_demo_catalog_makes_the_annual_report_due_on_31_january(demo_site):
    item = CatalogItemPage.objects.get(department__site__is_default_site=True, title=ANNUAL_REPORT)
    assert (item.rule_kind, item.rule_period) == (RuleKind.PERIODIC, Period.YEAR)
    assert (item.rule_due_month, item.rule_due_day, item.rule_working_days) == (1, 31, None)
    standing = deadline_for_item(item)
    assert (standing.deadline.due.month, standing.deadline.due.day) == (1, 31)
    assert not standing.deadline.estimated


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rule_period": Period.QUARTER}, "rule_due_month"),
        ({"rule_working_days": 20}, "rule_working_days"),
        ({"rule_due_day": None}, "rule_due_day"),
        ({"rule_due_month": 2, "rule_due_day": 30}, "rule_due_day"),
    ],
)
def test_a_fixed_date_that_makes_no_sense_is_refused_at_its_field(demo_site, changes, field):
    item = CatalogItemPage.objects.get(department__site__is_default_site=True, title=ANNUAL_REPORT)
    for name, value in changes.items():
        setattr(item, name, value)
    with pytest.raises(ValidationError) as refusal:
        item.clean()
    assert field in refusal.value.message_dict
