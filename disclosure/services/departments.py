"""Departments, their groups, and the page permissions that follow from owning a catalog item."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from ..models import CatalogItemPage, Department, InstitutionSettings

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
OFFICE_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
)
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
DOCUMENT_PERMISSIONS = ("add_document", "change_document", "choose_document")


def _institution_label(site: Site) -> str:
    return site.site_name or site.hostname


def _group(name: str, *, admin_access: bool = True) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    if admin_access:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=ADMIN_ACCESS[0], codename=ADMIN_ACCESS[1]
            )
        )
    return group


def institution_collection(site: Site):
    """The institution's own collection of documents, made under the root on first use."""
    institution = InstitutionSettings.for_site(site)
    if institution.document_collection_id is None:
        root = Collection.get_first_root_node()
        institution.document_collection = root.add_child(name=_institution_label(site))
        institution.save(update_fields=["document_collection"])
    return institution.document_collection


def _grant_documents(group: Group, site: Site) -> None:
    """Let ``group`` add, change and choose the documents of its own institution only."""
    collection = institution_collection(site)
    for codename in DOCUMENT_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtaildocs", codename=codename
        )
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


@transaction.atomic
def ensure_department(*, site: Site, name: str, sort_order: int = 0) -> Department:
    """Return the site's department called ``name``, creating it and its two groups if needed."""
    department, _created = Department.objects.get_or_create(
        site=site, name=name, defaults={"sort_order": sort_order}
    )
    return ensure_department_groups(department=department)


@transaction.atomic
def ensure_department_groups(*, department: Department) -> Department:
    """Give a department its editors and heads groups if it has none yet."""
    names = {"institution": _institution_label(department.site), "department": department.name}
    changed = False
    if department.editors_group_id is None:
        department.editors_group = _group(_("%(institution)s · %(department)s editors") % names)
        changed = True
    if department.heads_group_id is None:
        department.heads_group = _group(_("%(institution)s · %(department)s heads") % names)
        changed = True
    if changed:
        department.save(update_fields=["editors_group", "heads_group"])
        _grant_documents(department.editors_group, department.site)
        _grant_documents(department.heads_group, department.site)
    return department


@transaction.atomic
def ensure_office_group(*, site: Site, index: Page | None = None) -> Group:
    """The institution's disclosure office group; with ``index``, its page permissions too.

    The office holds publish permission on the catalog because the final approval publishes;
    the disclosure page types still refuse any publication that skipped the approvals.
    """
    institution = InstitutionSettings.for_site(site)
    if institution.office_group_id is None:
        institution.office_group = _group(
            _("%(institution)s · disclosure office") % {"institution": _institution_label(site)}
        )
        institution.save(update_fields=["office_group"])
        _grant_documents(institution.office_group, site)
    group = institution.office_group
    if index is not None:
        for codename in OFFICE_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=Permission.objects.get(codename=codename)
            )
    return group


def grant_item_permissions(*, item: CatalogItemPage) -> None:
    """Let the item's department (editors and heads) add and edit pages under the item only."""
    department = item.department
    groups = [g for g in (department.editors_group, department.heads_group) if g is not None]
    permissions = list(Permission.objects.filter(codename__in=EDITOR_PAGE_PERMISSIONS))
    department_groups = Department.objects.filter(site_id=department.site_id).values_list(
        "editors_group_id", "heads_group_id"
    )
    all_department_group_ids = {gid for pair in department_groups for gid in pair if gid}
    stale = GroupPagePermission.objects.filter(
        page=item, group_id__in=all_department_group_ids - {g.pk for g in groups}
    )
    stale.delete()
    for group in groups:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=item, permission=permission)
