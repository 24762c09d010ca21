"""Reading manifests: a CSV manifest or a rawframes list (told apart by content),
one file, several files, or a folder of them, merged into one row per video.

Each file becomes a table (:mod:`~vidaudit.frames.table`): read by pandas' C parser
when it is well formed (:mod:`~vidaudit.frames.fastread`), else line by line by the
exact reader, which says what is wrong with each line. Merging is vectorised.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.errors import UsageError
from vidaudit.frames import csvio, fastread, rawframes
from vidaudit.frames import table as rowtable
from vidaudit.frames.problems import LineProblem
from vidaudit.frames.rows import REQUIRED
from vidaudit.safeio import Refused, read_regular

if TYPE_CHECKING:
    import pandas as pd

LIST_SUFFIXES = (".csv", ".txt", ".lst", ".list")
"""Which files of a folder given as ``--manifest`` are read."""


@dataclass
class ManifestFile:
    path: Path
    display: str
    kind: str = "unknown"
    """"csv", "rawframes" or "unknown" (unreadable: see ``problems``)."""
    sha256: str = ""
    size: int = 0
    table: pd.DataFrame | None = None
    """One row per usable line (see vidaudit.frames.table); None: nothing usable."""
    problems: list[LineProblem] = field(default_factory=list)


def expand(paths: list[str]) -> list[tuple[Path, str]]:
    """(path, display) for each file given; a folder stands for its list files."""
    result: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in LIST_SUFFIXES)
            if not found:
                raise UsageError(f"manifest folder {given} holds no {'/'.join(LIST_SUFFIXES)} "
                                 "files")
            result.extend((p, str(Path(given) / p.name)) for p in found)
        elif path.is_file():
            result.append((path, given))
        else:
            raise UsageError(f"manifest {given} does not exist")
    return result


def read_file(path: Path, display: str, root: Path | None = None,
              max_bytes: int = 256 << 20) -> ManifestFile:
    """One manifest; ``root``: the folder it may not leave by a symbolic link."""
    try:
        data = read_regular(path, max_bytes, root)
    except Refused as refused:
        unread = ManifestFile(path, display)
        unread.problems.append(LineProblem(1, str(refused), "file"))
        return unread
    except OSError as error:
        raise UsageError(f"cannot read manifest {display}: {error.strerror or error}") from None
    manifest = ManifestFile(path, display, sha256=hashlib.sha256(data).hexdigest(),
                            size=len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        manifest.problems.append(LineProblem(line, "the manifest is not UTF-8 text",
                                             "encoding"))
        return manifest
    sample = [line for line in _first_lines(text, 200) if line.strip()][:20]
    first = sample[0] if sample else ""
    if csvio.looks_like_csv(first):
        manifest.kind = "csv"
        manifest.table = fastread.csv_table(data)
        if manifest.table is None:
            rows, manifest.problems, missing = csvio.parse(text)
            manifest.table = rowtable.from_rows(rows)
            if missing:
                manifest.problems = [LineProblem(
                    1, f"the CSV header lacks {', '.join(missing)} (needs at least "
                    f"{', '.join(REQUIRED)})", "header")]
    elif rawframes.looks_like_rawframes(sample):
        manifest.kind = "rawframes"
        manifest.table = fastread.rawframes_table(data)
        if manifest.table is None:
            rows, manifest.problems = rawframes.parse(text)
            manifest.table = rowtable.from_rows(rows)
    else:
        number = text.splitlines().index(first) + 1 if first else 1
        manifest.problems.append(LineProblem(
            number, "not a frame manifest: expected a CSV header with video_id and "
            "frame_count, or `frame_dir num_frames [label]` lines", "format"))
    return manifest


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting all of a large file."""
    head = text[:1 << 16].splitlines()
    return head[:count] if len(head) > count else text.splitlines()[:count]


def merge(manifests: list[ManifestFile]) -> tuple[rowtable.RowSet,
                                                 list[tuple[str, LineProblem]]]:
    """One row per video (the first listing wins), and every problem of the files in
    order: each file's own, then its rows that repeat an earlier one."""
    empty = rowtable.light({"key": [], "frame_count": []})
    rows = rowtable.RowSet.of([m.table if m.table is not None else empty for m in manifests],
                              [m.display for m in manifests])
    problems: list[tuple[str, LineProblem]] = []
    for manifest, repeats in zip(manifests, rows.problems, strict=True):
        problems.extend((manifest.display, p) for p in manifest.problems)
        problems.extend((manifest.display, p) for p in repeats)
    return rows, problems
