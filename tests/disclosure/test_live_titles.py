"""A page's draft is read only by those who may edit or review it, and by the supervisors
(纪检监察) of its institution, its title included.

Wagtail names a page in the admin by its latest draft's title. A live publication whose new
draft nobody reviewed yet must still be named by its live title to everyone else who may know
of the page: a department editor who once wrote it and has since moved departments, a
department reading the trail of a catalog item the office is changing.
"""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from disclosure.models import CatalogItemPage, PublicationPage

LIVE = "2026年第三季度医疗服务项目价格"
DRAFT = "草稿改名乙"

# Every admin screen that names a page someone may know of without editing it.
SCREENS = [
    "/admin/",
    "/admin/pages/{item}/",
    "/admin/pages/{page}/",
    "/admin/pages/search/?q=医疗服务项目价格",
    "/admin/pages/usage/disclosure/publicationpage/",
    "/admin/pages/{page}/history/",
    "/admin/pages/{page}/usage/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/choose-page/{item}/",
    "/admin/choose-page/{page}/",
    "/admin/choose-page/search/?q=医疗服务项目价格",
    "/admin/choose-page/chosen-multiple/?id={page}",
    "/admin/choose-page/{item}/?user_perms=copy_to",
    "/admin/api/main/pages/?child_of={item}",
    "/admin/api/main/pages/?child_of={item}&for_explorer=1",
    "/admin/api/main/pages/{page}/",
    "/admin/api/main/pages/?search=医疗服务项目价格",
    "/admin/bulk/wagtailcore/page/delete/?id={page}",
    "/admin/bulk/wagtailcore/page/unpublish/?id={page}",
    "/admin/bulk/wagtailcore/page/move/?id={page}",
    "/admin/bulk/wagtailcore/page/delete/?id=all&childOf={item}",
    "/admin/disclosure/pages/{page}/as-of/",
]


@pytest.fixture
def renamed(demo_item):
    """The live price list, with a draft renamed by its department (finance); medical-editor
    wrote a revision of it while in finance, then moved back to the medical department."""
    users = get_user_model().objects
    finance, medical = users.get(username="finance-editor"), users.get(username="medical-editor")
    page = PublicationPage.objects.get(title=LIVE)
    finance_group = finance.groups.get()
    medical.groups.add(finance_group)
    page.save_revision(user=medical, log_action=True)
    medical.groups.remove(finance_group)
    page.title = DRAFT
    page.save_revision(user=finance, log_action=True)
    return page


def _read(client, username: str, page: Page) -> dict[str, str]:
    client.force_login(get_user_model().objects.get(username=username))
    bodies = {}
    for screen in SCREENS:
        url = screen.format(page=page.pk, item=page.get_parent().pk)
        response = client.get(url)
        body = response.content.decode()
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(json.loads(body), ensure_ascii=False)
        bodies[url] = f"{response.status_code} {body}"
    return bodies


def test_who_may_not_edit_the_page_reads_its_live_title_everywhere(client, renamed):
    bodies = _read(client, "medical-editor", renamed)
    assert [url for url, body in bodies.items() if DRAFT in body] == []
    # They do see the page on some of those screens, by its live title.
    assert any(LIVE in body for body in bodies.values())


def test_its_department_reads_the_draft_title(client, renamed):
    bodies = _read(client, "finance-editor", renamed)
    shown = [url for url, body in bodies.items() if DRAFT in body]
    assert f"/admin/pages/{renamed.pk}/history/" in shown
    assert f"/admin/bulk/wagtailcore/page/unpublish/?id={renamed.pk}" in shown


def _revision_view(client, username: str, page: Page, revision_id: int) -> int:
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(f"/admin/disclosure/pages/{page.pk}/revisions/{revision_id}/").status_code


def test_the_supervisor_reads_what_went_live_and_the_draft_after_it(client, renamed):
    live, draft = renamed.live_revision_id, renamed.latest_revision_id
    assert _revision_view(client, "supervisor", renamed, live) == 200
    assert _revision_view(client, "supervisor", renamed, draft) == 200
    assert _revision_view(client, "finance-editor", renamed, draft) == 200
    # Another department is refused (Wagtail's admin sends it back to the dashboard).
    assert _revision_view(client, "medical-editor", renamed, draft) == 302


def _audit_report(client, username: str, query: str = "") -> str:
    client.force_login(get_user_model().objects.get(username=username))
    listing = client.get(f"/admin/reports/disclosure-audit/{query}").content.decode()
    sep = "&" if query else "?"
    export = client.get(f"/admin/reports/disclosure-audit/{query}{sep}export=csv")
    return listing + b"".join(export.streaming_content).decode("utf-8-sig")


ITEM_LIVE = "药品价格"
ITEM_DRAFT = "药品价格（办公室改名草稿）"


def test_the_audit_trail_names_the_page_by_its_live_title_too(client, demo_item, demo_index):
    """The office renames 药学部's catalog item in a draft and starts a new item that never
    went live: 药学部, which reads the trail of its items but edits none of them, reads the
    item by its live title and the new one by a placeholder; the supervisor reads both drafts."""
    office = get_user_model().objects.get(username="office")
    item = demo_item(ITEM_LIVE)
    item.title = ITEM_DRAFT
    item.save_revision(user=office, log_action=True)
    never_live = item.get_parent().add_child(
        instance=CatalogItemPage(
            title="内部草稿丙",
            slug="draft-only-item",
            department=item.department,
            content_elements="x",
            live=False,
        )
    )
    never_live.save_revision(user=office, log_action=True)
    department = item.department.editors_group.user_set.get().username  # 药学部's editor

    shown = _audit_report(client, department)
    assert ITEM_DRAFT not in shown and "内部草稿丙" not in shown
    assert ITEM_LIVE in shown and "（尚未公开的页面）" in shown
    # Nor does the object filter find them by what the department may not read (the export
    # lists what the filter found; the listing repeats the query in its form).
    assert _exported_objects(client, department, ITEM_DRAFT) == set()
    assert ITEM_LIVE in _exported_objects(client, department, ITEM_LIVE)
    # The office that wrote the draft, and the supervisor, read it as recorded.
    assert ITEM_DRAFT in _exported_objects(client, "office", ITEM_DRAFT)
    supervised = _audit_report(client, "supervisor")
    assert ITEM_DRAFT in supervised and "内部草稿丙" in supervised


def _exported_objects(client, username: str, query: str) -> set[str]:
    client.force_login(get_user_model().objects.get(username=username))
    export = client.get("/admin/reports/disclosure-audit/", {"object_repr": query, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    return {row["对象"] for row in rows}
