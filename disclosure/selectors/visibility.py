"""Which pages (and documents) a user may see: the one audience filter every face uses."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Length, Substr
from django.db.models.lookups import In
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
)
from wagtail.query import PageQuerySet

from ..models import Readers
from ..models.institutions import holder_of, institution_roots
from ..request_memo import memoized
from .scope import held_by, staff_root_paths

Viewer = User | AnonymousUser | None


def _passes(restriction, user: User, staff_roots: list[str] | None) -> bool:
    """Whether a logged-in ``user`` passes a page or collection view restriction.

    A login restriction (the staff-only audience, 职工) admits the staff of the institution
    that holds the restricted page; ``staff_roots`` is ``None`` for a collection, which belongs
    to no single institution, so any logged-in user passes it as Wagtail would.
    """
    if user.is_superuser:
        return True
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        if staff_roots is None:
            return True
        # The institution holding the page: the nearest root above it, not any root above it
        # (a site rooted above another's pages does not make its staff theirs).
        holder = holder_of(restriction.page.path, memoized("site-roots", institution_roots))
        return holder is not None and holder.root_page.path in staff_roots
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        user_groups = set(user.groups.values_list("pk", flat=True))
        return any(group.pk in user_groups for group in restriction.groups.all())
    # Password restrictions are unlocked per session, never for a listing or the API.
    return False


def _exclude_under(queryset: PageQuerySet, pages: QuerySet, depths: set[int]) -> PageQuerySet:
    """``queryset`` without the rows at or below any of ``pages`` (found at ``depths``).

    A row's ancestor at a given depth is the prefix of its path of that length, so each depth
    is one ``NOT IN`` against the paths of ``pages`` at that depth, which the database answers
    from a hash of a few hundred paths. Wagtail's own ``public()`` and a chain of
    ``path__startswith`` conditions instead add a clause per restricted page: with 300
    staff-only items the SQL took longer to build than to run, and a correlated ``EXISTS``
    compared every page with every restriction.
    """
    for depth in sorted(depths):
        ancestors = pages.filter(depth=depth).order_by().values("path")
        queryset = queryset.exclude(In(Substr("path", 1, depth * Page.steplen), ancestors))
    return queryset


def _depths(name: str, pages: QuerySet) -> set[int]:
    """The depths of ``pages`` (asked once per request under ``name``)."""
    return memoized(
        ("page-depths", name),
        lambda: set(pages.order_by().values_list("depth", flat=True).distinct()),
    )


def unrestricted(queryset: PageQuerySet) -> PageQuerySet:
    """Wagtail's ``queryset.public()`` (no page at or below a view restriction of any kind),
    in SQL that does not grow with the number of restrictions; one query."""
    restricted = Page.objects.filter(view_restrictions__isnull=False)
    return _exclude_under(queryset, restricted, _depths("restricted", restricted))


def visible_to(queryset: PageQuerySet, user: Viewer) -> PageQuerySet:
    """Live pages that ``user`` may view, as stored (``PageReadability``): anonymous callers
    see public pages, staff the staff-only pages of their own institutions too, members of a
    restricting group its pages, superusers every page not under an unpublished one.

    One join on the page's key, and no query of its own but the user's institutions (two, for
    a logged-in user who is not a superuser). Fail-closed: a page without its row, or whose row
    was written for another path or while it was not live, is nobody's.
    """
    queryset = queryset.live()
    if user is None or not user.is_authenticated:
        return stored_visible(queryset)
    if user.is_superuser:
        return stored_visible(queryset, superuser=True)
    roots = memoized(("staff-roots", user.pk), lambda: staff_root_paths(user))
    return stored_visible(queryset, staff_roots=roots, groups=user.groups.all())


def visible_among(keys: list[int], user: Viewer) -> PageQuerySet:
    """The pages of ``keys`` that ``user`` may view, as :func:`visible_to`: for re-reading a
    list of pages found a moment ago. The keys are named on the readers' table too, so that
    PostgreSQL reads each table's rows by key (500 rows: 0.9 ms) rather than the whole table
    of readers (6.6 ms)."""
    return visible_to(Page.objects.filter(pk__in=keys, readability__page_id__in=keys), user)


def stored_visible(
    queryset: PageQuerySet,
    *,
    superuser: bool = False,
    staff_roots: list[str] | None = None,
    groups: QuerySet | None = None,
) -> PageQuerySet:
    """``queryset`` filtered by the stored readers, for a superuser, for the staff of the
    institutions rooted at ``staff_roots`` who belong to ``groups``, or (none of them given)
    for the public."""
    # Written for the page as it is now (kept by the database: see ``PageReadability``) and
    # while it was live.
    current = Q(readability__current=True, readability__live=True)
    if superuser:
        return queryset.filter(current, ~Q(readability__readers=Readers.NOBODY))
    if staff_roots is None and groups is None:
        return queryset.filter(current, readability__readers=Readers.PUBLIC)
    staff = held_by(staff_roots or [], field="readability__staff_path")
    failed = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.GROUPS,
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    if groups is not None:
        failed = failed.exclude(groups__in=groups)
    return queryset.filter(
        current,
        Q(readability__readers=Readers.PUBLIC)
        | (Q(readability__readers=Readers.STAFF) & staff)
        | (
            Q(readability__readers=Readers.GROUPS)
            & (Q(readability__staff_path="") | staff)
            # No group restriction at or above the page that the user is in no group of.
            & ~Exists(failed)
        ),
    )


def computed_visible_to(queryset: PageQuerySet, user: Viewer, *, staff_roots=None) -> PageQuerySet:
    """:func:`visible_to` computed from the tree instead of read from the stored rows: the
    source of truth ``check_audit`` and the tests compare the stored rows with.
    ``staff_roots``: the user's institutions' root paths, when given instead of read.

    Costs one query for unpublished parents, one for the restrictions and two for the user's
    institutions, whatever the size of ``queryset``.
    """
    queryset = queryset.live()
    # A live page under an unpublished one (an item unpublished without its publications) is
    # not shown either: its listing would name the unpublished parent.
    unpublished = Page.objects.filter(live=False, numchild__gt=0)
    queryset = _exclude_under(queryset, unpublished, _depths("unpublished-parents", unpublished))
    if user is None or not user.is_authenticated:
        return unrestricted(queryset)
    restrictions = memoized(
        "page-view-restrictions",
        lambda: list(PageViewRestriction.objects.select_related("page").prefetch_related("groups")),
    )
    if user.is_superuser or not restrictions:
        staff_roots = []
    elif staff_roots is None:
        staff_roots = staff_root_paths(user)
    failing = [r.page for r in restrictions if not _passes(r, user, staff_roots)]
    return _exclude_under(
        queryset,
        Page.objects.filter(pk__in=[page.pk for page in failing]),
        {page.depth for page in failing},
    )


def hidden_collection_ids(user: Viewer) -> set[int]:
    """Collections (and their descendants) whose documents ``user`` may not see."""
    closed_paths = [
        restriction.collection.path
        for restriction in CollectionViewRestriction.objects.select_related(
            "collection"
        ).prefetch_related("groups")
        if user is None
        or not user.is_authenticated
        or not _passes(restriction, user, staff_roots=None)
    ]
    if not closed_paths:
        return set()
    closed = Q()
    for path in closed_paths:
        closed |= Q(path__startswith=path)
    return set(Collection.objects.filter(closed).values_list("pk", flat=True))


def documents_visible_to(user: Viewer, documents: QuerySet | None = None) -> QuerySet:
    """Documents ``user`` may know of: outside the collections hidden from them, and used
    (attached or linked) by a page they may see, as Wagtail's reference index records it.

    A document uploaded for a draft or for a staff-only item is thereby invisible to the
    public even before it is published, whatever collection it was put in.
    """
    Document = get_document_model()
    documents = Document.objects.all() if documents is None else documents
    pages = visible_to(Page.objects.all(), user).annotate(key=Cast("pk", CharField()))
    used = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.values("key"),
            to_content_type=ContentType.objects.get_for_model(Document),
        )
        .annotate(document_id=Cast("to_object_id", BigIntegerField()))
        .values("document_id")
    )
    # Filtered by subqueries only, so that Wagtail's search still applies to the queryset.
    return documents.exclude(collection__in=hidden_collection_ids(user)).filter(pk__in=used)


def may_view(page: Page, user: User) -> bool:
    """Whether a logged-in ``user`` passes the login restrictions above ``page`` as the
    listings apply them: a staff-only page only for the staff of its own institution. Wagtail
    itself checks the other kinds of restriction when it serves the page."""
    restrictions = [
        restriction
        for restriction in page.get_view_restrictions().select_related("page")
        if restriction.restriction_type == PageViewRestriction.LOGIN
    ]
    if not restrictions or user.is_superuser:
        return True
    staff_roots = staff_root_paths(user)
    return all(_passes(restriction, user, staff_roots) for restriction in restrictions)
