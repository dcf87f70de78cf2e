"""Whose catalog items a user oversees in the admin's reports."""

from django.db.models import Q
from wagtail.models import Page
from wagtail.query import PageQuerySet

from ..models import CatalogItemPage, Department, InstitutionSettings


def _institutions_overseen_by(user):
    """Institutions whose disclosure office or supervisors group ``user`` belongs to."""
    groups = user.groups.all()
    return InstitutionSettings.objects.filter(
        Q(office_group__in=groups) | Q(supervisors_group__in=groups)
    )


def overseen_items(user) -> PageQuerySet:
    """Superusers: every item. The office and supervisors: their institutions' items.
    Department editors and heads: their departments' items. Anyone else: none."""
    items = CatalogItemPage.objects.all()
    if not user.is_authenticated:
        return items.none()
    if user.is_superuser:
        return items
    groups = user.groups.all()
    roots = _institutions_overseen_by(user).values_list("site__root_page__path", flat=True)
    scope = Q()
    for path in roots:
        scope |= Q(path__startswith=path)
    departments = Department.objects.filter(
        Q(editors_group__in=groups) | Q(heads_group__in=groups)
    ).values_list("pk", flat=True)
    scope |= Q(department__in=list(departments))
    return items.filter(scope) if scope else items.none()


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
