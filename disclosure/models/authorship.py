"""Who wrote what is up for review, and who sent it there: the people the four-eyes rule keeps
from approving it."""

from __future__ import annotations

from wagtail.models import PageLogEntry, Revision, TaskState

from .emergency import EmergencyPublication


def _last_reviewed_publication(page, *, before=None):
    """When ``page`` last went live through its review (not an emergency publication, which
    nobody reviewed), before the moment ``before`` if given; ``None`` if it never did."""
    entries = PageLogEntry.objects.filter(
        page_id=page.pk, action__in=("wagtail.publish", "wagtail.publish.scheduled")
    ).exclude(revision__in=EmergencyPublication.objects.values("revision"))
    if before is not None:
        entries = entries.filter(timestamp__lt=before)
    return entries.order_by("-timestamp").values_list("timestamp", flat=True).first()


def _authors_of(page, revisions) -> set[int]:
    """The authors of ``revisions`` of ``page``, and of every revision one of them was
    reverted from (a revert is saved in the name of whoever reverted, holding what someone
    else wrote)."""
    revision_ids = set(revisions.values_list("pk", flat=True))
    authors: set[int] = set()
    seen: set[int] = set()
    while revision_ids:
        seen |= revision_ids
        authors |= set(
            Revision.objects.filter(pk__in=revision_ids)
            .exclude(user=None)
            .values_list("user_id", flat=True)
        )
        reverts = PageLogEntry.objects.filter(
            page_id=page.pk, action="wagtail.revert", revision_id__in=revision_ids
        ).values_list("data", flat=True)
        sources = {
            data["revision"]["id"]
            for data in reverts
            if isinstance(data, dict) and isinstance(data.get("revision"), dict)
        }
        revision_ids = {pk for pk in sources if isinstance(pk, int)} - seen
    return authors


def authors_since_last_publication(page) -> set[int]:
    """Everyone who wrote what is up for review: the authors of the revisions of ``page``
    since it last went live through its review (all of its revisions' when it never did), and
    of the revisions those were reverted from. An emergency publication, which nobody
    reviewed, does not close the window."""
    revisions = Revision.page_revisions.filter(object_id=str(page.pk))
    since = _last_reviewed_publication(page) if page.pk else None
    if since is not None:
        revisions = revisions.filter(created_at__gt=since)
    return _authors_of(page, revisions)


def authors_up_to(page, revision: Revision) -> set[int]:
    """Everyone who wrote what ``revision`` of ``page`` holds: as
    :func:`authors_since_last_publication`, for the revisions up to that one."""
    revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__lte=revision.pk)
    since = _last_reviewed_publication(page, before=revision.created_at)
    if since is not None:
        revisions = revisions.filter(created_at__gt=since)
    return _authors_of(page, revisions)


def submitters(page, task_state: TaskState | None = None) -> set[int]:
    """Who sent ``page`` into its current review."""
    workflow_state = (
        task_state.workflow_state
        if task_state is not None
        else getattr(page, "current_workflow_state", None)
    )
    if workflow_state is None or not workflow_state.requested_by_id:
        return set()
    return {workflow_state.requested_by_id}
