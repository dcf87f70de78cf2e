"""Lookups kept for the length of one read-only request.

A public page asks several times, from its layout, its standing and its listings, for the same
few facts: the sites and their institutions' settings, which depths of the tree hold restricted
or unpublished pages. Each answer is a database query of about a millisecond, and an item page
made 28 of them. ``memoized`` keeps each answer for the rest of the request, so the page asks
once.

Only ``GET`` and ``HEAD`` requests keep answers (``disclosure.middleware.RequestMemoMiddleware``
opens ``kept_answers`` around them): a request that changes data must read what it wrote.
Outside a request (management commands, tasks, tests calling selectors directly) nothing is
kept and every call asks the database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, object] | None] = ContextVar(
    "disclosure_request_memo", default=None
)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, asked once per read-only request for each ``key``."""
    answers = _answers.get()
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]  # type: ignore[return-value]


@contextmanager
def kept_answers() -> Iterator[None]:
    """``memoized`` keeps its answers until the block ends."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def __getattr__(name: str):
    # Kept for host projects configured before the middleware moved to disclosure.middleware.
    # Deferred: disclosure.middleware imports this module (through the selectors, too).
    if name == "RequestMemoMiddleware":
        from .middleware import RequestMemoMiddleware

        return RequestMemoMiddleware
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
