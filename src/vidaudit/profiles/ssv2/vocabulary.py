"""SSv2's 174 class names (templates with the brackets removed), as shipped with vidaudit.

Both SSv2 profiles use them: the contact/release profile for its template names
(VA309), the ``ssv2`` profile to cross-check ``labels.json``.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def ssv2_classes() -> tuple[str, ...]:
    """SSv2's 174 class names, in class-index order."""
    text = (resources.files("vidaudit.profiles.ssv2") / "classes.txt").read_text("utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))
