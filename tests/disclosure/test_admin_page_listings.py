"""Every admin listing of pages shows a user only the pages they may know of.

Wagtail's page chooser, explorer, page search, the admin API behind the explorer menu, the page
types usage report, the dashboard, the site history and the bulk action confirmations each list
pages. A user may know of the pages they may edit, read as a reader of the site, or review
(``disclosure.selectors.admin_pages``). The world here holds what must stay hidden:

* a draft of 财务科 that nobody submitted yet (under the public item 医疗服务项目价格), and
  a draft of 医务科;
* a second institution (测试医院) with a staff-only item and publication, a public item, and
  a category still in review holding an item of its 财务科, whose editor is ``OTHER``;
* the demo's staff-only item 大额资金使用 and its publications.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry

from disclosure.checks import (
    admin_page_search_filtered,
    admin_pages_middleware_installed,
)
from disclosure.models import (
    ActingHead,
    CatalogCategoryPage,
    CatalogItemPage,
    PublicationPage,
)
from disclosure.models.catalog import Audience
from disclosure.selectors.admin_pages import known_pages
from disclosure.services.access import sync_audience_restriction
from disclosure.services.departments import ensure_department_groups, grant_item_permissions
from disclosure.services.moderation import submit_for_review
from disclosure.services.visibility import refresh_visibility
from disclosure.views.titles import PLACEHOLDER_TITLE
from home.demo import DEMO_PASSWORD

from ..growth import add_pages

PLACEHOLDER = str(PLACEHOLDER_TITLE)

DEMO_HOME = "示范市人民医院"
PRICED_ITEM = "医疗服务项目价格"  # 财务科, public
PUBLIC_PUBLICATION = "2026年第三季度医疗服务项目价格"
STAFF_ITEM = "大额资金使用"  # 财务科, staff-only
STAFF_PUBLICATION = "2025年上半年大额资金使用"
LECTURES_ITEM = "健康讲座与义诊"  # 医务科
DRAFT = "门诊收费调整方案（财务科草稿）"
MEDICAL_DRAFT = "义诊活动安排（医务科草稿）"

OTHER_HOME = "测试医院"
OTHER_CATEGORY = "基本信息"
OTHER_STAFF_ITEM = "测试医院职工食堂承包（内部）"
OTHER_STAFF_PUBLICATION = "职工食堂承包合同公示（内部）"
OTHER_PUBLIC_ITEM = "测试医院收费公示"
PENDING_CATEGORY = "新增类目（待审核）"
PENDING_ITEM = "测试医院新增事项"

OTHER = "other-finance-editor"  # 测试医院 · 财务科 editors
ROLES = ("medical-editor", "finance-editor", "finance-head", "office", "supervisor", OTHER)

OTHER_INSTITUTION = (OTHER_STAFF_ITEM, OTHER_STAFF_PUBLICATION, PENDING_CATEGORY, PENDING_ITEM)
# What each role must never learn of, whichever listing it opens.
NEVER = {
    "medical-editor": (DRAFT, *OTHER_INSTITUTION),
    "finance-editor": (MEDICAL_DRAFT, *OTHER_INSTITUTION),
    "finance-head": (MEDICAL_DRAFT, *OTHER_INSTITUTION),
    "office": OTHER_INSTITUTION,
    "supervisor": (DRAFT, MEDICAL_DRAFT, *OTHER_INSTITUTION),
    # A catalog page in review above their own item is only a way to it, not known by title.
    OTHER: (DRAFT, MEDICAL_DRAFT, STAFF_ITEM, STAFF_PUBLICATION, PENDING_CATEGORY),
}


@dataclass
class World:
    draft: PublicationPage
    medical_draft: PublicationPage
    public_publication: PublicationPage
    priced_item: CatalogItemPage
    staff_item: CatalogItemPage
    lectures_item: CatalogItemPage
    other_index: Page
    other_category: CatalogCategoryPage
    other_staff_item: CatalogItemPage
    pending_category: CatalogCategoryPage
    pending_item: CatalogItemPage


def _draft(parent: Page, title: str, slug: str, editor) -> PublicationPage:
    page = parent.add_child(instance=PublicationPage(title=title, slug=slug, live=False))
    page.save_revision(user=editor, log_action=True)
    page.refresh_from_db()
    return page


@pytest.fixture
def world(demo_item, fresh_site, fresh_site_item) -> World:
    users = get_user_model().objects
    medical_editor = users.get(username="medical-editor")
    finance_editor = users.get(username="finance-editor")
    priced_item = demo_item(PRICED_ITEM)
    medical_draft = _draft(demo_item(LECTURES_ITEM), MEDICAL_DRAFT, "clinic-draft", medical_editor)
    draft = _draft(priced_item, DRAFT, "fee-draft", finance_editor)
    # medical-editor worked in 财务科 until recently, and edited its draft then.
    finance_editors = finance_editor.groups.get()
    medical_editor.groups.add(finance_editors)
    draft.save_revision(user=medical_editor, log_action=True)
    medical_editor.groups.remove(finance_editors)
    draft.save_revision(user=finance_editor, log_action=True)  # the last edit of all

    # The second institution: 测试医院, whose 财务科 has a staff-only item, a public one, and
    # one under a category the office has not had approved yet.
    staff_item = fresh_site_item("财务科")
    department = staff_item.department
    staff_item.title = staff_item.draft_title = OTHER_STAFF_ITEM
    staff_item.audience = Audience.STAFF
    staff_item.save()
    category = staff_item.get_parent().specific
    index = category.get_parent()
    public_item = category.add_child(
        instance=CatalogItemPage(
            title=OTHER_PUBLIC_ITEM,
            slug="fees",
            department=department,
            content_elements="x",
            live=False,
        )
    )
    pending_category = index.add_child(
        instance=CatalogCategoryPage(title=PENDING_CATEGORY, slug="pending", live=False)
    )
    pending_item = pending_category.add_child(
        instance=CatalogItemPage(
            title=PENDING_ITEM,
            slug="new",
            department=department,
            content_elements="x",
            live=False,
        )
    )
    publication = staff_item.add_child(
        instance=PublicationPage(title=OTHER_STAFF_PUBLICATION, slug="canteen", live=False)
    )
    Page.objects.filter(
        pk__in=[index.pk, category.pk, staff_item.pk, public_item.pk, publication.pk]
    ).update(live=True, has_unpublished_changes=False)
    refresh_visibility(below=index)  # the update sends no signal
    sync_audience_restriction(item=staff_item)
    ensure_department_groups(department=department)
    for item in (staff_item, public_item, pending_item):
        grant_item_permissions(item=item)
    other_editor = users.create_user(username=OTHER, password=DEMO_PASSWORD)
    other_editor.groups.add(department.editors_group)
    admin = users.get(username="admin")
    for page in (pending_category, pending_item):
        PageLogEntry.objects.log_action(page, "wagtail.create", user=admin)

    return World(
        draft=draft,
        medical_draft=medical_draft,
        public_publication=PublicationPage.objects.get(title=PUBLIC_PUBLICATION),
        priced_item=priced_item,
        staff_item=demo_item(STAFF_ITEM),
        lectures_item=demo_item(LECTURES_ITEM),
        other_index=index,
        other_category=category,
        other_staff_item=staff_item,
        pending_category=pending_category,
        pending_item=pending_item,
    )


def text_of(response) -> str:
    """What the browser gets, with JSON (the chooser's modal steps, the admin API) decoded."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def open_as(client, role: str, url: str):
    client.force_login(get_user_model().objects.get(username=role))
    return client.get(url)


# Each listing: its URL, and what each role finds there among the titles of the world.
REFUSED = "refused"  # Wagtail sends the role back to the dashboard: it has no page to list
NOT_FOUND = "404"

ALL_SEE_PUBLIC = dict.fromkeys(ROLES, (PUBLIC_PUBLICATION,))
LISTINGS = {
    "chooser, from the root": (
        lambda w: "/admin/choose-page/",
        dict.fromkeys(ROLES, (DEMO_HOME, OTHER_HOME)),
    ),
    "chooser, at a 财务科 item": (
        lambda w: f"/admin/choose-page/{w.priced_item.pk}/",
        {
            **ALL_SEE_PUBLIC,
            "finance-editor": (PUBLIC_PUBLICATION, DRAFT),
            "finance-head": (PUBLIC_PUBLICATION, DRAFT),
            "office": (PUBLIC_PUBLICATION, DRAFT),
        },
    ),
    "chooser, at the staff-only item": (
        lambda w: f"/admin/choose-page/{w.staff_item.pk}/",
        {**dict.fromkeys(ROLES, (STAFF_PUBLICATION,)), OTHER: NOT_FOUND},
    ),
    "chooser, at the other institution's category": (
        lambda w: f"/admin/choose-page/{w.other_category.pk}/",
        {
            **dict.fromkeys(ROLES, (OTHER_PUBLIC_ITEM,)),
            OTHER: (OTHER_PUBLIC_ITEM, OTHER_STAFF_ITEM),
        },
    ),
    "move chooser, at a 财务科 item": (
        lambda w: (
            f"/admin/choose-page/{w.priced_item.pk}/"
            f"?user_perms=move_to&target_pages[]={w.medical_draft.pk}"
        ),
        {
            **ALL_SEE_PUBLIC,
            "finance-editor": (PUBLIC_PUBLICATION, DRAFT),
            "finance-head": (PUBLIC_PUBLICATION, DRAFT),
            "office": (PUBLIC_PUBLICATION, DRAFT),
        },
    ),
    "copy chooser, at the other institution's category": (
        lambda w: f"/admin/choose-page/{w.other_category.pk}/?user_perms=copy_to",
        {
            **dict.fromkeys(ROLES, (OTHER_PUBLIC_ITEM,)),
            OTHER: (OTHER_PUBLIC_ITEM, OTHER_STAFF_ITEM),
        },
    ),
    "chooser search for drafts": (
        lambda w: "/admin/choose-page/search/?q=草稿",
        {
            "medical-editor": (MEDICAL_DRAFT,),
            "finance-editor": (DRAFT,),
            "finance-head": (DRAFT,),
            "office": (DRAFT, MEDICAL_DRAFT),
            "supervisor": (),
            OTHER: (),
        },
    ),
    "chooser search for staff-only pages": (
        lambda w: "/admin/choose-page/search/?q=大额资金使用",
        {**dict.fromkeys(ROLES, (STAFF_PUBLICATION,)), OTHER: ()},
    ),
    "chooser search in the other institution": (
        lambda w: "/admin/choose-page/search/?q=食堂承包",
        {**dict.fromkeys(ROLES, ()), OTHER: (OTHER_STAFF_ITEM, OTHER_STAFF_PUBLICATION)},
    ),
    "admin page search for drafts": (
        lambda w: "/admin/pages/search/?q=草稿",
        {
            "medical-editor": (MEDICAL_DRAFT,),
            "finance-editor": (DRAFT,),
            "finance-head": (DRAFT,),
            "office": (DRAFT, MEDICAL_DRAFT),
            "supervisor": REFUSED,
            OTHER: (),
        },
    ),
    "admin page search in the other institution": (
        lambda w: "/admin/pages/search/?q=新增",
        {**dict.fromkeys(ROLES, ()), "supervisor": REFUSED, OTHER: (PENDING_ITEM,)},
    ),
    "pages of a type": (
        lambda w: "/admin/pages/usage/disclosure/catalogitempage/",
        {"finance-editor": (PRICED_ITEM, STAFF_ITEM), OTHER: (PENDING_ITEM, PLACEHOLDER)},
    ),
    "explorer, at the 财务科 draft": (
        lambda w: f"/admin/pages/{w.draft.pk}/",
        {
            "medical-editor": NOT_FOUND,
            "finance-editor": (DRAFT,),
            "finance-head": (DRAFT,),
            "office": (DRAFT,),
            "supervisor": REFUSED,
            OTHER: NOT_FOUND,
        },
    ),
    "explorer, at the other institution's catalog": (
        lambda w: f"/admin/pages/{w.other_index.pk}/",
        {OTHER: (OTHER_CATEGORY,)},
    ),
    "admin pages API, the explorer menu in the other institution": (
        lambda w: f"/admin/api/main/pages/?child_of={w.other_index.pk}&for_explorer=1",
        {OTHER: (OTHER_CATEGORY,)},
    ),
    "admin pages API, search": (
        lambda w: "/admin/api/main/pages/?search=草稿",
        {
            "medical-editor": (MEDICAL_DRAFT,),
            "finance-editor": (DRAFT,),
            "office": (DRAFT, MEDICAL_DRAFT),
        },
    ),
    "page types usage report": (
        lambda w: "/admin/reports/page-types-usage/",
        {
            "medical-editor": (MEDICAL_DRAFT,),
            "finance-editor": (DRAFT,),
            "finance-head": (DRAFT,),
            "office": (DRAFT,),
            "supervisor": REFUSED,
            OTHER: (OTHER_STAFF_PUBLICATION,),
        },
    ),
    "dashboard": (
        lambda w: "/admin/",
        {"medical-editor": (MEDICAL_DRAFT,), "finance-editor": (DRAFT,)},
    ),
    "site history": (
        lambda w: "/admin/reports/site-history/",
        {"medical-editor": (MEDICAL_DRAFT,), "office": (DRAFT,), OTHER: (PENDING_ITEM,)},
    ),
    "bulk delete confirmation, all of a 财务科 item": (
        lambda w: f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={w.priced_item.pk}",
        {"medical-editor": (PUBLIC_PUBLICATION,), "supervisor": (PUBLIC_PUBLICATION,)},
    ),
    "bulk unpublish confirmation, pages by id": (
        lambda w: (
            "/admin/bulk/wagtailcore/page/unpublish/"
            f"?id={w.draft.pk}&id={w.public_publication.pk}&id={w.other_staff_item.pk}"
        ),
        {"medical-editor": (PUBLIC_PUBLICATION,), OTHER: (PUBLIC_PUBLICATION,)},
    ),
}


def _cases():
    for name, (_url, expected) in LISTINGS.items():
        for role in expected:
            yield pytest.param(name, role, id=f"{name} · {role}")


@pytest.mark.parametrize(("listing", "role"), list(_cases()))
def test_each_role_finds_what_it_may_know_of_and_nothing_else(client, world, listing, role):
    url, expected = LISTINGS[listing]
    response = open_as(client, role, url(world))
    shown = expected[role]
    if shown == REFUSED:
        assert response.status_code == 302
        assert response["Location"].rstrip("/").endswith("/admin")
    elif shown == NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        text = text_of(response)
        assert [title for title in shown if title not in text] == []
    assert [title for title in NEVER[role] if title in text_of(response)] == []


# The ways to one's own pages ---------------------------------------------------------------


def test_a_category_in_review_above_ones_item_shows_in_the_chooser_as_a_placeholder(client, world):
    response = open_as(client, OTHER, f"/admin/choose-page/{world.pending_category.pk}/")
    text = text_of(response)
    assert response.status_code == 200
    assert PLACEHOLDER in text
    assert PENDING_ITEM in text
    assert PENDING_CATEGORY not in text


def test_nobody_else_can_browse_the_chooser_at_that_category(client, world):
    response = open_as(client, "office", f"/admin/choose-page/{world.pending_category.pk}/")
    assert response.status_code == 404
    assert PENDING_CATEGORY not in text_of(response)


def test_search_results_name_a_parent_in_review_only_as_a_placeholder(client, world):
    for url in ("/admin/choose-page/search/?q=新增事项", "/admin/pages/search/?q=新增事项"):
        text = text_of(open_as(client, OTHER, url))
        assert PENDING_ITEM in text
        assert PLACEHOLDER in text
        assert PENDING_CATEGORY not in text


def test_the_explorer_menu_names_an_ancestor_in_review_only_as_a_placeholder(client, world):
    response = open_as(client, OTHER, f"/admin/api/main/pages/{world.pending_item.pk}/")
    ancestors = [page["title"] for page in response.json()["meta"]["ancestors"]]
    assert ancestors[-1] == PLACEHOLDER
    assert OTHER_HOME in ancestors
    assert PENDING_CATEGORY not in text_of(response)


def test_the_explorer_does_not_open_a_category_in_review_for_its_items_editor(client, world):
    response = open_as(client, OTHER, f"/admin/pages/{world.pending_category.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{world.other_index.pk}/"


# Views that name a page from its id --------------------------------------------------------


def test_chosen_pages_are_returned_only_when_the_role_may_know_of_them(client, world):
    public = world.public_publication
    url = f"/admin/choose-page/chosen-multiple/?id={world.draft.pk}&id={public.pk}"
    response = open_as(client, "medical-editor", url)
    chosen = [page["adminTitle"] for page in response.json()["result"]]
    assert chosen == [PUBLIC_PUBLICATION]


def test_the_move_confirmation_names_no_destination_the_role_may_not_know_of(client, world):
    move = f"/admin/pages/{world.medical_draft.pk}/move/"
    response = open_as(client, "medical-editor", f"{move}{world.draft.pk}/confirm/")
    assert DRAFT not in text_of(response)
    assert response.status_code == 404
    other_item = CatalogItemPage.objects.get(
        department__site__is_default_site=True, title="健康科普知识"
    )
    response = client.get(f"{move}{other_item.pk}/confirm/")
    assert response.status_code == 200
    assert "健康科普知识" in text_of(response)


def test_the_move_confirmation_is_only_for_pages_the_role_may_move(client, world):
    public = world.public_publication
    response = open_as(
        client, "medical-editor", f"/admin/pages/{public.pk}/move/{world.lectures_item.pk}/confirm/"
    )
    # Wagtail's answer to a page one may not move, as on the step before.
    assert response.status_code == 302
    assert response["Location"].rstrip("/").endswith("/admin")


def test_copying_to_a_parent_the_role_may_not_know_of_names_nothing(client, world):
    open_as(client, "medical-editor", "/admin/")
    response = client.post(
        f"/admin/pages/{world.medical_draft.pk}/copy/",
        {
            "new_title": "副本",
            "new_slug": "copy",
            "new_parent_page": world.other_staff_item.pk,
        },
    )
    assert OTHER_STAFF_ITEM not in text_of(response)
    assert response.status_code == 404


def test_choosing_a_new_pages_parent_the_role_may_not_know_of_names_nothing(client, world):
    open_as(client, "medical-editor", "/admin/")
    response = client.post(
        "/admin/pages/create/disclosure/publicationpage",
        {"parent_page": world.other_staff_item.pk},
    )
    assert OTHER_STAFF_ITEM not in text_of(response)
    assert response.status_code == 404


# The rule itself ---------------------------------------------------------------------------


def titles_known_to(username: str) -> set[str]:
    user = get_user_model().objects.get(username=username)
    return set(known_pages(user).pages().values_list("title", flat=True))


def test_each_role_knows_what_it_may_edit_or_read(world):
    medical = titles_known_to("medical-editor")
    assert {MEDICAL_DRAFT, STAFF_PUBLICATION, PUBLIC_PUBLICATION, OTHER_PUBLIC_ITEM} <= medical
    assert medical.isdisjoint(NEVER["medical-editor"])
    other = titles_known_to(OTHER)
    assert {*OTHER_INSTITUTION[:2], PENDING_ITEM, PUBLIC_PUBLICATION, DEMO_HOME} <= other
    assert other.isdisjoint(NEVER[OTHER])
    assert {DRAFT, MEDICAL_DRAFT, *OTHER_INSTITUTION} <= titles_known_to("admin")


def test_an_acting_head_knows_of_the_drafts_they_review(world):
    finance = world.priced_item.department
    ActingHead.objects.create(
        department=finance,
        user=get_user_model().objects.get(username="medical-head"),
        starts_on=dt.date.today() - dt.timedelta(days=1),
        ends_on=dt.date.today() + dt.timedelta(days=7),
    )
    assert DRAFT not in titles_known_to("medical-head")
    submit_for_review(
        page=world.draft, user=get_user_model().objects.get(username="finance-editor")
    )
    assert DRAFT in titles_known_to("medical-head")
    assert DRAFT not in titles_known_to("medical-editor")


def add_publications(item: CatalogItemPage, count: int) -> None:
    """``count`` more publications under ``item``, half of them drafts (written in bulk)."""
    start = Page.objects.child_of(item).count()
    numbers = range(start, start + count)
    drafts = [PublicationPage(title=f"草稿{n}", slug=f"draft-{n}") for n in numbers[::2]]
    add_pages(item, drafts, live=False)
    public = [PublicationPage(title=f"公开信息{n}", slug=f"public-{n}") for n in numbers[1::2]]
    add_pages(item, public)


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("medical-editor", lambda w: f"/admin/choose-page/{w.priced_item.pk}/"),
        ("finance-editor", lambda w: f"/admin/pages/{w.priced_item.pk}/"),
        ("finance-editor", lambda w: f"/admin/api/main/pages/?child_of={w.priced_item.pk}"),
    ],
    ids=["chooser", "explorer", "admin pages API"],
)
def test_the_rule_costs_the_same_queries_with_100_more_pages(
    client, world, django_assert_max_num_queries, role, url
):
    user = get_user_model().objects.get(username=role)
    client.force_login(user)
    url = url(world)

    def listing():
        assert client.get(url).status_code == 200

    def rule():
        list(known_pages(user).pages().values_list("pk", flat=True))

    add_publications(world.priced_item, 100)  # more than a page of each listing already
    budgets = queries_of(rule), queries_of(listing)
    add_publications(world.priced_item, 100)
    with django_assert_max_num_queries(budgets[0]):
        rule()
    with django_assert_max_num_queries(budgets[1]):
        listing()


# The host project's settings ---------------------------------------------------------------


def test_the_plugin_does_not_start_without_its_admin_pages_middleware():
    middleware = [
        m for m in settings.MIDDLEWARE if m != "disclosure.middleware.AdminPagesMiddleware"
    ]
    assert admin_pages_middleware_installed(None) == []
    with override_settings(MIDDLEWARE=middleware):
        assert [error.id for error in admin_pages_middleware_installed(None)] == ["disclosure.E001"]


def test_the_plugin_does_not_start_with_wagtails_page_search_filter_turned_off():
    assert admin_page_search_filtered(None) == []
    with override_settings(WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS=False):
        assert [error.id for error in admin_page_search_filtered(None)] == ["disclosure.E002"]
