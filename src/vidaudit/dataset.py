"""A loaded dataset: its source files and the tables they flatten into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vidaudit.sources import SourceFile

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass
class Positions:
    """Where the rows of one table sit in their file, known when it was read (a profile
    that reads a file straight into columns knows them; others are located lazily).

    ``offsets`` maps (pointer column, member) to the character offset of each row's
    value: ``(column, "")`` is where the row's pointer points, ``("pointer", name)``
    where its member ``name`` is, matching the pointers the table rules make."""

    text: str
    offsets: dict[tuple[str, str], np.ndarray[Any, Any]]
    _line_starts: np.ndarray[Any, Any] | None = None

    def line_columns(self, pointer_column: str, member: str, rows: Any
                     ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
        """1-based lines and columns of ``rows`` (table positions), or None if unknown."""
        import numpy as np

        offsets = self.offsets.get((pointer_column, member))
        if offsets is None:
            return None
        if self._line_starts is None:
            self._line_starts = _line_starts(self.text)
        at = offsets[np.asarray(rows, dtype=np.int64)]
        lines = np.searchsorted(self._line_starts, at, side="right")
        columns = at - self._line_starts[lines - 1] + 1
        return lines, columns


def _line_starts(text: str) -> np.ndarray[Any, Any]:
    """Where each line of ``text`` starts (character offsets). A file on one line (as
    SSv2's metadata is written, 50 MB at full size) is told by one search, not a pass
    over every character."""
    import numpy as np

    if "\n" not in text:
        return np.zeros(1, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) \
        if not text.isascii() else np.frombuffer(text.encode(), np.uint8)
    return np.concatenate([[0], np.flatnonzero(codes == 10) + 1])


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
    positions: dict[str, Positions] = field(default_factory=dict)
    """Per table, where its rows sit in their file, when known without locating."""

    def provides(self, need: str) -> bool:
        """Whether the run has what a rule ``needs`` ("" needs nothing; "frames" is a
        frame source, which adds the ``manifest`` table)."""
        if need == "frames":
            return "manifest" in self.tables
        return need == "" or need in self.inputs
