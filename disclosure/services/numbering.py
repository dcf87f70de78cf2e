"""Gap-free numbers (a case's 查询编号, a notice's 文号): one counter row per institution, series
and year (:class:`~disclosure.models.numbering.NumberCounter`), drawn in the transaction that
stores what it numbers, so a failure leaves no gap and two submissions never share a number.

On PostgreSQL the counter's ``UPDATE`` row lock orders concurrent draws. SQLite locks the whole
database and answers "database is locked" to a writer that waited too long: the transaction is
then run again from the start, so the number is still drawn once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction
from django.db.models import F

from ..models.numbering import NumberCounter

T = TypeVar("T")

#: How many times a transaction SQLite refused with "database is locked" is run again.
SQLITE_RETRIES = 50


def next_number(*, site_id: int, series: str, year: int) -> int:
    """The next number of the institution's ``series`` in ``year`` (a case kind or a notice
    series; the counter starts at 0); call it inside the transaction that stores what the number
    is for."""
    key = {"site_id": site_id, "series": series, "year": year}
    NumberCounter.objects.bulk_create([NumberCounter(**key)], ignore_conflicts=True)
    row = NumberCounter.objects.filter(**key)
    row.update(last=F("last") + 1)
    return row.values_list("last", flat=True).get()


def _is_sqlite_lock(error: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(error)


def atomic_retrying_on_sqlite_lock(work: Callable[[], T]) -> T:
    """``work()`` in a transaction of its own, run again while SQLite says the database is
    locked. Inside a caller's transaction it runs once: only the caller's whole transaction
    could be run again, and the error goes up to it."""
    retries = 1 if transaction.get_connection().in_atomic_block else SQLITE_RETRIES
    for attempt in range(retries):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if not _is_sqlite_lock(error) or attempt == retries - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover
