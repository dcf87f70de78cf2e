"""The page explorer as a department editor sees the catalog: titles that open what they hold,
and each item's department and next due date, from the deadline engine."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from disclosure.models import CatalogItemPage, Department
from disclosure.selectors.compliance import deadline_for_item
from tests.growth import add_pages

ITEM = "专家出诊信息"  # owned by 医务科


def explore(client, page) -> html.HtmlElement:
    response = client.get(f"/admin/pages/{page.pk}/")
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def row_of(tree, page) -> html.HtmlElement:
    (title,) = tree.xpath(f'//*[@id="page_{page.pk}_title"]')
    return title.xpath("ancestor::tr")[0]


@pytest.fixture
def item(demo_item):
    return demo_item(ITEM)


def test_an_editor_opens_a_category_by_its_title(client, login, item):
    login("medical-editor")
    category = item.get_parent()
    tree = explore(client, category.get_parent())
    (link,) = row_of(tree, category).xpath(".//a[.//*[@id]]")
    assert link.get("href") == f"/admin/pages/{category.pk}/"


def test_an_editor_sees_whose_each_item_is_and_when_it_is_next_due(client, login, item):
    login("medical-editor")
    tree = explore(client, item.get_parent())
    headers = [th.text_content().strip() for th in tree.xpath("//thead//th")]
    assert "责任科室" in headers and "下次更新期限" in headers
    row = row_of(tree, item)
    cells = [td.text_content() for td in row.xpath("./td")]
    assert any(cell.strip() == "医务科" for cell in cells)
    deadline = deadline_for_item(item).deadline
    (due_cell,) = row.xpath("./td[.//*[contains(@class, 'dc-status--')]]")
    assert due_cell.xpath(".//time/@datetime") == [deadline.due.isoformat()]
    assert str(deadline_for_item(item).status_label) in due_cell.text_content()
    # The item the editor may not edit opens its publications, where they add one.
    (link,) = row.xpath(".//a[.//*[@id]]")
    assert link.get("href") == f"/admin/pages/{item.pk}/"


def test_an_editable_page_still_opens_its_edit_form(client, login, item):
    login("office")
    row = row_of(explore(client, item.get_parent()), item)
    (link,) = row.xpath(".//a[.//*[@id]]")
    assert link.get("href") == f"/admin/pages/{item.pk}/edit/"


def test_publications_get_no_catalog_columns(client, login, item):
    login("medical-editor")
    headers = [th.text_content().strip() for th in explore(client, item).xpath("//thead//th")]
    assert "责任科室" not in headers


def test_the_columns_cost_the_same_queries_with_more_items(client, login, item):
    login("medical-editor")
    category = item.get_parent()
    department = Department.objects.get(site__is_default_site=True, name="医务科")

    def grow(total):
        existing = CatalogItemPage.objects.child_of(category).count()
        add_pages(
            category,
            [
                CatalogItemPage(
                    title=f"浏览压测事项{n}",
                    slug=f"explorer-load-{n}",
                    department=department,
                    content_elements="x",
                    channels=["website"],
                )
                for n in range(existing, total)
            ],
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            explore(client, category)
        return len(context.captured_queries)

    grow(10)
    budget = queries()
    grow(40)
    assert queries() <= budget
