"""Pages written a batch of rows at a time, for data that no test takes through the editor.

Wagtail pages use multi-table inheritance, which Django's ``bulk_create`` refuses; and
``add_child`` validates, signals and indexes each page on its own. :class:`BulkPages` inserts the
rows of ``wagtailcore_page`` and of the page type's own tables directly, with the tree's paths
computed as treebeard would. The benchmark's data (``demo_scale``), the demo's publications on
record (``demo_review``) and the tests that grow data to count queries use it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page

from disclosure.services.visibility import refresh_visibility

BATCH = 1000


class BulkPages:
    """Inserts pages of one type as the last children of their parents, a batch at a time.

    Wagtail pages use multi-table inheritance, which Django's ``bulk_create`` refuses; the
    rows of ``wagtailcore_page`` and of the page type's own table are inserted one after the
    other instead, with the tree's paths computed here as treebeard would.
    """

    def __init__(self, model: type[Page]):
        self.model = model
        self.content_type = ContentType.objects.get_for_model(model)
        self.locale_id = Locale.get_default().pk
        self.pending: list[tuple[Page, Page]] = []
        self.next_step: dict[int, int] = {}
        self.parents: dict[int, Page] = {}

    def add(self, parent: Page, page: Page, *, published_at: dt.datetime | None) -> Page:
        """Queue ``page`` as the last child of ``parent``: live since ``published_at``, or a
        draft that was never published when it is ``None``."""
        if parent.pk not in self.next_step:
            last = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True)
            last_path = last.first()
            self.next_step[parent.pk] = (
                Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
            )
            self.parents[parent.pk] = parent
        step = self.next_step[parent.pk]
        self.next_step[parent.pk] = step + 1
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.slug = page.slug or f"p{step}"
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type_id = self.content_type.pk
        page.locale_id = self.locale_id
        page.translation_key = uuid.uuid4()
        page.live = published_at is not None
        page.has_unpublished_changes = not page.live
        page.first_published_at = page.last_published_at = published_at
        self.pending.append((parent, page))
        return page

    def flush(self) -> list[Page]:
        """Write what was added; returns the new pages (with their ids)."""
        pages = [page for _parent, page in self.pending]
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        for start in range(0, len(pages), BATCH):
            chunk = pages[start : start + BATCH]
            rows = [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in chunk]
            Page.objects.bulk_create(rows)
            for page, row in zip(chunk, rows, strict=True):
                page.pk = page.page_ptr_id = page.id = row.pk
            # The page type's own rows, for each table between Page and the model.
            for model in reversed(self.model._meta.get_parent_list()):
                if model is not Page and issubclass(model, Page):
                    self._insert(model, chunk)
            self._insert(self.model, chunk)
            # Who may read each page is stored, and no signal tells it here.
            refresh_visibility(page_ids=[page.pk for page in chunk])
        for parent_pk in {parent.pk for parent, _page in self.pending}:
            total = Page.objects.child_of(self.parents[parent_pk]).count()
            Page.objects.filter(pk=parent_pk).update(numchild=total)
            self.parents[parent_pk].numchild = total
        self.pending = []
        return pages

    @staticmethod
    def _insert(model: type[Page], pages: list[Page]) -> None:
        fields = list(model._meta.local_concrete_fields)
        model._base_manager._insert(pages, fields=fields)
