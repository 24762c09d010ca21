"""The SSv2 contact/release interaction dataset: five JSON files -> tables.

Flattening is tolerant: whatever has the wrong shape is skipped here (the
JSON Schema pass reports it) so that the rest of the file is still checked.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from vidaudit.config import SPLITS, Config
from vidaudit.dataset import Dataset
from vidaudit.jsonpos import escape_token
from vidaudit.sources import SourceFile, read_json_source
from vidaudit.values import MISSING, is_number, show

NAME = "ssv2-contact-release"
SCHEMAS = {"events": "video_events_labels", "templates": "template_to_video_ids_map",
           **{split: "video_ids_split" for split in SPLITS}}
EVENT_FIELDS = ("action", "agent", "frameNumber", "pointX", "pointY")


@functools.cache
def ssv2_classes() -> tuple[str, ...]:
    """SSv2's 174 class names, in class-index order."""
    text = (resources.files("vidaudit.profiles") / "ssv2_classes.txt").read_text("utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


def read_sources(root: str, config: Config) -> dict[str, SourceFile]:
    folder = Path(root)
    sources = {}
    for role, name in config.files.items():
        display = str(Path(root) / name) if root not in ("", ".") else name
        sources[role] = read_json_source(role, folder / name, display, config.max_bytes)
    return sources


def build(root: str, sources: dict[str, SourceFile]) -> Dataset:
    dataset = Dataset(root=root, profile=NAME, sources=sources)
    events_src = sources["events"]
    event_lists, events = _flatten_events(events_src)
    split_entries = _flatten_splits({s: sources[s] for s in SPLITS})
    template_entries, templates = _flatten_templates(sources["templates"])

    with_events = {k for k, n in zip(event_lists["key"], event_lists["n_events"], strict=True)
                   if k is not None and n > 0}
    splits_of = _memberships(split_entries, "split")
    templates_of = _memberships(template_entries, "template")

    event_lists["has_events"] = event_lists["n_events"] > 0
    event_lists["events_label"] = [f"{n} event{'s' if n != 1 else ''}"
                                   for n in event_lists["n_events"]]
    event_lists["n_splits"] = [len(splits_of.get(k, ())) for k in event_lists["key"]]
    event_lists["n_templates"] = [len(templates_of.get(k, ())) for k in event_lists["key"]]

    for entries, member_of, column in ((split_entries, splits_of, "split"),
                                       (template_entries, templates_of, "template")):
        keys = entries["key"]
        entries["has_events"] = [k in with_events for k in keys]
        groups = [member_of.get(k, ()) for k in keys]
        entries[f"{column}s"] = [", ".join(show(g) if column == "template" else g
                                           for g in group) for group in groups]
        entries[f"first_{column}"] = [group[0] if group else None for group in groups]
        entries[f"n_{column}s"] = [len(group) for group in groups]

    dataset.tables = {"events": events, "event_lists": event_lists,
                      "split_entries": split_entries, "template_entries": template_entries,
                      "templates": templates}
    dataset.key_pointers = {"event_lists": {"id_pointer"}, "templates": {"name_pointer"}}
    dataset.usable = {role for role, source in sources.items() if source.parsed
                      and isinstance(source.data, list if role in SPLITS else dict)}
    dataset.stats = _stats(dataset)
    return dataset


def _memberships(entries: pd.DataFrame, column: str) -> dict[str, list[Any]]:
    member_of: dict[str, list[Any]] = defaultdict(list)
    for key, group in zip(entries["key"], entries[column], strict=True):
        if key is not None and group not in member_of[key]:
            member_of[key].append(group)
    return member_of


def _flatten_events(source: SourceFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = source.data if isinstance(source.data, dict) else {}
    lists: dict[str, list[Any]] = defaultdict(list)
    cols: dict[str, list[Any]] = defaultdict(list)
    for video_id, events in data.items():
        pointer = "/" + escape_token(video_id)
        is_list = isinstance(events, list)
        lists["video_id"].append(video_id)
        lists["key"].append(video_id)
        lists["has_key"].append(True)
        lists["is_list"].append(is_list)
        lists["n_events"].append(len(events) if is_list else 0)
        lists["pointer"].append(pointer)
        if not is_list:
            continue
        seen: dict[Any, int] = {}
        first_action: dict[Any, tuple[int, Any]] = {}
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                continue
            values = [event.get(name, MISSING) for name in EVENT_FIELDS]
            cols["video_id"].append(video_id)
            cols["event_index"].append(index)
            for name, value in zip(EVENT_FIELDS, values, strict=True):
                cols[name].append(value)
            cols["pointer"].append(f"{pointer}/{index}")
            signature = _hashable(values)
            first = seen.setdefault(signature, index)
            cols["duplicate_of"].append(first if first != index else None)
            action, agent, frame = values[0], values[1], values[2]
            contradicts = contradicting = None
            if isinstance(action, str) and isinstance(agent, str) and is_number(frame):
                earlier = first_action.setdefault((agent, frame), (index, action))
                if earlier[1] != action:
                    contradicts, contradicting = earlier
            cols["contradicts"].append(contradicts)
            cols["contradicting_action"].append(contradicting)
    event_lists = _frame(lists, ["video_id", "key", "has_key", "is_list", "n_events",
                                 "pointer"])
    event_lists["file"] = source.display
    event_lists["id_pointer"] = event_lists["pointer"]
    event_lists["identity"] = event_lists["video_id"]
    events = _frame(cols, ["video_id", "event_index", *EVENT_FIELDS, "pointer",
                           "duplicate_of", "contradicts", "contradicting_action"])
    events["file"] = source.display
    events["identity"] = events["pointer"].str.slice(1)
    return event_lists, events


_TYPED = {"event_index": "int64", "position": "int64", "n_events": "int64", "n_videos": "int64",
          "occurrence": "int64", "n_occurrences": "int64", "has_key": "bool", "is_list": "bool",
          "known": "bool"}


def _frame(columns: dict[str, list[Any]], names: list[str]) -> pd.DataFrame:
    """A table whose data columns keep the JSON values as they are (object dtype):
    pandas would otherwise turn ``[10, 10.0]`` into floats and lose the difference."""
    return pd.DataFrame({name: pd.Series(columns.get(name, []), dtype=_TYPED.get(name, object))
                         for name in names})


def _hashable(values: list[Any]) -> Any:
    try:
        hash(tuple(values))
        return tuple(values)
    except TypeError:
        return show(values, limit=10_000)


def _flatten_splits(sources: dict[str, SourceFile]) -> pd.DataFrame:
    cols: dict[str, list[Any]] = defaultdict(list)
    for split, source in sources.items():
        items = source.data if isinstance(source.data, list) else []
        counts: dict[Any, int] = defaultdict(int)
        _entries(cols, items, counts, "", source.display)
        cols["split"].extend([split] * len(items))
    return _entries_frame(cols, "split")


def _flatten_templates(source: SourceFile) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = source.data if isinstance(source.data, dict) else {}
    cols: dict[str, list[Any]] = defaultdict(list)
    names: dict[str, list[Any]] = defaultdict(list)
    classes = set(ssv2_classes())
    for template, ids in data.items():
        pointer = "/" + escape_token(template)
        is_list = isinstance(ids, list)
        known = template in classes
        names["template"].append(template)
        names["template_shown"].append(show(template, limit=80))
        names["is_list"].append(is_list)
        names["n_videos"].append(len(ids) if is_list else 0)
        names["known"].append(known)
        names["hint"].append("" if known else _did_you_mean(template))
        names["pointer"].append(pointer)
        if is_list:
            counts: dict[Any, int] = defaultdict(int)
            _entries(cols, ids, counts, pointer, source.display)
            cols["template"].extend([template] * len(ids))
    entries = _entries_frame(cols, "template")
    entries["template_shown"] = [show(t, limit=80) for t in entries["template"]]
    templates = _frame(names, ["template", "template_shown", "is_list", "n_videos", "known",
                               "hint", "pointer"])
    templates["file"] = source.display
    templates["name_pointer"] = templates["pointer"]
    templates["identity"] = templates["template"]
    return entries, templates


def _entries(cols: dict[str, list[Any]], items: list[Any], counts: dict[Any, int],
             parent: str, display: str) -> None:
    for position, video_id in enumerate(items):
        key = video_id if isinstance(video_id, str) else None
        counts[show(video_id, limit=10_000)] += 1
        cols["position"].append(position)
        cols["video_id"].append(video_id)
        cols["key"].append(key)
        cols["has_key"].append(key is not None)
        cols["occurrence"].append(counts[show(video_id, limit=10_000)])
        cols["pointer"].append(f"{parent}/{position}")
        cols["file"].append(display)
    for video_id in items:
        cols["n_occurrences"].append(counts[show(video_id, limit=10_000)])


def _entries_frame(cols: dict[str, list[Any]], group: str) -> pd.DataFrame:
    frame = _frame(cols, [group, "position", "video_id", "key", "has_key", "occurrence",
                          "n_occurrences", "pointer", "file"])
    frame["id_pointer"] = frame["pointer"]
    frame["identity"] = [f"{g}/{show(v, limit=200)}#{o}" for g, v, o in
                         zip(frame[group], frame["video_id"], frame["occurrence"], strict=True)]
    return frame


def _did_you_mean(template: Any) -> str:
    if not isinstance(template, str):
        return ""
    close = difflib.get_close_matches(template, ssv2_classes(), n=1, cutoff=0.8)
    return f" (did you mean {show(close[0], limit=80)}?)" if close else ""


def _stats(dataset: Dataset) -> dict[str, Any]:
    events = dataset.tables["events"]
    split_entries = dataset.tables["split_entries"]
    return {
        "videos": len(dataset.tables["event_lists"]),
        "events": len(events),
        "templates": len(dataset.tables["templates"]),
        "split_videos": {s: int((split_entries["split"] == s).sum()) for s in SPLITS},
    }
