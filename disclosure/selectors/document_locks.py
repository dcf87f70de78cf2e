"""Which documents are on record: the attachments (and linked documents) of disclosure pages
that the public reads now, will read at a set time, or that reviewers are looking at.

What the department head and the disclosure office approved is the page *with* its documents:
their titles and file names were scanned for personal information and the office read the
files. Changing such a document in place (its title, its file, its collection, its tags) or
deleting it would change what the public reads without a new review, so
``disclosure.permissions`` refuses both to everyone. A new document, attached in a new
revision of the page, goes through the review like the rest of the revision.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Q
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex, Revision, WorkflowState
from wagtail.query import PageQuerySet

from ..models.moderation import ModeratedPageMixin
from ..request_memo import memoized


def _disclosure_page_types() -> list[ContentType]:
    models = [model for model in apps.get_models() if issubclass(model, ModeratedPageMixin)]
    return list(ContentType.objects.get_for_models(*models).values())


def pages_on_record() -> PageQuerySet:
    """Disclosure pages that are live, scheduled (an approved revision waiting for its time)
    or under review (a workflow in progress, or sent back for changes)."""
    page_type = ContentType.objects.get_for_model(Page)
    scheduled = Revision.page_revisions.filter(approved_go_live_at__isnull=False)
    reviewed = WorkflowState.objects.active().filter(base_content_type=page_type)
    return (
        Page.objects.filter(content_type__in=_disclosure_page_types())
        .annotate(key=Cast("pk", CharField()))
        .filter(
            Q(live=True)
            | Q(key__in=scheduled.values("object_id"))
            | Q(key__in=reviewed.values("object_id"))
        )
    )


def _revisions_on_record() -> list[Revision]:
    """The revisions of disclosure pages that are scheduled or under review.

    Wagtail's reference index reads a page's own row, which holds a live page's live content:
    the documents of a new revision under review (or waiting for its time) are only in the
    revision. The revision under review is the one its current task looks at; the page's
    latest revision is included too, in case an edit during the review made a newer one.
    """
    page_type = ContentType.objects.get_for_model(Page)
    reviewed = WorkflowState.objects.active().filter(base_content_type=page_type)
    latest_under_review = Page.objects.annotate(key=Cast("pk", CharField())).filter(
        key__in=reviewed.values("object_id")
    )
    return list(
        Revision.page_revisions.filter(content_type__in=_disclosure_page_types()).filter(
            Q(approved_go_live_at__isnull=False)
            | Q(pk__in=reviewed.values("current_task_state__revision"))
            | Q(pk__in=latest_under_review.values("latest_revision"))
        )
    )


def _documents_of(revision: Revision) -> set[int]:
    """The documents that ``revision`` attaches or links to, as Wagtail's reference index
    would record them if the revision were the page's row: the index's own reading of an
    object (``_extract_references_from_object``, which it runs on every save), so that "uses"
    means the same here as in the index and in the admin's usage listings."""
    document_type = ContentType.objects.get_for_model(get_document_model())
    return {
        int(object_id)
        for content_type_id, object_id, _model_path, _content_path in (
            ReferenceIndex._extract_references_from_object(revision.as_object())
        )
        if content_type_id == document_type.pk and str(object_id).isdigit()
    }


def _documents_on_record() -> frozenset[int]:
    document_type = ContentType.objects.get_for_model(get_document_model())
    in_the_index = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages_on_record().values("key"),
            to_content_type=document_type,
        )
        .annotate(document_id=Cast("to_object_id", BigIntegerField()))
        .values_list("document_id", flat=True)
    )
    ids = set(in_the_index)
    for revision in _revisions_on_record():
        ids |= _documents_of(revision)
    return frozenset(ids)


def documents_on_record() -> frozenset[int]:
    """The ids of the documents used by a disclosure page that is live, scheduled or under
    review (asked once per read-only request: a page editor asks for each attachment)."""
    return memoized("documents-on-record", _documents_on_record)


def is_on_record(document) -> bool:
    """Whether ``document`` is used by a disclosure page that is live, scheduled or under
    review, and so may be neither changed nor deleted."""
    return document.pk is not None and document.pk in documents_on_record()
