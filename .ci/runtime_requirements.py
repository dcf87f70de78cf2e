"""Print the runtime dependencies of the plugin and the example site, pinned to the versions
installed in this virtualenv (``name==version``, one a line), for ``pip-audit``. The
development tools (the ``dev`` extra) are left out: they never run in production."""

from __future__ import annotations

import importlib.metadata as metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = ("wagtail-disclosure", frozenset({"site"}))


def runtime_distributions() -> dict[str, str]:
    found: dict[str, str] = {}
    pending = [ROOT]
    while pending:
        name, extras = pending.pop()
        distribution = metadata.distribution(name)
        for line in distribution.requires or []:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in (extras or {""})
            ):
                continue
            key = canonicalize_name(requirement.name)
            if key in found or key == canonicalize_name(ROOT[0]):
                continue
            try:
                found[key] = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                continue  # an optional dependency that is not installed
            pending.append((requirement.name, frozenset(requirement.extras)))
    return found


if __name__ == "__main__":
    for name, version in sorted(runtime_distributions().items()):
        print(f"{name}=={version}")  # noqa: T201 - the output is the point
