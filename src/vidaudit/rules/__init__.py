"""The rule catalogue. Importing this package registers every rule."""

from vidaudit.rules import (  # noqa: F401  (imported for their registrations)
    baseline,
    files,
    frames,
    plausibility,
    references,
    release,
    structure,
)
from vidaudit.rules.registry import RULES, TABLE_CHECKS, Rule, TableCheck

__all__ = ["RULES", "TABLE_CHECKS", "Rule", "TableCheck"]
