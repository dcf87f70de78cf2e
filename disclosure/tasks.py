"""Background tasks (django-tasks), for sites that schedule work through a task backend."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django_tasks import task

from .services.price_import import run_stored_import
from .services.reminders import configured_escalate_after, send_reminders
from .services.snapshots import take_snapshots


@task()
def send_reminders_task(
    today: str | None = None, escalate_after: int | None = None
) -> dict[str, int]:
    """Run :func:`~disclosure.services.reminders.send_reminders` as a task.

    ``today`` is an ISO date (task arguments must be JSON), default today; ``escalate_after``
    defaults to the ``DISCLOSURE_ESCALATE_AFTER_WORKING_DAYS`` setting. Returns the summary's
    counts. Safe to enqueue more than once a day: what was sent that day is not sent again.
    """
    summary = send_reminders(
        today=date.fromisoformat(today) if today else None,
        escalate_after=(
            escalate_after if escalate_after is not None else configured_escalate_after()
        ),
    )
    return asdict(summary)


@task()
def take_snapshots_task(today: str | None = None) -> dict[str, int]:
    """Run :func:`~disclosure.services.snapshots.take_snapshots` for every institution as a
    task: schedule it daily (after midnight) so that the health commission's ranking and
    trends have a snapshot of each day. ``today`` is an ISO date, default today. Safe to
    enqueue more than once a day: that day's snapshots are replaced. Returns how many were
    recorded."""
    snapshots = take_snapshots(today=date.fromisoformat(today) if today else None)
    return {"snapshots": len(snapshots)}


@task()
def import_price_list_task(version_id: int, file_name: str) -> dict[str, object]:
    """Run :func:`~disclosure.services.price_import.run_stored_import`: import an uploaded price
    list file (kept in the private files under ``file_name``) into its RUNNING version, in the
    uploader's name. The version's counters show the progress while it runs; the file is
    deleted when it ends. Returns the status, the rows imported and the number of problems."""
    return run_stored_import(version_id=version_id, file_name=file_name)
