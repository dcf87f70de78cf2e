"""Notice numbers under load: the office issuing notices from several screens at the same moment
gets consecutive numbers per series, with no gap and no duplicate, even when some fail halfway.

Like the tracking numbers' test, these commit for real (each thread has its own connection), so
they build their own institution and assume nothing of the demo hospital.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from disclosure.models import Notice, NumberCounter
from disclosure.models.requests import DisclosureRequest
from disclosure.rules.notices import NoticeKind, NoticeSeries
from disclosure.services import notices as service
from disclosure.services.requests import submit

from .test_request_numbering import VALUES, institution  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
PER_THREAD = 4
TODAY = dt.date(2026, 11, 4)


@pytest.fixture
def office_case(institution):  # noqa: F811 (the fixture imported above)
    # A superuser acts as every office (the office group needs a page tree the flush emptied).
    office = get_user_model().objects.create_superuser("notice-office", password="x")
    case = submit(DisclosureRequest, site=institution, values=VALUES, acknowledge=False).case
    DisclosureRequest.objects.filter(pk=case.pk).update(
        correction_requested_on=TODAY, correction_note="请写明文件名称"
    )
    case.refresh_from_db()
    service.ensure_templates(institution)
    return office, case


def issue_concurrently(case, office, *, fail_every: int = 0):
    """Each thread issues PER_THREAD correction notices, all threads starting together; with
    ``fail_every``, every n-th notice of a thread fails after its number was drawn."""
    start = threading.Barrier(THREADS)
    numbers: list[str] = []
    failures: list[Exception] = []
    real_values = service._values
    counts = threading.local()

    def values_or_fail(*args, **kwargs):
        counts.n = getattr(counts, "n", 0) + 1
        if fail_every and counts.n % fail_every == 0:
            raise RuntimeError("the template could not be filled")
        return real_values(*args, **kwargs)

    def work():
        try:
            start.wait()
            for _index in range(PER_THREAD):
                try:
                    notice = service.issue(
                        case, kind=NoticeKind.CORRECTION, user=office, today=TODAY, send=False
                    )
                except RuntimeError as error:
                    failures.append(error)
                else:
                    numbers.append(notice.number)
        finally:
            connection.close()

    service._values = values_or_fail
    try:
        threads = [threading.Thread(target=work) for _thread in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        service._values = real_values
    assert not any(thread.is_alive() for thread in threads), "an issue hung"
    return numbers, failures


def expected(count: int) -> list[str]:
    return sorted(f"补正〔2026〕{sequence}号" for sequence in range(1, count + 1))


def test_simultaneous_notices_get_consecutive_numbers(office_case, institution):  # noqa: F811
    office, case = office_case
    numbers, failures = issue_concurrently(case, office)
    total = THREADS * PER_THREAD
    assert failures == []
    assert len(numbers) == len(set(numbers)) == total
    assert sorted(numbers) == expected(total)
    stored = Notice.objects.filter(site=institution, series=NoticeSeries.CORRECTION)
    assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, total + 1))


def test_notices_that_fail_leave_no_gap(office_case, institution):  # noqa: F811
    office, case = office_case
    numbers, failures = issue_concurrently(case, office, fail_every=2)
    stored = THREADS * PER_THREAD - len(failures)
    assert len(failures) == THREADS * PER_THREAD // 2
    assert sorted(numbers) == expected(stored)
    counter = NumberCounter.objects.get(site=institution, series=NoticeSeries.CORRECTION, year=2026)
    assert counter.last == stored
    assert Notice.history.filter(site_id=institution.pk).count() == stored
