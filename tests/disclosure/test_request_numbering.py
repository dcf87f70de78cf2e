"""Tracking numbers under load: applicants submitting at the same moment get consecutive numbers,
with no gap and no duplicate, even when some submissions fail halfway.

These tests commit for real (each thread has its own database connection), so they run after
every other test and the database is emptied after each of them: they build their own
institution and assume nothing of the demo hospital.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from disclosure.models import AuditEntry
from disclosure.models.numbering import NumberCounter
from disclosure.models.requests import DisclosureRequest, RequestFile
from disclosure.rules.privacy import is_resident_id
from disclosure.services.requests import submit
from home.models import HomePage

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
PER_THREAD = 5
RESIDENT_ID = "11010519491231002X"
VALUES = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_number": RESIDENT_ID,
    "description": "本院2026年医疗服务收费标准调整的依据文件",
    "provision_form": "email",
    "delivery": "email",
}


class BrokenUpload(SimpleUploadedFile):
    """An attachment whose storage fails: the case row is already written when it is read."""

    def seek(self, *args):
        raise OSError("the disk is full")


@pytest.fixture
def institution() -> Site:
    """A hospital of the test's own, on a page tree that an earlier flush may have emptied."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="编号测试医院", slug="numbering-test"))
    return Site.objects.create(
        hostname="numbering.test", port=80, root_page=home, site_name="编号测试医院"
    )


def submit_concurrently(site: Site, batches: list[list[dict]]):
    """Run each batch of submissions in its own thread, all starting together.

    Each submission is ``{"values": ..., "files": ...}``. Returns the numbers issued and the
    errors raised, each with the submission that raised it.
    """
    start = threading.Barrier(len(batches))
    numbers: list[str] = []
    errors: list[tuple[dict, Exception]] = []

    def work(batch):
        try:
            start.wait()
            for submission in batch:
                try:
                    submitted = submit(DisclosureRequest, site=site, **submission)
                except Exception as error:  # every error is checked by the test
                    errors.append((submission, error))
                else:
                    numbers.append(submitted.case.number)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return numbers, errors


def expected_numbers(count: int) -> list[str]:
    year = timezone.localdate().year
    return [f"YSQ-{year}-{sequence:06d}" for sequence in range(1, count + 1)]


def assert_stored_without_gaps(site: Site, count: int) -> None:
    """The institution holds exactly ``count`` requests numbered 1 to ``count``, and nothing of
    any failed submission: no case, no history row, no audit entry, no file."""
    year = timezone.localdate().year
    cases = DisclosureRequest.objects.filter(site=site)
    assert sorted(cases.values_list("number", flat=True)) == expected_numbers(count)
    assert sorted(cases.values_list("sequence", flat=True)) == list(range(1, count + 1))
    counter = NumberCounter.objects.get(site=site, series=DisclosureRequest.kind, year=year)
    assert counter.last == count
    assert DisclosureRequest.history.filter(site_id=site.pk).count() == count
    history_label = DisclosureRequest.history.model._meta.label_lower
    assert AuditEntry.objects.filter(source_model=history_label, site_id=site.pk).count() == count
    assert not RequestFile.objects.filter(request__site=site).exists()


def test_simultaneous_submissions_get_consecutive_numbers(institution):
    assert is_resident_id(RESIDENT_ID)
    batches = [[{"values": VALUES}] * PER_THREAD for _thread in range(THREADS)]

    numbers, errors = submit_concurrently(institution, batches)

    assert errors == []
    total = THREADS * PER_THREAD
    assert len(numbers) == len(set(numbers)) == total
    assert sorted(numbers) == expected_numbers(total)
    assert_stored_without_gaps(institution, total)


def failing_batches(failure) -> tuple[list[list[dict]], int]:
    """Every third submission fails after its number has been drawn; and how many fail."""
    batches = [
        [
            failure() if (thread * PER_THREAD + index) % 3 == 2 else {"values": VALUES}
            for index in range(PER_THREAD)
        ]
        for thread in range(THREADS)
    ]
    return batches, (THREADS * PER_THREAD) // 3


def broken_upload():
    upload = BrokenUpload("申请书.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    return {"values": VALUES, "files": [upload]}


def name_too_long():
    return {"values": {**VALUES, "name": "张" * 101}}


@pytest.mark.parametrize(
    ("failure", "error_type"),
    [
        pytest.param(broken_upload, OSError, id="attachment-fails-after-the-case-is-written"),
        pytest.param(name_too_long, DataError, id="name-too-long-for-the-column"),
    ],
)
def test_failed_submissions_leave_no_gap(institution, failure, error_type):
    if failure is name_too_long and connection.vendor == "sqlite":
        pytest.skip("SQLite does not enforce column lengths")
    batches, failing = failing_batches(failure)

    numbers, errors = submit_concurrently(institution, batches)

    assert len(errors) == failing > 0
    assert all(isinstance(error, error_type) for _submission, error in errors), errors
    stored = THREADS * PER_THREAD - failing
    assert sorted(numbers) == expected_numbers(stored)
    assert_stored_without_gaps(institution, stored)

    after = submit(DisclosureRequest, site=institution, values=VALUES)
    assert after.case.number == expected_numbers(stored + 1)[-1]
