"""The SSv2 contact/release interaction dataset: five JSON files -> tables.

Flattening is tolerant: whatever has the wrong shape is skipped here (the
JSON Schema pass reports it) so that the rest of the file is still checked.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from vidaudit.dataset import Dataset, Positions
from vidaudit.jsonpos import escape_token
from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release.columnar import EventColumns
from vidaudit.sources import DeferredSource, SourceFile
from vidaudit.values import MISSING, show

EVENT_FIELDS = ("action", "agent", "frameNumber", "pointX", "pointY")
SPLITS = ("train", "validation", "test")


def build(root: str, sources: dict[str, SourceFile], profile: str) -> Dataset:
    dataset = Dataset(root=root, profile=profile, sources=sources)
    event_lists, events, events_ok = _flatten_events(sources["events"])
    split_entries, splits_ok = _flatten_splits({s: sources[s] for s in SPLITS})
    template_entries, templates, templates_ok = _flatten_templates(sources["templates"])
    dataset.well_formed = {"events": events_ok, "templates": templates_ok, **splits_ok}

    with_events = {k for k, n in zip(event_lists["key"], event_lists["n_events"], strict=True)
                   if k is not None and n > 0}
    splits_of = _memberships(split_entries, "split")
    templates_of = _memberships(template_entries, "template")

    event_lists["has_events"] = event_lists["n_events"] > 0
    event_lists["events_label"] = [f"{n} event{'s' if n != 1 else ''}"
                                   for n in event_lists["n_events"]]
    event_lists["n_splits"] = [len(splits_of.get(k, ())) for k in event_lists["key"]]
    event_lists["n_templates"] = [len(templates_of.get(k, ())) for k in event_lists["key"]]
    event_lists["ssv2_hint"] = ""  # where SSv2 has the video, with --reference

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
                      and _is(source, list if role in SPLITS else dict)}
    events_columns = getattr(sources["events"], "columns", None)
    if isinstance(events_columns, EventColumns) and events_columns.offsets is not None:
        dataset.positions = _positions(sources["events"].text or "", events_columns.offsets)
    dataset.stats = _stats(dataset)
    return dataset


def _is(source: SourceFile, shape: type) -> bool:
    """Whether the file's JSON value is a ``shape``, without parsing a deferred one."""
    if isinstance(source, DeferredSource):
        return source.shape is shape
    return isinstance(source.data, shape)


def _positions(text: str, offsets: dict[str, Any]) -> dict[str, Positions]:
    """The events file's positions by table, as the pointers of the rules name them."""
    return {"event_lists": Positions(text, {("pointer", ""): offsets["list"],
                                            ("id_pointer", ""): offsets["key"]}),
            "events": Positions(text, {("pointer", ""): offsets["event"],
                                       **{("pointer", name): offsets[name]
                                          for name in EVENT_FIELDS}})}


def _memberships(entries: pd.DataFrame, column: str) -> dict[str, list[Any]]:
    member_of: dict[str, list[Any]] = defaultdict(list)
    for key, group in zip(entries["key"], entries[column], strict=True):
        if key is not None and group not in member_of[key]:
            member_of[key].append(group)
    return member_of


def _flatten_events(source: SourceFile) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The events file as two tables, and whether its structure is certainly valid.

    The structure flag is the schema pass's fast path: when every video maps to a
    list of objects with exactly the five members, the JSON Schema can only fail on
    keywords that the table contracts report (vocabularies, numbers, ids), so the
    full jsonschema pass is skipped.
    """
    if isinstance(source, DeferredSource):
        return (*_tables_from_columns(source.columns, source.display), True)
    data = source.data
    well_formed = isinstance(data, dict)
    if not well_formed:
        data = {}
    video_ids: list[str] = []
    list_flags: list[bool] = []
    counts: list[int] = []
    list_pointers: list[str] = []
    ev_video: list[str] = []
    ev_index: list[int] = []
    actions: list[Any] = []
    agents: list[Any] = []
    frames: list[Any] = []
    xs: list[Any] = []
    ys: list[Any] = []
    pointers: list[str] = []
    fields = set(EVENT_FIELDS)
    for video_id, events in data.items():
        pointer = "/" + escape_token(video_id) if ("/" in video_id or "~" in video_id) \
            else "/" + video_id
        is_list = type(events) is list
        video_ids.append(video_id)
        list_flags.append(is_list)
        counts.append(len(events) if is_list else 0)
        list_pointers.append(pointer)
        if not is_list:
            well_formed = False
            continue
        for index, event in enumerate(events):
            if type(event) is not dict:
                well_formed = False
                continue
            if len(event) != 5 or event.keys() != fields:
                well_formed = False
            get = event.get
            action, agent, frame = get("action", MISSING), get("agent", MISSING), \
                get("frameNumber", MISSING)
            x, y = get("pointX", MISSING), get("pointY", MISSING)
            ev_video.append(video_id)
            ev_index.append(index)
            actions.append(action)
            agents.append(agent)
            frames.append(frame)
            xs.append(x)
            ys.append(y)
            pointers.append(f"{pointer}/{index}")
    event_lists = _frame({"video_id": video_ids, "key": video_ids,
                          "has_key": [True] * len(video_ids), "is_list": list_flags,
                          "n_events": counts, "pointer": list_pointers})
    event_lists["file"] = source.display
    event_lists["id_pointer"] = event_lists["pointer"]
    event_lists["identity"] = event_lists["video_id"]
    events_table = _frame({"video_id": ev_video, "event_index": ev_index, "action": actions,
                           "agent": agents, "frameNumber": frames, "pointX": xs, "pointY": ys,
                           "pointer": pointers})
    events_table["file"] = source.display
    events_table["identity"] = events_table["pointer"].str.slice(1)
    return event_lists, events_table, well_formed


def _tables_from_columns(columns: EventColumns, display: str
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of a file read straight into columns (certainly well formed):
    the same rows :func:`_flatten_events` makes, without a Python loop per event."""
    video_ids, counts = columns.video_ids, columns.counts
    list_pointers = ["/" + escape_token(v) for v in video_ids] \
        if any("/" in v or "~" in v for v in video_ids) else ["/" + v for v in video_ids]
    n_videos = len(video_ids)
    event_lists = _frame({"video_id": video_ids, "key": video_ids,
                          "has_key": [True] * n_videos, "is_list": [True] * n_videos,
                          "n_events": counts, "pointer": list_pointers})
    event_lists["file"] = display
    event_lists["id_pointer"] = event_lists["pointer"]
    event_lists["identity"] = event_lists["video_id"]
    repeats = np.asarray(counts, dtype=np.int64)
    firsts = np.repeat(np.cumsum(repeats) - repeats, repeats)
    index = np.arange(int(repeats.sum()), dtype=np.int64) - firsts
    owners = np.repeat(np.arange(n_videos), repeats).tolist()
    ev_video = [video_ids[n] for n in owners]
    pointers = [f"{list_pointers[n]}/{i}" for n, i in zip(owners, index.tolist(), strict=True)]
    events = _frame({"video_id": ev_video, "event_index": index.tolist(), **columns.values,
                     "pointer": pointers})
    events["file"] = display
    events["identity"] = [p[1:] for p in pointers]
    return event_lists, events


def _flatten_splits(sources: dict[str, SourceFile]) -> tuple[pd.DataFrame, dict[str, bool]]:
    columns = _EntryColumns()
    well_formed = {}
    for split, source in sources.items():
        items = source.data if isinstance(source.data, list) else []
        well_formed[split] = isinstance(source.data, list)
        columns.add(split, items, "", source.display)
    return columns.frame("split"), well_formed


def _flatten_templates(source: SourceFile) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    data = source.data if isinstance(source.data, dict) else {}
    well_formed = isinstance(source.data, dict)
    columns = _EntryColumns()
    names: dict[str, list[Any]] = {name: [] for name in (
        "template", "template_shown", "is_list", "n_videos", "known", "hint", "pointer")}
    classes = set(ssv2_classes())
    for template, ids in data.items():
        pointer = "/" + escape_token(template)
        is_list = isinstance(ids, list)
        well_formed = well_formed and is_list
        known = template in classes
        names["template"].append(template)
        names["template_shown"].append(show(template, limit=80))
        names["is_list"].append(is_list)
        names["n_videos"].append(len(ids) if is_list else 0)
        names["known"].append(known)
        names["hint"].append("" if known else _did_you_mean(template))
        names["pointer"].append(pointer)
        if is_list:
            columns.add(template, ids, pointer, source.display)
    entries = columns.frame("template")
    shown = {t: show(t, limit=80) for t in data}
    entries["template_shown"] = [shown[t] for t in entries["template"]]
    templates = _frame(names)
    templates["file"] = source.display
    templates["name_pointer"] = templates["pointer"]
    templates["identity"] = templates["template"]
    return entries, templates, well_formed


class _EntryColumns:
    """Rows of id lists (split files, template lists), built column by column."""

    def __init__(self) -> None:
        self.group: list[Any] = []
        self.position: list[int] = []
        self.video_id: list[Any] = []
        self.key: list[str | None] = []
        self.occurrence: list[int] = []
        self.n_occurrences: list[int] = []
        self.pointer: list[str] = []
        self.file: list[str] = []
        self.identity: list[str] = []

    def add(self, group: Any, items: list[Any], parent: str, display: str) -> None:
        counts: dict[str, int] = defaultdict(int)
        texts = [v if type(v) is str else show(v, limit=200) for v in items]
        for position, (video_id, text) in enumerate(zip(items, texts, strict=True)):
            counts[text] += 1
            self.group.append(group)
            self.position.append(position)
            self.video_id.append(video_id)
            self.key.append(video_id if type(video_id) is str else None)
            self.occurrence.append(counts[text])
            self.pointer.append(f"{parent}/{position}")
            self.file.append(display)
            self.identity.append(f"{group}/{text}#{counts[text]}")
        self.n_occurrences.extend(counts[text] for text in texts)

    def frame(self, group: str) -> pd.DataFrame:
        frame = _frame({group: self.group, "position": self.position,
                        "video_id": self.video_id, "key": self.key,
                        "has_key": [k is not None for k in self.key],
                        "occurrence": self.occurrence, "n_occurrences": self.n_occurrences,
                        "pointer": self.pointer, "file": self.file,
                        "identity": self.identity})
        frame["id_pointer"] = frame["pointer"]
        return frame


_TYPED = {"event_index": "int64", "position": "int64", "n_events": "int64", "n_videos": "int64",
          "occurrence": "int64", "n_occurrences": "int64", "has_key": "bool", "is_list": "bool",
          "known": "bool"}


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """A table whose data columns keep the JSON values as they are (object dtype):
    pandas would otherwise turn ``[10, 10.0]`` into floats and lose the difference."""
    return pd.DataFrame({name: pd.Series(values, dtype=_TYPED.get(name, object))
                         for name, values in columns.items()})


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
