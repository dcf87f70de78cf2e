"""The link check of the monthly column patrol (栏目巡查): the internal links, linked documents
and attachments of every live disclosure page of an institution.

Everything is checked against the database and the media storage, never the network: a link to
another host (or ``mailto:``, ``tel:``) is not followed. A link inside the site is resolved as
a visitor's request would be, by the project's URLs and then by the page tree.

The pages are read in one pass (their specific rows, one query per page type), then every page
they link to in one query and every document in one; only the files' existence is asked of the
storage, once per document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from wagtail import blocks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from ..models import PublicationAttachment
from .catalog import disclosure_index_for_site, site_of, site_roots

BROKEN_LINK = "broken_link"
UNPUBLISHED_TARGET = "unpublished_target"
MISSING_DOCUMENT = "missing_document"


@dataclass(frozen=True)
class LinkProblem:
    """One thing the office fixes on a page: a link leading nowhere or to a page the public
    cannot see, or a document that is gone."""

    kind: str  # BROKEN_LINK, UNPUBLISHED_TARGET or MISSING_DOCUMENT
    page_id: int  # the disclosure page where the problem is
    page_title: str
    target: str  # the link as written (or "page 123"), or the document's title
    detail: str  # a sentence for the office, translated


@dataclass(frozen=True)
class LinkCheck:
    pages_checked: int
    problems: list[LinkProblem]


# What a page links to, read from its stored content ---------------------------------------

PAGE, DOCUMENT, HREF = "page", "document", "href"


@dataclass(frozen=True)
class Link:
    """A link as stored: to a page or a document by id (as written), or an address."""

    kind: str  # PAGE, DOCUMENT or HREF
    value: str


def rich_text_links(html: str | None) -> Iterator[Link]:
    """The links of a rich text as Wagtail stores it: ``<a linktype="page" id="12">``,
    ``<a linktype="document" id="3">``, and plain ``<a href="…">``."""
    for attributes in map(extract_attrs, FIND_A_TAG.findall(html or "")):
        linktype = attributes.get("linktype")
        if linktype in (PAGE, DOCUMENT):
            yield Link(linktype, attributes.get("id", ""))
        elif linktype is None and attributes.get("href"):
            yield Link(HREF, attributes["href"])


def stream_links(block: blocks.Block, raw) -> Iterator[Link]:
    """The links in the stored (raw) value of ``block``: rich text, page and document choosers,
    inside streams, structs and lists. Read from the raw value, so that a chooser's page or
    document is not fetched (and a deleted one is still seen)."""
    if raw is None:
        return
    if isinstance(block, blocks.RichTextBlock):
        yield from rich_text_links(raw)
    elif isinstance(block, blocks.PageChooserBlock):
        yield Link(PAGE, str(raw))
    elif isinstance(block, DocumentChooserBlock):
        yield Link(DOCUMENT, str(raw))
    elif isinstance(block, blocks.StreamBlock):
        for child in raw:
            child_block = block.child_blocks.get(child.get("type"))
            if child_block is not None:
                yield from stream_links(child_block, child.get("value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from stream_links(child_block, raw.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            # A list's items are stored as {"type": "item", "value": …, "id": …} since
            # Wagtail 2.16, as bare values before.
            is_block = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            yield from stream_links(block.child_block, item["value"] if is_block else item)


def page_links(page: Page) -> list[Link]:
    """What ``page`` (a specific page) links to, in the order of its fields: its rich texts,
    its streams, and its own foreign keys to pages and documents (a policy interpretation's
    policy). Wagtail's own fields (owner, revisions, alias) are no links."""
    document_model = get_document_model()
    links: list[Link] = []
    for model_field in type(page)._meta.concrete_fields:
        if model_field.model is Page:
            continue
        if isinstance(model_field, RichTextField):
            links += rich_text_links(model_field.value_from_object(page))
        elif isinstance(model_field, StreamField):
            stream = model_field.value_from_object(page)
            links += stream_links(model_field.stream_block, list(stream.raw_data))
        elif isinstance(model_field, models.ForeignKey):
            target_id = getattr(page, model_field.attname)
            if target_id is None or model_field.remote_field.parent_link:
                continue
            if issubclass(model_field.related_model, Page):
                links.append(Link(PAGE, str(target_id)))
            elif issubclass(model_field.related_model, document_model):
                links.append(Link(DOCUMENT, str(target_id)))
    return links


# Where an address inside the site leads ------------------------------------------------------

UNCHECKED, FOUND, NO_FILE, NO_ROUTE, TO_DOCUMENT, TO_PAGE = (
    "unchecked",
    "found",
    "no_file",
    "no_route",
    "to_document",
    "to_page",
)


@dataclass(frozen=True)
class Address:
    """Where an ``href`` leads, as far as it is known before the pages are read."""

    outcome: str  # UNCHECKED, FOUND, NO_FILE, NO_ROUTE, TO_DOCUMENT or TO_PAGE
    document_id: int | None = None
    file_name: str = ""  # the file name a document's address names
    # TO_PAGE: the url_path of the page asked for, then those of its ancestors, nearest first
    # (one of them may route the rest itself, as the requests page does).
    url_paths: tuple[str, ...] = ()


def _same_host(netloc_host: str | None, site: Site) -> bool:
    return (netloc_host or "").lower() == site.hostname.lower()


def _under(path: str, prefix: str | None) -> str | None:
    """The rest of ``path`` under the URL prefix ``prefix`` ("/static/"), if it is one."""
    if prefix and prefix.startswith("/") and path.startswith(prefix):
        return path[len(prefix) :]
    return None


def _file_exists(path: str) -> bool | None:
    """Whether the static or media file at ``path`` exists; ``None`` when it names neither."""
    try:
        if (name := _under(path, settings.STATIC_URL)) is not None:
            return bool(name) and (
                finders.find(name) is not None or staticfiles_storage.exists(name)
            )
        if (name := _under(path, settings.MEDIA_URL)) is not None:
            return bool(name) and default_storage.exists(name)
    except SuspiciousFileOperation:  # "/media/%2e%2e/…": outside the folder, served by nobody
        return False
    return None


def _resolve(path: str):
    """Django's resolution of ``path``, with the slash that ``APPEND_SLASH`` would add."""
    try:
        return resolve(path)
    except Resolver404:
        if path.endswith("/"):
            return None
    try:
        return resolve(path + "/")
    except Resolver404:
        return None


def address_of(href: str, *, page_path: str, site: Site, root_url_path: str) -> Address:
    """Where ``href``, written on the page served at ``page_path``, leads on ``site``: off the
    site (another host, another scheme: not checked), to a file, a document, a page of the tree
    (by the url_paths to look for), or nowhere."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return Address(NO_ROUTE)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return Address(UNCHECKED)
    if (parts.scheme or parts.netloc) and not _same_host(parts.hostname, site):
        return Address(UNCHECKED)
    if not parts.path:
        # "#top" and "?page=2" stay on the page; "https://<this host>" is the home page.
        return Address(FOUND)
    path = unquote(urljoin(page_path, parts.path))
    if (exists := _file_exists(path)) is not None:
        return Address(FOUND if exists else NO_FILE)
    match = _resolve(path)
    if match is None:
        return Address(NO_ROUTE)
    if match.url_name == "wagtaildocs_serve":
        document_id, file_name = match.args
        return Address(TO_DOCUMENT, document_id=int(document_id), file_name=file_name)
    if match.url_name != "wagtail_serve":
        return Address(FOUND)  # one of the project's own views (search, feeds, the API)
    slugs = [slug for slug in match.args[0].split("/") if slug]
    url_paths = tuple(
        root_url_path + "".join(f"{slug}/" for slug in slugs[:depth])
        for depth in range(len(slugs), -1, -1)
    )
    return Address(TO_PAGE, url_paths=url_paths)


def _routed(address: Address, by_url_path: dict[str, Page]) -> Page | None:
    """The page that serves ``address`` (TO_PAGE): the page at its url_path, or its nearest
    ancestor that routes the rest of the path itself (``RoutablePageMixin``)."""
    wanted, *ancestors = address.url_paths
    if wanted in by_url_path:
        return by_url_path[wanted]
    for url_path in ancestors:
        page = by_url_path.get(url_path)
        if page is None:
            continue
        model = page.specific_class
        if model is None or not issubclass(model, RoutablePageMixin):
            return None
        try:
            model.get_resolver().resolve(wanted[len(url_path) - 1 :])
        except Resolver404:
            return None
        return page
    return None


# The check ---------------------------------------------------------------------------------


def _nearest_unpublished_ancestor_title() -> Subquery:
    """The title of the outer page's nearest ancestor below the tree's root that is not live
    (``publishing.unpublished_ancestor``, for many pages in one query)."""
    return Subquery(
        Page.objects.filter(
            depth__gt=1,
            depth__lt=OuterRef("depth"),
            live=False,
            path=Substr(OuterRef("path"), 1, Length("path")),
        )
        .order_by("-depth")
        .values("title")[:1]
    )


@dataclass
class _Reads:
    """What the check read in bulk: the linked pages (by id and by url_path) and documents,
    and each document's file's existence once asked."""

    pages_by_id: dict[int, Page]
    pages_by_url_path: dict[str, Page]
    documents: dict[int, AbstractDocument]
    file_exists: dict[int, bool] = field(default_factory=dict)

    def has_file(self, document: AbstractDocument) -> bool:
        if document.pk not in self.file_exists:
            name = document.file.name
            self.file_exists[document.pk] = bool(name) and document.file.storage.exists(name)
        return self.file_exists[document.pk]


def _read(
    links: list[Link], addresses: list[Address], attached_document_ids: set[int], *, root: Page
) -> _Reads:
    """Every page and document that ``links``, ``addresses`` (on the site of ``root``) and the
    attachments name: one query for the pages, one for the documents."""
    page_ids = {int(link.value) for link in links if link.kind == PAGE and link.value.isdigit()}
    url_paths = {
        url_path
        for address in addresses
        if address.outcome == TO_PAGE
        for url_path in address.url_paths
    }
    pages = (
        list(
            Page.objects.filter(
                Q(pk__in=page_ids) | Q(path__startswith=root.path, url_path__in=url_paths)
            ).annotate(unpublished_above=_nearest_unpublished_ancestor_title())
        )
        if page_ids or url_paths
        else []
    )
    document_ids = {
        int(link.value) for link in links if link.kind == DOCUMENT and link.value.isdigit()
    }
    document_ids |= {a.document_id for a in addresses if a.outcome == TO_DOCUMENT}
    document_ids |= attached_document_ids
    documents = get_document_model().objects.in_bulk(document_ids) if document_ids else {}
    return _Reads(
        pages_by_id={page.pk: page for page in pages},
        pages_by_url_path={page.url_path: page for page in pages},
        documents=documents,
    )


class _Found(NamedTuple):
    kind: str
    target: str
    detail: str


def _page_problem(target: str, page: Page | None) -> _Found | None:
    if page is None:
        detail = gettext("The link points to a page that does not exist: %(target)s")
        return _Found(BROKEN_LINK, target, detail % {"target": target})
    if not page.live:
        detail = gettext("The link points to “%(title)s”, which is not published: %(target)s")
        return _Found(UNPUBLISHED_TARGET, target, detail % {"title": page.title, "target": target})
    if page.unpublished_above:
        detail = gettext(
            "The link points to “%(title)s”, below “%(ancestor)s”, which is not published: "
            "%(target)s"
        )
        values = {"title": page.title, "ancestor": page.unpublished_above, "target": target}
        return _Found(UNPUBLISHED_TARGET, target, detail % values)
    return None


def _document_problem(
    document_id: int | str, document: AbstractDocument | None, reads: _Reads, target: str = ""
) -> _Found | None:
    """The problem of the document ``document_id`` (``document``, if it exists), named
    ``target`` or else by its title."""
    if document is None:
        target = target or gettext("document %(id)s") % {"id": document_id}
        detail = gettext("The linked document does not exist: %(target)s")
        return _Found(MISSING_DOCUMENT, target, detail % {"target": target})
    if not reads.has_file(document):
        detail = gettext("The file of the document “%(title)s” is missing from storage: %(file)s")
        values = {"title": document.title, "file": document.file.name}
        return _Found(MISSING_DOCUMENT, target or document.title, detail % values)
    return None


def _address_problem(href: str, address: Address, reads: _Reads) -> _Found | None:
    if address.outcome in (UNCHECKED, FOUND):
        return None
    if address.outcome == NO_FILE:
        detail = gettext("The link points to a file that does not exist: %(target)s")
        return _Found(BROKEN_LINK, href, detail % {"target": href})
    if address.outcome == TO_DOCUMENT:
        document = reads.documents.get(address.document_id)
        if document is not None and document.filename != address.file_name:
            # Wagtail answers 404 to the file name a replaced file had.
            detail = gettext(
                "The link names an earlier file of the document “%(title)s”: %(target)s"
            )
            return _Found(BROKEN_LINK, href, detail % {"title": document.title, "target": href})
        return _document_problem(address.document_id, document, reads, target=href)
    page = _routed(address, reads.pages_by_url_path) if address.outcome == TO_PAGE else None
    return _page_problem(href, page)


def _link_problem(link: Link, address: Address | None, reads: _Reads) -> _Found | None:
    if link.kind == PAGE:
        page = reads.pages_by_id.get(int(link.value)) if link.value.isdigit() else None
        return _page_problem(gettext("page %(id)s") % {"id": link.value}, page)
    if link.kind == DOCUMENT:
        document = reads.documents.get(int(link.value)) if link.value.isdigit() else None
        return _document_problem(link.value, document, reads)
    return _address_problem(link.value, address, reads)


def check_links(*, site: Site) -> LinkCheck:
    """Check the links and documents of every live page under ``site``'s disclosure index (the
    index, its categories and items, the requests page, every publication):

    - a link to a page that does not exist, or to an address on the site that no page, view or
      file answers: ``broken_link``;
    - a link to a page that is not live, or is below one that is not: ``unpublished_target``;
    - a linked or attached document that does not exist, or whose file is missing from the
      storage: ``missing_document``.

    Links to other hosts, ``mailto:`` and ``tel:`` are not checked. The same problem on a page
    is listed once. The queries do not grow with the number of pages or links."""
    index = disclosure_index_for_site(site)
    if index is None:
        return LinkCheck(pages_checked=0, problems=[])
    root = site.root_page
    root_url_path = root.url_path
    roots = site_roots()
    live = Page.objects.live().descendant_of(index, inclusive=True).order_by("path")
    # Not the pages of an institution whose home page lies inside this one's tree.
    pages = [page for page in live.specific() if site_of(page.path, roots) == site]
    attached: dict[int, list[int]] = {}
    for page_id, document_id in (
        PublicationAttachment.objects.filter(page__live=True, page__path__startswith=index.path)
        .order_by("sort_order", "pk")
        .values_list("page_id", "document_id")
    ):
        attached.setdefault(page_id, []).append(document_id)

    links = {page.pk: page_links(page) for page in pages}
    addresses: dict[tuple[int, str], Address] = {}
    for page in pages:
        page_path = "/" + page.url_path.removeprefix(root_url_path)
        for link in links[page.pk]:
            if link.kind == HREF:
                addresses[page.pk, link.value] = address_of(
                    link.value, page_path=page_path, site=site, root_url_path=root_url_path
                )
    reads = _read(
        [link for page_links_ in links.values() for link in page_links_],
        list(addresses.values()),
        {document_id for ids in attached.values() for document_id in ids},
        root=root,
    )

    problems: list[LinkProblem] = []
    for page in pages:
        found = [
            _link_problem(link, addresses.get((page.pk, link.value)), reads)
            for link in links[page.pk]
        ]
        found += [
            _document_problem(document_id, reads.documents.get(document_id), reads)
            for document_id in attached.get(page.pk, [])
        ]
        listed: set[tuple[str, str]] = set()
        for problem in found:
            if problem is None or (problem.kind, problem.target) in listed:
                continue
            listed.add((problem.kind, problem.target))
            problems.append(
                LinkProblem(
                    kind=problem.kind,
                    page_id=page.pk,
                    page_title=page.title,
                    target=problem.target,
                    detail=problem.detail,
                )
            )
    return LinkCheck(pages_checked=len(pages), problems=problems)
