"""Something-Else's ``annotations.json`` -> tables.

``videos``: one row per key (a video id). ``frames``: one row per annotated frame
entry (its name parsed into the 0-based frame number, the instance count).
``boxes``: one row per label's ``box2d`` (see :mod:`vidaudit.rules.boxes`).

Flattening is tolerant: what has the wrong shape is left to the JSON Schema pass
(VA201), and the rest of the file is still checked.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from vidaudit.dataset import Dataset
from vidaudit.jsonpos import escape_token
from vidaudit.rules.boxes import BoxColumns
from vidaudit.sources import SourceFile
from vidaudit.values import is_video_id, show

FRAME_NAME = re.compile(r"([^/]*)/(\d{4})\.jpg")
"""``VIDEO/NNNN.jpg``: 1-based, 4 digits, as published."""


def parse_name(name: Any, key: str) -> tuple[int | None, str]:
    """The 0-based frame number a frame entry's ``name`` gives, or None and why not."""
    if not isinstance(name, str):
        return None, ""  # the schema pass reports a name that is not a string
    match = FRAME_NAME.fullmatch(name)
    if match is None or not match.group(2).isascii() or match.group(2) == "0000":
        return None, f"frame name {show(name, 80)} is not VIDEO/NNNN.jpg (1-based, 4 digits)"
    if match.group(1) != key:
        return None, f"frame name {show(name, 80)} lies under video " \
                     f"{show(match.group(1), 40)}, not under {show(key, 40)}"
    return int(match.group(2)) - 1, ""


def build(root: str, sources: dict[str, SourceFile], profile: str) -> Dataset:
    dataset = Dataset(root=root, profile=profile, sources=sources)
    source = sources["annotations"]
    data = source.data if source.parsed and isinstance(source.data, dict) else {}
    file = source.display
    videos: dict[str, list[Any]] = {k: [] for k in ("video_id", "pointer", "key_ok",
                                                    "n_annotated")}
    frames: dict[str, list[Any]] = {k: [] for k in (
        "video_id", "pointer", "name", "frame", "name_problem", "name_pointer",
        "nr_instances", "n_labels", "nr_pointer", "identity")}
    boxes: dict[str, list[Any]] = {k: [] for k in (
        "video_id", "frame", "pointer", "box_pointer", "box_what", "identity")}
    corners = BoxColumns()
    for key, entries in data.items():
        base = "/" + escape_token(key)
        videos["video_id"].append(key)
        videos["pointer"].append(base)
        videos["key_ok"].append(is_video_id(key))
        listed = entries if isinstance(entries, list) else []
        videos["n_annotated"].append(len(listed))
        for i, entry in enumerate(listed):
            if not isinstance(entry, dict):
                continue
            at = f"{base}/{i}"
            name = entry.get("name")
            frame, problem = parse_name(name, key)
            labels = entry.get("labels")
            labels = labels if isinstance(labels, list) else []
            shown = show(name, 80) if isinstance(name, str) else f"{key}[{i}]"
            frames["video_id"].append(key)
            frames["pointer"].append(at)
            frames["name"].append(shown)
            frames["frame"].append(frame)
            frames["name_problem"].append(problem)
            frames["name_pointer"].append(f"{at}/name")
            frames["nr_instances"].append(entry.get("nr_instances"))
            frames["n_labels"].append(len(labels))
            frames["nr_pointer"].append(f"{at}/nr_instances")
            frames["identity"].append(f"{key}/{name if isinstance(name, str) else i}")
            for j, label in enumerate(labels):
                if not isinstance(label, dict) or "box2d" not in label:
                    continue  # the schema pass reports it
                corners.add(label["box2d"])
                category = label.get("category")
                boxes["video_id"].append(key)
                boxes["frame"].append(frame)
                boxes["pointer"].append(f"{at}/labels/{j}")
                boxes["box_pointer"].append(f"{at}/labels/{j}/box2d")
                boxes["box_what"].append(
                    f"the box of {show(category, 40)} (label {j}) in frame {shown}")
                boxes["identity"].append(f"{key}/{name if isinstance(name, str) else i}/{j}")
    dataset.tables = {
        "videos": _table(videos, file),
        "frames": _table(frames, file),
        "boxes": _table({**boxes, **corners.columns()}, file),
    }
    videos_table = dataset.tables["videos"]
    videos_table["key_ok"] = videos_table["key_ok"].astype(bool)
    videos_table["identity"] = videos_table["video_id"]
    videos_table["frames_wanted"] = videos_table["key_ok"] & (videos_table["n_annotated"] > 0)
    dataset.key_pointers = {"videos": {"pointer"}}
    if source.parsed and isinstance(source.data, dict):
        dataset.usable.add("annotations")
    dataset.stats = {"videos": len(videos["video_id"]), "frames": len(frames["video_id"]),
                     "boxes": len(boxes["video_id"])}
    return dataset


def _table(columns: dict[str, list[Any]], file: str) -> pd.DataFrame:
    table = pd.DataFrame({name: pd.Series(values, dtype=object if name not in
                                          ("x1", "y1", "x2", "y2") else float)
                          for name, values in columns.items()})
    table["file"] = file
    return table
