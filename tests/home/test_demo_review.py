"""The demo's direct path leaves exactly the records that the real review leaves.

Most of the demo's publications are written by ``publish_on_record`` instead of being taken
through each review step. Here one publication goes each way, with the same content on the
same day, and everything written for it is compared: the page row, its revision, the
workflow and task states, the office's checklist and its history row, every log entry, the
revision holds, the audit trail's entries, the search index and the reference index. Only
what must differ (ids, tree paths, slugs) is left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import (
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    TaskState,
    WorkflowState,
)
from wagtail.search.models import IndexEntry

from disclosure.models import (
    AuditEntry,
    ConfidentialityReview,
    InstitutionSettings,
    Placement,
    PublicationAttachment,
    PublicationPage,
    RecruitmentNoticePage,
    RecruitmentPosition,
    RevisionHold,
)
from home.demo_review import Reviewers, publish_on_record, publish_through_review

DAY = dt.date(2026, 3, 10)
# Fields that differ between any two pages: identities, places in the tree, addresses (and a
# child row's page).
IDENTITY = {"pk", "page", "page_ptr", "path", "slug", "url_path", "translation_key"}
# Columns naming a row written for the page itself, by what they name.
OWN = {
    "revision_id": "revision",
    "latest_revision_id": "revision",
    "live_revision_id": "revision",
    "task_state_id": "task_state",
    "current_task_state_id": "task_state",
    "workflow_state_id": "workflow_state",
}


def _plain(value, own: dict[str, list[int]]):
    """``value`` without identities, datetimes as times of day, and the ids of the page's own
    rows as their order among that page's rows."""
    if isinstance(value, dict):
        plain = {}
        for key, item in value.items():
            if key in IDENTITY:
                continue
            ids = own.get(OWN.get(key), [])
            plain[key] = f"{OWN[key]} #{ids.index(item)}" if item in ids else _plain(item, own)
        return plain
    if isinstance(value, list):
        return [_plain(item, own) for item in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).time().isoformat()
    return value


def _blocks(raw: str | list) -> list:
    """A stream field's blocks without their ids (random UUIDs)."""
    blocks = json.loads(raw) if isinstance(raw, str) else raw
    return [{k: v for k, v in block.items() if k != "id"} for block in blocks]


def records(page: Page) -> dict:
    """Everything written for ``page``, comparable between two pages."""
    page = Page.objects.get(pk=page.pk).specific
    page_type = ContentType.objects.get_for_model(Page)
    revisions = list(
        Revision.objects.filter(base_content_type=page_type, object_id=str(page.pk)).order_by("pk")
    )
    states = list(WorkflowState.objects.filter(base_content_type=page_type, object_id=str(page.pk)))
    tasks = list(TaskState.objects.filter(workflow_state__in=states).order_by("pk"))
    own = {
        "revision": [r.pk for r in revisions],
        "workflow_state": [s.pk for s in states],
        "task_state": [t.pk for t in tasks],
    }

    row = {
        field.attname: _blocks(field.get_prep_value(getattr(page, field.attname)))
        if isinstance(field, StreamField)
        else getattr(page, field.attname)
        for field in type(page)._meta.concrete_fields
        if field.name not in IDENTITY and not (field.primary_key or field.name == "id")
    }
    logs = PageLogEntry.objects.filter(page=page).order_by("pk")
    reviews = ConfidentialityReview.objects.filter(task_state__in=tasks)
    history = ConfidentialityReview.history.filter(task_state__in=tasks)
    return {
        "page": _plain(row, own),
        "children": sorted(
            [
                *PublicationAttachment.objects.filter(page=page).values_list("document_id"),
                *RecruitmentPosition.objects.filter(page=page).values_list(
                    "title", "headcount", "requirements"
                ),
            ]
        ),
        "revisions": [
            _plain(
                {
                    "user": r.user_id,
                    "created_at": r.created_at,
                    "object_str": r.object_str,
                    "content": {
                        key: _blocks(value) if key == "body" else value
                        for key, value in r.content.items()
                        if key not in ("latest_revision", "live_revision")
                    },
                    "approved_go_live_at": r.approved_go_live_at,
                    "held": RevisionHold.objects.filter(revision=r).count(),
                },
                own,
            )
            for r in revisions
        ],
        "workflow_states": [
            _plain(
                {
                    "workflow": s.workflow_id,
                    "status": s.status,
                    "created_at": s.created_at,
                    "requested_by": s.requested_by_id,
                    "content_type": s.content_type_id,
                    "current_task_state_id": s.current_task_state_id,
                },
                own,
            )
            for s in states
        ],
        "task_states": [
            _plain(
                {
                    "task": t.task_id,
                    "status": t.status,
                    "revision_id": t.revision_id,
                    "started_at": t.started_at,
                    "finished_at": t.finished_at,
                    "finished_by": t.finished_by_id,
                    "comment": t.comment,
                    "content_type": t.content_type_id,
                },
                own,
            )
            for t in tasks
        ],
        "checklists": [
            _plain({k: v for k, v in review.items() if k != "id"}, own)
            for review in reviews.values()
        ],
        "placements": [
            _plain({k: v for k, v in row.items() if k not in ("id", "page_id")}, own)
            for row in Placement.objects.filter(page=page).values()
        ],
        "placement_history": [
            _plain({k: v for k, v in row.items() if k not in ("id", "history_id", "page_id")}, own)
            for row in Placement.history.filter(page=page).values()
        ],
        "checklist_history": [
            _plain(
                {k: v for k, v in row.items() if k not in ("id", "history_id")},
                own,
            )
            for row in history.values()
        ],
        "log": [
            _plain(
                {
                    "action": e.action,
                    "user": e.user_id,
                    "label": e.label,
                    "timestamp": e.timestamp,
                    "revision_id": e.revision_id,
                    "content_changed": e.content_changed,
                    "deleted": e.deleted,
                    "content_type": e.content_type_id,
                    "uuid": e.uuid,
                    "data": json.loads(json.dumps(e.data)),
                },
                own,
            )
            for e in logs
        ],
        "audit": sorted(
            (
                entry.source,
                entry.source_model,
                entry.action,
                entry.username,
                entry.timestamp.astimezone(dt.UTC).time().isoformat(),
                entry.object_repr,
                entry.comment,
                entry.site_id,
                entry.department_id,
                entry.item_id,
                bool(entry.source_digest),
                bool(entry.revision_digest),
            )
            for entry in AuditEntry.objects.filter(page_id=page.pk)
        ),
        "search": list(
            IndexEntry.objects.filter(object_id=str(page.pk)).values_list(
                "content_type_id", "title", "body", "autocomplete"
            )
        ),
        "references": sorted(
            (target_type, target, model_path, re.sub(r"\d+", "#", content_path))
            for target_type, target, model_path, content_path in ReferenceIndex.objects.filter(
                base_content_type=page_type, object_id=str(page.pk)
            ).values_list("to_content_type_id", "to_object_id", "model_path", "content_path")
        ),
    }


@pytest.fixture
def reviewers(db):
    users = get_user_model().objects
    return Reviewers(
        editor=users.get(username="medical-editor"),
        head=users.get(username="medical-head"),
        office=users.get(username="office"),
    )


def general(document):
    page = PublicationPage(
        title="义诊活动通知",
        summary="社区义诊",
        publication_date=DAY,
        body=json.dumps([{"type": "paragraph", "value": "<p>本院将开展义诊。</p>"}]),
    )
    page.attachments.set([PublicationAttachment(document=document)])
    return page


def recruitment(_document):
    page = RecruitmentNoticePage(
        title="护理人员招聘公告",
        publication_date=DAY,
        application_start=DAY,
        application_deadline=DAY + dt.timedelta(days=14),
        contact="人事科",
        body=json.dumps([{"type": "paragraph", "value": "<p>公开招聘。</p>"}]),
    )
    page.positions.set([RecruitmentPosition(title="护士", headcount=3, requirements="本科")])
    return page


@pytest.mark.parametrize("build", [general, recruitment], ids=["general", "recruitment"])
def test_the_direct_path_writes_what_the_review_writes(demo_item, demo_site, reviewers, build):
    item = demo_item("健康讲座与义诊")
    document = get_document_model().objects.first()
    workflow = InstitutionSettings.for_site(demo_site).publication_workflow
    reviewed, direct = build(document), build(document)
    reviewed.slug, direct.slug = "reviewed", "direct"
    for page in (reviewed, direct):
        page.owner, page.live = reviewers.editor, False
    publish_through_review(item=item, page=reviewed, on=DAY, reviewers=reviewers)
    publish_on_record(item=item, page=direct, on=DAY, reviewers=reviewers, workflow=workflow)

    expected, written = records(reviewed), records(direct)
    assert written.keys() == expected.keys()
    for kind, rows in expected.items():
        assert written[kind] == rows, kind
    assert written["log"] and written["audit"]  # not a comparison of two empty records
    assert direct.live and direct.live_revision_id
