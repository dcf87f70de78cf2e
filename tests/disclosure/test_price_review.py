"""The reviewers see a new price list's diff against the live one: exact, in both steps'
dialogs, and in full on its own admin page for exactly those who may read the draft."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import TaskState

from disclosure.models import PriceListPage, PriceRow
from disclosure.rules.prices import RowChange
from disclosure.selectors.price_history import DIALOG_ROWS, price_list_diff
from disclosure.services.moderation import approve, submit_for_review

from .price_lists import FIRST, SECOND, new_price_list, new_version, publish_version, stage

ITEM = "医疗服务项目价格"  # 财务科


@pytest.fixture
def price_list(demo_item):
    page = new_price_list(demo_item(ITEM))
    first = new_version(page, FIRST, effective_date=timezone.localdate() - dt.timedelta(days=60))
    return publish_version(page, first)


@pytest.fixture
def draft(price_list):
    """The second list imported and saved as the list's draft."""
    second = new_version(price_list, SECOND, effective_date=timezone.localdate())
    stage(price_list, second)
    return PriceListPage.objects.get(pk=price_list.pk)


@pytest.fixture
def in_review(draft):
    """The draft submitted by the department's editor."""
    users = get_user_model().objects
    page = draft.get_latest_revision_as_object()
    submit_for_review(page=page, user=users.get(username="finance-editor"))
    return PriceListPage.objects.get(pk=draft.pk)


def test_the_diff_is_exact_changed_added_removed_and_leaves_unchanged_rows_out(draft):
    assert price_list_diff(draft) == [
        RowChange(
            "changed", "120400001", "120400001", "静脉注射", "次", Decimal("5.00"), Decimal("6.50")
        ),
        RowChange(
            "added", "310100001", "310100001", "普通门诊诊查费", "次", None, Decimal("10.00")
        ),
        RowChange("removed", "250101001", "250101001", "尿常规", "次", Decimal("8.00"), None),
    ]


def test_a_new_unit_and_a_new_name_are_changes_the_reviewers_see(price_list):
    rows = [
        ("110200002", "血细胞分析", "次", "20.00"),  # renamed only
        ("120400001", "静脉注射", "组", "5.00"),  # new unit
        ("250101001", "尿常规", "次", "8.00"),
    ]
    stage(price_list, new_version(price_list, rows, effective_date=timezone.localdate()))
    page = PriceListPage.objects.get(pk=price_list.pk)
    assert [(c.change, c.code, c.unit, c.changed_fields) for c in price_list_diff(page)] == [
        ("changed", "110200002", "次", ("name",)),  # the price stays: its name changed
        ("changed", "120400001", "组", ()),
    ]


def test_a_draft_naming_the_live_rows_has_no_diff(price_list):
    page = PriceListPage.objects.get(pk=price_list.pk)
    page.summary = "说明文字"
    page.save_revision()
    assert price_list_diff(PriceListPage.objects.get(pk=price_list.pk)) == []


def _bulk_rows(version, count: int, *, price: str) -> None:
    PriceRow.objects.bulk_create(
        [
            PriceRow(
                version=version,
                position=100 + n,
                key=f"33{n:07d}",
                code=f"33{n:07d}",
                name=f"项目{n}",
                unit="次",
                price=Decimal(price),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )


@pytest.mark.parametrize("rows", [10, 2000])
def test_the_diff_takes_the_same_queries_however_many_rows(
    price_list, rows, django_assert_max_num_queries
):
    live = PriceListPage.objects.get(pk=price_list.pk).rows_version
    _bulk_rows(live, rows, price="1.00")
    second = new_version(price_list, SECOND, effective_date=timezone.localdate())
    _bulk_rows(second, rows, price="2.00")
    stage(price_list, second)
    page = PriceListPage.objects.get(pk=price_list.pk)
    with django_assert_max_num_queries(4):
        changes = price_list_diff(page)
    assert len(changes) == rows + 3


# The reviewers' dialogs ----------------------------------------------------------------------


def _dialog(client, page, action: str) -> str:
    state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data", args=[page.pk, action, state.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["html"]


def _shows_the_diff(dialog: str, page) -> bool:
    return (
        all(
            text in dialog
            for text in (
                "静脉注射",
                "5.00",
                "6.50",
                "普通门诊诊查费",
                "尿常规",
                reverse("disclosure_admin:price_diff", args=[page.pk]),
            )
        )
        and "血常规" not in dialog
    )


def test_the_department_head_approves_a_price_list_from_the_dialog_with_its_diff(
    client, login, in_review
):
    head = login("finance-head")
    state = in_review.current_workflow_task_state
    actions = state.task.specific.get_actions(in_review, head)
    assert [(name, modal) for name, _label, modal in actions] == [
        ("reject", True),
        ("approve", True),
    ]
    for action in ("approve", "reject"):
        assert _shows_the_diff(_dialog(client, in_review, action), in_review)


def test_the_office_sees_the_diff_beside_the_departments_approval(client, login, in_review):
    approve(page=in_review, user=get_user_model().objects.get(username="finance-head"))
    login("office")
    dialog = _dialog(client, in_review, "approve")
    assert _shows_the_diff(dialog, in_review)


def test_the_dialog_shows_the_first_rows_and_links_to_the_rest(client, login, price_list):
    live = PriceListPage.objects.get(pk=price_list.pk).rows_version
    second = new_version(price_list, SECOND, effective_date=timezone.localdate())
    _bulk_rows(second, DIALOG_ROWS + 5, price="3.00")
    stage(price_list, second)
    page = PriceListPage.objects.get(pk=price_list.pk)
    submit_for_review(
        page=page.get_latest_revision_as_object(),
        user=get_user_model().objects.get(username="finance-editor"),
    )
    login("finance-head")
    dialog = _dialog(client, page, "approve")
    assert "项目0" in dialog and f"项目{DIALOG_ROWS + 4}" not in dialog
    assert live.pk != second.pk


def test_a_general_publications_dialog_shows_no_price_diff(client, login, demo_item):
    from disclosure.models import PublicationPage

    page = PublicationPage(title="门诊时间调整", slug="hours", live=False)
    demo_item(ITEM).add_child(instance=page)
    submit_for_review(page=page, user=get_user_model().objects.get(username="finance-editor"))
    login("finance-head")
    dialog = _dialog(client, page, "reject")
    assert "disclosure/prices/" not in dialog


# The full diff -------------------------------------------------------------------------------


def test_the_full_diff_filters_by_kind_of_change(client, login, draft):
    login("finance-editor")
    url = reverse("disclosure_admin:price_diff", args=[draft.pk])
    everything = client.get(url).content.decode()
    assert "静脉注射" in everything and "普通门诊诊查费" in everything and "尿常规" in everything
    added = client.get(url, {"change": "added"}).content.decode()
    assert "普通门诊诊查费" in added and "尿常规" not in added and "静脉注射" not in added


def test_the_full_diff_is_exported_as_a_workbook_with_no_formula(client, login, price_list):
    rows = [*SECOND, ("=1+1", '=HYPERLINK("http://x")', "次", "1.00")]
    stage(price_list, new_version(price_list, rows, effective_date=timezone.localdate()))
    login("office")
    response = client.get(reverse("disclosure_admin:price_diff_export", args=[price_list.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    codes = [row[1] for row in values[2:]]
    assert codes == ["120400001", "310100001", "'=1+1", "250101001"]
    assert [row[2] for row in values[2:] if row[1] == "'=1+1"] == ['\'=HYPERLINK("http://x")']


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("finance-editor", 200),
        ("finance-head", 200),
        ("office", 200),
        ("supervisor", 200),
        ("medical-editor", 302),
        ("medical-head", 302),
    ],
)
def test_the_full_diff_opens_for_whoever_may_read_the_draft(client, login, draft, username, status):
    login(username)
    response = client.get(reverse("disclosure_admin:price_diff", args=[draft.pk]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/admin/"


def test_the_full_diff_sends_the_anonymous_to_the_login(client, draft):
    for name in ("price_diff", "price_diff_export"):
        response = client.get(reverse(f"disclosure_admin:{name}", args=[draft.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_edit_screen_links_to_the_diff(client, login, draft):
    login("finance-editor")
    body = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert reverse("disclosure_admin:price_diff", args=[draft.pk]) in body
