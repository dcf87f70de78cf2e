"""Emergency publication (突发事件、舆情) is for publications the public can already read.

An outside review had the office save a staff-only item with its audience set to 社会公众 and
publish it "in an emergency": the item, its publications and their attachments became public,
skipping the second office member. Emergency publication never applies to a catalog page, nor
to a publication under an item the public cannot read.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from disclosure.models import CatalogItemPage, EmergencyPublication, PublicationPage
from disclosure.services.moderation import confirm_emergency, emergency_publish

STAFF_ITEM = "大额资金使用"
PUBLIC_ITEM = "健康讲座与义诊"


def user(username):
    return get_user_model().objects.get(username=username)


def test_a_staff_only_item_made_public_cannot_be_published_in_an_emergency(
    client, login, demo_item
):
    item = demo_item(STAFF_ITEM)
    item.audience = "public"
    item.save_revision(user=user("office"))

    with pytest.raises(PermissionDenied):
        emergency_publish(page=item, user=user("office"), reason="舆情")
    login("office")
    url = reverse("disclosure_admin:emergency_publish", args=[item.pk])
    client.post(url, {"reason": "舆情，须立即公开"})
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[item.pk])).content.decode()

    assert CatalogItemPage.objects.get(pk=item.pk).audience == "staff"
    assert not EmergencyPublication.objects.filter(page=item).exists()
    assert url not in edit  # the action menu does not offer it
    client.logout()
    assert client.get(item.url).status_code == 302  # still asks for a login


def test_a_publication_under_a_staff_only_item_cannot_be_published_in_an_emergency(demo_item):
    page = PublicationPage(title="职工内部通知", slug="internal-notice", live=False)
    demo_item(STAFF_ITEM).add_child(instance=page)
    page.save_revision(user=user("finance-editor"))
    with pytest.raises(PermissionDenied):
        emergency_publish(page=page, user=user("office"), reason="紧急")
    assert not PublicationPage.objects.get(pk=page.pk).live


def test_a_publication_under_a_public_item_can_and_its_author_cannot_confirm_it(demo_item):
    page = PublicationPage(title="停诊紧急通知", slug="urgent-closure", live=False)
    demo_item(PUBLIC_ITEM).add_child(instance=page)
    page.save_revision(user=user("medical-head"))  # the head wrote it
    emergency = emergency_publish(page=page, user=user("office"), reason="突发公共卫生事件")
    assert PublicationPage.objects.get(pk=page.pk).live

    with pytest.raises(PermissionDenied):
        confirm_emergency(emergency=emergency, user=user("medical-head"))
    assert EmergencyPublication.objects.get(pk=emergency.pk).awaiting_confirmation


def test_nobody_who_wrote_any_of_it_confirms_it(demo_item):
    """The head wrote the draft, an editor touched it up: the head still wrote what went live."""
    page = PublicationPage(title="门诊调整紧急通知", slug="urgent-clinic", live=False)
    demo_item(PUBLIC_ITEM).add_child(instance=page)
    page.save_revision(user=user("medical-head"))
    page.summary = "补充说明"
    page.save_revision(user=user("medical-editor"))
    emergency = emergency_publish(page=page, user=user("office"), reason="舆情")
    with pytest.raises(PermissionDenied):
        confirm_emergency(emergency=emergency, user=user("medical-head"))


def test_a_revert_does_not_launder_what_the_head_wrote(demo_item):
    """The head writes a draft; an editor reverts to the live content, which is published in
    an emergency and confirmed; the editor then reverts to the head's draft, published in an
    emergency again: the head wrote it, under the editor's name, and may not confirm it."""
    page = PublicationPage.objects.child_of(demo_item(PUBLIC_ITEM)).live().first()
    live = page.live_revision
    page.summary = "院长亲自撰写"
    written = page.save_revision(user=user("medical-head"), log_action=True)
    editor = user("medical-editor")
    page.save_revision(user=editor, previous_revision=live, log_action=True)
    first = emergency_publish(page=page, user=user("office"), reason="舆情")
    page = PublicationPage.objects.get(pk=page.pk)
    page.save_revision(user=editor, previous_revision=written, log_action=True)
    second = emergency_publish(page=page, user=user("office"), reason="舆情")
    assert PublicationPage.objects.get(pk=page.pk).summary == "院长亲自撰写"

    with pytest.raises(PermissionDenied):
        confirm_emergency(emergency=second, user=user("medical-head"))
    with pytest.raises(PermissionDenied):  # the first held the head's draft in its window too
        confirm_emergency(emergency=first, user=user("medical-head"))


def test_a_page_moved_from_a_staff_only_item_cannot_be_published_in_an_emergency(demo_item):
    """Unpublish, move under a public item, publish "in an emergency": one person alone."""
    from wagtail.actions.unpublish_page import UnpublishPageAction

    page = PublicationPage.objects.child_of(demo_item(STAFF_ITEM)).live().first()
    UnpublishPageAction(page, user=user("office")).execute()
    page = PublicationPage.objects.get(pk=page.pk)
    page.move(demo_item(PUBLIC_ITEM), pos="last-child", user=user("office"))
    with pytest.raises(PermissionDenied):
        emergency_publish(
            page=PublicationPage.objects.get(pk=page.pk), user=user("office"), reason="舆情"
        )
    assert not PublicationPage.objects.get(pk=page.pk).live


def test_what_goes_live_is_scanned_for_personal_data_the_draft_not_the_live_page(demo_item):
    """A review found the scan reading the live page while the newer draft went live: an ID
    number and a mobile number reached the public site."""
    page = PublicationPage.objects.live().child_of(demo_item(PUBLIC_ITEM)).first()
    live_summary = page.summary
    draft = page.get_latest_revision_as_object()
    draft.summary = "身份证 11010519491231002X 联系13912345678"
    draft.save_revision(user=user("medical-editor"))
    with pytest.raises((ValidationError, PermissionDenied)):
        emergency_publish(page=page, user=user("office"), reason="舆情")
    assert PublicationPage.objects.get(pk=page.pk).summary == live_summary
    assert not EmergencyPublication.objects.filter(page=page).exists()
