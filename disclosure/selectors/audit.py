"""Reads of the audit trail: who may see which entries, an item's timeline, what was live when."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, CharField, F, Max, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Collection, Page, PageLogEntry, Revision

from ..models import (
    AuditEntry,
    AuditSource,
    CatalogItemPage,
    Commission,
    CommissionNotice,
    ConfidentialityReview,
    Department,
    InstitutionSettings,
    UpdateCheck,
)
from ..rules.people import full_name
from .admin_pages import pages_with_readable_drafts
from .commissions import CommissionAccess
from .scope import commission_site_ids, department_ids_of, overseen_site_ids

PUBLISH = ("wagtail.publish", "wagtail.publish.scheduled")
# What an entry about a page that never went live is named by, for whoever may not read drafts.
UNPUBLISHED_PAGE = gettext_lazy("(a page not yet published)")
UNPUBLISH = ("wagtail.unpublish", "wagtail.unpublish.scheduled")


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Superusers: all. The office and supervisors: their institutions' entries (those about
    their staff's accounts included, see :func:`_about_staff_accounts`) and the shared ones
    (the working-day calendar, global settings). Department editors and heads: their
    departments'.

    An entry with no institution is shared unless it is about a document, an account, a group,
    an API token or a collection (:func:`_never_shared_types`): those belong to one institution
    or none, and one filed under none (a superuser's account, a document in the root
    collection, or any recorded before they were filed under their institution: entries are
    never rewritten) is for superusers only."""
    entries = AuditEntry.objects.all()
    if not user.is_authenticated:
        return entries.none()
    if user.is_superuser:
        return entries
    scope = Q()
    sites = [*overseen_site_ids(user), *commission_site_ids(user)]
    if sites:
        shared = Q(site__isnull=True) & ~Q(content_type__in=_never_shared_types())
        scope |= Q(site__in=sites) | shared | _about_staff_accounts(sites)
    departments = department_ids_of(user)
    if departments:
        scope |= Q(department__in=departments)
    commissions = CommissionAccess.of(user).reads
    if commissions:
        scope |= _commission_records(commissions)
    return entries.filter(scope) if scope else entries.none()


#: A commission's own records, with the path from each to its commission.
COMMISSION_RECORDS = (Commission, CommissionNotice, UpdateCheck)


def _commission_records(commissions) -> Q:
    """Entries about the records of ``commissions``: the commissions, notices and checks."""
    types = ContentType.objects.get_for_models(*COMMISSION_RECORDS)
    return (
        Q(content_type=types[Commission], object_id__in=[str(pk) for pk in commissions])
        | Q(
            content_type=types[CommissionNotice],
            object_id__in=_keys(CommissionNotice.objects.filter(commission__in=commissions)),
        )
        | Q(
            content_type=types[UpdateCheck],
            object_id__in=_keys(UpdateCheck.objects.filter(commission__in=commissions)),
        )
    )


def _never_shared_types() -> list[int]:
    """Content types of Wagtail's objects that belong to an institution or to none, and of a
    health commission's own records."""
    models = (
        get_document_model(),
        get_user_model(),
        Group,
        APIToken,
        Collection,
        *COMMISSION_RECORDS,
    )
    return [
        content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()
    ]


def _about_staff_accounts(sites: list[int]) -> Q:
    """Entries about the accounts on the staff of ``sites`` now (not superusers') and their API
    tokens. An account may serve several institutions, and an entry holds one (the first by
    id): each of them lists the account's entries, whichever it was filed under; an institution
    the account does not serve lists none of them."""
    departments = Department.objects.filter(site__in=sites)
    institutions = InstitutionSettings.objects.filter(site__in=sites)
    staff = (
        get_user_model()
        .objects.filter(is_superuser=False)
        .filter(
            Q(groups__in=departments.values("editors_group"))
            | Q(groups__in=departments.values("heads_group"))
            | Q(groups__in=institutions.values("office_group"))
            | Q(groups__in=institutions.values("supervisors_group"))
        )
    )
    tokens = APIToken.objects.filter(user__in=staff)
    user_type, token_type = (
        ContentType.objects.get_for_model(model) for model in (get_user_model(), APIToken)
    )
    return Q(content_type=user_type, object_id__in=_keys(staff)) | Q(
        content_type=token_type, object_id__in=_keys(tokens)
    )


def _keys(rows: QuerySet) -> QuerySet:
    """The primary keys of ``rows`` as text, as an entry's ``object_id`` holds them."""
    return rows.annotate(key=Cast("pk", CharField())).values("key")


def can_read_audit(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser
        or bool(overseen_site_ids(user))
        or bool(commission_site_ids(user))
        or bool(department_ids_of(user))
    )


@dataclass
class TimelineEvent:
    entry: AuditEntry
    review: ConfidentialityReview | None = None
    changes: list[dict] = field(default_factory=list)


def with_shown_objects(entries: QuerySet[AuditEntry], user) -> QuerySet[AuditEntry]:
    """``entries`` with ``shown_object``: what each names, as ``user`` may read it.

    An entry about a page holds the title the page had when it was recorded, which may be a
    draft's that nobody reviewed. Whoever may not read the page's drafts (they may neither edit
    nor review it) reads the title the page went live with, and for a page that never went
    live (or no longer exists) a placeholder. One expression, so that listing, filtering and
    exporting all read the same names."""
    if user.is_superuser:
        return entries.annotate(shown_object=F("object_repr"))
    about_unreadable_page = Q(source=AuditSource.PAGE_LOG, page__isnull=False) & ~Q(
        page__in=pages_with_readable_drafts(user).values("pk")
    )
    live_title = Case(
        When(page__last_published_at__isnull=False, then=F("page__title")),
        default=Value(str(UNPUBLISHED_PAGE)),
        output_field=TextField(),
    )
    return entries.annotate(
        shown_object=Case(
            When(about_unreadable_page, then=Coalesce(live_title, Value(str(UNPUBLISHED_PAGE)))),
            default=F("object_repr"),
            output_field=TextField(),
        )
    )


def item_timeline(item: CatalogItemPage, *, user, limit: int = 500) -> list[TimelineEvent]:
    """Everything recorded about an item and its publications, newest first, with the
    confidentiality checklist of each office approval; pages named as ``user`` may read them
    (:func:`with_shown_objects`)."""
    entries = list(
        with_shown_objects(AuditEntry.objects.filter(item=item), user)
        .select_related("user", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    task_state_ids = {
        (entry.data.get("workflow") or {}).get("task_state_id")
        for entry in entries
        if entry.action == "wagtail.workflow.approve"
    } - {None}
    reviews = {
        review.task_state_id: review
        for review in ConfidentialityReview.objects.filter(task_state_id__in=task_state_ids)
    }
    return [
        TimelineEvent(
            entry=entry,
            review=reviews.get((entry.data.get("workflow") or {}).get("task_state_id")),
            changes=entry.data.get("changes") or [],
        )
        for entry in entries
    ]


@dataclass(frozen=True)
class LiveAt:
    """What a page showed the public at a moment: the revision live then, and since when."""

    page: Page
    revision: Revision | None
    since: dt.datetime | None
    by: str
    ever_published: bool
    #: Who published it (``by`` is their full name), for the login beside the name.
    user: object = None


def live_revisions_at(pages: list[Page], moment: dt.datetime) -> list[LiveAt]:
    """For each page, the revision that was live at ``moment`` (None if it was not live),
    read from the publish and unpublish log entries: two queries for any number of pages."""
    events = (
        PageLogEntry.objects.filter(
            page__in=[page.pk for page in pages],
            action__in=PUBLISH + UNPUBLISH,
            timestamp__lte=moment,
        )
        .select_related("user")
        .order_by("page_id", "-timestamp", "-pk")
    )
    latest: dict[int, PageLogEntry] = {}
    for event in events:
        latest.setdefault(event.page_id, event)
    revision_ids = [
        event.revision_id
        for event in latest.values()
        if event.action in PUBLISH and event.revision_id
    ]
    revisions = Revision.objects.in_bulk(revision_ids)
    result = []
    for page in pages:
        event = latest.get(page.pk)
        live = event is not None and event.action in PUBLISH
        result.append(
            LiveAt(
                page=page,
                revision=revisions.get(event.revision_id) if live else None,
                since=event.timestamp if live else None,
                by=full_name(event.user) if live else "",
                ever_published=event is not None,
                user=event.user if live else None,
            )
        )
    return result


def content_changed_at() -> dt.datetime:
    """When anything the public faces show may last have changed: the latest recorded action
    (every publication, catalog or calendar change is recorded), or the start of today, when
    every item's standing moves on with the date. One query on an indexed column."""
    latest = AuditEntry.objects.aggregate(latest=Max("timestamp"))["latest"]
    today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    return max(latest, today) if latest else today


def _field_of(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        # simple-history records a foreign key by its column ("department_id").
        for candidate in model._meta.concrete_fields:
            if getattr(candidate, "attname", None) == name:
                return candidate
    return None


def _value_words(field, value) -> str:
    """A recorded value in the reader's words: a choice by its label, yes or no for a flag."""
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool) or (
        field is not None and field.get_internal_type() == "BooleanField"
    ):
        truth = value if isinstance(value, bool) else str(value) in ("True", "true", "1")
        return str(_YES if truth else _NO)
    return str(value)


_YES = pgettext_lazy("disclosure", "yes")
_NO = pgettext_lazy("disclosure", "no")


def described_changes(model, changes: list[dict]) -> list[dict]:
    """Recorded field changes (``field``, ``old``, ``new``) of a ``model`` row in the reader's
    words: each field by its label, each choice by its label rather than its code. Values are
    taken as recorded (masked where the trail masks them); no query."""
    described = []
    for change in changes:
        field = _field_of(model, change.get("field", ""))
        label = capfirst(field.verbose_name) if field is not None else change.get("field", "")
        described.append(
            {
                "field": str(label),
                "old": _value_words(field, change.get("old")),
                "new": _value_words(field, change.get("new")),
            }
        )
    return described


# What the services write as the reason of a revert (services.audit.revert_to_history): the
# time in UTC, as stored. Shown in the reader's words and local time.
_REVERT_REASON = re.compile(
    r"^revert to the version of (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \(history (\d+)\)$"
)


def reason_words(reason: str) -> str:
    """A history row's recorded reason as the reader reads it: a revert's in their language,
    its time in local time; any other reason as written."""
    found = _REVERT_REASON.match(reason or "")
    if not found:
        return reason
    at = dt.datetime.strptime(found.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    return gettext("Put back to its version of %(date)s (history row %(id)s)") % {
        "date": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "id": found.group(2),
    }
