"""Reads for moderation screens."""

from django.db.models import Q

from ..models import CatalogItemPage, EmergencyPublication, InstitutionSettings
from ..models.moderation import catalog_item_for, department_head_ids


def emergencies_visible_to(user) -> list[EmergencyPublication]:
    """Emergency publications the office (all of its institutions) or a department head sees.

    Each carries ``can_confirm``: the user is a head of its department and not its publisher.
    """
    office_roots = [
        s.site.root_page.path
        for s in InstitutionSettings.objects.filter(office_group__user=user).select_related(
            "site__root_page"
        )
    ]
    head_items = CatalogItemPage.objects.filter(
        Q(department__heads_group__user=user) | Q(department__acting_heads__user=user)
    ).values_list("path", flat=True)
    paths = office_roots + list(head_items)
    if user.is_superuser:
        query = Q()
    elif paths:
        query = Q()
        for path in paths:
            query |= Q(page__path__startswith=path)
    else:
        return []
    emergencies = list(
        EmergencyPublication.objects.filter(query)
        .select_related("page", "published_by", "confirmed_by")
        .order_by("confirmed_at", "-published_at")
    )
    for emergency in emergencies:
        item = catalog_item_for(emergency.page)
        heads = department_head_ids(item.department) if item and item.department else set()
        emergency.can_confirm = (
            emergency.awaiting_confirmation
            and user.pk in heads
            and user.pk != emergency.published_by_id
        )
    return emergencies
