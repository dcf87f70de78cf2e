"""Health commissions: their groups and collection, and the shape of their oversight."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection

from ..models import Commission
from ..rules.commissions import MAX_LEVELS_BELOW, depth_below
from ..selectors.commissions import oversight_edges
from .departments import _group


def oversight_problem(commission: Commission, below: list[int]) -> str | None:
    """Why ``commission`` may not oversee the commissions ``below`` (their areas would loop
    back onto it, or reach deeper than a national commission over counties), or None."""
    _institutions, edges = oversight_edges()
    edges = {**edges, commission.pk: list(below)}
    depths = {pk: depth_below(pk, below=edges) for pk in {commission.pk, *edges}}
    if any(depth is None for depth in depths.values()):
        return _("A commission cannot oversee itself, nor a commission above it.")
    if max(depths.values(), default=0) > MAX_LEVELS_BELOW:
        return _("Oversight reaches at most %(levels)d levels down.") % {"levels": MAX_LEVELS_BELOW}
    return None


@transaction.atomic
def ensure_commission_groups(*, commission: Commission) -> Commission:
    """Give a commission its readers and assessors groups and its collection if it has none.

    The groups may open the admin and nothing else: what a commission reads follows from
    :class:`~disclosure.selectors.commissions.CommissionAccess`, not from Wagtail's page or
    collection permissions, so it never edits an institution's pages or documents."""
    changed = []
    names = {"commission": commission.name}
    if commission.readers_group_id is None:
        commission.readers_group = _group(_("%(commission)s · readers") % names)
        changed.append("readers_group")
    if commission.assessors_group_id is None:
        commission.assessors_group = _group(_("%(commission)s · assessors") % names)
        changed.append("assessors_group")
    if commission.document_collection_id is None:
        root = Collection.get_first_root_node()
        commission.document_collection = root.add_child(name=commission.name)
        changed.append("document_collection")
    if changed:
        commission.save(update_fields=changed)
    return commission
