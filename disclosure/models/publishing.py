"""The publish guard: what a disclosure page revision needs before it goes live, whatever the
path (the final approval, an emergency publication, the admin, the API, a schedule).

A revision goes live once, where it was cleared: with the approvals its page type requires
(``required_approvals``), each by someone else, in order, or by a logged emergency
publication; never below a page that is not live, never holding personal identifiers, and
never failing its own content checks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Page, PageLogEntry, Revision, Task, TaskState

from ..rules.privacy import personal_information_refusal, public_texts, scan_values
from .emergency import EmergencyPublication
from .placement import same_readers_since

# Wagtail's own Page fields that hold no content an editor wrote. Not the slug: it stands in
# the page's address, which the public reads. Nor the codes of a catalog item's choice lists.
_NOT_READ = {"path", "url_path", "draft_title", "translation_key", "channels", "publication_kinds"}
# The children whose text the public reads with their page.
_CHILD_RELATIONS = ("attachments", "positions")


def _stored_texts(obj, text_types) -> dict[str, object]:
    # A StreamField's internal type is "JSONField": it is found by its class.
    return {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in _NOT_READ and isinstance(field, (*text_types, StreamField))
    }


def privacy_refusal(page) -> str | None:
    """Why the public must not read ``page`` as it stands (the personal identifiers in its
    fields and slug, its attachments and positions, and the title and file name of every
    document it attaches or links to, and where they are); ``None`` when there are none."""
    labelled = [
        (str(page._meta.get_field(text.field).verbose_name), text)
        for text in public_texts(
            type(page),
            _stored_texts(page, (models.CharField, models.TextField, models.JSONField)),
            documents=get_document_model().objects.in_bulk,
        )
    ]
    for relation in _CHILD_RELATIONS:
        for child in getattr(page, relation).all() if hasattr(page, relation) else []:
            values = _stored_texts(child, (models.CharField, models.TextField))
            if getattr(child, "document", None) is not None:
                values["document"] = child.document
            label = str(child._meta.verbose_name)
            labelled += [
                (label, text)
                for text in public_texts(
                    type(child), values, documents=get_document_model().objects.in_bulk
                )
            ]
    hits = scan_values((text.place or label, text.value) for label, text in labelled)
    return personal_information_refusal(hits) if hits else None


def content_refusal(page, problems) -> str:
    """The refusal of ``page`` whose own content has ``problems`` (see ``content_problems``)."""
    return gettext("“%(title)s” does not pass its checks: %(problems)s") % {
        "title": page.title,
        "problems": "；".join(str(problem) for problem in problems),
    }


def unpublished_ancestor(page) -> Page | None:
    """The nearest ancestor of ``page`` below the tree's root that is not live, if any: no
    disclosure page is live, served or listed while one is."""
    return page.get_ancestors().filter(depth__gt=1, live=False).order_by("-depth").first()


def emergency_publication_refusal(page) -> str | None:
    """Why ``page`` may not be published in an emergency (突发事件、舆情) now, or ``None``.

    Emergency publication skips the review for a publication the public must see at once,
    under an item the public can already read. Never a catalog page (its changes need a second
    office member), never a change of who may read anything, never a page moved while it was
    not live (what was written or approved where other people read goes through its new
    place's review)."""
    if not page.reviewed_by_department():
        return gettext(
            "Only a publication can be published in an emergency: changes to the catalog go "
            "through the catalog review."
        )
    if not page.publishable_in_emergency:
        return gettext("%(kind)s is not published in an emergency: it goes through its review.") % {
            "kind": capfirst(page._meta.verbose_name)
        }
    if not page.under_public_item():
        return gettext(
            "Only a publication under an item the public can already read can be published in "
            "an emergency."
        )
    if page.pk and not page.live:
        # Moved while it was not live (a live page moves only where the same people read it):
        # what was written or approved for other readers goes through its new place's review.
        last_live = (
            PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
            .order_by("-timestamp")
            .values_list("timestamp", flat=True)
            .first()
        )
        moves = PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.move")
        if last_live is not None:
            moves = moves.filter(timestamp__gt=last_live)
        if moves.exists():
            return gettext(
                "A page that was moved while it was not live goes through the review, not an "
                "emergency."
            )
    return None


def clearance_moment(page, revision: Revision):
    """When ``revision`` of ``page`` was cleared to go live, or ``None`` if it never was: the
    last of its approvals, when it has every approval its page type requires
    (``required_approvals``), in order (for a publication:
    its department, then the disclosure office, whose approval is the last), each by someone
    other than its author and the approvers all different people; or the moment of its logged
    emergency publication, for a publication whose item is public."""
    return clearance_moments([(page, revision)])[revision.pk]


def clearance_moments(pages_and_revisions) -> dict:
    """:func:`clearance_moment` of each ``(page, revision)``, by revision id, in four queries
    whatever their number (the audit check reads every live page's this way)."""
    revision_ids = [revision.pk for _page, revision in pages_and_revisions]
    emergencies: dict[int, EmergencyPublication] = {}
    for emergency in EmergencyPublication.objects.filter(revision_id__in=revision_ids):
        emergencies.setdefault(emergency.revision_id, emergency)  # the latest, by its ordering
    approvals: dict[int, list] = {revision_id: [] for revision_id in revision_ids}
    rows = (
        TaskState.objects.filter(revision_id__in=revision_ids, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .order_by("finished_at", "pk")
        .values_list("revision_id", "task_id", "finished_by_id", "finished_at")
    )
    for revision_id, *approval in rows:
        approvals[revision_id].append(approval)
    task_ids = {task_id for found in approvals.values() for task_id, _user, _at in found}
    kinds = {task.pk: type(task) for task in Task.objects.filter(pk__in=task_ids).specific()}
    return {
        revision.pk: _cleared_at(
            page,
            revision,
            emergencies.get(revision.pk),
            [(kinds[task_id], user_id, at) for task_id, user_id, at in approvals[revision.pk]],
        )
        for page, revision in pages_and_revisions
    }


def _cleared_at(page, revision: Revision, emergency, approvals: list):
    """The rule of :func:`clearance_moment`, given the revision's emergency publication (or
    ``None``) and its approvals ``(task type, approver id, when)`` in the order given."""
    if emergency is not None:
        return emergency.published_at if page.under_public_item() else None
    required = page.required_approvals
    # The last approvals, in the required order (earlier rounds may precede them).
    last = approvals[-len(required) :]
    if len(last) != len(required):
        return None
    in_order = all(
        issubclass(kind, wanted) for (kind, _user, _at), wanted in zip(last, required, strict=True)
    )
    approvers = {user_id for _kind, user_id, _at in last}
    if in_order and len(approvers) == len(required) and revision.user_id not in approvers:
        return last[-1][2]
    return None


def revision_is_cleared(page, revision: Revision) -> bool:
    """Was this exact revision cleared to go live (see :func:`clearance_moment`)?"""
    return clearance_moment(page, revision) is not None


def went_live_since(page, revision: Revision, moment) -> int:
    """How many times ``revision`` went live since ``moment``."""
    return went_live_times([(page, revision)])[page.pk, revision.pk].count_since(moment)


@dataclass(frozen=True)
class WentLive:
    """When a revision of a page went live (its publish records)."""

    times: tuple = ()

    def count_since(self, moment) -> int:
        return sum(1 for at in self.times if at >= moment)


#: The log actions of a revision going live.
GO_LIVE_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def went_live_times(pages_and_revisions) -> defaultdict[tuple[int, int], WentLive]:
    """The publish records of each ``(page, revision)``, by ``(page id, revision id)``, in one
    query (the audit check reads every live page's)."""
    times: defaultdict[tuple[int, int], list] = defaultdict(list)
    rows = PageLogEntry.objects.filter(
        revision_id__in=[revision.pk for _page, revision in pages_and_revisions],
        action__in=GO_LIVE_ACTIONS,
    ).values_list("page_id", "revision_id", "timestamp")
    for page_id, revision_id, at in rows:
        times[page_id, revision_id].append(at)
    return defaultdict(WentLive, {key: WentLive(tuple(found)) for key, found in times.items()})


def publication_refusal(page, revision: Revision) -> None:
    """Raise ``PermissionDenied`` unless ``revision`` of ``page`` may go live now.

    An approval (or an emergency publication) takes a revision live once, where it was given:
    a page unpublished afterwards, or moved where other people read, goes through the review
    again. And nothing goes live below a page that is not live."""
    moment = clearance_moment(page, revision)
    if moment is None:
        raise PermissionDenied(
            gettext(
                "“%(title)s” can only go live through its approvals "
                "(department head, then disclosure office) or an emergency publication."
            )
            % {"title": page.title}
        )
    if page.pk and went_live_since(page, revision, moment):
        raise PermissionDenied(
            gettext(
                "“%(title)s” went live once with these approvals: after it was unpublished, it "
                "goes through the review again."
            )
            % {"title": page.title}
        )
    if page.pk and not same_readers_since(page, revision):
        raise PermissionDenied(
            gettext(
                "“%(title)s” was approved where other people read it: it goes through the "
                "review its new place requires."
            )
            % {"title": page.title}
        )
    if page.pk and (ancestor := unpublished_ancestor(page)) is not None:
        raise PermissionDenied(
            gettext("“%(title)s” cannot go live while “%(ancestor)s” above it is not published.")
            % {"title": page.title, "ancestor": ancestor.title}
        )
    going_live = revision.as_object()
    if refusal := privacy_refusal(going_live):
        raise PermissionDenied(refusal)
    if problems := going_live.content_problems():
        raise PermissionDenied(content_refusal(page, problems))
