"""How the hypothesis property tests explore: the same examples on every CI run."""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def explored(max_examples: int) -> settings:
    """``max_examples`` examples, derandomized (a failure is reproducible), with no deadline
    and no example database, and without the health checks that function-scoped database
    fixtures and slow examples trip."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
