"""Who may read each page is stored (``PageReadability``), kept current in the transaction of
every change that moves it, read by every face, and read fail-closed.

Each transition is checked twice: by what a reader is shown (the API, the site, search), and by
``visibility_problems``, which compares every stored row with the rule and what the rows list
for each kind of reader with the computed selector.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils.translation import gettext
from wagtail.models import Page, PageViewRestriction

from disclosure.models import (
    Audience,
    CatalogItemPage,
    Department,
    PageReadability,
    PublicationPage,
    Readers,
    visibility_triggers,
)
from disclosure.rules.readers import PageReaders, readers_of
from disclosure.selectors.visibility import computed_visible_to, visible_to
from disclosure.services.visibility import refresh_visibility, visibility_problems

from ..growth import add_institutions, add_pages

API = "/api/disclosure/v1"
STAFF_ITEM = "大额资金使用"  # 财务科, 职工
PUBLIC_ITEM = "健康讲座与义诊"  # 医务科, 社会公众
OTHER_PUBLIC_ITEM = "医疗服务项目价格"  # 财务科, 社会公众


def readers(page: Page) -> str:
    return PageReadability.objects.get(page_id=page.pk).readers


def user(username: str):
    return get_user_model().objects.get(username=username)


def listed(client, item: CatalogItemPage, **headers) -> set[str]:
    """Titles of the item's publications in the API's listing, as the client is shown them."""
    answer = client.get(f"{API}/publications/", {"item": item.pk, "limit": 100}, **headers)
    assert answer.status_code == 200
    return {row["title"] for row in answer.json()["items"]}


def assert_consistent() -> None:
    assert [str(problem) for problem in visibility_problems()] == []


@pytest.fixture
def public_item(demo_item) -> CatalogItemPage:
    return demo_item(PUBLIC_ITEM)


@pytest.fixture
def publication(public_item) -> PublicationPage:
    return PublicationPage.objects.child_of(public_item).live().first()


LIVE = {"0001": True, "00010001": True, "000100010001": True}


@pytest.mark.parametrize(
    ("live", "restrictions", "expected"),
    [
        (LIVE, {}, PageReaders("public")),
        ({**LIVE, "00010001": False}, {}, PageReaders("nobody")),
        ({"0001": True, "000100010001": True}, {}, PageReaders("nobody")),  # a page unknown
        # The topmost login restriction names the institution whose staff pass.
        (
            LIVE,
            {"00010001": {"login"}, "000100010001": {"login"}},
            PageReaders("staff", "00010001"),
        ),
        (LIVE, {"0001": {"login"}, "000100010001": {"groups"}}, PageReaders("groups", "0001")),
        (LIVE, {"00010001": {"password"}, "000100010001": {"login"}}, PageReaders("superusers")),
        (LIVE, {"00010001": {"none"}}, PageReaders("superusers")),  # an unknown kind: closed
    ],
)
def test_the_rule(live, restrictions, expected):
    assert readers_of("000100010001", live=live, restrictions=restrictions) == expected


def test_the_demo_is_stored_as_the_rule_reads_it(db):
    """Filled by the migration, then by the demo's loader: every row agrees with the rule and
    with the computed selector."""
    assert PageReadability.objects.count() == Page.objects.count()
    assert_consistent()


def test_a_new_draft_is_nobodys_and_going_live_through_the_review_opens_it(
    client, public_item, publish_reviewed
):
    draft = public_item.add_child(
        instance=PublicationPage(title="新的义诊预告", slug="new-clinic", live=False)
    )
    assert readers(draft) == Readers.NOBODY
    assert "新的义诊预告" not in listed(client, public_item)

    publish_reviewed(draft)
    assert readers(draft) == Readers.PUBLIC
    assert "新的义诊预告" in listed(client, public_item)
    assert_consistent()


def test_unpublishing_an_item_closes_it_and_everything_below(client, public_item, publication):
    public_item.specific.unpublish()
    assert readers(public_item) == Readers.NOBODY
    assert {readers(page) for page in Page.objects.descendant_of(public_item)} == {Readers.NOBODY}
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert_consistent()


def test_republishing_the_item_opens_it_but_not_its_unpublished_publications(
    client, public_item, publication, publish_reviewed
):
    public_item.specific.unpublish()
    publish_reviewed(CatalogItemPage.objects.get(pk=public_item.pk))
    assert readers(public_item) == Readers.PUBLIC
    assert readers(publication) == Readers.NOBODY  # unpublished with the item: reviewed again
    publish_reviewed(PublicationPage.objects.get(pk=publication.pk))
    assert readers(publication) == Readers.PUBLIC
    assert publication.title in listed(client, public_item)
    assert_consistent()


def test_a_live_page_moved_under_an_unpublished_item_is_nobodys(client, demo_item, publication):
    # Same institution and audience: the move is direct (see test_moves.py), and the target
    # is not published.
    target = demo_item(OTHER_PUBLIC_ITEM)
    target.specific.unpublish()
    publication.move(target, pos="last-child", user=user("office"))
    assert readers(publication) == Readers.NOBODY
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert_consistent()


def test_a_staff_only_item_moved_in_its_category_stays_its_staffs(client, demo_item):
    item = demo_item(STAFF_ITEM)
    publications = list(PublicationPage.objects.child_of(item).live())
    before = item.path
    item.move(item.get_parent(), pos="last-child")  # its restriction moves with it
    assert Page.objects.get(pk=item.pk).path != before

    moved = Page.objects.get(pk=item.pk)
    row = PageReadability.objects.get(page_id=item.pk)
    # Its category holds only staff-only items: restricted too, the topmost restriction.
    category = moved.get_parent()
    assert (row.readers, row.staff_path, row.path) == (Readers.STAFF, category.path, moved.path)
    staff = visible_to(PublicationPage.objects.child_of(moved), user("finance-editor"))
    assert set(staff) == set(publications)
    assert list(visible_to(PublicationPage.objects.child_of(moved), None)) == []
    assert_consistent()


def test_reordering_items_in_the_explorer_keeps_their_siblings_readable(client, demo_item):
    """The explorer's drag and drop moves an item among its siblings: treebeard renumbers the
    siblings it passes (and everything below them) in SQL, which no save announces."""
    item = demo_item(PUBLIC_ITEM)
    category = item.get_parent()
    siblings = list(category.get_children().live().exclude(pk=item.pk))
    assert siblings
    last = Page.objects.child_of(category).order_by("-path").first()
    client.force_login(user("office"))
    moved = client.post(f"/admin/pages/{last.pk}/set_position/?position=0")
    assert moved.status_code == 200
    assert Page.objects.child_of(category).order_by("path").first().pk == last.pk
    client.logout()
    for sibling in [item, *siblings]:
        sibling = Page.objects.get(pk=sibling.pk)
        if sibling.live and readers(sibling) == Readers.PUBLIC:
            assert client.get(f"/api/v3/pages/{sibling.pk}/").status_code == 200, sibling.title
    item = Page.objects.get(pk=item.pk)  # renumbered
    publications = PublicationPage.objects.child_of(item).live()
    assert publications
    assert listed(client, item) == {publication.title for publication in publications}
    assert_consistent()


def test_a_restriction_added_and_removed_closes_and_reopens_the_subtree(
    client, token_for, public_item, publication
):
    restriction = PageViewRestriction.objects.create(
        page=public_item, restriction_type=PageViewRestriction.LOGIN
    )
    assert readers(publication) == Readers.STAFF
    assert publication.title not in listed(client, public_item)
    staff = token_for("medical-editor")  # the institution's staff
    assert publication.title in listed(client, public_item, **staff)
    assert_consistent()

    restriction.delete()
    assert readers(publication) == Readers.PUBLIC
    assert publication.title in listed(client, public_item)
    assert_consistent()


def test_a_group_restriction_opens_the_page_to_its_members_only(public_item, publication):
    members = Group.objects.create(name="义诊小组")
    restriction = PageViewRestriction.objects.create(
        page=public_item, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    member = user("medical-head")
    member.groups.add(members)
    pages = PublicationPage.objects.child_of(public_item)

    assert readers(publication) == Readers.GROUPS
    assert publication in visible_to(pages, member)
    assert publication not in visible_to(pages, user("medical-editor"))
    assert publication not in visible_to(pages, None)
    assert_consistent()


def test_a_password_hides_the_page_from_every_listing_but_a_superusers(public_item, publication):
    PageViewRestriction.objects.create(
        page=public_item, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    pages = PublicationPage.objects.child_of(public_item)
    assert readers(publication) == Readers.SUPERUSERS
    assert publication not in visible_to(pages, user("medical-editor"))
    assert publication in visible_to(pages, user("admin"))
    assert_consistent()


def test_an_audience_changed_by_the_review_moves_the_readers(
    client, public_item, publication, publish_reviewed
):
    public_item.audience = Audience.STAFF
    publish_reviewed(public_item)
    assert readers(publication) == Readers.STAFF
    assert publication.title not in listed(client, public_item)

    item = CatalogItemPage.objects.get(pk=public_item.pk)
    item.audience = Audience.PUBLIC
    publish_reviewed(item)
    assert readers(publication) == Readers.PUBLIC
    assert_consistent()


def test_staff_read_what_their_institution_holds_now(demo_item, demo_site, fresh_site):
    """The stored row names where the staff-only part starts; whose staff read it is asked of
    the user's institutions at read time, so a department moved to another institution stops
    reading it with no row to rewrite."""
    item = demo_item(STAFF_ITEM)
    publication = PublicationPage.objects.child_of(item).live().first()
    editor = user("finance-editor")
    pages = PublicationPage.objects.child_of(item)
    assert publication in visible_to(pages, editor)

    Department.objects.filter(editors_group__in=editor.groups.all()).update(site=fresh_site)
    assert publication not in visible_to(pages, editor)
    assert_consistent()


def test_deleting_a_page_deletes_its_rows_and_those_below(public_item):
    draft = public_item.add_child(
        instance=PublicationPage(title="待删除的草稿", slug="to-delete", live=False)
    )
    PageViewRestriction.objects.create(page=draft, restriction_type=PageViewRestriction.LOGIN)
    draft.delete()  # its restriction goes with it, and asks for no refresh
    assert not PageReadability.objects.filter(page_id=draft.pk).exists()
    assert_consistent()


def test_pages_written_in_bulk_are_stored_too(fresh_site, demo_index):
    add_institutions(2, prefix="bulk")
    item = CatalogItemPage.objects.descendant_of(demo_index).get(title=PUBLIC_ITEM)
    add_pages(item, [PublicationPage(title="批量公开信息", slug="bulk")])
    assert readers(PublicationPage.objects.get(title="批量公开信息")) == Readers.PUBLIC
    assert_consistent()


# Fail-closed ------------------------------------------------------------------------------------


def _raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_page_without_its_row_is_read_by_nobody(client, public_item, publication):
    _raw("DELETE FROM disclosure_pagereadability WHERE page_id = %s", publication.pk)

    assert publication.title not in listed(client, public_item)
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{publication.pk}/").status_code == 404
    found = client.get(f"{API}/search/", {"q": publication.title}).json()["items"]
    assert publication.title not in {hit["title"] for hit in found}
    assert publication.title not in client.get(public_item.url).content.decode()
    assert client.get(publication.url).status_code == 404  # the site too
    assert publication not in visible_to(Page.objects.all(), user("admin"))
    # The computed selector still shows it: check_audit names the page.
    assert publication in computed_visible_to(PublicationPage.objects.all(), None)
    assert f"page {publication.pk} " in " ".join(map(str, visibility_problems()))
    # The operator's repair: every row rewritten from the tree, then checked.
    output = io.StringIO()
    call_command("refresh_visibility", stdout=output, stderr=io.StringIO())
    assert output.getvalue().strip().endswith(gettext("Every page's stored readers are current."))
    assert client.get(publication.url).status_code == 200
    assert publication.title in listed(client, public_item)


def test_a_row_written_for_another_path_is_read_by_nobody(client, public_item, publication):
    _raw(
        "UPDATE disclosure_pagereadability SET path = %s WHERE page_id = %s", "0001", publication.pk
    )
    assert publication.title not in listed(client, public_item)
    assert client.get(publication.url).status_code == 404


def _current(page: Page) -> bool:
    return PageReadability.objects.get(page_id=page.pk).current


def test_a_row_cannot_be_marked_current_by_its_writer(client, public_item, publication):
    """``current`` is the database's: a writer that says a stale row is current is corrected,
    on insert as on update."""
    _raw(
        "UPDATE disclosure_pagereadability SET path = %s, current = %s WHERE page_id = %s",
        "0001",
        True,
        publication.pk,
    )
    assert not _current(publication)
    _raw("DELETE FROM disclosure_pagereadability WHERE page_id = %s", publication.pk)
    _raw(
        "INSERT INTO disclosure_pagereadability"
        " (page_id, readers, staff_path, path, live, current, refreshed_at)"
        " VALUES (%s, %s, '', %s, %s, %s, CURRENT_TIMESTAMP)",
        publication.pk,
        Readers.PUBLIC,
        "0001",
        True,
        True,
    )
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    assert client.get(publication.url).status_code == 404
    # The service's upsert, of the page as it is, is current again.
    refresh_visibility(page_ids=[publication.pk])
    assert _current(publication)
    assert publication.title in listed(client, public_item)


WRITE_AROUND = {
    "live": "UPDATE wagtailcore_page SET live = %s WHERE id = %s",
    "path": "UPDATE wagtailcore_page SET path = %s WHERE id = %s",
}


@pytest.mark.parametrize("column", ["live", "path"], ids=["unpublished", "moved"])
def test_a_page_written_around_the_service_is_read_by_nobody(
    client, public_item, publication, column
):
    """A page unpublished or moved by SQL (as treebeard moves pages), with no refresh: its row
    is no longer current, so it leaves every listing; a refresh reopens what the rule allows."""
    assert _current(publication)
    # Unpublished, or moved to a free place under the same item.
    value = False if column == "live" else public_item.path + "Z" * Page.steplen
    _raw(WRITE_AROUND[column], value, publication.pk)
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    assert publication not in visible_to(Page.objects.all(), user("admin"))
    # A later write of the page's other columns leaves the row as it is.
    _raw("UPDATE wagtailcore_page SET title = title WHERE id = %s", publication.pk)
    assert not _current(publication)
    refresh_visibility(page_ids=[publication.pk])
    assert _current(publication)
    assert_consistent()


def _unpublish_around_django(page: Page, how: str, live: bool = False) -> None:
    if how == "raw SQL":
        _raw(WRITE_AROUND["live"], live, page.pk)
    else:
        Page.objects.filter(pk=page.pk).update(live=live)


@pytest.mark.parametrize("how", ["raw SQL", "queryset update"])
def test_a_page_unpublished_around_django_closes_everything_below_it(
    client, public_item, publication, how
):
    """The rows below a page answer after it: when its live flag changes by any writer, the
    database withdraws them, and they stay unread until rewritten from the tree."""
    _unpublish_around_django(public_item, how)
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{publication.pk}/").status_code == 404
    assert client.get(publication.url).status_code == 404
    assert publication not in visible_to(Page.objects.all(), user("admin"))
    # A later write of the item's other columns leaves it withdrawn.
    _raw("UPDATE wagtailcore_page SET title = title WHERE id = %s", public_item.pk)
    assert not _current(publication)
    # check_audit names the row (still stored as the public's), and the repair closes it.
    problems = " ".join(map(str, visibility_problems()))
    assert f"[readers-too-open] page {publication.pk} " in problems
    refresh_visibility()
    assert readers(publication) == Readers.NOBODY
    assert_consistent()
    # Published again around Django: the rows below are withdrawn again (they say nobody,
    # which is no longer right) until the repair reopens them.
    _unpublish_around_django(public_item, how, live=True)
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    refresh_visibility()
    assert publication.title in listed(client, public_item)
    assert_consistent()


def test_a_withdrawn_row_stays_withdrawn_when_its_page_goes_back(client, public_item, publication):
    """A row below a page unpublished around Django is withdrawn; its own page going back and
    forth (unpublished and published, moved away and back) does not mark it current again."""
    category = public_item.get_parent()
    Page.objects.filter(pk=category.pk).update(live=False)
    Page.objects.filter(pk=publication.pk).update(live=False)
    Page.objects.filter(pk=publication.pk).update(live=True)
    away = public_item.path + "Z" * Page.steplen
    Page.objects.filter(pk=public_item.pk).update(path=away)
    Page.objects.filter(pk=public_item.pk).update(path=public_item.path)
    assert not _current(publication)
    assert not _current(public_item)
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{publication.pk}/").status_code == 404


def test_the_pages_left_below_a_path_a_page_moved_from_are_withdrawn(
    client, public_item, publication
):
    """A page moved in SQL without the pages below it: they now hang below whatever takes
    its path, and their rows wait for a refresh."""
    Page.objects.filter(pk=public_item.pk).update(path=public_item.path + "Z" * Page.steplen)
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)


def test_publishing_a_page_unpublished_around_django_reopens_its_subtree(
    client, public_item, publication, publish_reviewed
):
    """The review's publication of the category rewrites its subtree, which the database
    withdrew when the category was unpublished around Django."""
    category = public_item.get_parent().specific
    Page.objects.filter(pk=category.pk).update(live=False)
    assert publication.title not in listed(client, public_item)
    publish_reviewed(category.__class__.objects.get(pk=category.pk))
    assert publication.title in listed(client, public_item)
    assert_consistent()


@pytest.mark.parametrize("how", ["bulk_create", "queryset update", "raw delete"])
def test_a_restriction_written_around_django_withdraws_the_rows_at_and_below_it(
    client, demo_item, public_item, publication, how
):
    """View restrictions written without their signals (``bulk_create``, a queryset's
    ``update``, raw SQL): the rows at and below the page wait for a refresh."""
    staff_item = demo_item(STAFF_ITEM)
    if how == "bulk_create":
        PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page_id=public_item.pk, restriction_type="login")]
        )
        closed = [public_item, publication]
    elif how == "queryset update":
        PageViewRestriction.objects.filter(page_id=staff_item.pk).update(page_id=public_item.pk)
        closed = [public_item, publication, staff_item]
    else:
        _raw("DELETE FROM wagtailcore_pageviewrestriction WHERE page_id = %s", staff_item.pk)
        closed = [staff_item]
    assert [page.pk for page in closed if _current(page)] == []
    if how != "raw delete":
        assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404
        assert publication.title not in listed(client, public_item)
    refresh_visibility()
    assert_consistent()


def test_rows_withdrawn_by_a_restriction_stay_closed_through_writes_and_migrate(
    client, public_item, publication
):
    """A write that changes nothing but ``current`` does not reopen a withdrawn row (on
    PostgreSQL it may only clear it; SQLite, one writer at a time, checks a row marked current
    against its page), and ``migrate`` (which installs SQLite's triggers again) does not reopen
    what a restriction closed."""
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page_id=public_item.pk, restriction_type="login")]
    )
    _raw("UPDATE disclosure_pagereadability SET current = %s", False)
    if connection.vendor == "postgresql":
        _raw("UPDATE disclosure_pagereadability SET current = %s", True)
    assert not _current(publication)
    call_command("migrate", verbosity=0, interactive=False)
    assert publication.title not in listed(client, public_item)
    assert client.get(f"{API}/publications/{publication.pk}/").status_code == 404


def test_a_withdrawn_row_stays_withdrawn_until_rewritten(client, public_item, publication):
    """Anyone may withdraw a row (an update that only clears ``current``); the database
    marks it current again only when it is written, and only if it matches its page."""
    _raw(
        "UPDATE disclosure_pagereadability SET current = %s WHERE page_id = %s",
        False,
        publication.pk,
    )
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    refresh_visibility(page_ids=[publication.pk])
    assert _current(publication)
    assert publication.title in listed(client, public_item)


def test_installing_the_triggers_again_keeps_rows_below_an_unpublished_page_withdrawn(
    client, public_item, publication
):
    """``migrate`` installs SQLite's triggers again and sets every row's ``current`` from its
    page (as do migrations on PostgreSQL): a row naming readers below an unpublished page stays
    withdrawn."""
    _raw(WRITE_AROUND["live"], False, public_item.pk)
    _raw("UPDATE wagtailcore_page SET numchild = 0 WHERE id = %s", public_item.pk)  # left wrong
    visibility_triggers.install(connection)
    assert not _current(publication)
    assert publication.title not in listed(client, public_item)
    assert _current(public_item.get_parent())  # the rest is current again


def test_a_page_unpublished_below_an_unpublished_one_rewrites_its_subtree(
    client, public_item, publication, publish_reviewed
):
    """Unpublished below an unpublished category, an item's own answer stays nobody; the rows
    below it, which the database withdrew, are rewritten all the same. (Nothing goes live below
    an unpublished page: the review refuses it.)"""
    draft = public_item.add_child(
        instance=PublicationPage(title="义诊预告草稿", slug="clinic-draft", live=False)
    )
    category = public_item.get_parent().specific
    category.unpublish()
    assert {readers(page) for page in Page.objects.descendant_of(category)} == {Readers.NOBODY}
    assert_consistent()
    CatalogItemPage.objects.get(pk=public_item.pk).unpublish()
    assert readers(public_item) == Readers.NOBODY
    assert _current(draft)  # not unpublished itself: rewritten with the item's subtree
    assert_consistent()  # every row below the item rewritten: current, and nobody's
    publish_reviewed(category.__class__.objects.get(pk=category.pk))
    publish_reviewed(CatalogItemPage.objects.get(pk=public_item.pk))
    assert readers(public_item) == Readers.PUBLIC
    assert_consistent()


def test_check_audit_names_right_rows_the_database_left_unmarked(public_item, publication):
    """Without the triggers (dropped by hand), the service's rows are never current: everything
    it writes is hidden, and ``check_audit`` says why."""
    visibility_triggers.uninstall(connection)
    _raw(
        "UPDATE disclosure_pagereadability SET current = %s WHERE page_id = %s",
        False,
        publication.pk,
    )
    problems = " ".join(map(str, visibility_problems(Page.objects.filter(pk=publication.pk))))
    assert f"page {publication.pk} " in problems
    assert "not marked current" in problems


def test_check_audit_reports_a_stale_row_written_by_raw_sql(demo_item):
    staff_item = demo_item(STAFF_ITEM)
    _raw(
        "UPDATE disclosure_pagereadability SET readers = %s WHERE page_id = %s",
        Readers.PUBLIC,
        staff_item.pk,
    )
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_audit", stderr=errors, stdout=io.StringIO())
    report = errors.getvalue()
    assert f"[readers-too-open] page {staff_item.pk} " in report  # the row itself
    if connection.vendor == "postgresql":
        # The row's trigger finds the item's view restriction: withdrawn, listed for nobody.
        assert not _current(staff_item)
        assert f"page {staff_item.pk} is listed for the public" not in report
    else:
        assert f"page {staff_item.pk} is listed for the public" in report  # and the listing
    # Refreshed, the row agrees again.
    refresh_visibility(below=staff_item)
    assert_consistent()


# Institutions' trees ----------------------------------------------------------------------------


def _staff_of(site) -> object:
    """A new editor of a new department of ``site``."""
    group = Group.objects.create(name=f"{site.hostname} 编辑")
    Department.objects.create(site=site, name="新科室", editors_group=group)
    member = get_user_model().objects.create_user(username=f"staff-{site.pk}", password="x")
    member.groups.add(group)
    return member


def test_a_site_may_not_be_rooted_over_another_institutions_pages(
    client, login, token_for, demo_site, fresh_site
):
    """Rooting a site at, above or below another institution's root would make its staff the
    other's staff: refused beside the field in the admin, in the v3 API and in code."""
    tree_root = Page.get_first_root_node()
    login("admin")
    answer = client.post(
        f"/admin/sites/edit/{fresh_site.pk}/",
        {
            "hostname": fresh_site.hostname,
            "port": 80,
            "site_name": "测试医院",
            "root_page": tree_root.pk,
        },
    )
    assert answer.status_code == 200
    refusal = "".join(answer.context["form"].errors["root_page"])
    assert demo_site.hostname in refusal  # names the institution it would overlap
    client.logout()

    below = demo_site.root_page.get_children().first()
    answer = client.put(
        f"/api/v3/sites/{fresh_site.pk}/",
        {
            "hostname": fresh_site.hostname,
            "port": 80,
            "site_name": "测试医院",
            "root_page": below.pk,
            "is_default_site": False,
        },
        content_type="application/json",
        **token_for("admin"),
    )
    assert 400 <= answer.status_code < 500, answer.content

    fresh_site.root_page = demo_site.root_page
    with pytest.raises(PermissionDenied):
        fresh_site.save()
    fresh_site.refresh_from_db()
    assert fresh_site.root_page.slug == "test-hospital"

    # Its own new tree, beside the others, is fine.
    home = tree_root.add_child(instance=Page(title="新院区", slug="new-campus"))
    fresh_site.root_page = home
    fresh_site.save()


def test_staff_read_only_the_staff_pages_of_the_institution_holding_them(
    client, demo_item, demo_site, fresh_site
):
    """Should one site's root come to stand above another's (written around the guard), its
    staff still do not become the inner institution's staff: a staff-only page is read by the
    staff of the institution holding it, the nearest root above it."""
    item = demo_item(STAFF_ITEM)
    publication = PublicationPage.objects.child_of(item).live().first()
    outsider = _staff_of(fresh_site)
    from wagtail.models import Site

    Site.objects.filter(pk=fresh_site.pk).update(root_page=Page.get_first_root_node())

    pages = PublicationPage.objects.child_of(item)
    assert publication not in visible_to(pages, outsider)
    assert publication not in computed_visible_to(pages, outsider)
    assert publication in visible_to(pages, user("finance-editor"))
    client.force_login(outsider)
    assert client.get(publication.url).status_code == 404  # as if it did not exist
    client.force_login(user("finance-editor"))
    assert client.get(publication.url).status_code == 200


def test_a_site_root_may_not_be_moved_into_another_institutions_tree(client, login, demo_index):
    """Moving a site's root page (or a page above it) under another institution's pages
    would nest one institution in another, whatever is below it: drafts alone included,
    which the rule on who reads a moved page lets through."""
    from wagtail.models import Site

    from disclosure.models import CatalogCategoryPage, DisclosureIndexPage

    tree_root = Page.get_first_root_node()
    index = tree_root.add_child(
        instance=DisclosureIndexPage(title="分院信息公开", slug="branch", live=False)
    )
    root = index.add_child(
        instance=CatalogCategoryPage(title="分院机密草稿", slug="branch-drafts", live=False)
    )
    Site.objects.create(hostname="branch.example", port=80, root_page=root, site_name="分院")
    login("admin")
    answer = client.post(f"/admin/pages/{root.pk}/move/{demo_index.pk}/confirm/")
    assert answer.status_code < 500
    root.refresh_from_db()
    assert root.get_parent().pk == index.pk
    with pytest.raises(PermissionDenied):
        index.move(demo_index, pos="last-child")  # from above, carrying the root
    index.refresh_from_db()
    assert index.get_parent().pk == tree_root.pk
    with pytest.raises(PermissionDenied):
        index.move(tree_root, pos="left")  # beside the tree's root: a second tree

    # A page holding no site's root moves as before, by the rules of who reads it.
    draft = index.add_child(
        instance=CatalogCategoryPage(title="待移动的草稿", slug="to-move", live=False)
    )
    draft.move(demo_index, pos="last-child")


def test_an_institution_nested_by_sql_keeps_its_drafts_and_items_from_the_outer_one(
    demo_item, fresh_site_item
):
    """Should a site's root come to stand above another's, its supervisors still read only
    their own institution's drafts, and its office reports only on its own items."""
    from wagtail.models import Site

    from disclosure.selectors.scope import overseen_items
    from disclosure.selectors.supervision import supervised_pages

    inner_item = fresh_site_item("内科")
    inner_item.save_revision()
    supervisor, office = user("supervisor"), user("office")
    assert inner_item.pk not in set(supervised_pages(supervisor).values_list("pk", flat=True))
    demo_site = Site.objects.get(is_default_site=True)
    Site.objects.filter(pk=demo_site.pk).update(root_page=Page.get_first_root_node())

    assert inner_item.pk not in set(supervised_pages(supervisor).values_list("pk", flat=True))
    assert inner_item.pk not in set(overseen_items(office).values_list("pk", flat=True))
    assert {problem.code for problem in visibility_problems()} == {"sites-overlap"}
    # Nor the office's review queue, its inspections' item list, or a finding's item choices.
    from disclosure.models.moderation import OfficeReviewTask
    from disclosure.selectors.inspections import site_items
    from disclosure.views.service_forms import FindingFields

    queue = Page.objects.filter(OfficeReviewTask().moderated_pages_q(office))
    assert queue.filter(pk=inner_item.pk).count() == 0
    assert queue.filter(pk=demo_item(STAFF_ITEM).pk).count() == 1
    assert inner_item.pk not in set(site_items(demo_site).values_list("pk", flat=True))
    choices = FindingFields(sites=Site.objects.filter(pk=demo_site.pk)).fields["item"].queryset
    assert inner_item.pk not in set(choices.values_list("pk", flat=True))
    assert demo_item(STAFF_ITEM).pk in set(overseen_items(office).values_list("pk", flat=True))
