"""Attestations and change events, recorded by the item's department, move the deadline."""

import datetime as dt

from django.contrib.auth import get_user_model
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
        reverse("disclosure_admin:item_attest", args=[item.pk]),
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
    empty = client.post(reverse("disclosure_admin:item_attest", args=[item.pk]), {"note": ""})
    assert empty.status_code == 200
    login("finance-editor")
    today = timezone.localdate().isoformat()
    other = client.post(
        reverse("disclosure_admin:item_attest", args=[item.pk]),
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
        reverse("disclosure_admin:item_change", args=[item.pk]),
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
    body = client.get(reverse("disclosure_admin:item_change", args=[item.pk])).content.decode()
    assert event.description in body
    assert "已逾期" in body


def test_another_department_cannot_read_an_items_records(client, login, demo_item):
    item = demo_item("收费依据与费用查询")  # 财务科
    login("medical-editor")
    response = client.get(reverse("disclosure_admin:item_change", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# Dates that cannot be bent ----------------------------------------------------------------------
# An outside review dated a publication and an attestation in the past: the item's standing and
# a change's lateness followed the typed date. Deadlines now count from when content went live
# and from when an attestation was recorded.


def test_a_backdated_attestation_counts_from_the_day_it_is_recorded(client, login, demo_item):
    item = demo_item(REVIEW_ITEM)
    overdue = deadline_for_item(item).deadline
    assert overdue.status == ComplianceStatus.OVERDUE
    checked_on = overdue.due - dt.timedelta(days=1)  # "before it fell overdue"

    login("nursing-editor")
    client.post(
        reverse("disclosure_admin:item_attest", args=[item.pk]),
        {"attested_on": checked_on.isoformat(), "note": "补录：当时已核对，无变化"},
    )

    assert Attestation.objects.get(item=item).attested_on == checked_on  # kept, as said
    standing = deadline_for_item(item).deadline
    assert standing.basis == timezone.localdate()  # counted from today, when it was recorded
    assert standing.due > timezone.localdate() + dt.timedelta(days=300)


def test_a_change_cannot_be_recorded_ahead_of_time(client, login, demo_item):
    item = demo_item("医保政策与结算")
    login("finance-editor")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("disclosure_admin:item_change", args=[item.pk]),
        {"changed_on": tomorrow.isoformat(), "description": "下月起报销比例调整"},
    )
    assert response.status_code == 200
    assert "不能提前登记" in response.content.decode()
    assert not ChangeEvent.objects.filter(item=item).exists()


def test_a_publication_dated_in_the_past_counts_from_when_it_went_live(
    client, demo_item, publish_reviewed
):
    from disclosure.models import PublicationPage
    from disclosure.selectors.compliance import change_outcomes

    item = demo_item("收费依据与费用查询")  # a change 45 days ago, unpublished: overdue
    [(event, _due, _published, _late)] = change_outcomes(item)
    backdated = PublicationPage(
        title="住院费用一日清单格式说明",
        slug="backdated-statement",
        publication_date=event.changed_on,  # typed: "published" the day it changed
        live=False,
    )
    item.add_child(instance=backdated)
    publish_reviewed(backdated)  # approved and live today

    [(_event, _due, published, late)] = change_outcomes(item)
    assert published == timezone.localdate() and late  # late, as it was
    standing = deadline_for_item(item)
    assert standing.deadline.basis == timezone.localdate()
    api = client.get(f"/api/disclosure/v1/items/{item.pk}/").json()
    assert api["standing"]["last_updated"] == timezone.localdate().isoformat()
    page = client.get(backdated.url).content.decode()
    assert "成文日期" in page and event.changed_on.strftime("%Y") in page  # still shown


def test_an_overdue_change_stays_overdue_when_a_newer_change_is_recorded(client, login, demo_item):
    item = demo_item("收费依据与费用查询")  # a change 45 days ago, unpublished: overdue
    overdue = deadline_for_item(item).deadline
    assert overdue.status == ComplianceStatus.OVERDUE
    login("finance-editor")
    client.post(
        reverse("disclosure_admin:item_change", args=[item.pk]),
        {"changed_on": timezone.localdate().isoformat(), "description": "又一项收费调整"},
    )
    assert ChangeEvent.objects.filter(item=item).count() == 2
    still = deadline_for_item(item).deadline
    assert still.status == ComplianceStatus.OVERDUE  # the older change is still unpublished
    assert still.due == overdue.due


def test_a_publication_moved_in_counts_for_its_new_item_from_the_move(client, demo_item):
    """Moved between two public items of one department (a direct move), an old publication
    does not make its new item look updated when it first went live elsewhere."""
    from disclosure.models import PublicationPage
    from disclosure.selectors.compliance import period_records

    source, target = demo_item("医疗服务项目价格"), demo_item("医用耗材价格")
    oldest = PublicationPage.objects.child_of(source).live().order_by("first_published_at")[0]
    office = get_user_model().objects.get(username="office")
    before = period_records(target)
    oldest.move(target, pos="last-child", user=office)

    assert deadline_for_item(target).deadline.basis == timezone.localdate()
    api = client.get(f"/api/disclosure/v1/items/{target.pk}/").json()
    assert api["standing"]["last_updated"] == timezone.localdate().isoformat()
    # Its periods are not rewritten by a publication that went live elsewhere.
    assert [r.status for r in period_records(target)[:-1]] == [r.status for r in before[:-1]]


def test_a_record_made_from_the_filtered_report_returns_to_it(client, login, demo_item):
    item = demo_item(REVIEW_ITEM)
    login("nursing-editor")
    report = reverse("disclosure_admin:overdue_report")
    results = client.get(reverse("disclosure_admin:overdue_report_results"), {"status": "overdue"})
    back = f"{report}?status=overdue"
    assert (
        f"{reverse('disclosure_admin:item_attest', args=[item.pk])}?next="
        in results.content.decode()
    )
    response = client.post(
        reverse("disclosure_admin:item_attest", args=[item.pk]),
        {"attested_on": timezone.localdate().isoformat(), "note": "已核对，无变化", "next": back},
    )
    assert response.status_code == 302 and response.url == back
    # Never anywhere else.
    elsewhere = client.post(
        reverse("disclosure_admin:item_attest", args=[item.pk]),
        {
            "attested_on": timezone.localdate().isoformat(),
            "note": "再次核对",
            "next": "https://evil.example/",
        },
    )
    assert elsewhere.url == report
