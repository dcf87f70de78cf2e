"""A health commission's worth of data for the benchmark (``load_demo --scale PRESET``).

The demo hospital is built through the same services users run, publication by publication,
with every review step on record: about a third of a second each. Fifty thousand publications
that way would take hours, so the scaled data set is written in bulk instead:

* the demo hospital first, exactly as ``load_demo`` builds it (with its second people's
  hospital, which is the benchmark's second institution, filled up like the others);
* further institutions (Wagtail sites) with departments, groups and workflows made by the
  plugin's own services, and their catalogs copied from the demo's 43 items;
* then, for every institution, catalog items and live publications inserted in batches of
  rows (page rows, their page-type rows, view restrictions of staff-only items, department
  page permissions) and added to the search index.

Bulk rows have no revisions and no review records: they are benchmark data, not a history, and
``check_audit`` reports them as published without approval. Keep them in a database of their
own. Each target is a total, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site
from wagtail.search.backends import get_search_backend

from disclosure.models import (
    CatalogCategoryPage,
    CatalogItemPage,
    Department,
    DisclosureIndexPage,
    InstitutionSettings,
    PublicationPage,
)
from disclosure.models.catalog import Audience
from disclosure.rules.update_rules import Period, RuleKind
from disclosure.services.departments import EDITOR_PAGE_PERMISSIONS, ensure_department
from disclosure.services.moderation import setup_moderation
from disclosure.services.visibility import refresh_visibility

from . import demo_content as text
from .bulk_pages import BATCH, BulkPages
from .demo import DEPARTMENTS, DemoSummary
from .demo_prices import bench_price_list
from .models import HomePage


@dataclass(frozen=True)
class Preset:
    institutions: int
    items_per_institution: int
    publications_per_institution: int
    #: Rows of the demo hospital's second service price list (0: none), a city hospital's
    #: full list, for the price query and import rows of the benchmark.
    price_rows: int = 0


PRICE_ROWS = 20000
PRESETS = {
    # A city's hospitals on PostgreSQL: 3,000 items, 50,000 publications.
    "commission": Preset(
        institutions=10,
        items_per_institution=300,
        publications_per_institution=5000,
        price_rows=PRICE_ROWS,
    ),
    # The same shape at a size SQLite loads in under a minute.
    "small": Preset(
        institutions=3,
        items_per_institution=100,
        publications_per_institution=1500,
        price_rows=PRICE_ROWS,
    ),
}

ORDINALS = "一二三四五六七八九十"


def institution_name(number: int) -> str:
    """示范市人民医院, then 示范市第二人民医院 … (number counts from 1)."""
    if number == 1:
        return text.HOSPITAL
    tens, ones = divmod(number, 10)
    words = (("" if tens == 1 else ORDINALS[tens - 1]) + "十" if tens else "") + (
        ORDINALS[ones - 1] if ones else ""
    )
    return f"示范市第{words}人民医院"


def _published_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _body(item: CatalogItemPage, title: str) -> str:
    return json.dumps(text.general_body(item.title, title), ensure_ascii=False)


class ScaleBuilder:
    def __init__(
        self, *, preset: Preset, anchor: dt.date, progress: Callable[[str], None], seed: int = 1
    ):
        self.preset = preset
        self.anchor = anchor
        self.progress = progress
        self.random = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
        self.templates: list[CatalogItemPage] = []
        self.created_items = 0
        self.created_publications = 0

    # Institutions -----------------------------------------------------------------------------

    def institution(self, number: int, demo_site: Site) -> Site:
        """The ``number``-th institution's site with departments and workflows (idempotent)."""
        if number == 1:
            return demo_site
        name = institution_name(number)
        hostname = f"hospital-{number:02d}.localhost"
        site = Site.objects.filter(hostname=hostname).first()
        if site is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(title=name, slug=f"hospital-{number:02d}", intro="")
            )
            home.save_revision().publish()
            site = Site.objects.create(
                hostname=hostname, port=80, site_name=name, root_page=home, is_default_site=False
            )
        institution = InstitutionSettings.for_site(site)
        if institution.full_name != name:
            institution.full_name = name
            institution.grade = "3B"
            institution.save()
        for order, (department, _prefix) in enumerate(DEPARTMENTS):
            ensure_department(site=site, name=department, sort_order=order)
        setup_moderation(site=site)
        return site

    def catalog_root(self, site: Site, demo_index: DisclosureIndexPage) -> DisclosureIndexPage:
        """The institution's disclosure index and the demo's categories under it."""
        index = DisclosureIndexPage.objects.descendant_of(site.root_page).first()
        if index is None:
            writer = BulkPages(DisclosureIndexPage)
            index = writer.add(
                site.root_page.specific,
                DisclosureIndexPage(title="信息公开", slug="xxgk", intro=demo_index.intro),
                published_at=_published_at(self.anchor - dt.timedelta(days=800)),
            )
            writer.flush()
        existing = set(CatalogCategoryPage.objects.child_of(index).values_list("title", flat=True))
        writer = BulkPages(CatalogCategoryPage)
        for category in CatalogCategoryPage.objects.child_of(demo_index).order_by("path"):
            if category.title not in existing:
                writer.add(
                    index,
                    CatalogCategoryPage(title=category.title, slug=category.slug),
                    published_at=_published_at(self.anchor - dt.timedelta(days=800)),
                )
        writer.flush()
        return index

    # Items ------------------------------------------------------------------------------------

    def items(self, site: Site, index: DisclosureIndexPage) -> list[CatalogItemPage]:
        """Fill the institution's catalog up to the preset's number of items."""
        have = list(CatalogItemPage.objects.descendant_of(index).order_by("path"))
        wanted = self.preset.items_per_institution - len(have)
        if wanted <= 0:
            return have
        categories = {c.title: c for c in CatalogCategoryPage.objects.child_of(index)}
        departments = {d.name: d for d in Department.objects.filter(site=site)}
        writer = BulkPages(CatalogItemPage)
        created = []
        titles = {item.title for item in have}
        for number in range(len(have), len(have) + wanted):
            template = self.templates[number % len(self.templates)]
            round_ = number // len(self.templates)
            title = template.title if round_ == 0 else f"{template.title}（{round_ + 1}）"
            if title in titles:
                title = f"{template.title}（{number + 1}）"
            titles.add(title)
            category = categories[template.get_parent().title]
            item = CatalogItemPage(
                title=title,
                slug=slugify(title, allow_unicode=True)[:200],
                department=departments[template.department.name],
                content_elements=template.content_elements,
                legal_basis=template.legal_basis,
                audience=template.audience,
                channels=template.channels,
                rule_kind=template.rule_kind,
                rule_period=template.rule_period,
                rule_working_days=template.rule_working_days,
                rule_review_months=template.rule_review_months,
                rule_due_month=template.rule_due_month,
                rule_due_day=template.rule_due_day,
                notes=template.notes,
                publication_kinds=template.publication_kinds,
            )
            created.append(
                writer.add(
                    category,
                    item,
                    published_at=_published_at(self.anchor - dt.timedelta(days=760)),
                )
            )
        writer.flush()
        self._restrict_and_grant(created)
        get_search_backend().add_bulk(CatalogItemPage, created)
        self.created_items += len(created)
        return have + created

    def _restrict_and_grant(self, items: list[CatalogItemPage]) -> None:
        """What the catalog import does for each item: staff-only items require a login,
        and the item's department may edit under it."""
        PageViewRestriction.objects.bulk_create(
            [
                PageViewRestriction(page_id=item.pk, restriction_type=PageViewRestriction.LOGIN)
                for item in items
                if item.audience == Audience.STAFF
            ]
        )
        # Bulk rows send no signal: the new items' stored readers are refreshed here.
        refresh_visibility(page_ids=[item.pk for item in items if item.audience == Audience.STAFF])
        permissions = list(Permission.objects.filter(codename__in=EDITOR_PAGE_PERMISSIONS))
        grants = []
        for item in items:
            department = item.department
            for group_id in (department.editors_group_id, department.heads_group_id):
                grants += [
                    GroupPagePermission(group_id=group_id, page_id=item.pk, permission=permission)
                    for permission in permissions
                ]
        GroupPagePermission.objects.bulk_create(grants, batch_size=BATCH)

    # Publications -----------------------------------------------------------------------------

    def _dates(self, item: CatalogItemPage, count: int) -> list[dt.date]:
        """``count`` publication dates over the last two years, newest within the item's
        rule for most items and stale for some, so that every status occurs."""
        if count == 0:
            return []
        stale = self.random.random() < 0.12
        newest_ago = self.random.randint(200, 420) if stale else self.random.randint(3, 25)
        if item.rule_kind == RuleKind.PERIODIC and item.rule_period == Period.YEAR and not stale:
            newest_ago = (self.anchor - dt.date(self.anchor.year, 1, 20)).days % 365
        spacing = max(1, (730 - newest_ago) // count)
        return [self.anchor - dt.timedelta(days=newest_ago + i * spacing) for i in range(count)]

    def publications(self, items: list[CatalogItemPage], index: DisclosureIndexPage) -> None:
        """Fill the institution up to the preset's number of publications."""
        have = PublicationPage.objects.descendant_of(index).count()
        wanted = self.preset.publications_per_institution - have
        if wanted <= 0:
            return
        # Every item but a few "never published" ones gets its share; the rest goes at random.
        shares = dict.fromkeys((item.pk for item in items), 0)
        candidates = [item for item in items if self.random.random() > 0.03] or items
        for number in range(wanted):
            target = candidates[number % len(candidates)] if number < len(candidates) * 8 else None
            target = target or self.random.choice(candidates)
            shares[target.pk] += 1
        writer = BulkPages(PublicationPage)
        for item in items:
            for serial, day in enumerate(self._dates(item, shares[item.pk]), start=1):
                title = f"{item.title}公示（{day:%Y年%m月%d日}·{serial}）"
                writer.add(
                    item,
                    PublicationPage(
                        title=title,
                        slug=f"p{uuid.uuid4().hex[:12]}",
                        publication_date=day,
                        summary=text.body_for(item.title, title)[:60],
                        body=_body(item, title),
                    ),
                    published_at=_published_at(day),
                )
            if len(writer.pending) >= BATCH:
                self._index(writer.flush())
        self._index(writer.flush())

    def _index(self, pages: list[Page]) -> None:
        if not pages:
            return
        backend = get_search_backend()
        backend.add_bulk(type(pages[0]), pages)
        self.created_publications += len(pages)
        self.progress(_("%(count)s publications") % {"count": self.created_publications})

    # The whole --------------------------------------------------------------------------------

    def build(self, demo_site: Site, demo_index: DisclosureIndexPage) -> None:
        self.templates = list(
            CatalogItemPage.objects.descendant_of(demo_index)
            .select_related("department")
            .order_by("path")
        )
        for number in range(1, self.preset.institutions + 1):
            with transaction.atomic():
                site = self.institution(number, demo_site)
                index = self.catalog_root(site, demo_index)
                items = self.items(site, index)
                self.publications(items, index)
            self.progress(
                _("Institution %(number)s of %(total)s ready: %(name)s")
                % {"number": number, "total": self.preset.institutions, "name": site.site_name}
            )
        # Fresh statistics for the planner: before autovacuum gets to the bulk rows, PostgreSQL
        # would plan for the demo's few hundred pages. VACUUM also marks the new rows visible,
        # so that covering indexes answer without reading the table (it cannot run inside a
        # transaction).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def load_scaled_demo(
    *, preset: str, demo: DemoSummary, progress: Callable[[str], None] = lambda message: None
) -> ScaleBuilder:
    """Add the preset's institutions, items and publications to the demo hospital, in bulk."""
    builder = ScaleBuilder(preset=PRESETS[preset], anchor=demo.anchor, progress=progress)
    builder.build(demo.site, demo.index)
    if builder.preset.price_rows:
        with transaction.atomic():
            page = bench_price_list(site=demo.site, rows=builder.preset.price_rows)
        progress(
            _("Price list of %(rows)s services: %(title)s")
            % {"rows": builder.preset.price_rows, "title": page.title if page else "—"}
        )
    return builder
