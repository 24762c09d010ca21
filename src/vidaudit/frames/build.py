"""Build a manifest for everything under a frames or videos folder, reusing the rows of
the previous manifest whose media have not changed since.

"Unchanged" means the same size and mtime: for a video file its own; for a frames
folder the folder's mtime (it changes whenever a frame is added, removed or
renamed) together with its first frame's size and mtime (they change when the
frames are overwritten in place by a re-extraction). Rows that record a problem,
or were made with less checking than asked for now (``--deep``, ``--exact``), are
always probed again. Previous rows are kept as the CSV cells they were read as, so
an unchanged re-run costs about one directory listing and two ``stat`` calls per
video, and rewrites nothing when nothing changed.
"""

from __future__ import annotations

import csv
import io
import operator
import os
from dataclasses import dataclass
from pathlib import Path

from vidaudit.frames import csvio
from vidaudit.frames.paths import Entry, discover, frame_name
from vidaudit.frames.pool import probe_all
from vidaudit.frames.probe import ProbeOptions
from vidaudit.frames.rows import COLUMNS
from vidaudit.values import is_video_id

_AT = {name: i for i, name in enumerate(COLUMNS)}
_FIELDS = operator.itemgetter(*(_AT[name] for name in (
    "gaps", "extra", "unreadable", "size_mismatch", "first_index", "frame_count", "source",
    "count_method", "checked", "size", "mtime")))
_FIRST = frame_name(0)
Record = list[str]


@dataclass
class Previous:
    """The rows of a manifest this command wrote before, as CSV cells, by video id."""

    records: dict[str, Record]
    lines: int = 0
    """Data lines in the file (more than ``records`` if some were unusable or repeated)."""


@dataclass
class Built:
    records: list[Record]
    """The manifest's rows as CSV cells (COLUMNS order), sorted by numeric id."""
    probed: int = 0
    reused: int = 0
    skipped: int = 0
    """Entries under the root that are not media of a video (not named by an id)."""
    problems: int = 0
    unchanged: bool = False
    """Every row was reused and no video came or went: the previous file is current."""

    def text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(self.records)
        return buffer.getvalue()


def build(options: ProbeOptions, previous: Previous | None = None, workers: int | None = None,
          show_progress: bool | None = None, scheduler: str | None = None) -> Built:
    entries, skipped = discover(options.root, options.kind)
    ordered = sorted(entries.values(), key=lambda e: int(e.video_id))
    old = previous.records if previous is not None else {}
    kept: list[Record | None] = []
    to_probe: list[Entry] = []
    root_fd = os.open(options.root, os.O_RDONLY)
    try:
        for entry in ordered:
            record = old.get(entry.video_id)
            if record is not None and reusable(record, entry, options, root_fd):
                kept.append(record)
            else:
                kept.append(None)
                to_probe.append(entry)
    finally:
        os.close(root_fd)
    probed = iter(probe_all(to_probe, options, workers, show_progress, scheduler))
    records: list[Record] = []
    problems = 0
    for record in kept:
        if record is None:
            row = next(probed)
            problems += not row.clean
            record = csvio.cells(row)
        records.append(record)
    return Built(records, probed=len(to_probe), reused=len(records) - len(to_probe),
                 skipped=skipped, problems=problems,
                 unchanged=previous is not None and not to_probe
                 and len(records) == len(old) == previous.lines)


def reusable(record: Record, entry: Entry, options: ProbeOptions, root_fd: int) -> bool:
    """Whether the previous row still describes ``entry`` as well as probing it now would."""
    (gaps, extra, unreadable, mismatch, first, count, source, method, checked, size,
     mtime) = _FIELDS(record)
    if gaps != "0" or extra != "0" or unreadable or mismatch or not count or not size \
            or not mtime or entry.is_link or (options.deep and checked != "all"):
        return False
    try:
        if options.kind == "videos":
            if source != entry.name or (options.exact and method != "decoded"):
                return False
            stat = os.stat(entry.name, dir_fd=root_fd, follow_symlinks=False)
            return (str(stat.st_size), str(stat.st_mtime_ns)) == (size, mtime)
        if source != f"{entry.name}/" or first != "0" or count == "0":
            return False
        folder = os.stat(entry.name, dir_fd=root_fd, follow_symlinks=False)
        frame = os.stat(f"{entry.name}/{_FIRST}", dir_fd=root_fd,
                        follow_symlinks=False)
    except OSError:
        return False
    return (str(frame.st_size), str(max(folder.st_mtime_ns, frame.st_mtime_ns))) == \
        (size, mtime)


def read_previous(path: Path) -> Previous | None:
    """The manifest at ``path`` if this command wrote it (else no rows to reuse).

    None when ``path`` holds something that is not a CSV manifest: not ours to
    overwrite. An absent or empty file gives no rows.
    """
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Previous({}, lines=-1)
    except (OSError, UnicodeDecodeError):
        return None
    first = text[:text.find("\n")] if "\n" in text else text
    if not text.strip():
        return Previous({}, lines=-1)
    if not csvio.looks_like_csv(first):
        return None
    records: dict[str, Record] = {}
    reader = csv.reader(io.StringIO(text))
    if next(reader, None) != list(COLUMNS):
        return Previous({}, lines=-1)  # a manifest, but not in this version's columns
    width = len(COLUMNS)
    lines = 0
    for record in reader:
        lines += 1
        if len(record) == width and is_video_id(record[0]):
            records.setdefault(record[0], record)
    return Previous(records, lines)
