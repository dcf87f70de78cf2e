"""Self-inspection services: the template's total, the bounds of a score, and a frozen template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from disclosure.models import ChecklistItem
from disclosure.rules.inspections import points_text
from disclosure.services import inspections as service

from .test_inspection_admin import build_template


def test_points_are_written_as_people_write_them():
    assert [points_text(Decimal(value)) for value in ("60", "7.5", "100.0", "0")] == [
        "60",
        "7.5",
        "100",
        "0",
    ]
    assert points_text(None) == ""


def test_a_template_off_100_cannot_be_scored_on(demo_site):
    office = get_user_model().objects.get(username="office")
    template = build_template()
    assert service.template_problems(template) == []
    ChecklistItem.objects.filter(section__template=template, code="B2").update(points=15)
    assert service.template_problems(template) == ["各项分值合计为 105，不是 100 分。"]
    with pytest.raises(ValidationError) as refused:
        service.start_inspection(
            site=demo_site,
            template=template,
            kind="self",
            title="x",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
            user=office,
        )
    assert "template" in refused.value.message_dict


def test_a_score_over_the_items_points_is_refused_with_them(demo_site):
    office = get_user_model().objects.get(username="office")
    inspection = service.start_inspection(
        site=demo_site,
        template=build_template(),
        kind="self",
        title="x",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        user=office,
    )
    a2 = inspection.scores.get(item__code="A2")
    with pytest.raises(ValidationError) as refused:
        service.score_item(a2, user=office, value="31")
    assert refused.value.message_dict == {"score": ["得分应在 0 至 30 分之间。"]}
    with pytest.raises(ValidationError):
        service.refuse_frozen(inspection.template)
