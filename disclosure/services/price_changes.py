"""A price list version goes live: its publication time, its price changes, the item's change.

Called on ``page_published`` for a ``PriceListPage`` (``signal_handlers.py``), so whatever path
publishes (the office's final approval, an emergency publication, a scheduled go-live), inside
the transaction that publishes: the new version's ``published_at``, one ``PriceChange`` per row
added, removed or changed against the version live before, and a ``ChangeEvent`` of the catalog
item on the version's effective date, from which the item's on-change deadline counts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history
from wagtail.log_actions import get_active_log_context

from ..models.catalog import catalog_item_for
from ..models.compliance import ChangeEvent
from ..models.prices import ChangeKind, PriceChange, PriceListPage, PriceListVersion
from ..selectors.price_history import differences_between
from . import audit
from .compliance import record_change, recording_refusal

BATCH = 2000


def change_description(*, added: int, removed: int, changed: int) -> str:
    """价格调整：变动 N 项（新增 a，删除 b，调整 c）, in the institution's language: it is
    stored, and read later by whoever reads the item's changes."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Price adjustment: %(total)s rows changed (%(added)s added, %(removed)s removed, "
            "%(changed)s changed)"
        ) % {
            "total": added + removed + changed,
            "added": added,
            "removed": removed,
            "changed": changed,
        }


def _publisher(version: PriceListVersion, user):
    """Who published: the user acting (the approver; the admin and the moderation services
    set the log context), else, for a scheduled go-live nobody triggered, whoever imported
    the rows (the department, which the change is recorded for)."""
    if user is None:
        user = get_active_log_context().user
    if user is None or not user.is_authenticated:
        user = version.imported_by
    return user


def _recorder(item, user, version: PriceListVersion):
    """Who the item's change is recorded by: the publisher, or, where they may not record a
    change on the item (someone outside its department and the office publishing through
    another path), whoever imported the rows; the publication itself never fails on it."""
    if recording_refusal(item, user) is None:
        return user
    return version.imported_by


@transaction.atomic
def record_publication(*, page: PriceListPage, user=None) -> list[PriceChange]:
    """The version ``page`` now shows went live: record it, its changes and the item's change.

    Nothing when the page went live with a version that had gone live before (an edit of the
    words around the same rows, or a revert to an earlier list): its changes were recorded
    when it first went live.

    The first list of a page records its publication time only: it changes no price that was
    public before (every row would be "added"), and dating a change on its effective date
    would count it late against an item whose prices were public all along, on paper or in
    an earlier page.
    """
    # Wagtail announces a first publication scheduled for later too, with the page not live:
    # the version goes live (and is recorded) when the schedule publishes it.
    if page.rows_version_id is None or not page.live:
        return []
    version = PriceListVersion.objects.select_for_update().get(pk=page.rows_version_id)
    if version.published_at is not None:
        return []
    previous = (
        PriceListVersion.objects.filter(page_id=page.pk, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    user = _publisher(version, user)
    version.published_at = timezone.now()
    version._history_user = user
    version.save(update_fields=["published_at"])
    if previous is None:
        return []
    differences = differences_between(previous.pk, version.pk)
    if not differences:
        return []
    changes = bulk_create_with_history(
        [
            PriceChange(
                page_id=page.pk,
                version=version,
                previous_version=previous,
                change=difference.change,
                key=difference.key,
                code=difference.code,
                name=difference.name,
                unit=difference.unit,
                old_price=difference.old_price,
                new_price=difference.new_price,
                effective_date=version.effective_date,
            )
            for difference in differences
        ],
        PriceChange,
        batch_size=BATCH,
        default_user=user,
    )
    audit.index_created_in_bulk(PriceChange, changes, scope_instance=page)
    counts = dict.fromkeys(ChangeKind.values, 0)
    for difference in differences:
        counts[difference.change] += 1
    _record_item_change(page, version, previous, user, counts)
    return changes


def change_day(version: PriceListVersion, previous: PriceListVersion, *, today: dt.date) -> dt.date:
    """The day the item's change is dated: the version's effective date, but

    * never before the day after the previous version went live: the engine counts a change
      as published by the first publication on or after its day, and the previous list did
      not publish it (a list back-dated to before it would be counted on time by it);
    * never after today: a list approved before it takes effect is public on time, and a
      change is recorded once it has happened, never in advance."""
    went_live = timezone.localtime(previous.published_at).date()
    return min(max(version.effective_date, went_live + dt.timedelta(days=1)), today)


def _record_item_change(
    page, version, previous, user, counts: dict[str, int]
) -> ChangeEvent | None:
    item = catalog_item_for(page)
    if item is None:
        return None
    changed_on = change_day(version, previous, today=timezone.localdate())
    return record_change(
        item=item,
        user=_recorder(item, user, version),
        changed_on=changed_on,
        description=change_description(
            added=counts[ChangeKind.ADDED],
            removed=counts[ChangeKind.REMOVED],
            changed=counts[ChangeKind.CHANGED],
        ),
    )
