"""Growing the page tree cheaply, for the tests that count queries at two sizes.

What those tests measure is the number of queries a page or an answer costs, not the review
that takes a page live (tested on its own), so the extra pages are written in bulk, as the
benchmark's data is (``home.bulk_pages``): a few queries for a hundred pages instead of a
review each.
"""

from __future__ import annotations

from django.utils import timezone
from wagtail.models import Page

from home.bulk_pages import BulkPages


def add_pages(parent: Page, pages: list[Page], *, live: bool = True) -> list[Page]:
    """``pages`` (of one type) as the last children of ``parent``, live or drafts."""
    if not pages:
        return []
    writer = BulkPages(type(pages[0]))
    for page in pages:
        writer.add(parent, page, published_at=timezone.now() if live else None)
    return writer.flush()


def add_institutions(count: int, *, prefix: str = "grown") -> list:
    """``count`` institutions (sites), each with one department and a four-item catalog in
    bulk: a monthly item published last week (on time), one published a year ago (overdue),
    one never published, and a real-time one (no schedule). A few queries per batch, not a
    review per page."""
    import datetime as dt

    from wagtail.models import Site

    from disclosure.models import (
        CatalogCategoryPage,
        CatalogItemPage,
        Department,
        DisclosureIndexPage,
        PublicationPage,
    )
    from disclosure.rules.update_rules import Period, RuleKind
    from home.models import HomePage

    now = timezone.now()
    root = Page.get_first_root_node()
    homes = BulkPages(HomePage)
    for number in range(count):
        homes.add(
            root,
            HomePage(title=f"增长医院{number:03d}", slug=f"{prefix}-{number:03d}"),
            published_at=now,
        )
    homes = homes.flush()
    sites = Site.objects.bulk_create(
        Site(
            hostname=f"{prefix}-{number:03d}.example",
            port=80,
            site_name=home.title,
            root_page_id=home.pk,
        )
        for number, home in enumerate(homes)
    )
    departments = Department.objects.bulk_create(
        Department(site=site, name="院办", sort_order=0) for site in sites
    )
    indexes = BulkPages(DisclosureIndexPage)
    for home in homes:
        indexes.add(home, DisclosureIndexPage(title="信息公开", slug="xxgk"), published_at=now)
    categories = BulkPages(CatalogCategoryPage)
    for index in indexes.flush():
        categories.add(index, CatalogCategoryPage(title="机构概况", slug="jggk"), published_at=now)
    items = BulkPages(CatalogItemPage)
    monthly = {"rule_kind": RuleKind.PERIODIC, "rule_period": Period.MONTH}
    kinds = (
        ("on-time", monthly),
        ("overdue", monthly),
        ("never", monthly),
        ("real-time", {"rule_kind": RuleKind.REAL_TIME}),
    )
    for category, department in zip(categories.flush(), departments, strict=True):
        for slug, rule in kinds:
            items.add(
                category,
                CatalogItemPage(
                    title=f"{slug}事项",
                    slug=slug,
                    department=department,
                    content_elements="x",
                    **rule,
                ),
                published_at=now,
            )
    publications = BulkPages(PublicationPage)
    for item in items.flush():
        ago = {"on-time": 3, "overdue": 400, "real-time": 3}.get(item.slug)
        if ago is not None:
            day = timezone.localdate() - dt.timedelta(days=ago)
            publications.add(
                item,
                PublicationPage(title=f"{item.title}公示", slug="p", publication_date=day),
                published_at=now - dt.timedelta(days=ago),
            )
    publications.flush()
    return sites
