"""Build a manifest for everything under a frames or videos folder, reusing the rows of
the previous manifest whose media have not changed since (same size and mtime)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vidaudit.frames.paths import Entry, discover, frame_name
from vidaudit.frames.pool import ProbeOptions, probe_all
from vidaudit.frames.rows import MediaRow


@dataclass
class Built:
    rows: list[MediaRow]
    probed: int = 0
    reused: int = 0
    skipped: int = 0
    """Entries under the root that are not media of a video (not named by an id)."""
    problems: list[MediaRow] = field(default_factory=list)


def build(options: ProbeOptions, previous: dict[str, MediaRow] | None = None,
          workers: int | None = None, show_progress: bool | None = None) -> Built:
    entries, skipped = discover(options.root, options.kind)
    ordered = sorted(entries.values(), key=lambda e: int(e.video_id))
    previous = previous or {}
    rows: list[MediaRow | None] = []
    to_probe: list[Entry] = []
    for entry in ordered:
        old = previous.get(entry.video_id)
        if old is not None and reusable(old, entry, options):
            old.line = None
            rows.append(old)
        else:
            rows.append(None)
            to_probe.append(entry)
    probed = iter(probe_all(to_probe, options, workers, show_progress))
    result = [row if row is not None else next(probed) for row in rows]
    return Built(result, probed=len(to_probe), reused=len(result) - len(to_probe),
                 skipped=skipped, problems=[r for r in result if not r.clean])


def reusable(row: MediaRow, entry: Entry, options: ProbeOptions) -> bool:
    """Whether ``row`` still describes ``entry`` as well as probing it now would."""
    if not row.clean or entry.is_link or row.size is None or row.mtime is None:
        return False
    if options.deep and row.checked != "all":
        return False
    path = os.path.join(options.root, entry.name)
    try:
        if options.kind == "videos":
            if row.source != entry.name or (options.exact and row.count_method != "decoded"):
                return False
            stat = os.stat(path)
            return (stat.st_size, stat.st_mtime_ns) == (row.size, row.mtime)
        if row.source != f"{entry.name}/" or not row.frame_count:
            return False
        folder = os.stat(path)
        first = os.stat(os.path.join(path, frame_name(0)))
        last = os.stat(os.path.join(path, frame_name(row.frame_count - 1))) \
            if row.frame_count > 1 else first
    except OSError:
        return False
    size = first.st_size + (last.st_size if row.frame_count > 1 else 0)
    mtime = max(folder.st_mtime_ns, first.st_mtime_ns, last.st_mtime_ns)
    return (size, mtime) == (row.size, row.mtime)


def read_previous(path: Path) -> dict[str, MediaRow] | None:
    """The rows of a manifest this command wrote earlier; None if ``path`` is something else.

    A file that is not a CSV manifest is not ours to overwrite (None); an absent one
    gives an empty dict.
    """
    from vidaudit.frames import csvio

    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        return {}
    if not csvio.looks_like_csv(first):
        return None
    rows, _, missing = csvio.parse(text)
    return {} if missing else {row.video_id: row for row in rows}
