"""Settings for the robustness suite.

The property tests run a few dozen fixed examples in the normal test run
(derandomised, so CI is reproducible). ``VIDAUDIT_FUZZ=N`` (``nox -s fuzz`` sets
10000) runs N random examples per property instead, and the slow cases too.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, settings

FUZZ_EXAMPLES = int(os.environ.get("VIDAUDIT_FUZZ", "0") or 0)
SHRINK = os.environ.get("VIDAUDIT_FUZZ_SHRINK", "1") != "0"
"""Shrinking a failure can take minutes; VIDAUDIT_FUZZ_SHRINK=0 reports it as found."""

settings.register_profile(
    "robust",
    max_examples=FUZZ_EXAMPLES or 30,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    print_blob=True,
    phases=[p for p in Phase if SHRINK or p is not Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
ROBUST = settings.get_profile("robust")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``fuzz_only`` run only in the fuzz session (VIDAUDIT_FUZZ set)."""
    if FUZZ_EXAMPLES:
        return
    skip = pytest.mark.skip(reason="slow: runs in `nox -s fuzz` (VIDAUDIT_FUZZ=N)")
    for item in items:
        if "fuzz_only" in item.keywords:
            item.add_marker(skip)
