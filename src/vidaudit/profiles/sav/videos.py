"""VA812 through ``--videos DIR``: the train videos probed by the shared frame source
(its guarded pool), then compared with each video's manual file, which is read again
here, one at a time (so nothing per video is kept from the main pass but its id).

Mismatches become rows of the ``video_mismatch`` table, which VA812's table check
reports; the manual files of those videos join the run's sources so that the findings
are located by their JSON Pointer like any other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.profiles.sav.layout import VIDEO_FILE, display_path

if TYPE_CHECKING:
    import pandas as pd

    from vidaudit.dataset import Dataset
    from vidaudit.frames.paths import Entry
    from vidaudit.frames.rows import MediaRow

TABLE = "video_mismatch"
COLUMNS = ("file", "pointer", "identity", "video_id", "message", "ok")


def empty_table() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series([], dtype=bool if c == "ok" else object)
                         for c in COLUMNS})


def media_entries(dataset: Dataset, root: Path, train_ids: set[str]) -> dict[str, Entry]:
    """``{id}.mp4`` under ``root`` for the train videos that have no video beside their
    JSON files (those were checked already); names are validated before use."""
    from vidaudit.frames.paths import Entry

    found: dict[str, Entry] = {}
    with os.scandir(root) as listing:
        for item in listing:
            match = VIDEO_FILE.fullmatch(item.name)
            if match is None or match.group(1) not in train_ids:
                continue
            if (Path(dataset.root) / item.name).exists():
                continue
            found[match.group(1)] = Entry(match.group(1), item.name, item.is_symlink())
    return found


def attach(dataset: Dataset, rows: Mapping[str, MediaRow], max_bytes: int,
           follow_links: bool) -> None:
    """Compare each probed video with its manual file; add the mismatch rows."""
    import pandas as pd

    from vidaudit.profiles.sav.jsonread import read_masklets

    records: list[dict[str, Any]] = []
    folder = Path(dataset.root)
    for video_id, row in sorted(rows.items()):
        if row.unreadable or row.frame_count is None:
            continue  # VA405 on the manifest table says so
        name = f"{video_id}_manual.json"
        display = display_path(dataset.root, name)
        source, shaped = read_masklets("manual", folder / name, display, max_bytes,
                                       None if follow_links else folder)
        if not shaped:
            continue
        data = source.data
        total, height, width = data["video_frame_count"], data["video_height"], \
            data["video_width"]
        problems = []
        if row.frame_count != total:
            problems.append(("/video_frame_count", f"{row.source} has {row.frame_count} "
                             f"frames (as its container says), but video_frame_count is "
                             f"{int(total)}"))
        if row.has_size and (row.width, row.height) != (width, height):
            problems.append(("/video_height", f"{row.source} is {row.width}x{row.height}, "
                             f"but the JSON says {int(width)}x{int(height)} (width x height)"))
        if not problems:
            continue
        dataset.sources[f"video-check:{video_id}"] = source
        for pointer, message in problems:
            records.append({"file": display, "pointer": pointer, "identity": pointer,
                            "video_id": video_id, "message": message, "ok": False})
    if records:  # each file once in the report's inputs: as a source now
        added = {r["file"] for r in records}
        dataset.stats["extra_inputs"] = [i for i in dataset.stats.get("extra_inputs", [])
                                         if i["path"] not in added]
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS)) if records \
        else empty_table()
    dataset.tables[TABLE] = table
