"""A change to a record that moves through states, made on its locked row."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

Record = TypeVar("Record", bound=models.Model)


def change_locked(record: Record, *, user, stale: str, **changes) -> Record:
    """Make ``changes`` to ``record``'s row under a row lock, its history naming ``user``.

    Refused with ``stale`` when the row's state is no longer the one ``record`` was read in
    (and checked) in: of two people acting on the same state, only the first succeeds."""
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if locked.state != record.state:
            raise ValidationError(stale)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._history_user = user
        locked.save()
    return locked
