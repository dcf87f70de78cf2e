"""The demo's publications on record, written without replaying every review step.

The demo hospital holds two years of publications, each submitted by its department's editor
and approved by the department head, then by the disclosure office. ``load_demo`` takes a
handful of them through the real review (:func:`publish_through_review`, the services users
run); the rest, about 180, would cost a third of a second each that way, mostly in checks,
notifications and look-ups that a person's action needs and a demo's history does not.
:func:`publish_on_record` writes the records the review would leave, in a few queries:

* the page's rows (``home.bulk_pages``), its attachments or positions, and the revision the
  editor submitted, as ``save_revision`` would have written it;
* the workflow state and its two approved task states, the office's confidentiality checklist
  with its history row, and the hold that keeps the revision on record;
* the page live on that revision, where it was approved and went live (its placements), the
  log entries of creation, editing, submission, both approvals and publication, and their
  audit entries (``index_page_log_entries``);
* the search index entry and the reference index (the attachments it uses).

Each is stamped with the moment of its step on the publication's day. The bulk writes send no
signals, so nothing here relies on them. ``tests/home/test_demo_review.py`` compares every
record of this path with those of the real review, field by field, so the two cannot drift
apart; and ``check_audit`` verifies the approvals of every live page, these included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import (
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
)
from wagtail.search.backends import get_search_backend

from disclosure.models import (
    CatalogItemPage,
    ConfidentialityReview,
    Placement,
    PublicationPage,
    RevisionHold,
)
from disclosure.services.audit import create_as, index_page_log_entries
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review

from .bulk_pages import BulkPages

# When each step happens on a publication's day (the real review in the demo uses the same).
SUBMITTED, HEAD_APPROVED, OFFICE_APPROVED = dt.time(9, 0), dt.time(9, 40), dt.time(10, 0)


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day``; for today's steps before that hour (the demo loaded in the small
    hours), a moment in the part of the day gone by, in the steps' order: nothing the demo
    writes is dated after the moment it is written, or the changes of the pages the tests
    make would not be the latest."""
    moment = timezone.make_aware(dt.datetime.combine(day, time))
    now = timezone.now()
    if moment <= now or day != timezone.localdate(now):
        return moment
    midnight = timezone.make_aware(dt.datetime.combine(day, dt.time(0)))
    share = dt.timedelta(hours=time.hour, minutes=time.minute) / dt.timedelta(hours=24)
    return midnight + (now - midnight) * share


@contextmanager
def clock(day: dt.date, time: dt.time) -> Iterator[None]:
    """Run the block as if it were ``time`` on ``day``.

    Django, Wagtail and django-simple-history all stamp records with ``timezone.now()``, so the
    demo's two years of history get their real dates without rewriting any row afterwards
    (which the audit trail would rightly report as tampering).
    """
    with mock.patch("django.utils.timezone.now", return_value=_moment(day, time)):
        yield


@dataclass(frozen=True)
class Reviewers:
    editor: object
    head: object
    office: object


def _workflow_data(workflow: Workflow, **fields) -> dict:
    return {"workflow": {"id": workflow.pk, "title": workflow.name, **fields}}


def _task(task) -> dict:
    return {"id": task.pk, "title": task.name}


@transaction.atomic
def publish_on_record(
    *,
    item: CatalogItemPage,
    page: PublicationPage,
    on: dt.date,
    reviewers: Reviewers,
    workflow: Workflow,
) -> None:
    """Create ``page`` under ``item``, submitted and approved on ``on``, and live."""
    head_task, office_task = (task.specific for task in workflow.tasks.order_by("workflow_tasks"))
    submitted, head_approved, office_approved = (
        _moment(on, time) for time in (SUBMITTED, HEAD_APPROVED, OFFICE_APPROVED)
    )
    editor, head, office = reviewers.editor, reviewers.head, reviewers.office
    page_type = page.get_content_type()

    # The editor's draft: the page's rows, its children, and the revision of that state.
    writer = BulkPages(type(page))
    writer.add(item, page, published_at=office_approved)
    writer.flush()
    for relation in get_all_child_relations(page):
        getattr(page, relation.get_accessor_name()).commit()
    page.live, page.first_published_at, page.last_published_at = False, None, None
    revision = Revision(
        content_type=page_type,
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        created_at=submitted,
        user=editor,
        object_str=str(page),
        content=page.serializable_data(),
    )
    Revision.objects.bulk_create([revision])
    with clock(on, SUBMITTED):
        RevisionHold.objects.bulk_create([RevisionHold(revision=revision)])

    # The review: the workflow, both approved steps and the office's checklist (each written
    # at its moment: their creation times are Django's auto_now_add).
    state = WorkflowState(
        content_type=page_type,
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_APPROVED,
        requested_by=editor,
    )
    steps = []
    for task, started, finished, user in (
        (head_task, SUBMITTED, head_approved, head),
        (office_task, HEAD_APPROVED, office_approved, office),
    ):
        with clock(on, started):
            if state.pk is None:
                WorkflowState.objects.bulk_create([state])
            step = TaskState(
                workflow_state=state,
                revision=revision,
                task=task,
                status=TaskState.STATUS_APPROVED,
                finished_at=finished,
                finished_by=user,
                comment="",
                content_type=ContentType.objects.get_for_model(TaskState),
            )
            TaskState.objects.bulk_create([step])
            steps.append(step)
    WorkflowState.objects.filter(pk=state.pk).update(current_task_state=steps[-1])
    with clock(on, OFFICE_APPROVED):
        create_as(
            office,
            ConfidentialityReview,
            task_state=steps[-1],
            reviewer=office,
            comment="",
            **FULL_CHECKLIST,
        )

    # Live: the page as the publication leaves it.
    page.live, page.first_published_at, page.last_published_at = (
        True,
        office_approved,
        office_approved,
    )
    page.latest_revision, page.live_revision = revision, revision
    page.latest_revision_created_at = submitted
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision, live_revision=revision, latest_revision_created_at=submitted
    )
    with clock(on, OFFICE_APPROVED):
        # Where the office approved it, then where it went live, both in the office's name.
        for cause in (Placement.Cause.APPROVED, Placement.Cause.PUBLISHED):
            Placement.record(page=page, cause=cause, revision=revision, user=office)

    # What each step logged, in order, and its place in the audit trail.
    label = page.get_admin_display_title()

    def entry(action, user, moment, **fields) -> PageLogEntry:
        return PageLogEntry(
            page=page,
            content_type=page_type,
            label=label,
            action=action,
            user=user,
            timestamp=moment,
            **fields,
        )

    entries = [
        entry("wagtail.create", editor, submitted, content_changed=True),
        entry("wagtail.edit", editor, submitted, revision=revision, content_changed=True),
        entry(
            "wagtail.workflow.start",
            editor,
            submitted,
            revision=revision,
            data=_workflow_data(
                workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                next=_task(head_task),
                task_state_id=steps[0].pk,
            ),
        ),
        *(
            entry(
                "wagtail.workflow.approve",
                step.finished_by,
                step.finished_at,
                revision=revision,
                data={
                    **_workflow_data(
                        workflow,
                        status=step.status,
                        task_state_id=step.pk,
                        task=_task(step.task),
                        next=next_task,
                    ),
                    "comment": "",
                },
            )
            for step, next_task in ((steps[0], _task(office_task)), (steps[1], None))
        ),
        entry("wagtail.publish", office, office_approved, revision=revision, content_changed=True),
    ]
    PageLogEntry.objects.bulk_create(entries)
    index_page_log_entries(page, entries)

    # Found by search, and its attachments known to be used by it.
    get_search_backend().add(page)
    ReferenceIndex.create_or_update_for_object(page)


@transaction.atomic
def publish_through_review(
    *, item: CatalogItemPage, page: PublicationPage, on: dt.date, reviewers: Reviewers
) -> None:
    """The real review, replayed on ``on``: the editor drafts and submits, the head and then
    the office approve, through the same services as the admin."""
    with clock(on, SUBMITTED):
        item.add_child(instance=page)
        submit_for_review(page=page, user=reviewers.editor)
    with clock(on, HEAD_APPROVED):
        approve(page=page, user=reviewers.head)
    with clock(on, OFFICE_APPROVED):
        approve(page=page, user=reviewers.office, checklist=FULL_CHECKLIST)
    page.refresh_from_db()
