"""Great Expectations for the audit: a suite generated from the rule catalogue, run
through a Checkpoint, with Data Docs written offline into the audit's folder.

Only :mod:`.docs` imports Great Expectations at module level, and :mod:`.run` inside
the function that needs it; :mod:`.suite` and :mod:`.frames` are plain data, so the
committed export under ``checks/gx/`` is compared without importing GX.
"""

from __future__ import annotations

import importlib.util

from vidaudit.errors import UsageError


def require_gx() -> None:
    """Fail fast, before the slow steps, when the `gx` extra is not installed."""
    if importlib.util.find_spec("great_expectations") is None:
        raise UsageError("the audit's Great Expectations validation needs the gx extra: "
                         "pip install 'vidaudit[gx]' (or pass --no-gx to skip it)")
