"""A loaded dataset: its source files and the tables they flatten into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vidaudit.sources import SourceFile

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Dataset:
    root: str
    """The metadata folder as the user gave it."""
    profile: str
    sources: dict[str, SourceFile]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    key_pointers: dict[str, set[str]] = field(default_factory=dict)
    """Per table, the pointer columns that point at an object *key*, not a value."""
    well_formed: dict[str, bool] = field(default_factory=dict)
    """Per role: the flattener saw only the expected structure, so the JSON Schema can
    fail only on keywords the table contracts report (the schema pass's fast path)."""
    usable: set[str] = field(default_factory=set)
    """Roles whose file was read, parsed and has the right top-level shape."""
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Things the report should say that are not findings (e.g. what was not checked)."""
    count_keys: tuple[str, ...] = ()
    """Stats the summary shows besides videos and events (the profile's own counts)."""
    inputs: set[str] = field(default_factory=set)
    """Inputs beyond the files that rules may need: "reference", "previous"."""

    def provides(self, need: str) -> bool:
        """Whether the run has what a rule ``needs`` ("" needs nothing; "frames" is a
        frame source, which adds the ``manifest`` table)."""
        if need == "frames":
            return "manifest" in self.tables
        return need == "" or need in self.inputs
