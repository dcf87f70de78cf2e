"""Whose catalog items a user oversees in the admin's reports, and which groups of which
institutions and departments a user belongs to."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from ..models import CatalogCategoryPage, CatalogItemPage, Department, InstitutionSettings
from ..models.institutions import held_by as institutions_held_by
from ..models.institutions import institution_roots
from ..request_memo import memoized
from .commissions import CommissionAccess


@dataclass(frozen=True)
class Memberships:
    """The institutions whose office, supervisors or leadership a user belongs to, and the
    departments whose editors or heads (``head_departments``: heads only)."""

    office_sites: frozenset[int] = frozenset()
    supervisor_sites: frozenset[int] = frozenset()
    leadership_sites: frozenset[int] = frozenset()
    departments: frozenset[int] = frozenset()
    head_departments: frozenset[int] = frozenset()


def memberships_of(user) -> Memberships:
    """``user``'s memberships, read at once (three queries)."""
    groups = set(user.groups.values_list("pk", flat=True))
    if not groups:
        return Memberships()
    office, supervisors, leaders = set(), set(), set()
    for (
        site_id,
        office_group,
        supervisors_group,
        leadership_group,
    ) in InstitutionSettings.objects.filter(
        Q(office_group__in=groups)
        | Q(supervisors_group__in=groups)
        | Q(leadership_group__in=groups)
    ).values_list("site_id", "office_group_id", "supervisors_group_id", "leadership_group_id"):
        if office_group in groups:
            office.add(site_id)
        if supervisors_group in groups:
            supervisors.add(site_id)
        if leadership_group in groups:
            leaders.add(site_id)
    departments, heads = set(), set()
    for pk, heads_group in Department.objects.filter(
        Q(editors_group__in=groups) | Q(heads_group__in=groups)
    ).values_list("pk", "heads_group_id"):
        departments.add(pk)
        if heads_group in groups:
            heads.add(pk)
    return Memberships(
        office_sites=frozenset(office),
        supervisor_sites=frozenset(supervisors),
        leadership_sites=frozenset(leaders),
        departments=frozenset(departments),
        head_departments=frozenset(heads),
    )


def _institutions_overseen_by(user):
    """Institutions whose disclosure office or supervisors group ``user`` belongs to."""
    groups = user.groups.all()
    return InstitutionSettings.objects.filter(
        Q(office_group__in=groups) | Q(supervisors_group__in=groups)
    )


def overseen_site_ids(user) -> list[int]:
    """Sites (institutions) whose office or supervisors group ``user`` belongs to."""
    return list(_institutions_overseen_by(user).values_list("site_id", flat=True))


def department_ids_of(user) -> list[int]:
    """Departments whose editors or heads group ``user`` belongs to."""
    groups = user.groups.all()
    return list(
        Department.objects.filter(
            Q(editors_group__in=groups) | Q(heads_group__in=groups)
        ).values_list("pk", flat=True)
    )


def staff_root_paths(user) -> list[str]:
    """Root page paths of the institutions whose staff ``user`` is: a member of one of its
    departments, of its disclosure office or of its supervisors. Two queries."""
    groups = list(user.groups.values_list("pk", flat=True))
    if not groups:
        return []
    department_sites = (
        Department.objects.filter(Q(editors_group__in=groups) | Q(heads_group__in=groups))
        .order_by()
        .values_list("site__root_page__path", flat=True)
    )
    institution_sites = (
        InstitutionSettings.objects.filter(
            Q(office_group__in=groups) | Q(supervisors_group__in=groups)
        )
        .order_by()
        .values_list("site__root_page__path", flat=True)
    )
    return sorted(set(department_sites.union(institution_sites)))


def is_office_member(user, *, site_id: int | None = None) -> bool:
    """In the disclosure office of that institution (of any institution when ``site_id`` is
    None, for records shared by all, such as the working-day calendar)."""
    offices = InstitutionSettings.objects.filter(office_group__in=user.groups.all())
    if site_id is not None:
        offices = offices.filter(site_id=site_id)
    return offices.exists()


def _overseen_scope(user) -> tuple[list[str], list[int]]:
    """The root paths of the institutions ``user`` oversees and the departments they edit or
    head (read once per request: the admin's menu, the report and its filters each ask)."""
    return memoized(
        ("overseen-scope", user.pk),
        lambda: (
            list(_institutions_overseen_by(user).values_list("site__root_page__path", flat=True)),
            department_ids_of(user),
        ),
    )


def held_by(roots, *, field: str = "path") -> Q:
    """``models.institutions.held_by`` with the institutions' roots read once per request."""
    every = [root for root, _site in memoized("site-roots", institution_roots)]
    return institutions_held_by(roots, field=field, every=every)


def overseen_items(user) -> PageQuerySet:
    """Superusers: every item. The office and supervisors: their institutions' items.
    Department editors and heads: their departments' live items (an item the office has not
    published yet is the office's draft, named by a title nobody reviewed, and no deadline of
    the department's). Anyone else: none."""
    items = CatalogItemPage.objects.all()
    if not user.is_authenticated:
        return items.none()
    if user.is_superuser:
        return items
    roots, department_ids = _overseen_scope(user)
    scope = held_by(roots) | Q(department__in=department_ids, live=True)
    return items.filter(scope) if scope else items.none()


def _overseen_categories(user) -> PageQuerySet:
    """The categories holding at least one item ``user`` oversees.

    A category's children are catalog items (its only subpage type), so a category with
    children holds items; an office's categories are those under its institutions. Matching
    every overseen item's parent path to the categories instead scanned the page table twice
    (20 ms at 3,000 items)."""
    categories = CatalogCategoryPage.objects.filter(numchild__gt=0)
    if not user.is_authenticated:
        return categories.none()
    if user.is_superuser:
        return categories
    roots, department_ids = _overseen_scope(user)
    parent_paths = (
        CatalogItemPage.objects.filter(department__in=department_ids, live=True)
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("parent_path")
    )
    scope = held_by(roots + _commission_roots(user)) | Q(path__in=Subquery(parent_paths))
    return categories.filter(scope)


def commission_site_ids(user) -> frozenset[int]:
    """The institutions ``user`` reads as a member of a health commission over them."""
    return CommissionAccess.of(user).site_ids


def _commission_roots(user) -> list[str]:
    area = commission_site_ids(user)
    if not area:
        return []
    # The same memo as selectors.catalog.site_roots (which imports this module).
    return [path for path, site in memoized("site-roots", institution_roots) if site.pk in area]


def reported_items(user) -> PageQuerySet:
    """The items whose standing ``user`` reads in the overdue report: those they oversee
    (:func:`overseen_items`) and, for a health commission's members, every item of the
    institutions in its area. Reading a standing is all the commission does with them: an
    item's records, timeline and pages stay :func:`overseen_items`'."""
    items = CatalogItemPage.objects.all()
    if not user.is_authenticated:
        return items.none()
    if user.is_superuser:
        return items
    roots, department_ids = _overseen_scope(user)
    scope = held_by(roots + _commission_roots(user)) | Q(department__in=department_ids, live=True)
    return items.filter(scope)


@dataclass(frozen=True)
class OverseenChoices:
    """What the overdue report's filters offer ``user``: only the institutions, departments and
    categories of the items they oversee."""

    sites: QuerySet
    departments: QuerySet
    categories: QuerySet


def overseen_choices(user) -> OverseenChoices:
    items = reported_items(user)
    departments = Department.objects.filter(pk__in=items.values("department_id"))
    return OverseenChoices(
        sites=Site.objects.filter(pk__in=departments.values("site_id")).order_by("site_name"),
        departments=departments.select_related("site").only(
            "pk", "name", "sort_order", "site", "site__site_name", "site__hostname"
        ),
        categories=_overseen_categories(user).only("pk", "title", "path").order_by("path"),
    )


def oversees_institution_of(user, page: Page) -> bool:
    """Office member or supervisor of the page's institution (or superuser)."""
    if user.is_superuser:
        return True
    site = page.get_site()
    institution = InstitutionSettings.for_site(site) if site else None
    if institution is None:
        return False
    group_ids = {institution.office_group_id, institution.supervisors_group_id} - {None}
    return user.groups.filter(pk__in=group_ids).exists()


def oversees_institutions(user) -> bool:
    """Superusers, and members of any institution's disclosure office or supervisors group."""
    return user.is_superuser or _institutions_overseen_by(user).exists()
