"""Findings as columns: a table rule that fails on hundreds of thousands of rows makes a
:class:`FindingBatch` (a few lists), and the finished findings of a run are one
:class:`FindingTable` (one array per field), not an object per finding.

A full-size release has a third of a million findings of one rule; as objects they
cost about a second to make, keep and free, although most runs only count them and
write them out. A :class:`FindingTable` is still a sequence of
:class:`~vidaudit.model.Finding`: whoever iterates it (the console, SARIF, HTML, a
baseline) gets each finding made as it is reached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import repeat
from typing import Any, overload

import numpy as np

from vidaudit.model import Finding, Severity

Array = np.ndarray[Any, Any]
COLUMNS = tuple(f.name for f in fields(Finding) if f.name != "extra")
"""The fields a table holds as columns, in the order :class:`Finding` takes them
positionally (``extra``, rarely set, is kept apart)."""


@dataclass
class FindingBatch:
    """Findings of one rule, one entry per finding in each list. ``lines`` and
    ``columns`` hold None where the position is still to be found from the pointer;
    ``at_key`` says that the pointers name object keys (the key is the position).

    :func:`vidaudit.engine.finalize` consumes a batch (it rates it and moves its
    pointers to where they were located). Its findings come out with an empty
    ``extra``: ``at_key`` and the like matter only until they are located."""

    code: str
    severity: Severity
    messages: list[str]
    files: list[str]
    pointers: list[str]
    lines: Sequence[int | None]
    columns: Sequence[int | None]
    video_ids: Sequence[str | None]
    identities: list[str]
    at_key: bool = False

    def __post_init__(self) -> None:
        lengths = {len(values) for values in (self.messages, self.files, self.pointers,
                                              self.lines, self.columns, self.video_ids,
                                              self.identities)}
        if len(lengths) != 1:
            raise ValueError(f"a batch of {self.code} findings with fields of lengths "
                             f"{sorted(lengths)}")

    def __len__(self) -> int:
        return len(self.messages)


class FindingTable(Sequence[Finding]):
    """Finished findings (rated, located, fingerprinted, sorted), one object array per
    field of :class:`Finding`; ``extras`` holds the few non-empty ``extra`` dicts by row."""

    def __init__(self, columns: dict[str, Array], extras: dict[int, dict[str, object]]
                 ) -> None:
        self.columns = columns
        self.extras = extras
        self._severities: Counter[Severity] | None = None

    @classmethod
    def empty(cls) -> FindingTable:
        return cls({name: np.empty(0, dtype=object) for name in COLUMNS}, {})

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> FindingTable:
        """Finished findings as a table (a table as it is)."""
        if isinstance(findings, FindingTable):
            return findings
        count = len(findings)
        return cls({name: object_column((getattr(f, name) for f in findings), count)
                    for name in COLUMNS},
                   {n: dict(f.extra) for n, f in enumerate(findings) if f.extra})

    @classmethod
    def concat(cls, tables: Sequence[FindingTable]) -> FindingTable:
        """The tables' findings one after the other."""
        if not tables:
            return cls.empty()
        if len(tables) == 1:
            return tables[0]
        starts = np.cumsum([0, *map(len, tables)])[:-1].tolist()
        return cls({name: np.concatenate([t.columns[name] for t in tables]) for name in COLUMNS},
                   {start + n: extra for start, table in zip(starts, tables, strict=True)
                    for n, extra in table.extras.items()})

    def take(self, rows: Array) -> FindingTable:
        """The findings at the positions ``rows``, in that order."""
        extras = {}
        if self.extras:
            moved_to = np.full(len(self), -1, dtype=np.int64)
            moved_to[rows] = np.arange(len(rows))
            extras = {int(moved_to[old]): extra for old, extra in self.extras.items()
                      if moved_to[old] >= 0}
        return FindingTable({name: column[rows] for name, column in self.columns.items()},
                            extras)

    def __len__(self) -> int:
        return len(self.columns["code"])

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("finding index out of range")
        return self._make(index)

    def __iter__(self) -> Iterator[Finding]:
        rows = zip(*(self.columns[name].tolist() for name in COLUMNS), strict=True)
        if not self.extras:
            return (Finding(*values) for values in rows)
        return (self._with_extra(Finding(*values), n) for n, values in enumerate(rows))

    def _make(self, n: int) -> Finding:
        return self._with_extra(Finding(*(self.columns[name][n] for name in COLUMNS)), n)

    def _with_extra(self, finding: Finding, n: int) -> Finding:
        extra = self.extras.get(n)
        if extra:
            finding.extra = dict(extra)
        return finding

    def by_code(self) -> dict[str, FindingTable]:
        """The findings of each code, codes in the order they first come, each code's
        findings in their order: the tables of a grouping that makes no finding."""
        codes = self.columns["code"]
        if not len(codes):
            return {}
        names, groups = np.unique(codes.astype(str), return_inverse=True)
        order = np.argsort(groups, kind="stable")  # each code's rows, in their order
        bounds = np.searchsorted(groups[order], np.arange(len(names) + 1))
        return {str(names[n]): self.take(order[bounds[n]:bounds[n + 1]])
                for n in np.argsort(order[bounds[:-1]]).tolist()}

    def severities(self) -> Counter[Severity]:
        """How many findings of each severity (counted once: a run asks for the counts,
        the verdict and the exit code, and a table is not changed once made)."""
        if self._severities is None:
            self._severities = Counter(self.columns["severity"].tolist())
        return self._severities.copy()


def field_values(findings: Sequence[Finding], name: str) -> list[Any]:
    """A field of every finding, in order: a table's column (no finding made), else each
    finding's attribute."""
    if isinstance(findings, FindingTable):
        values: list[Any] = findings.columns[name].tolist()
        return values
    return [getattr(finding, name) for finding in findings]


def object_column(values: Iterable[Any], count: int) -> Array:
    """A one-dimensional object array (lists and tuples among the values stay values)."""
    return np.fromiter(values, dtype=object, count=count)


def batch_columns(batch: FindingBatch, name: str, fingerprints: list[str],
                  lines: Sequence[Any], columns: Sequence[Any]) -> dict[str, Iterable[Any]]:
    """A batch's values for each field of :class:`Finding` (``extra`` apart)."""
    n = len(batch)
    return {"code": repeat(batch.code, n), "severity": repeat(batch.severity, n),
            "message": batch.messages, "file": batch.files, "pointer": batch.pointers,
            "line": lines, "column": columns, "video_id": batch.video_ids,
            "identity": batch.identities, "name": repeat(name, n),
            "fingerprint": fingerprints}
