"""Every closed request ends in exactly one row of table 三, counted by applicant type, and the
register says both in the national wording (国办公开办函〔2021〕30号), as the annual report will."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from disclosure.models.requests import DisclosureRequest
from disclosure.rules.requests import (
    NATIONAL_APPLICANT_LABELS,
    NATIONAL_GROUP_LABELS,
    OPEN_STATES,
    ApplicantType,
    CaseAction,
    CaseState,
    Outcome,
    OutcomeGroup,
    national_outcome_label,
)
from disclosure.services import requests as service

from .test_requests import REQUEST_VALUES

RECEIVED = date(2026, 11, 2)

# Table 三 of the national format, as printed (REFERENCE.md: 年度报告格式, 2021).
NATIONAL_ROWS = {
    Outcome.DISCLOSED: "（一）予以公开",
    Outcome.PARTIAL: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    Outcome.WITHHELD_STATE_SECRET: "（三）不予公开 · 1.属于国家秘密",
    Outcome.WITHHELD_PROHIBITED: "（三）不予公开 · 2.其他法律行政法规禁止公开",
    Outcome.WITHHELD_SECURITY: "（三）不予公开 · 3.危及“三安全一稳定”",
    Outcome.WITHHELD_THIRD_PARTY: "（三）不予公开 · 4.保护第三方合法权益",
    Outcome.WITHHELD_INTERNAL: "（三）不予公开 · 5.属于三类内部事务信息",
    Outcome.WITHHELD_PROCESS: "（三）不予公开 · 6.属于四类过程性信息",
    Outcome.WITHHELD_ENFORCEMENT: "（三）不予公开 · 7.属于行政执法案卷",
    Outcome.WITHHELD_QUERY: "（三）不予公开 · 8.属于行政查询事项",
    Outcome.UNAVAILABLE_NOT_HELD: "（四）无法提供 · 1.本机关不掌握相关政府信息",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "（四）无法提供 · 2.没有现成信息需要另行制作",
    Outcome.UNAVAILABLE_UNCLEAR: "（四）无法提供 · 3.补正后申请内容仍不明确",
    Outcome.NOT_PROCESSED_COMPLAINT: "（五）不予处理 · 1.信访举报投诉类申请",
    Outcome.NOT_PROCESSED_REPEATED: "（五）不予处理 · 2.重复申请",
    Outcome.NOT_PROCESSED_PUBLISHED: "（五）不予处理 · 3.要求提供公开出版物",
    Outcome.NOT_PROCESSED_EXCESSIVE: "（五）不予处理 · 4.无正当理由大量反复申请",
    Outcome.NOT_PROCESSED_CONFIRMATION: "（五）不予处理 · 5.要求行政机关确认或重新出具已获取信息",
    Outcome.OTHER_NO_CORRECTION: (
        "（六）其他处理 · 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    ),
    Outcome.OTHER_UNPAID_FEE: (
        "（六）其他处理 · 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    ),
    Outcome.OTHER: "（六）其他处理 · 3.其他",
}
NATIONAL_COLUMNS = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.COMMERCIAL: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICE: "法律服务机构",
    ApplicantType.OTHER_ORGANISATION: "其他",
}


def office():
    return get_user_model().objects.get(username="office")


def a_request(site, **values):
    return service.submit(
        DisclosureRequest, site=site, values={**REQUEST_VALUES, **values}, received_on=RECEIVED
    ).case


def test_a_withdrawn_request_ends_in_other_handling_and_keeps_it_when_archived(demo_site):
    case = a_request(demo_site)
    case = service.perform(
        case, action=CaseAction.WITHDRAW, user=office(), note="申请人来电撤回。", today=RECEIVED
    )
    assert (case.state, case.outcome) == (CaseState.WITHDRAWN, Outcome.OTHER)
    assert case.closed_on == RECEIVED  # the day it left the open states, kept when archived
    case = service.perform(
        case, action=CaseAction.ARCHIVE, user=office(), note="归档。", today=RECEIVED
    )
    assert (case.state, case.outcome, case.closed_on) == (
        CaseState.ARCHIVED,
        Outcome.OTHER,
        RECEIVED,
    )


@pytest.mark.parametrize(
    "state", [CaseState.ANSWERED, CaseState.ARCHIVED, CaseState.WITHDRAWN, CaseState.ABANDONED]
)
def test_the_database_refuses_a_closed_request_without_an_outcome(demo_site, state):
    case = a_request(demo_site)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureRequest.objects.filter(pk=case.pk).update(state=state, outcome="")


def test_every_closed_request_of_the_demo_is_in_one_row(demo_site):
    closed = DisclosureRequest.objects.exclude(state__in=OPEN_STATES)
    assert set(closed.values_list("state", flat=True)) >= {
        CaseState.ANSWERED,
        CaseState.ARCHIVED,
        CaseState.WITHDRAWN,
        CaseState.ABANDONED,
    }
    assert not closed.filter(outcome="").exists()
    assert not closed.filter(closed_on=None).exists()


def test_the_demo_files_requests_from_every_applicant_column(demo_site):
    kinds = set(DisclosureRequest.objects.values_list("applicant_type", flat=True))
    assert kinds == set(ApplicantType.values)


def test_exports_word_outcomes_and_columns_as_the_national_table():
    with translation.override("zh-hans"):
        assert {outcome: national_outcome_label(outcome) for outcome in Outcome} == NATIONAL_ROWS
        assert {
            kind: str(label) for kind, label in NATIONAL_APPLICANT_LABELS.items()
        } == NATIONAL_COLUMNS
        assert str(NATIONAL_GROUP_LABELS[OutcomeGroup.OTHER]) == "（六）其他处理"
        # On screen, "other" reads as its whole row, never a bare 其他 beside another choice.
        assert str(Outcome.OTHER.label) == "其他处理：其他"


def _export(client, **filters) -> list[dict]:
    response = client.get(reverse("disclosure_admin:requests"), {**filters, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_register_filters_by_year_outcome_and_applicant_type(client, login, demo_site):
    login("office")
    everything = _export(client)
    commercial = _export(client, applicant_type=ApplicantType.COMMERCIAL)
    assert [row["申请人类型"] for row in commercial] == ["法人或其他组织 · 商业企业"]
    assert commercial[0]["姓名/名称"] == "示范医疗器械有限公司"

    withdrawn = _export(client, outcome=Outcome.OTHER)
    assert withdrawn and {row["办理结果（年度报告表三口径）"] for row in withdrawn} == {
        "（六）其他处理 · 3.其他"
    }
    this_year = _export(client, year=RECEIVED.year)
    assert 0 < len(this_year) <= len(everything)
    assert _export(client, year=1999) == []
    # The list itself takes the same filters.
    listing = client.get(reverse("disclosure_admin:requests"), {"applicant_type": "research"})
    assert "示范医学研究所" in listing.content.decode()
