"""Tracking numbers and notice numbers count in one table, each series on its own: the counters
kept before the two were merged carry on where they stopped, and the merge can be undone.

The migration tests migrate the database for real, so they commit: like the numbering tests
under load, they run after every other test, on an institution of their own.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page, Site

from disclosure.models.numbering import SERIES_CHOICES
from disclosure.rules.notices import NoticeSeries
from disclosure.rules.requests import CaseKind

BEFORE = [("disclosure", "0019_request_notices")]
AFTER = [("disclosure", "0020_number_counters")]


def test_a_case_kind_is_never_a_notice_series():
    assert not {value for value, _label in CaseKind.choices} & set(NoticeSeries.values)
    assert len({value for value, _label in SERIES_CHOICES}) == len(SERIES_CHOICES)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Migrating back over every later migration and forward again takes a minute or more: run
# once, with the other slow tests, on PostgreSQL (.ci/run).
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_counters_kept_before_the_merge_carry_on_and_the_merge_can_be_undone():
    home = Page.get_first_root_node().add_child(instance=Page(title="计数医院", slug="counters"))
    site = Site.objects.create(hostname="counters.example", port=80, root_page=home)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("disclosure")
    try:
        old = _migrate(BEFORE)
        old.get_model("disclosure", "TrackingCounter").objects.create(
            site_id=site.pk, kind="request", year=2026, last=41
        )
        old.get_model("disclosure", "NoticeCounter").objects.create(
            site_id=site.pk, series="reply", year=2026, last=7
        )

        merged = _migrate(AFTER).get_model("disclosure", "NumberCounter").objects
        assert set(merged.filter(site_id=site.pk).values_list("series", "year", "last")) == {
            ("request", 2026, 41),
            ("reply", 2026, 7),
        }

        old = _migrate(BEFORE)
        tracking = old.get_model("disclosure", "TrackingCounter").objects.filter(site_id=site.pk)
        notices = old.get_model("disclosure", "NoticeCounter").objects.filter(site_id=site.pk)
        assert list(tracking.values_list("kind", "year", "last")) == [("request", 2026, 41)]
        assert list(notices.values_list("series", "year", "last")) == [("reply", 2026, 7)]
    finally:
        _migrate(latest)
