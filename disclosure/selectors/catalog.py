"""Reads of the catalog for the public site, the API and the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import DateField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Length, Substr, TruncDate
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.text import slugify
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from ..models import (
    Audience,
    CatalogCategoryPage,
    CatalogItemPage,
    DisclosureIndexPage,
    InstitutionSettings,
    Placement,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    PriceListVersion,
    PublicationAttachment,
    PublicationPage,
    RequestCentrePage,
)
from ..models.catalog import RULE_COLUMNS
from ..models.institutions import holder_of, institution_name, institution_roots
from ..request_memo import memoized
from ..rules.update_rules import DEFAULT_WORKING_DAYS, UpdateRule
from .visibility import Viewer, hidden_collection_ids, visible_to


def _ancestor(levels: int, field: str, model: type[Page] = Page) -> Subquery:
    """A field of the page ``levels`` above each row (1: the parent), read by path."""
    cut = levels * Page.steplen
    return Subquery(
        model.objects.filter(
            path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - cut)
        ).values(field)[:1]
    )


def _children_range(outer_path: str = "path", outer_depth: str = "depth", *, levels: int = 1):
    """A filter on pages that are the children of the outer row, by path range: the children's
    paths follow the parent's ("00010001" < child <= "00010001ZZZZ"). A range uses the path
    index; a LIKE on the outer row's path (startswith) cannot, and scanned every publication
    once per item. ``levels``: how many queries out the outer row is (2 from a subquery's own
    subquery)."""

    def outer(name: str):
        ref = name
        for _ in range(levels):
            ref = OuterRef(ref)
        return ref

    return {
        "depth": outer(outer_depth) + 1,
        "path__gt": outer(outer_path),
        "path__lte": Concat(outer(outer_path), Value("Z" * Page.steplen)),
    }


def moves_into() -> QuerySet:
    """When live publications were moved into the outer row's item (their ``Placement``): a
    publication moved in counts for its new item from then, not from when it first went live
    elsewhere."""
    children = {f"page__{key}": value for key, value in _children_range().items()}
    return Placement.objects.filter(
        parent=OuterRef("pk"), cause=Placement.Cause.MOVED, page__live=True, **children
    )


def latest_publication_date() -> TruncDate:
    """The day the item's newest live publication went live there (first went live, or was
    moved in, whichever is later): what every deadline counts from. A publication's document
    date (``publication_date``) is typed by the editor and never does."""
    # Ordered by an expression of the column, not the column: PostgreSQL may otherwise walk
    # the whole first_published_at index backwards for each item, filtering every page of the
    # site by path (2 ms an item, the index page's query 70 ms to 540 ms, the plan flipping
    # with each ANALYZE), instead of reading the item's few children by the path index.
    newest = PublicationPage.objects.filter(live=True, **_children_range()).order_by(
        (F("first_published_at") + dt.timedelta(0)).desc()
    )
    went_live = Subquery(newest.values("first_published_at")[:1])
    moved_in = Subquery(moves_into().order_by("-recorded_at").values("recorded_at")[:1])
    versions = price_versions_live().order_by("-published_at")
    new_prices = Subquery(versions.values("published_at")[:1])
    return TruncDate(NewestOf(went_live, moved_in, new_prices), output_field=DateField())


class NewestOf(Greatest):
    """The greatest of its values that are not NULL (NULL when all are), each value computed
    once on PostgreSQL, whose ``GREATEST`` skips NULLs. SQLite's is NULL when any value is, so
    there each value falls back on the others (and is computed up to once per value): with the
    fallbacks on PostgreSQL too, every subquery ran three times per item, and the overdue
    report's query over 3,000 items took 230 ms instead of 75."""

    def as_sqlite(self, compiler, connection, **extra_context):
        values = self.get_source_expressions()
        count = len(values)
        each_falling_back = Greatest(
            *(Coalesce(*(values[(i + k) % count] for k in range(count))) for i in range(count)),
            output_field=self.output_field,
        )
        return each_falling_back.as_sqlite(compiler, connection, **extra_context)


def price_versions_live() -> QuerySet:
    """The rows of the outer row's live price lists that went live: a price list publishes
    its new prices by a new version of the same page (a new revision, reviewed as any other),
    and each such version is a publication of the item from when it went live."""
    # The live children by the page tree's path index, then their versions by page: joined
    # through the list's own tables instead, PostgreSQL merged every price list per item.
    live_children = Page.objects.filter(live=True, **_children_range(levels=2)).values("pk")
    return PriceListVersion.objects.filter(published_at__isnull=False, page_id__in=live_children)


def catalog_items(*, root: Page, user: Viewer) -> PageQuerySet:
    """Items under ``root`` that ``user`` may see, with department and latest publication date."""
    return (
        visible_to(CatalogItemPage.objects.descendant_of(root), user)
        .select_related("department")
        .annotate(last_published_on=latest_publication_date())
        .order_by("path")
    )


@dataclass(frozen=True, slots=True)
class ItemRow:
    """A catalog item as a table of items shows it (the index and a category page): plain
    values, its rule in words and its audience's label translated once per table."""

    pk: int
    path: str
    title: str
    url: str | None
    department_name: str
    rule_words: str
    audience_label: str
    last_published_on: dt.date | None


#: What ``reverse`` leaves unquoted in a URL's path (as ``Page.get_url`` builds it).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


def _item_urls(rows: list, *, root: Page, request) -> dict[int, str | None]:
    """{key: URL} of the items of ``rows`` (under ``root``), as ``Page.get_url`` gives them.

    Each from the root's own URL and the item's path below it, quoted as ``reverse`` quotes
    it: reversing 260 URLs took a third as long as the query finding the items. Wagtail's own
    way (one query for them all) where that would not give its answer: a root shown from a
    revision or a preview whose slug is not the live one (the items' paths are under the live
    one), a root without a URL, or URLs without a trailing slash (``WAGTAIL_APPEND_SLASH``)."""
    root_url = root.get_url(request)
    below = len(root.url_path)
    urls: dict[int, str | None] = {}
    if root_url is not None and root_url.endswith("/"):
        urls = {
            row.pk: root_url + quote(row.url_path[below:], safe=URL_SAFE)
            for row in rows
            if row.url_path.startswith(root.url_path)
        }
    if missing := [row.pk for row in rows if row.pk not in urls]:
        urls |= {page.pk: page.get_url(request) for page in Page.objects.filter(pk__in=missing)}
    return urls


def _item_rows(*, root: Page, request, user: Viewer, default_working_days: int) -> list[ItemRow]:
    """The rows of :func:`catalog_items` under ``root``, for a page answering ``request``.

    Read as values, not pages: building 260 item pages (each a cluster of child relations, and
    its department) took as long as the query that finds them."""
    audiences = {value: str(label) for value, label in Audience.choices}
    described: dict[UpdateRule, str] = {}
    rows = list(
        catalog_items(root=root, user=user).values_list(
            "pk",
            "path",
            "title",
            "url_path",
            "department__name",
            "audience",
            *RULE_COLUMNS.values(),
            "last_published_on",
            named=True,
        )
    )
    urls = _item_urls(rows, root=root, request=request)
    items = []
    for row in rows:
        rule = UpdateRule(**{part: getattr(row, column) for part, column in RULE_COLUMNS.items()})
        if rule not in described:
            described[rule] = rule.describe(default_working_days=default_working_days)
        items.append(
            ItemRow(
                pk=row.pk,
                path=row.path,
                title=row.title,
                url=urls[row.pk],
                department_name=row.department__name or "",
                rule_words=described[rule],
                audience_label=audiences.get(row.audience, row.audience),
                last_published_on=row.last_published_on,
            )
        )
    return items


@dataclass
class CategoryListing:
    category: CatalogCategoryPage
    items: list[ItemRow] = field(default_factory=list)


def catalog_for_index(
    *, index: DisclosureIndexPage, request, user: Viewer, default_working_days: int
) -> list[CategoryListing]:
    """Categories with their visible items, for a page answering ``request`` (the items'
    links); categories with nothing visible are left out."""
    listings = {
        category.path: CategoryListing(category=category)
        for category in visible_to(CatalogCategoryPage.objects.child_of(index), user)
    }
    for item in _item_rows(
        root=index, request=request, user=user, default_working_days=default_working_days
    ):
        listing = listings.get(item.path[: -CatalogItemPage.steplen])
        if listing is not None:
            listing.items.append(item)
    return [listing for listing in listings.values() if listing.items]


def items_for_category(
    *, category: CatalogCategoryPage, request, user: Viewer, default_working_days: int
) -> list[ItemRow]:
    """The category's visible items, for a page answering ``request`` (the items' links)."""
    return _item_rows(
        root=category, request=request, user=user, default_working_days=default_working_days
    )


def publications_for_item(*, item: CatalogItemPage, user: Viewer) -> PageQuerySet:
    """The item's live publications, newest first, for a list of links: without their
    bodies, which a page of twenty would otherwise carry from the database for nothing."""
    return (
        visible_to(PublicationPage.objects.child_of(item), user)
        .defer("body", "summary")
        .order_by("-publication_date", "-pk")
    )


def latest_publications(*, root: Page, user: Viewer, limit: int = 10) -> list[PublicationPage]:
    """The newest publications under ``root``, each with its item's title (one query)."""
    queryset = (
        visible_to(PublicationPage.objects.descendant_of(root), user)
        .annotate(item_title=_ancestor(1, "title"))
        .order_by("-publication_date", "-pk")
    )
    return list(queryset[:limit])


def ancestors_of(page: Page) -> list[Page]:
    """The pages above ``page``, from the site's home page down, for its breadcrumbs.

    Routing already read them: Wagtail's ``route`` (and ``PathRoutingMixin``) leave each
    page's parent on it, so a page served by the router needs no query. Any other page asks
    the database.
    """
    chain = []
    parent = getattr(page, "_cached_parent_obj", None)
    while parent is not None and parent.depth > 2:
        chain.append(parent)
        parent = getattr(parent, "_cached_parent_obj", None)
    if parent is None or page.depth <= 2:
        return [ancestor for ancestor in page.get_ancestors() if ancestor.depth > 1]
    return [parent, *reversed(chain)]


def disclosure_index_for_site(site: Site) -> DisclosureIndexPage | None:
    return DisclosureIndexPage.objects.live().descendant_of(site.root_page, inclusive=True).first()


def request_centre_for_site(site: Site) -> RequestCentrePage | None:
    """The institution's live requests and consultations page, if it has one."""
    return visible_to(RequestCentrePage.objects.descendant_of(site.root_page), None).first()


def default_working_days_for(site: Site | None) -> int:
    if site is None:
        return DEFAULT_WORKING_DAYS
    institution = institution_settings_by_site().get(site.pk) or InstitutionSettings.for_site(site)
    return institution.default_update_working_days


def default_working_days_for_request(request) -> int:
    """The serving institution's default, from the settings Wagtail keeps on the request (the
    base template's ``settings`` context processor has usually read them already)."""
    if request is None or Site.find_for_request(request) is None:
        return DEFAULT_WORKING_DAYS
    return InstitutionSettings.for_request(request).default_update_working_days


def institution_settings_by_site() -> dict[int, InstitutionSettings]:
    """Every institution's settings by site id (asked once per request)."""
    return memoized(
        "institution-settings",
        lambda: {settings.site_id: settings for settings in InstitutionSettings.objects.all()},
    )


def institution_names(sites: Iterable[Site]) -> dict[int, str]:
    """Each institution's name by site id (:func:`institution_name`), its settings read once
    per request."""
    settings_by_site = institution_settings_by_site()
    return {site.pk: institution_name(site, settings_by_site.get(site.pk)) for site in sites}


def interpretations_for(*, policy: PolicyDocumentPage, user: Viewer) -> PageQuerySet:
    return visible_to(
        PolicyInterpretationPage.objects.filter(policy_document=policy), user
    ).order_by("-publication_date")


def policy_for(*, interpretation: PolicyInterpretationPage, user: Viewer):
    """The interpreted policy, or ``None`` when ``user`` may not see it."""
    if interpretation.policy_document_id is None:
        return None
    return visible_to(
        PolicyDocumentPage.objects.filter(pk=interpretation.policy_document_id), user
    ).first()


def attachments_for(*, publication: PublicationPage) -> list[PublicationAttachment]:
    return list(publication.attachments.select_related("document").order_by("sort_order"))


# The API's reads: the whole catalog across institutions, filtered, audience-aware.


def site_roots() -> list[tuple[str, Site]]:
    """(root page path, site) for every institution, the longest path first, so that the
    first root a page's path starts with is the institution holding it."""

    return memoized("site-roots", institution_roots)


def site_of(path: str, roots: list[tuple[str, Site]] | None = None) -> Site | None:
    """The institution (site) holding the page at ``path``: the one place a page's path is
    matched to a site. Pass ``roots`` (``site_roots()``) when asking for many pages."""
    return holder_of(path, site_roots() if roots is None else roots)


@dataclass(frozen=True)
class Institution:
    site: Site
    settings: InstitutionSettings | None
    index: DisclosureIndexPage | None


def institutions(*, site_id: int | None = None) -> list[Institution]:
    """Every institution (a site) with its settings and its live, public disclosure index:
    three queries, whatever the number of institutions."""
    roots = site_roots()
    if site_id is not None:
        roots = [(root, site) for root, site in roots if site.pk == site_id]
    settings_by_site = {
        setting.site_id: setting
        for setting in InstitutionSettings.objects.filter(site__in=[site for _, site in roots])
    }
    index_of: dict[int, DisclosureIndexPage] = {}
    for index in visible_to(DisclosureIndexPage.objects.all(), None).order_by("path"):
        site = site_of(index.path, roots)
        if site is not None:
            index_of.setdefault(site.pk, index)
    return sorted(
        (
            Institution(
                site=site, settings=settings_by_site.get(site.pk), index=index_of.get(site.pk)
            )
            for _, site in roots
        ),
        key=lambda institution: (not institution.site.is_default_site, institution.site.pk),
    )


def _visible_one(model, pk: int, user: Viewer):
    """The page of ``model`` with ``pk`` if ``user`` may see it; ``None`` whether it is hidden
    or does not exist, so that no answer tells the two apart."""
    return visible_to(model.objects.filter(pk=pk), user).first()


def visible_category(pk: int, user: Viewer) -> CatalogCategoryPage | None:
    return _visible_one(CatalogCategoryPage, pk, user)


def visible_item(pk: int, user: Viewer) -> CatalogItemPage | None:
    return _visible_one(CatalogItemPage, pk, user)


def categories_visible_to(user: Viewer, *, site: Site) -> PageQuerySet:
    return visible_to(CatalogCategoryPage.objects.descendant_of(site.root_page), user).order_by(
        "path"
    )


def items_visible_to(
    user: Viewer,
    *,
    site: Site | None = None,
    category_id: int | None = None,
    department_id: int | None = None,
    audience: str | None = None,
) -> PageQuerySet:
    """Catalog items ``user`` may see, filtered. A filter naming a page the user may not see
    gives no items, exactly as one naming a page that does not exist."""
    # Naming the page type lets PostgreSQL find the items' rows in the page table by the
    # content-type index (3,000 of 53,000 pages) instead of filtering every page for the
    # audience first: the API's count of all items took 26 ms, now 5.
    items = visible_to(CatalogItemPage.objects.type(CatalogItemPage), user)
    if site is not None:
        items = items.descendant_of(site.root_page)
    if category_id is not None:
        category = visible_category(category_id, user)
        items = items.child_of(category) if category is not None else items.none()
    if department_id is not None:
        items = items.filter(department_id=department_id)
    if audience:
        items = items.filter(audience=audience)
    return items.select_related("department").order_by("path")


def publications_visible_to(
    user: Viewer,
    *,
    site: Site | None = None,
    item_id: int | None = None,
    category_id: int | None = None,
    department_id: int | None = None,
    kinds: list[type[PublicationPage]] | None = None,
    date_from=None,
    date_to=None,
) -> PageQuerySet:
    """Live publications ``user`` may see, newest first, each with its item's and category's
    id and title and its item's department, annotated in SQL."""
    publications = visible_to(PublicationPage.objects.all(), user)
    if site is not None:
        publications = publications.descendant_of(site.root_page)
    if item_id is not None:
        item = visible_item(item_id, user)
        publications = publications.child_of(item) if item is not None else publications.none()
    if category_id is not None:
        category = visible_category(category_id, user)
        publications = (
            publications.descendant_of(category) if category is not None else publications.none()
        )
    if kinds:
        publications = publications.exact_type(*kinds)
    if date_from is not None:
        publications = publications.filter(publication_date__gte=date_from)
    if date_to is not None:
        publications = publications.filter(publication_date__lte=date_to)
    publications = publications.annotate(
        item_id=_ancestor(1, "pk"),
        item_title=_ancestor(1, "title"),
        category_id=_ancestor(2, "pk"),
        category_title=_ancestor(2, "title"),
        item_department_id=_ancestor(1, "department_id", model=CatalogItemPage),
    )
    if department_id is not None:
        publications = publications.filter(item_department_id=department_id)
    # page_ptr_id rather than pk (Page.id): both columns of the publication's own table, so
    # its date index gives the newest first without sorting every visible publication.
    return publications.select_related("content_type").order_by("-publication_date", "-page_ptr_id")


def attachments_visible_to(
    user: Viewer, attachments: list[PublicationAttachment]
) -> list[PublicationAttachment]:
    """The attachments whose document ``user`` may see (private collections left out); with
    none to show, no query for the private collections."""
    if not attachments:
        return []
    hidden = hidden_collection_ids(user)
    return [
        attachment for attachment in attachments if attachment.document.collection_id not in hidden
    ]


def free_slug(parent: Page, base: str) -> str:
    """``base`` as a slug not yet taken among ``parent``'s children (``base-2``, ``-3``, …)."""
    slug, counter = slugify(base), 2
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        slug, counter = f"{slugify(base)}-{counter}", counter + 1
    return slug
