"""Every door of the plugin × every role, from one table.

Wagtail's security advisories are mostly side doors that forgot a permission check (preview,
revision compare, history, copy, exports, APIs). Each row below is one door onto a staff-only
publication of 财务科 (department A), its attachment, or a disclosure request with an
applicant's personal data; each column is a role. A cell is the exact answer that role gets.
Whatever a role is refused, the refusal itself must not leak the publication's title, the
document's title or the applicant's name and phone.

Roles: anonymous; editor of A (财务科) and of B (医务科); head of A; the disclosure office;
the supervisor (纪检监察); and the disclosure office of another institution on the same site
(its staff hold every right there, none here); a reader and an assessor of the health
commission over the institution (卫健委: they read its reports, ledger, inspections and audit
trail, and change nothing), and a member of a commission over the other institution only. Admin
doors are opened with the session of the
role, API doors with an API token of the role (a session never counts there). Some doors also
say what became of the publication (a refused move leaves it where it was, an unpublished item
takes it along).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Page, Site

from disclosure.models import (
    CatalogItemPage,
    Commission,
    Department,
    DisclosureRequest,
    PublicationAttachment,
    PublicationPage,
)
from disclosure.rules.rectification import FindingSource
from disclosure.services.commissions import ensure_commission_groups
from disclosure.services.departments import ensure_office_group, institution_collection
from disclosure.services.rectification import raise_finding
from disclosure.services.requests import submit
from home.models import HomePage

from ..reviews import publish_reviewed
from .price_lists import FIRST, new_price_list, new_version, stage

ROLES = (
    "anonymous",
    "editor-a",
    "editor-b",
    "head-a",
    "office",
    "supervisor",
    "other",
    "commission-reader",
    "commission-assessor",
    "commission-elsewhere",
)
USERNAMES = {
    "editor-a": "finance-editor",
    "editor-b": "medical-editor",
    "head-a": "finance-head",
    "office": "office",
    "supervisor": "supervisor",
    "other": "other-office",
    "commission-reader": "matrix-commission-reader",
    "commission-assessor": "matrix-commission-assessor",
    "commission-elsewhere": "matrix-commission-elsewhere",
}

STAFF_ITEM = "大额资金使用"  # 财务科, audience 职工
STAFF_TITLE = "2026年职工福利专项资金使用明细（内部）"
STAFF_DOCUMENT = "职工福利专项资金审批表（内部）"
DRAFT_DOCUMENT = "医疗服务项目价格调整草案"
APPLICANT = "欧阳保密"
APPLICANT_PHONE = "13987650001"
PUBLIC_ITEM = "医疗服务项目价格"  # 财务科, 社会公众: where the publication must not be moved
LOCKED_OUT_FROM = "198.51.100.23"  # where a staff member of A was locked out from
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Expected answers.
OK = "200"  # allowed, and the secrets are in the answer
OK_WITHOUT = "200 without the secrets"  # allowed, but nothing of the protected object in it
LOGIN = "302 to the login page"
ADMIN_DENIED = "302 to the admin dashboard"  # Wagtail's answer to PermissionDenied in the admin
FORBIDDEN = "403"
NOT_FOUND = "404"
UNAUTHORIZED = "401"
INVALID = "422"  # Wagtail's v3 API: a filter naming a page the caller may not see
EXPLORER = "302 to the explorer"
KEPT_ON_RECORD = EXPLORER  # the delete refused, with the reason, and the page kept
REFUSED_MOVE = EXPLORER  # the move refused, with the reason (the effect says it stayed)
# The API's refusal, with the reason (naming the page) to whoever may move pages.
REFUSED_WITH_REASON = "403 with the reason"
MOVED_AWAY = "; the publication moved"  # appended by a door's effect
RECORDED = "302 to the overdue report, recorded"
REVERTED = "302 to the history, reverted"
LIFTED = "302 to the lockouts, lifted"
KEPT_DOCUMENT = "302 to the documents"  # a change of a document on record refused, with why
UNPUBLISHED_ALONG = f"{EXPLORER}; the publication unpublished along"


@dataclass
class World:
    """What the doors open onto."""

    item: object
    publication: PublicationPage
    revision_id: int
    document: object
    draft_document: object
    case: DisclosureRequest
    case_file_id: int
    department_a: Department
    public_item: CatalogItemPage
    lockout_id: int
    draft: PublicationPage
    price_list: PublicationPage

    @property
    def secrets(self) -> tuple[str, ...]:
        return (STAFF_TITLE, STAFF_DOCUMENT, APPLICANT, APPLICANT_PHONE, LOCKED_OUT_FROM)


@pytest.fixture(scope="module")
def world(scoped_data) -> Iterator[World]:
    """Built once for all the doors: each door's test only reads it (its POSTs roll back)."""
    yield from scoped_data(_build_world)


def _build_world() -> World:
    demo_site = Site.objects.get(is_default_site=True)
    items = CatalogItemPage.objects.descendant_of(demo_site.root_page)
    item = items.get(title=STAFF_ITEM)
    # Uploaded by the institution's staff, into the institution's collection.
    collection = institution_collection(demo_site)
    document = get_document_model()(title=STAFF_DOCUMENT, collection=collection)
    document.file.save("welfare-approvals.pdf", ContentFile(PDF))
    draft_document = get_document_model()(title=DRAFT_DOCUMENT, collection=collection)
    draft_document.file.save("price-draft.pdf", ContentFile(PDF))
    draft = PublicationPage(title="价格调整（草稿）", slug="price-draft", live=False)
    draft.attachments.set([PublicationAttachment(document=draft_document)])
    items.get(title="医疗服务项目价格").add_child(instance=draft)
    draft.save_revision()
    draft.refresh_from_db()
    page = PublicationPage(
        title=STAFF_TITLE,
        slug="welfare-fund-details",
        publication_date=timezone.localdate(),
        summary="仅限本院职工查阅",
        live=False,
    )
    page.attachments.set([PublicationAttachment(document=document)])
    item.add_child(instance=page)
    page = publish_reviewed(page)
    submitted = submit(
        DisclosureRequest,
        site=demo_site,
        values={
            "applicant_type": "natural_person",
            "name": APPLICANT,
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": APPLICANT_PHONE,
            "email": "applicant@example.com",
            "address": "示范市健康路1号",
            "description": "2025年度门诊收费标准调整的文件。",
            "purpose": "自身生活需要",
            "provision_form": "email",
            "delivery": "email",
        },
        files=[SimpleUploadedFile("身份证.pdf", PDF)],
        acknowledge=False,
    )
    second = other_institution()
    commissions(demo_site, second)
    # The public ledger API. An unreleased finding of department A naming the secret.
    raise_finding(
        site=demo_site,
        user=get_user_model().objects.get(username="office"),
        source=FindingSource.SUPERVISOR,
        department=item.department,
        problem=f"{STAFF_TITLE}未按规定范围公开",
        measure="核对公开范围",
        working_days=10,
    )
    lockout = AccessAttempt.objects.create(
        username="finance-editor",
        ip_address=LOCKED_OUT_FROM,
        user_agent="浏览器",
        failures_since_start=5,
    )
    # A price list never published, its imported rows under review.
    price_list = new_price_list(items.get(title=PUBLIC_ITEM), slug="matrix-prices")
    stage(price_list, new_version(price_list, FIRST, effective_date=timezone.localdate()))
    return World(
        price_list=price_list,
        public_item=items.get(title=PUBLIC_ITEM),
        lockout_id=lockout.pk,
        item=item,
        publication=page,
        revision_id=page.live_revision_id,
        document=document,
        draft_document=draft_document,
        case=submitted.case,
        case_file_id=submitted.case.files.get().pk,
        department_a=item.department,
        draft=draft,
    )


def other_institution() -> Site:
    """A second hospital on the same instance, whose disclosure office holds every right there."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="第二医院", slug="second-hospital"))
    site = Site.objects.create(hostname="second.example", root_page=home, site_name="第二医院")
    office = get_user_model().objects.create_user("other-office", password="x")
    office.groups.add(ensure_office_group(site=site))
    return site


def commissions(site: Site, second: Site) -> None:
    """The commission over the institution (a reader and an assessor), and another commission
    over the second institution only."""
    users = get_user_model().objects
    ours = ensure_commission_groups(
        commission=Commission.objects.create(name="矩阵市卫生健康委员会", level="municipal")
    )
    ours.institutions.add(site)
    users.create_user("matrix-commission-reader", password="x").groups.add(ours.readers_group)
    users.create_user("matrix-commission-assessor", password="x").groups.add(ours.assessors_group)
    theirs = ensure_commission_groups(
        commission=Commission.objects.create(name="邻市卫生健康委员会", level="municipal")
    )
    theirs.institutions.add(second)
    users.create_user("matrix-commission-elsewhere", password="x").groups.add(
        theirs.readers_group, theirs.assessors_group
    )


@dataclass(frozen=True)
class Door:
    name: str
    url: Callable[[World], str]
    expected: dict[str, str]
    method: str = "get"
    api: bool = False  # authenticate with an API token instead of a session
    data: dict | Callable[[World], dict] | None = None
    # What became of the world, said after the answer (the doors that change it).
    effect: Callable[[World], str] | None = None


def roles(
    anonymous, editor_a, editor_b, head_a, office, supervisor, other, commission
) -> dict[str, str]:
    """``commission``: what the commission's reader, its assessor and the member of the
    commission elsewhere get, in this order."""
    return dict(
        zip(
            ROLES,
            (anonymous, editor_a, editor_b, head_a, office, supervisor, other, *commission),
            strict=True,
        )
    )


def moved(world: World) -> str:
    parent = Page.objects.get(pk=world.publication.pk).get_parent()
    return "" if parent.pk == world.item.pk else MOVED_AWAY


def unpublished_along(world: World) -> str:
    item_live = Page.objects.get(pk=world.item.pk).live
    live = Page.objects.get(pk=world.publication.pk).live
    if not item_live and not live:
        return "; the publication unpublished along"
    return "" if live else "; the publication unpublished alone"


A = "/admin"
API = "/api/disclosure/v1"
# fmt: off
DOORS = [
    # The public site.
    # Staff-only pages are for all the staff of their institution.
    Door("public staff-only item", lambda w: w.item.url,
         roles(LOGIN, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    Door("public staff-only publication", lambda w: w.publication.url,
         roles(LOGIN, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    Door("attachment download", lambda w: w.document.url,
         roles(LOGIN, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    # A draft's attachment: for the people who may choose documents in the admin only.
    Door("draft's attachment download", lambda w: w.draft_document.url,
         roles(LOGIN, OK, OK, OK, OK, NOT_FOUND, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    # Wagtail's page admin.
    # Editor B may browse to the item (staff see it anyway) but not to its publications.
    Door("page explorer", lambda w: f"{A}/pages/{w.item.pk}/",
         roles(LOGIN, OK, OK_WITHOUT, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("page edit", lambda w: f"{A}/pages/{w.publication.pk}/edit/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("page preview", lambda w: f"{A}/pages/{w.publication.pk}/edit/preview/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("page history", lambda w: f"{A}/pages/{w.publication.pk}/history/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("revisions compare",
         lambda w: f"{A}/pages/{w.publication.pk}/revisions/compare/earliest...latest/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("revision view",
         lambda w: f"{A}/pages/{w.publication.pk}/revisions/{w.revision_id}/view/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("workflow history", lambda w: f"{A}/pages/{w.publication.pk}/workflow_history/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("copy", lambda w: f"{A}/pages/{w.publication.pk}/copy/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("revert to a revision",
         lambda w: f"{A}/pages/{w.publication.pk}/revisions/{w.revision_id}/revert/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # Finding the page by its title: staff of the institution may know of it.
    Door("admin page search", lambda w: f"{A}/pages/search/?q=职工福利专项资金",
         roles(LOGIN, OK, OK, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("page chooser search", lambda w: f"{A}/choose-page/search/?q=职工福利专项资金",
         roles(LOGIN, OK, OK, OK, OK, OK, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    Door("admin pages API", lambda w: f"{A}/api/main/pages/?search=职工福利专项资金",
         roles(LOGIN, OK, OK, OK, OK, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    # The institution's department editors may choose its documents; the supervisor chooses
    # none (another institution's staff, none of them: tests/disclosure/test_documents.py).
    Door("document chooser", lambda w: f"{A}/documents/chooser/results/?q=职工福利专项资金审批表",
         roles(LOGIN, OK, OK, OK, OK, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    Door("unpublish", lambda w: f"{A}/pages/{w.publication.pk}/unpublish/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("delete", lambda w: f"{A}/pages/{w.publication.pk}/delete/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               KEPT_ON_RECORD, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("page usage of the document", lambda w: f"{A}/documents/usage/{w.document.pk}/",
         roles(LOGIN, OK, OK, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("document edit", lambda w: f"{A}/documents/edit/{w.draft_document.pk}/",
         roles(LOGIN, OK, OK, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # What a live page attaches is what its reviewers approved: nobody changes it in place.
    Door("live attachment edit", lambda w: f"{A}/documents/edit/{w.document.pk}/",
         roles(LOGIN, KEPT_DOCUMENT, KEPT_DOCUMENT, KEPT_DOCUMENT, KEPT_DOCUMENT, ADMIN_DENIED,
               ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # The plugin's admin screens.
    Door("item timeline", lambda w: f"{A}/disclosure/items/{w.item.pk}/timeline/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("what the public saw", lambda w: f"{A}/disclosure/pages/{w.publication.pk}/as-of/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("past revision as the public saw it",
         lambda w: f"{A}/disclosure/pages/{w.publication.pk}/revisions/{w.revision_id}/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # A draft nobody reviewed: for whoever may edit or review it, and the supervisors of its
    # institution, who read everything there and change nothing.
    Door("draft revision under its band",
         lambda w: f"{A}/disclosure/pages/{w.draft.pk}/revisions/{w.draft.latest_revision_id}/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # A price list's draft against its live list: for exactly those who read the draft.
    Door("price list diff", lambda w: f"{A}/disclosure/prices/{w.price_list.pk}/diff/",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("price list diff export",
         lambda w: f"{A}/disclosure/prices/{w.price_list.pk}/diff.xlsx",
         roles(LOGIN, OK, ADMIN_DENIED, OK, OK, OK, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("revisions of a staff-only publication",
         lambda w: f"{A}/disclosure/supervision/pages/{w.publication.pk}/revisions/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK, OK, NOT_FOUND,
               (ADMIN_DENIED,) * 3)),
    Door("supervision: catalog overview", lambda w: f"{A}/disclosure/supervision/catalog/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK, OK, OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("supervision: under review", lambda w: f"{A}/disclosure/supervision/in-review/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK_WITHOUT, OK_WITHOUT,
               OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("supervision: drafts", lambda w: f"{A}/disclosure/supervision/drafts/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK_WITHOUT, OK_WITHOUT,
               OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    # The supervisor reads the item but records nothing on it: no form, no write.
    Door("attest", lambda w: f"{A}/disclosure/items/{w.item.pk}/attest/",
         roles(LOGIN, OK_WITHOUT, ADMIN_DENIED, OK_WITHOUT, OK_WITHOUT, ADMIN_DENIED,
               ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("attest (send)", lambda w: f"{A}/disclosure/items/{w.item.pk}/attest/",
         roles(LOGIN, RECORDED, ADMIN_DENIED, RECORDED, RECORDED, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3),
         method="post", data={"attested_on": "2026-01-05", "note": "核对无变化"}),
    Door("record a change", lambda w: f"{A}/disclosure/items/{w.item.pk}/change/",
         roles(LOGIN, OK_WITHOUT, ADMIN_DENIED, OK_WITHOUT, OK_WITHOUT, ADMIN_DENIED,
               ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # Never for a staff-only publication (nor a catalog page): only under a public item.
    Door("emergency publication", lambda w: f"{A}/disclosure/emergency/publish/{w.publication.pk}/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    Door("emergency list", lambda w: f"{A}/disclosure/emergency/",
         roles(LOGIN, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    Door("overdue report", lambda w: f"{A}/reports/disclosure-overdue/",
         roles(LOGIN, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    Door("overdue export", lambda w: f"{A}/reports/disclosure-overdue/?export=csv",
         roles(LOGIN, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    # Department B's people read their own department's trail only.
    Door("audit report", lambda w: f"{A}/reports/disclosure-audit/",
         roles(LOGIN, OK, OK_WITHOUT, OK, OK, OK, OK_WITHOUT,
               (OK, OK, OK_WITHOUT))),
    Door("audit export", lambda w: f"{A}/reports/disclosure-audit/?export=csv",
         roles(LOGIN, OK, OK_WITHOUT, OK, OK, OK, OK_WITHOUT,
               (OK, OK, OK_WITHOUT))),
    Door("history of the department",
         lambda w: f"{A}/disclosure/history/disclosure/department/{w.department_a.pk}/",
         roles(LOGIN, OK_WITHOUT, ADMIN_DENIED, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, ADMIN_DENIED,
               (OK_WITHOUT, OK_WITHOUT, ADMIN_DENIED))),
    Door("revert the department",
         lambda w: f"{A}/disclosure/history/disclosure/department/{w.department_a.pk}"
         f"/revert/{w.department_a.history.earliest('history_date').history_id}/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               REVERTED, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3),
         method="post"),
    # A health commission reads no case of an institution, not even its history.
    Door("history of the request",
         lambda w: f"{A}/disclosure/history/disclosure/disclosurerequest/{w.case.pk}/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK, OK_WITHOUT, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # Departments list the cases assigned to them (none here).
    Door("request register", lambda w: f"{A}/disclosure/requests/",
         roles(LOGIN, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK, OK_WITHOUT, OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("request register export", lambda w: f"{A}/disclosure/requests/?export=csv",
         roles(LOGIN, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK, OK_WITHOUT, OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("request case", lambda w: f"{A}/disclosure/cases/request/{w.case.pk}/",
         roles(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK_WITHOUT, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    Door("applicant's file",
         lambda w: f"{A}/disclosure/cases/request/{w.case.pk}/files/{w.case_file_id}/",
         roles(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    Door("register a paper request", lambda w: f"{A}/disclosure/cases/request/register/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               OK_WITHOUT, ADMIN_DENIED, OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("Django admin", lambda w: "/django-admin/",
         roles(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN,
               (LOGIN,) * 3)),
    # The disclosure API, with a token.
    Door("API item", lambda w: f"{API}/items/{w.item.pk}/",
         roles(NOT_FOUND, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               OK_WITHOUT, OK_WITHOUT, NOT_FOUND,
               (NOT_FOUND,) * 3), api=True),
    Door("API publication", lambda w: f"{API}/publications/{w.publication.pk}/",
         roles(NOT_FOUND, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3), api=True),
    Door("API publications of the item", lambda w: f"{API}/publications/?item={w.item.pk}",
         roles(OK_WITHOUT, OK, OK, OK, OK, OK, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    Door("API search", lambda w: f"{API}/search/?q=职工福利专项资金",
         roles(OK_WITHOUT, OK, OK, OK, OK, OK, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    Door("API compliance", lambda w: f"{API}/compliance/departments/",
         roles(UNAUTHORIZED, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    Door("API case register", lambda w: f"{API}/cases/?limit=100",
         roles(UNAUTHORIZED, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               OK, OK_WITHOUT, OK_WITHOUT,
               (FORBIDDEN,) * 3), api=True),
    # The public ledger API. The public ledger holds released entries only; the
    # findings are read by the office, supervisors and the department named; inspections by
    # the office and supervisors, never by departments.
    Door("API public ledger", lambda w: f"{API}/ledger/?limit=100",
         roles(OK_WITHOUT, OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    Door("API ledger findings", lambda w: f"{API}/ledger/findings/?limit=100",
         roles(UNAUTHORIZED, OK, OK_WITHOUT, OK, OK, OK, OK_WITHOUT,
               (OK, OK, OK_WITHOUT)), api=True),
    Door("API inspections", lambda w: f"{API}/inspections/?limit=100",
         roles(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN,
               OK_WITHOUT, OK_WITHOUT, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    # Wagtail's v3 API, with a token: a restricted page only for a token with edit rights on
    # it (staff read their institution's staff-only pages through the disclosure API).
    Door("v3 page", lambda w: f"/api/v3/pages/{w.publication.pk}/",
         roles(NOT_FOUND, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND,
               (NOT_FOUND,) * 3), api=True),
    Door("v3 pages of the item", lambda w: f"/api/v3/pages/?child_of={w.item.pk}",
         roles(INVALID, OK, INVALID, OK, OK, INVALID, INVALID,
               (INVALID,) * 3), api=True),
    Door("v3 document", lambda w: f"/api/v3/documents/{w.document.pk}/",
         roles(NOT_FOUND, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3), api=True),
    Door("v3 documents", lambda w: "/api/v3/documents/?limit=100",
         roles(OK_WITHOUT, OK, OK, OK, OK, OK, OK_WITHOUT,
               (OK_WITHOUT,) * 3), api=True),
    # Moving the staff-only publication where the public would read it: refused for whoever
    # may move pages (with the reason), denied to the rest, and it stays where it was.
    Door("move to a public item",
         lambda w: f"{A}/pages/{w.publication.pk}/move/{w.public_item.pk}/confirm/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               REFUSED_MOVE, ADMIN_DENIED, NOT_FOUND,
               (NOT_FOUND,) * 3), method="post", effect=moved),
    Door("v3 move to a public item", lambda w: f"/api/v3/pages/{w.publication.pk}/actions/move/",
         roles(UNAUTHORIZED, FORBIDDEN, FORBIDDEN, FORBIDDEN,
               REFUSED_WITH_REASON, FORBIDDEN, FORBIDDEN,
               (FORBIDDEN,) * 3), method="post", api=True, effect=moved,
         data=lambda w: {"destination_id": w.public_item.pk, "position": "last-child"}),
    # Emergency publication never applies to a catalog item.
    Door("emergency publication of the item",
         lambda w: f"{A}/disclosure/emergency/publish/{w.item.pk}/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # Unpublishing the item takes the publication along (the office alone may).
    Door("unpublish the item", lambda w: f"{A}/pages/{w.item.pk}/unpublish/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               UNPUBLISHED_ALONG, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3),
         method="post", effect=unpublished_along),
    # The page chooser and the reports list only what each may know of.
    Door("page chooser at the item", lambda w: f"{A}/choose-page/{w.item.pk}/",
         roles(LOGIN, OK, OK, OK, OK, OK, NOT_FOUND,
               (NOT_FOUND,) * 3)),
    Door("page chooser search (all)", lambda w: f"{A}/choose-page/search/?q=职工福利",
         roles(LOGIN, OK, OK, OK, OK, OK, OK_WITHOUT,
               (OK_WITHOUT,) * 3)),
    Door("page types usage report", lambda w: f"{A}/reports/page-types-usage/",
         roles(LOGIN, OK, OK_WITHOUT, OK, OK, ADMIN_DENIED, ADMIN_DENIED,
               (ADMIN_DENIED,) * 3)),
    # Login lockouts: an office lists and lifts its own institution's staff's only.
    Door("login lockouts", lambda w: f"{A}/disclosure/lockouts/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED, OK, ADMIN_DENIED, OK_WITHOUT,
               (ADMIN_DENIED,) * 3)),
    Door("lift a lockout", lambda w: f"{A}/disclosure/lockouts/{w.lockout_id}/unlock/",
         roles(LOGIN, ADMIN_DENIED, ADMIN_DENIED, ADMIN_DENIED,
               LIFTED, ADMIN_DENIED, NOT_FOUND,
               (ADMIN_DENIED,) * 3), method="post"),
]
# fmt: on


def _outcome(response) -> str:
    status = response.status_code
    if status == 302:
        location = response["Location"]
        if "/login/" in location:
            return LOGIN
        if location.rstrip("/").endswith("/admin"):
            return ADMIN_DENIED
        if re.fullmatch(r"/admin/pages/\d+/", location):
            return EXPLORER
        if location == "/admin/reports/disclosure-overdue/":
            return RECORDED
        if location.startswith("/admin/disclosure/history/"):
            return REVERTED
        if location == "/admin/disclosure/lockouts/":
            return LIFTED
        if location == "/admin/documents/":
            return KEPT_DOCUMENT
        return f"302 to {location}"
    return str(status)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _answer(client, world: World, door: Door, role: str):
    client.logout()
    headers = {}
    username = USERNAMES.get(role)
    if username is not None:
        user = get_user_model().objects.get(username=username)
        if door.api:
            _token, plaintext = APIToken.create_token(user=user, name="matrix")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {plaintext}"
        else:
            client.force_login(user)
    data = door.data(world) if callable(door.data) else door.data or {}
    if door.api and door.method == "post":  # the APIs read JSON
        return client.post(door.url(world), data, content_type="application/json", **headers)
    return getattr(client, door.method)(door.url(world), data, **headers)


def _verdict(response, expected: str, secrets) -> str:
    """What a role got, in the table's words (``expected`` when it got exactly that)."""
    got = "200" if response.status_code == 200 else _outcome(response)
    if expected == OK:
        return expected if got == "200" else got
    if expected == REFUSED_WITH_REASON and got == FORBIDDEN:
        return expected if "会改变可阅读" in _body(response) else f"{got} without the reason"
    leaked = [secret for secret in secrets if secret in _body(response)]
    if expected == OK_WITHOUT and got == "200":
        return expected if not leaked else f"200 showing {leaked}"
    if leaked:
        return f"{got} showing {leaked}"
    return got


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_each_role_gets_exactly_its_answer_and_no_more(db, client, world, door):
    got = {}
    for role in ROLES:
        with transaction.atomic():  # each role finds the world as it was
            response = _answer(client, world, door, role)
            got[role] = _verdict(response, door.expected[role], world.secrets)
            if door.effect is not None:
                got[role] += door.effect(world)
            transaction.set_rollback(True)
    assert got == door.expected
