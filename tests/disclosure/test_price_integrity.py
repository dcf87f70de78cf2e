"""What an outside attack on the price lists found, each held shut: a file too big to check, a
patient's phone number in a row, a change the reviewers could not see, an earlier list made live
again, a back-dated effective date, a review entered while the rows were checked, a copy naming
another list's rows, a future date answered as fact."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.actions.copy_page import CopyPageAction

from disclosure.models import ChangeEvent, PriceListPage, PriceRow
from disclosure.rules import price_columns
from disclosure.rules.price_search import clean_query
from disclosure.rules.prices import effective_date_problem
from disclosure.selectors.compliance import change_outcomes
from disclosure.selectors.price_history import price_list_diff
from disclosure.services import price_import
from disclosure.services.moderation import submit_for_review
from disclosure.services.price_changes import change_day
from disclosure.services.price_import import PriceImportError, read_price_file

from ..reviews import publish_reviewed
from .price_lists import FIRST, SECOND, new_price_list, new_version, publish_version, stage
from .test_price_import import (
    csv_bytes,
    latest_draft,
    refused,
    run_import,
    service_table,
    xlsx_bytes,
)
from .test_price_import import price_list as price_list
from .test_price_import import users as users

ITEM = "医疗服务项目价格"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def live_list(demo_item):
    page = new_price_list(demo_item(ITEM), slug="integrity-prices")
    return publish_version(page, new_version(page, FIRST, effective_date=days_ago(90)))


# A file too big to check ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_past_the_row_limit_is_refused_without_reading_further(monkeypatch, kind):
    monkeypatch.setattr(price_import, "MAX_ROWS", 50)
    table = service_table(200)
    data = csv_bytes(table) if kind == "csv" else xlsx_bytes(table)
    with pytest.raises(PriceImportError) as refusal:
        read_price_file(io.BytesIO(data), filename=f"prices.{kind}")
    assert refusal.value.errors[0].message == gettext(
        "The file has more than %(limit)s rows: split it by category."
    ) % {"limit": "50"}


def test_a_file_of_many_bad_rows_stores_the_first_problems_and_their_number(
    price_list, users, monkeypatch
):
    monkeypatch.setattr(price_columns, "MAX_ERRORS", 5)
    table = [
        row if number == 0 else [*row[:3], "免费"] for number, row in enumerate(service_table(40))
    ]
    problems = refused(price_list, users.get(username="finance-editor"), table)
    assert len(problems) == 6
    assert problems[-1][2] == gettext(
        "And %(count)s more problems: correct these first, then import again."
    ) % {"count": 35}


def test_a_row_holding_a_patients_phone_or_id_number_is_refused_by_row_and_column(
    price_list, users
):
    table = [
        ["项目编码", "项目名称", "计价单位", "价格", "说明"],
        ["110200001", "普通门诊诊查费", "次", "10", "咨询患者张三 13812345678"],
        ["110200002", "身份证110101199003074514", "次", "12", ""],
        ["110200003", "血常规", "次", "20", "含采血"],
    ]
    problems = refused(price_list, users.get(username="finance-editor"), table)
    assert [(row, column) for row, column, _message in problems] == [(2, "说明"), (3, "项目名称")]
    assert "138****5678" in problems[0][2]


def test_a_service_code_with_a_sub_item_is_not_taken_for_a_phone_number(price_list, users):
    table = [["项目编码", "项目名称", "计价单位", "价格"], ["130100001-10", "某项目", "次", "10"]]
    version = run_import(price_list, users.get(username="finance-editor"), table)
    assert version.rows.get().code == "130100001-10"
    assert latest_draft(price_list).content_problems() == []


def test_rows_holding_personal_information_never_go_for_review_nor_live(live_list):
    version = new_version(
        live_list,
        [("110200002", "血常规 联系人13812345678", "次", "20.00")],
        effective_date=days_ago(1),
    )
    stage(live_list, version)
    draft = latest_draft(live_list)
    with pytest.raises(ValidationError):
        submit_for_review(page=draft, user=version.imported_by)
    assert draft.content_problems()
    assert "138****5678" in draft.content_problems()[0]


# What the reviewers see is what goes live ---------------------------------------------------


def test_a_change_of_a_rows_words_alone_is_a_change_the_reviewers_see(live_list):
    version = new_version(live_list, FIRST, effective_date=days_ago(1))
    PriceRow.objects.filter(version=version, code="120400001").update(
        exclusions="一次性输液器", insurance_class="乙"
    )
    stage(live_list, version)
    changes = price_list_diff(PriceListPage.objects.get(pk=live_list.pk))
    assert [(change.code, change.changed_fields) for change in changes] == [
        ("120400001", ("exclusions", "insurance_class"))
    ]
    assert changes[0].old_price == changes[0].new_price


def test_a_list_that_was_replaced_never_goes_live_again(live_list):
    first = live_list.rows_version
    publish_version(live_list, new_version(live_list, SECOND, effective_date=days_ago(10)))
    page = PriceListPage.objects.get(pk=live_list.pk)
    page.rows_version = first  # what a revert to the first list's revision names
    assert page.rows_problems() == [
        gettext(
            "These rows were live once and have been replaced: import them again to make them live."
        )
    ]
    with pytest.raises((ValidationError, PermissionDenied)):
        publish_reviewed(page)
    assert PriceListPage.objects.get(pk=live_list.pk).rows_version_id != first.pk


def test_an_import_refused_once_the_list_went_into_review_while_its_rows_were_checked(
    price_list, users
):
    editor = users.get(username="finance-editor")
    first = run_import(price_list, editor, service_table(2))

    def go_into_review(done, total):
        if not latest_draft(price_list).workflow_in_progress:
            submit_for_review(page=latest_draft(price_list), user=editor)

    with pytest.raises(PriceImportError):
        run_import(price_list, editor, service_table(3), progress=go_into_review)
    review = PriceListPage.objects.get(pk=price_list.pk).get_latest_revision()
    assert review.content["rows_version"] == first.pk  # what the reviewers were given


def test_a_copy_of_a_list_names_none_of_its_rows(live_list, django_user_model):
    office = django_user_model.objects.get(username="office")
    copy = CopyPageAction(
        live_list,
        to=live_list.get_parent(),
        update_attrs={"slug": "copied-prices"},
        user=office,
        keep_live=False,
    ).execute()
    copy = PriceListPage.objects.get(pk=copy.pk)
    assert copy.rows_version_id is None
    assert copy.get_latest_revision_as_object().rows_version_id is None


# Dates -----------------------------------------------------------------------------------------


def test_an_effective_date_before_the_live_lists_or_a_year_ahead_is_refused(live_list):
    live = live_list.rows_version.effective_date
    today = timezone.localdate()
    assert effective_date_problem(live, live_effective_date=live, today=today) is None
    assert effective_date_problem(
        live - dt.timedelta(days=1), live_effective_date=live, today=today
    ) == gettext(
        "The effective date is before the live list's (%(date)s): a new list takes effect on "
        "or after it."
    ) % {"date": live.isoformat()}
    assert effective_date_problem(
        today + dt.timedelta(days=400), live_effective_date=live, today=today
    ) == gettext("The effective date is more than a year ahead.")


def test_the_import_form_refuses_a_back_dated_effective_date_as_a_field_error(
    client, login, live_list
):
    login("finance-editor")
    url = f"/admin/disclosure/prices/{live_list.pk}/import/"
    data = csv_bytes(service_table(2))
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("价格表.csv", data, content_type="text/csv"),
            "effective_date": (live_list.rows_version.effective_date - dt.timedelta(days=1)),
            "basis": "x",
        },
    )
    assert response.status_code == 200
    assert "effective_date" in response.context["form"].errors


def test_a_change_back_dated_before_the_last_list_is_dated_the_day_after_it_went_live(live_list):
    first = live_list.rows_version
    second = new_version(live_list, SECOND, effective_date=first.effective_date)
    went_live = timezone.localtime(first.published_at).date()
    assert change_day(second, first, today=went_live + dt.timedelta(days=30)) == (
        went_live + dt.timedelta(days=1)
    )
    # Published later: the change counts from the day after the first list, which did not
    # publish it, and not as met by that list.
    page = publish_version(live_list, second)
    event = ChangeEvent.objects.filter(item=page.get_parent()).latest("recorded_at")
    assert event.changed_on == timezone.localdate()  # the first list went live today
    outcome = next(o for o in change_outcomes(page.get_parent().specific) if o[0] == event)
    assert outcome[2] == timezone.localdate()  # met by this list's own go-live


def test_the_public_price_on_a_future_date_is_refused_in_words(client, live_list):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.get(
        f"{live_list.url}changes/", {"q": "110200002", "on": tomorrow.isoformat()}
    )
    assert gettext("Enter today or a day before it.") in response.content.decode()


def test_the_api_answers_a_future_date_as_of_today(client, live_list):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = client.get(
        f"/api/disclosure/v1/price-lists/{live_list.pk}/price-on/",
        {"date": tomorrow.isoformat(), "q": "110200002"},
    ).json()
    assert body["date"] == timezone.localdate().isoformat()
    assert body["found"] is True


def test_invisible_characters_pasted_into_a_query_are_dropped():
    assert clean_query("\u202e\u0000\ufeff血常规") == "血常规"
