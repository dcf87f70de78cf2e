"""Attestations and change events, recorded by the item's department, move the deadline."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from disclosure.models import Attestation, ChangeEvent
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.compliance import deadline_for_item

REVIEW_ITEM = "护理服务"  # 护理部, long-standing, last published over a year ago in the demo


def test_an_attestation_resets_a_review_item(client, login, demo_item):
    item = demo_item(REVIEW_ITEM)
    assert deadline_for_item(item).deadline.status == ComplianceStatus.OVERDUE

    login("nursing-editor")
    response = client.post(
        reverse("disclosure_item_attest", args=[item.pk]),
        {"attested_on": timezone.localdate().isoformat(), "note": "已核对护理服务举措，无变化"},
    )

    assert response.status_code == 302
    attestation = Attestation.objects.get(item=item)
    assert attestation.attested_by.username == "nursing-editor"
    assert attestation.history.get().history_user.username == "nursing-editor"
    after = deadline_for_item(item)
    assert after.deadline.status == ComplianceStatus.ON_TIME
    assert after.deadline.due > timezone.localdate()


def test_an_attestation_needs_a_note_and_the_right_department(client, login, demo_item):
    item = demo_item(REVIEW_ITEM)
    login("nursing-editor")
    empty = client.post(reverse("disclosure_item_attest", args=[item.pk]), {"note": ""})
    assert empty.status_code == 200
    login("finance-editor")
    today = timezone.localdate().isoformat()
    other = client.post(
        reverse("disclosure_item_attest", args=[item.pk]),
        {"attested_on": today, "note": "越权确认"},
    )
    assert other.status_code == 302 and other["Location"] == reverse("wagtailadmin_home")
    assert not Attestation.objects.filter(item=item).exists()


def test_a_change_makes_the_publication_due(client, login, demo_item):
    item = demo_item("医保政策与结算")  # 财务科, on change within 20 working days
    assert deadline_for_item(item).deadline.status == ComplianceStatus.ON_TIME
    login("finance-editor")
    changed_on = timezone.localdate() - dt.timedelta(days=60)
    client.post(
        reverse("disclosure_item_change", args=[item.pk]),
        {"changed_on": changed_on.isoformat(), "description": "医保报销比例调整"},
    )
    assert ChangeEvent.objects.filter(item=item).count() == 1
    standing = deadline_for_item(item)
    assert standing.deadline.status == ComplianceStatus.OVERDUE
    assert standing.deadline.basis == changed_on


def test_a_publication_after_the_due_date_is_recorded_as_late(client, login, demo_item):
    from disclosure.selectors.compliance import change_outcomes

    item = demo_item("收费依据与费用查询")  # the demo recorded a change 45 days ago, unpublished
    [(event, due, published, late)] = change_outcomes(item)
    assert published is None and late
    assert due < timezone.localdate()
    login("finance-editor")
    body = client.get(reverse("disclosure_item_change", args=[item.pk])).content.decode()
    assert event.description in body
    assert "已逾期" in body


def test_another_department_cannot_read_an_items_records(client, login, demo_item):
    item = demo_item("收费依据与费用查询")  # 财务科
    login("medical-editor")
    response = client.get(reverse("disclosure_item_change", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
