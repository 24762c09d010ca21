"""The rule catalogue. Importing this package registers every rule."""

from vidaudit.rules import (  # noqa: F401  (imported for their registrations)
    baseline,
    boxes,
    files,
    frames,
    references,
    release,
    structure,
)
from vidaudit.rules.registry import CHECKS, RULES, Rule, TableCheck

__all__ = ["CHECKS", "RULES", "Rule", "TableCheck"]
