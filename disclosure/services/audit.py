"""The audit trail: index every log entry and history row, seal them in a chain, check them.

Three sources feed :class:`~disclosure.models.AuditEntry`: Wagtail's page log entries, its model
log entries, and the django-simple-history rows of the plugin's models. Each source row is
indexed once, when it is written, with a digest of the row as stored. After the transaction
commits, pending entries are sealed into a SHA-256 hash chain in one short transaction.
:func:`verify` rechecks the chain and every source row against its digest; ``check_audit``
runs it with the page invariants.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import BigIntegerField, Min, Q
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.models import registered_models
from wagtail.log_actions import registry as log_registry
from wagtail.models import (
    APIToken,
    Collection,
    CollectionMember,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    WorkflowState,
)

from ..models import (
    Audience,
    AuditChainHead,
    AuditEntry,
    AuditScope,
    AuditSource,
    CatalogItemPage,
    Department,
    InstitutionSettings,
    Placement,
    RevisionHold,
    page_audit_scope,
)
from ..models.moderation import ModeratedPageMixin
from ..models.placement import approved_parents, same_readers_under
from ..models.publishing import WentLive, clearance_moments, went_live_times
from ..rules.privacy import mask_change, mask_identifiers, mask_identifiers_in
from ..rules.readers import path_and_ancestors
from ..selectors.scope import memberships_of

HISTORY_ACTIONS = {
    "+": "disclosure.history.create",
    "~": "disclosure.history.update",
    "-": "disclosure.history.delete",
}
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
# The columns an entry's chain hash covers: everything but its own hash.
CHAINED_FIELDS = (
    "pk",
    "source",
    "source_model",
    "source_id",
    "source_digest",
    "timestamp",
    "user_id",
    "username",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "comment",
    "data",
    "revision_id",
    "revision_digest",
    "site_id",
    "department_id",
    "item_id",
    "page_id",
    "seq",
    "prev_hash",
)
CHAIN_HEAD_PK = 1
# A page's first publication time and its publish record are stamped by two calls to the clock.
SAME_MOMENT = dt.timedelta(seconds=60)


def digest(value) -> str:
    """SHA-256 of a canonical JSON rendering of ``value``."""
    text = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _label(model) -> str:
    return model._meta.label_lower


def _stored_row(model, pk):
    """The row as the database holds it (so that indexing and checking read the same values)."""
    return model._base_manager.filter(pk=pk).values().first()


def _revision_digest(revision_id) -> str:
    return _revision_digests([revision_id]).get(revision_id, "")


def _revision_digests(revision_ids) -> dict[int, str]:
    """The digest of each revision's content, by id (a deleted revision has none)."""
    contents = Revision.objects.filter(pk__in=revision_ids).values_list("pk", "content")
    return {pk: digest(content) for pk, content in contents.iterator() if content is not None}


def scope_of(instance) -> AuditScope:
    """Institution, department, item and page of an audited object (empty when global).

    Wagtail's own objects that belong to an institution are filed under it: a document (or any
    collection member) and a collection under the institution whose document collection holds
    it, an account under the institution whose staff it is, its API tokens under the same, a
    group under the institution whose department, office or supervisors it is. The entry of a
    document, account, token, group or collection filed under none is for superusers only
    (``selectors.audit``), never shared with every institution."""
    if instance is None:
        return AuditScope()
    try:
        if isinstance(instance, Page):
            return page_audit_scope(instance)
        if hasattr(instance, "audit_page"):  # a row about a page shares the page's scope
            return page_audit_scope(instance.audit_page())
        method = getattr(instance, "audit_scope", None)
        return method() if method else AuditScope(site_id=_wagtail_object_site_id(instance))
    except ObjectDoesNotExist:
        return AuditScope()


def _wagtail_object_site_id(instance) -> int | None:
    """The institution of one of Wagtail's objects that has no ``audit_scope`` of its own."""
    if isinstance(instance, CollectionMember):
        return _collection_site_id(instance.collection)
    if isinstance(instance, Collection):
        return _collection_site_id(instance)
    if isinstance(instance, APIToken):
        return _account_site_id(instance.user)
    if isinstance(instance, get_user_model()):
        return _account_site_id(instance)
    if isinstance(instance, Group):
        return _group_site_id(instance)
    return None


def _collection_site_id(collection) -> int | None:
    """The institution whose document collection is ``collection`` or holds it (the nearest,
    should one institution's collection lie in another's); none for the root or any collection
    outside every institution's."""
    step = collection.steplen
    paths = [collection.path[:end] for end in range(step, len(collection.path) + 1, step)]
    holders = InstitutionSettings.objects.filter(document_collection__path__in=paths)
    nearest = holders.order_by("-document_collection__depth", "site_id").first()
    return nearest.site_id if nearest else None


def _account_site_id(user) -> int | None:
    """The institution whose staff the account is: a member of one of its departments' editors
    or heads groups, its office or its supervisors. None for a superuser's account, which is no
    institution's business (as for lockouts), or an account in no institution's group.

    An entry holds one institution: an account on the staff of several is filed under the first
    by id, and ``selectors.audit`` lists an account's entries for every institution whose staff
    it is now, so each of its institutions reads them and no other does."""
    if user.is_superuser:
        return None
    memberships = memberships_of(user)
    sites = set(memberships.office_sites | memberships.supervisor_sites)
    sites.update(
        Department.objects.filter(pk__in=memberships.departments).values_list("site_id", flat=True)
    )
    return min(sites, default=None)


def _group_site_id(group) -> int | None:
    """The institution whose department (editors or heads), office or supervisors the group is."""
    sites = set(
        Department.objects.filter(Q(editors_group=group) | Q(heads_group=group)).values_list(
            "site_id", flat=True
        )
    )
    sites.update(
        InstitutionSettings.objects.filter(
            Q(office_group=group) | Q(supervisors_group=group)
        ).values_list("site_id", flat=True)
    )
    return min(sites, default=None)


def _username(user) -> str:
    return user.get_username() if user is not None else ""


def _entry(*, source_model, source_id, stored_row: dict, scope: AuditScope, **fields) -> AuditEntry:
    """An unsaved entry for a source row as stored (``stored_row``, read back with ``values()``,
    as ``verify`` reads it)."""
    return AuditEntry(
        source_model=_label(source_model),
        source_id=str(source_id),
        source_digest=digest(stored_row),
        site_id=scope.site_id,
        department_id=scope.department_id,
        item_id=scope.item_id,
        page_id=scope.page_id,
        **fields,
    )


def _record(*, source_model, source_id, scope: AuditScope, **fields) -> AuditEntry:
    entry = _entry(
        source_model=source_model,
        source_id=source_id,
        stored_row=_stored_row(source_model, source_id),
        scope=scope,
        **fields,
    )
    entry.save()
    _schedule_sealing()
    return entry


def _schedule_sealing() -> None:
    """Seal once when the outermost transaction commits, however many entries it wrote."""
    connection = transaction.get_connection()
    if not any(callback is seal_pending for _ids, callback, _robust in connection.run_on_commit):
        # robust: a failure to seal is logged, never raised into the request that committed;
        # the next commit or check_audit seals the entries left pending.
        transaction.on_commit(seal_pending, robust=True)


def _log_entry_fields(entry, *, source: str, object_id) -> dict:
    """An audit entry's own fields for a page or model log entry. Supervisors read and export
    the trail: every identifier in its texts (a title, a file name, a comment) is masked."""
    data = mask_identifiers_in(entry.data or {})
    publishes = entry.action in PUBLISH_ACTIONS and entry.revision_id
    return {
        "source": source,
        "timestamp": entry.timestamp,
        "user_id": entry.user_id,
        "username": _username(entry.user) if entry.user_id else "",
        "action": entry.action,
        "content_type_id": entry.content_type_id,
        "object_id": str(object_id),
        "object_repr": mask_identifiers(entry.label),
        "comment": str(data.get("comment") or ""),
        "data": data,
        "revision_id": entry.revision_id,
        "revision_digest": _revision_digest(entry.revision_id) if publishes else "",
    }


def index_log_entry(entry) -> AuditEntry:
    """Index a Wagtail page or model log entry."""
    if isinstance(entry, PageLogEntry):
        page = Page.objects.filter(pk=entry.page_id).first()
        scope = scope_of(page) if page else AuditScope(page_id=entry.page_id)
        source, object_id = AuditSource.PAGE_LOG, entry.page_id
    else:
        model = entry.content_type.model_class()
        instance = model._base_manager.filter(pk=entry.object_id).first() if model else None
        scope, source, object_id = scope_of(instance), AuditSource.MODEL_LOG, entry.object_id
    return _record(
        source_model=type(entry),
        source_id=entry.pk,
        scope=scope,
        **_log_entry_fields(entry, source=source, object_id=object_id),
    )


def index_page_log_entries(page: Page, entries: list[PageLogEntry]) -> list[AuditEntry]:
    """Index log entries of ``page`` that were written in bulk (``bulk_create`` sends no signal):
    the entries :func:`index_log_entry` would write, with the page's scope found once and the
    stored rows read in one query."""
    scope = scope_of(page)
    stored = {
        row["id"]: row
        for row in PageLogEntry.objects.filter(pk__in=[e.pk for e in entries]).values()
    }
    indexed = AuditEntry.objects.bulk_create(
        [
            _entry(
                source_model=PageLogEntry,
                source_id=entry.pk,
                stored_row=stored[entry.pk],
                scope=scope,
                **_log_entry_fields(entry, source=AuditSource.PAGE_LOG, object_id=page.pk),
            )
            for entry in entries
        ]
    )
    _schedule_sealing()
    return indexed


def index_history_row(history_instance, instance) -> AuditEntry:
    """Index a django-simple-history row; an update records which fields changed."""
    changes = []
    if history_instance.history_type == "~" and history_instance.prev_record is not None:
        delta = history_instance.diff_against(history_instance.prev_record)
        # Applicants' personal data stays out of the trail that supervisors read and export.
        personal = getattr(instance, "personal_fields", ())
        changes = [
            {
                "field": change.field,
                "old": mask_change(change.field, change.old, personal=personal),
                "new": mask_change(change.field, change.new, personal=personal),
            }
            for change in delta.changes
        ]
    user = history_instance.history_user
    return _record(
        source_model=type(history_instance),
        source_id=history_instance.pk,
        scope=scope_of(instance),
        source=AuditSource.HISTORY,
        timestamp=history_instance.history_date,
        user_id=user.pk if user else None,
        username=_username(user),
        action=HISTORY_ACTIONS[history_instance.history_type],
        content_type_id=_content_type_id(type(instance)),
        object_id=str(instance.pk),
        # Masked before it is cut, so that no identifier is left half-masked.
        object_repr=mask_identifiers(str(history_instance.history_object))[:1000],
        comment=mask_identifiers(history_instance.history_change_reason or ""),
        data={"changes": changes},
    )


def index_created_in_bulk(model, instances, *, scope_instance) -> list[AuditEntry]:
    """Index the creation rows of ``instances`` of ``model``, written in bulk by
    ``bulk_create_with_history`` (which sends no signal), all in the scope of
    ``scope_instance``: the entries :func:`index_history_row` would write, in a fixed number
    of queries however many rows (a price list's thousands of price changes)."""
    history_model = model.history.model
    pk_name = model._meta.pk.attname
    by_pk = {instance.pk: instance for instance in instances}
    if not by_pk:
        return []
    scope = scope_of(scope_instance)
    content_type_id = _content_type_id(model)
    rows = history_model.objects.filter(**{f"{pk_name}__in": list(by_pk)}, history_type="+")
    users = get_user_model().objects.in_bulk(
        {row["history_user_id"] for row in rows.values("history_user_id")} - {None}
    )
    entries = []
    for row in rows.values().order_by("history_id").iterator(chunk_size=2000):
        user = users.get(row["history_user_id"])
        entries.append(
            _entry(
                source_model=history_model,
                source_id=row["history_id"],
                stored_row=row,
                scope=scope,
                source=AuditSource.HISTORY,
                timestamp=row["history_date"],
                user_id=user.pk if user else None,
                username=_username(user),
                action=HISTORY_ACTIONS["+"],
                content_type_id=content_type_id,
                object_id=str(row[pk_name]),
                object_repr=mask_identifiers(str(by_pk[row[pk_name]]))[:1000],
                comment=mask_identifiers(row.get("history_change_reason") or ""),
                data={"changes": []},
            )
        )
    indexed = AuditEntry.objects.bulk_create(entries, batch_size=2000)
    _schedule_sealing()
    return indexed


def index_unindexed_history(model) -> int:
    """Index the history rows of ``model`` that no signal announced (bulk creation)."""
    history_model = model.history.model
    indexed = (
        AuditEntry.objects.filter(source_model=_label(history_model))
        .annotate(row=Cast("source_id", BigIntegerField()))
        .values("row")
    )
    pending = history_model.objects.exclude(pk__in=indexed).order_by("pk")
    count = 0
    for history_instance in pending:
        index_history_row(history_instance, history_instance.instance)
        count += 1
    return count


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def create_as(user, model, **fields):
    """Create a history-tracked object with ``user`` recorded as the one who acted."""
    instance = model(**fields)
    instance._history_user = user
    instance.save()
    return instance


def revert_to_history(record, *, user):
    """Put an object back to a historical version; the revert is a new history row by ``user``."""
    instance = record.instance
    instance._history_user = user
    instance._change_reason = (
        f"revert to the version of {record.history_date:%Y-%m-%d %H:%M} "
        f"(history {record.history_id})"
    )
    instance.save()
    return instance


def action_label(action: str) -> str:
    """The action's label from Wagtail's log action registry (its code if none is registered)."""
    log_registry.scan_for_actions()
    formatter = log_registry.formatters.get(action)
    return str(formatter.label) if formatter else action


# The chain ---------------------------------------------------------------------------------


def _chain_hash(values: dict) -> str:
    return digest({field: values[field] for field in CHAINED_FIELDS})


def seal_pending() -> int:
    """Give every unsealed entry its place in the chain, in id order. Returns how many."""
    with transaction.atomic():
        # Writing the head row first makes concurrent sealers take turns (a row lock on
        # PostgreSQL, the write lock on SQLite) before either reads where the chain ends.
        if not AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(sealed_at=timezone.now()):
            AuditChainHead.objects.get_or_create(pk=CHAIN_HEAD_PK)
        head = AuditChainHead.objects.get(pk=CHAIN_HEAD_PK)
        seq, previous = head.seq, head.hash
        pending = AuditEntry.objects.filter(seq__isnull=True).order_by("pk")
        sealed = 0
        for values in pending.values(*CHAINED_FIELDS).iterator():
            seq += 1
            values.update(seq=seq, prev_hash=previous)
            current = _chain_hash(values)
            AuditEntry.objects.filter(pk=values["pk"]).update(
                seq=seq, prev_hash=previous, hash=current
            )
            previous = current
            sealed += 1
        if sealed:
            AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(seq=seq, hash=previous)
    return sealed


# Checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One broken invariant, named so that a person can find it."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


def _chain_problems() -> Iterator[Problem]:
    expected_seq, previous = 0, ""
    entries = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    for values in entries.values(*CHAINED_FIELDS, "hash").iterator():
        expected_seq += 1
        if values["seq"] != expected_seq:
            yield Problem(
                "chain-gap",
                f"audit entries {expected_seq}–{values['seq'] - 1} are missing from the chain",
            )
            expected_seq = values["seq"]
        if values["prev_hash"] != previous or _chain_hash(values) != values["hash"]:
            yield Problem(
                "chain-altered", f"audit entry {values['seq']} (id {values['pk']}) was altered"
            )
        previous = values["hash"]
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).first()
    if head is not None and (head.seq, head.hash) != (expected_seq, previous):
        yield Problem(
            "chain-truncated",
            f"the chain ends at entry {expected_seq} but its head records entry {head.seq}",
        )


def source_models() -> list:
    """Every table the audit trail mirrors."""
    history_models = sorted(
        (model for model in registered_models.values() if hasattr(model, "history")),
        key=_label,
    )
    return [PageLogEntry, ModelLogEntry, *(model.history.model for model in history_models)]


def _source_problems() -> Iterator[Problem]:
    for model in source_models():
        label = _label(model)
        indexed = dict(
            AuditEntry.objects.filter(source_model=label).values_list("source_id", "source_digest")
        )
        pk_name = model._meta.pk.attname
        for row in model._base_manager.order_by("pk").values().iterator():
            key = str(row[pk_name])
            recorded = indexed.pop(key, None)
            if recorded is None:
                yield Problem("not-indexed", f"{label} row {key} is not in the audit trail")
            elif recorded != digest(row):
                yield Problem("source-altered", f"{label} row {key} was altered")
        for key in sorted(indexed, key=lambda k: (len(k), k)):
            yield Problem("source-deleted", f"{label} row {key} was deleted")


#: Records read together by the checks (a handful of queries for each batch).
AUDIT_BATCH = 500


def _publication_problems() -> Iterator[Problem]:
    published = (
        AuditEntry.objects.filter(action__in=PUBLISH_ACTIONS)
        .exclude(revision_digest="")
        .values("revision_id", "revision_digest", "object_repr")
        .iterator()
    )
    while batch := list(islice(published, AUDIT_BATCH)):
        digests = _revision_digests([entry["revision_id"] for entry in batch])
        yield from _rewritten_revisions(batch, digests)


def _rewritten_revisions(entries, digests: dict[int, str]) -> Iterator[Problem]:
    for entry in entries:
        current = digests.get(entry["revision_id"], "")
        if current != entry["revision_digest"]:
            what = "deleted" if not current else "rewritten"
            yield Problem(
                "revision-rewritten",
                f"revision {entry['revision_id']} of “{entry['object_repr']}”, "
                f"published once, was {what}",
            )


def disclosure_content_type_ids() -> list[int]:
    models = [model for model in apps.get_models() if _is_disclosure_model(model)]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]


def live_page_problems(pages=None) -> Iterator[Problem]:
    """Every live disclosure page has its live revision, and that revision its approvals, in
    order; it stands where it was approved (its placement), under no unpublished page; a
    catalog item's audience and staff-only restriction are those it was approved with; and it
    went live when its publish record says (deadlines count from then)."""
    live = Page.objects.filter(live=True, content_type_id__in=disclosure_content_type_ids())
    if pages is not None:  # only these (``verify`` checks all)
        live = live.filter(pk__in=pages)
    records = _LiveRecords.read(live)
    pages = live.order_by("path").specific().iterator()
    while batch := list(islice(pages, AUDIT_BATCH)):
        # Each page's live revision in one query (``specific()`` drops a select_related).
        revisions = Revision.objects.in_bulk([page.live_revision_id for page in batch])
        for page in batch:
            page.live_revision = revisions.get(page.live_revision_id)
        clearances = _Clearances.read(batch)
        for page in batch:
            name = f"“{page.title}” (page {page.pk}, {page.url_path})"
            yield from _approval_problems(page, name, clearances, records)
            yield from _position_problems(page, name, records)
            yield from _audience_problems(page, name, records)
            yield from _timing_problems(page, name, records)


@dataclass(frozen=True)
class _Clearances:
    """The approvals of a batch of live pages' live revisions, read in bulk: when each was
    cleared, when it went live, and where it was approved."""

    moments: dict[int, object]  # revision id -> clearance moment (None: never cleared)
    went_live: dict[tuple[int, int], WentLive]  # (page id, revision id) -> its publish records
    approved_under: dict[tuple[int, int], int]  # (page id, revision id) -> approved parent id

    @classmethod
    def read(cls, pages) -> _Clearances:
        pairs = [(page, page.live_revision) for page in pages if page.live_revision is not None]
        return cls(
            moments=clearance_moments(pairs),
            went_live=went_live_times(pairs),
            approved_under=approved_parents(pairs),
        )


@dataclass(frozen=True)
class _LiveRecords:
    """What the checks of live pages compare each page with, read in bulk."""

    placements: dict[int, int]  # page id -> the parent its latest placement records
    went_live: dict[int, dt.datetime]  # page id -> its first publish record
    parents: dict[str, int]  # path -> page id, of the live pages' parents
    unpublished: dict[str, str]  # path -> title, of unpublished pages with children
    restricted: set[int]  # ids of pages behind a login restriction

    @classmethod
    def read(cls, live) -> _LiveRecords:
        parent_paths = {path[: -Page.steplen] for path in live.values_list("path", flat=True)}
        return cls(
            placements=_latest_placements(live),
            went_live=_first_publish_times(live),
            parents=dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk")),
            unpublished=dict(
                Page.objects.filter(live=False, depth__gt=1, numchild__gt=0).values_list(
                    "path", "title"
                )
            ),
            restricted=set(
                PageViewRestriction.objects.filter(
                    restriction_type=PageViewRestriction.LOGIN
                ).values_list("page_id", flat=True)
            ),
        )


def _approval_problems(
    page, name: str, clearances: _Clearances, records: _LiveRecords
) -> Iterator[Problem]:
    if page.live_revision is None:
        yield Problem("no-live-revision", f"{name} is live without a live revision")
    elif (moment := clearances.moments[page.live_revision_id]) is None:
        yield Problem(
            "unapproved-live-revision",
            f"{name} is live with revision {page.live_revision_id}, which has neither the "
            "approvals it needs, in order, nor an emergency publication",
        )
    else:
        key = (page.pk, page.live_revision_id)
        if clearances.went_live[key].count_since(moment) > 1:
            yield Problem(
                "republished-without-review",
                f"{name} went live again with approvals already used once",
            )
        parent_id = records.parents.get(page.path[: -Page.steplen])
        if not same_readers_under(clearances.approved_under.get(key), parent_id):
            yield Problem(
                "approved-elsewhere",
                f"{name} was approved where other people read it than where it stands",
            )


def _position_problems(page, name: str, records: _LiveRecords) -> Iterator[Problem]:
    if records.placements.get(page.pk) != records.parents.get(page.path[: -Page.steplen]):
        yield Problem(
            "unapproved-position",
            f"{name} stands where it was not approved (moved around its review)",
        )
    above = [
        records.unpublished[path]
        for path in path_and_ancestors(page.path)[:-1]
        if path in records.unpublished
    ]
    if above:
        yield Problem(
            "live-under-unpublished",
            f"{name} is live below “{above[-1]}”, which is not published",
        )


def _audience_problems(page, name: str, records: _LiveRecords) -> Iterator[Problem]:
    if not isinstance(page, CatalogItemPage) or page.live_revision is None:
        return
    approved = page.live_revision.content.get("audience")
    if approved != page.audience:
        yield Problem(
            "unapproved-audience",
            f"{name} is open to “{page.audience}”, but was approved for “{approved}”",
        )
    if page.audience == Audience.STAFF and page.pk not in records.restricted:
        yield Problem(
            "staff-only-unrestricted",
            f"{name} is staff-only (职工) but open to anyone who has its address",
        )


def _timing_problems(page, name: str, records: _LiveRecords) -> Iterator[Problem]:
    first_record = records.went_live.get(page.pk)
    if first_record is None or abs(first_record - page.first_published_at) > SAME_MOMENT:
        yield Problem(
            "publication-time-altered",
            f"{name} says it first went live at {page.first_published_at}, but its first "
            f"publish record is at {first_record}",
        )


def _latest_placements(pages) -> dict[int, int]:
    """The parent each page's latest placement records."""
    latest: dict[int, int] = {}
    rows = Placement.objects.filter(page__in=pages).order_by("recorded_at", "pk")
    for page_id, parent_id in rows.values_list("page_id", "parent_id"):
        latest[page_id] = parent_id
    return latest


def _first_publish_times(pages) -> dict[int, object]:
    """When each page first went live, by its publish records in the audit trail."""
    rows = (
        PageLogEntry.objects.filter(page__in=pages, action__in=PUBLISH_ACTIONS)
        .values("page_id")
        .annotate(first=Min("timestamp"))
    )
    return {row["page_id"]: row["first"] for row in rows}


def verify() -> list[Problem]:
    """Seal what is pending, then check the chain, every source row, published revisions and
    the live disclosure pages."""
    seal_pending()
    return [
        *_chain_problems(),
        *_source_problems(),
        *_publication_problems(),
        *live_page_problems(),
    ]


# Guards ------------------------------------------------------------------------------------


class AuditProtectedError(ProtectedError):
    """Raised instead of deleting something the audit trail needs."""

    def __init__(self, message: str, obj):
        super().__init__(message, {obj})


def _is_disclosure_model(model) -> bool:
    return model is not None and issubclass(model, ModeratedPageMixin)


def page_is_on_record(page_id) -> bool:
    """A disclosure page that was ever submitted or published keeps all its records."""
    page = Page.objects.filter(pk=page_id).values("first_published_at", "live").first()
    if page is None:
        return False
    if page["live"] or page["first_published_at"] is not None:
        return True
    return WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(page_id)
    ).exists()


def pages_on_record(pages) -> list[Page]:
    """Of ``pages`` and their descendants, the disclosure pages that may not be deleted."""
    scope = Q()
    for page in pages:
        scope |= Q(path__startswith=page.path)
    if not scope:
        return []
    submitted = WorkflowState.objects.filter(base_content_type__model="page").values("object_id")
    return list(
        Page.objects.filter(scope, content_type_id__in=disclosure_content_type_ids())
        .filter(
            Q(live=True)
            | Q(first_published_at__isnull=False)
            | Q(
                pk__in=submitted.annotate(page_id=Cast("object_id", BigIntegerField())).values(
                    "page_id"
                )
            )
        )
        .order_by("path")
    )


def deletion_refusal(pages) -> str | None:
    """Why ``pages`` (with what is below them) may not be deleted, naming the first page kept
    on the record, or ``None``: for the admin's delete, its bulk delete and the v3 API alike."""
    kept = pages_on_record(pages)
    if not kept:
        return None
    return gettext(
        "“%(title)s” has been submitted or published, so it stays on the record: "
        "unpublish it instead of deleting it."
    ) % {"title": kept[0].title}


def refuse_history_change(sender, instance, **kwargs) -> None:
    """pre_save on historical models and log entries: rows are written once."""
    if not instance._state.adding:
        raise PermissionDenied(f"{_label(sender)} rows cannot be changed.")


def refuse_history_delete(sender, instance, **kwargs) -> None:
    """pre_delete on historical models, log entries and audit entries."""
    raise AuditProtectedError(f"{_label(sender)} rows are part of the audit trail.", instance)


def hold_revisions(page_id) -> None:
    """Keep every revision of a disclosure page that is (now) on the record."""
    revisions = Revision.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=str(page_id),
    ).values_list("pk", flat=True)
    RevisionHold.objects.bulk_create(
        [RevisionHold(revision_id=pk) for pk in revisions], ignore_conflicts=True
    )


def hold_new_revision(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save on revisions: a new revision of a page on the record is kept at once."""
    if created and not raw and _revision_is_protected(instance):
        hold_revisions(instance.object_id)


def _revision_is_protected(revision: Revision) -> bool:
    model = revision.content_type.model_class() if revision.content_type_id else None
    return _is_disclosure_model(model) and page_is_on_record(revision.object_id)


def keep_revision_content(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save on revisions: the content of a disclosure page's revision is never rewritten."""
    if instance._state.adding or (update_fields is not None and "content" not in update_fields):
        return
    stored = Revision.objects.filter(pk=instance.pk).values_list("content", flat=True).first()
    if stored is not None and stored != instance.content and _revision_is_protected(instance):
        raise PermissionDenied(f"The content of revision {instance.pk} cannot be rewritten.")


def protect_workflow_record(sender, instance, **kwargs) -> None:
    """pre_delete on workflow and task states of disclosure pages."""
    owner = instance.revision if sender.__name__ == "TaskState" else instance
    if _is_disclosure_model(owner.content_type.model_class()):
        raise AuditProtectedError(
            f"{sender.__name__} {instance.pk} is an approval record of a disclosure page.",
            instance,
        )
