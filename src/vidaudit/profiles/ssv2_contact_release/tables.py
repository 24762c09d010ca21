"""The SSv2 contact/release interaction dataset: five JSON files -> tables.

Flattening is tolerant: whatever has the wrong shape is skipped here (the JSON
Schema pass reports it) so that the rest of the file is still checked.

The split files and the template map list ~220,000 ids each. Their tables and the
joins between the files are built with array operations: every id that is a string
gets an integer code, the same in every file, and the rest compares integers. Ids that
are not strings take slower per-id steps, in the files that have them only.
"""

from __future__ import annotations

import difflib
from itertools import chain, pairwise
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

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
    split_lists, splits_ok = _split_lists({s: sources[s] for s in SPLITS})
    template_lists, templates, templates_ok = _flatten_templates(sources["templates"])
    dataset.well_formed = {"events": events_ok, "templates": templates_ok, **splits_ok}

    split_ids = _Entries("split", split_lists)
    template_ids = _Entries("template", template_lists)
    codes = _KeyCodes([split_ids.keys, template_ids.keys], event_lists["key"])
    splits_of = _Memberships(split_ids, codes.of_lists[0], codes.count)
    templates_of = _Memberships(template_ids, codes.of_lists[1], codes.count)

    has_events = (event_lists["n_events"] > 0).to_numpy()
    event_lists["has_events"] = has_events
    _assign(event_lists, {"events_label": _events_labels(event_lists["n_events"].to_numpy()),
                          "n_splits": splits_of.counts(codes.of_events),
                          "n_templates": templates_of.counts(codes.of_events)})
    event_lists["ssv2_hint"] = ""  # where SSv2 has the video, with --reference
    with_events = codes.of_events[has_events & (codes.of_events >= 0)]

    split_entries = _entry_table(split_ids, codes.of_lists[0])
    _assign(split_entries, splits_of.join_columns(with_events))
    template_entries = _entry_table(template_ids, codes.of_lists[1])
    _assign(template_entries,
            {"template_shown": template_ids.shown(limit=80)[template_ids.which]})
    _assign(template_entries, templates_of.join_columns(with_events))

    dataset.tables = {"events": events, "event_lists": event_lists,
                      "split_entries": split_entries, "template_entries": template_entries,
                      "templates": templates}
    dataset.key_pointers = {"event_lists": {"id_pointer"}, "templates": {"name_pointer"}}
    dataset.usable = {role for role, source in sources.items() if source.parsed
                      and _is(source, list if role in SPLITS else dict)}
    events_columns = getattr(sources["events"], "columns", None)
    if isinstance(events_columns, EventColumns) and events_columns.offsets is not None:
        dataset.positions = _positions(sources["events"].text or "", events_columns.offsets)
    dataset.stats = _stats(dataset, {listed.name: len(listed.ids) for listed in split_lists})
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
    the same rows :func:`_flatten_events` makes, without a Python loop per event. Every
    column is an array made here, taken by the tables as it is."""
    ids = _objects(columns.video_ids)
    counts = np.asarray(columns.counts, dtype=np.int64)
    tokens = _tokens(columns.video_ids, ids)
    list_pointers = "/" + tokens
    n_videos = len(ids)
    event_lists = _table({"video_id": ids, "key": ids.copy(),
                          "has_key": np.ones(n_videos, dtype=bool),
                          "is_list": np.ones(n_videos, dtype=bool),
                          "n_events": counts, "pointer": list_pointers})
    event_lists["file"] = display
    event_lists["id_pointer"] = event_lists["pointer"]
    event_lists["identity"] = event_lists["video_id"]
    index = np.arange(int(counts.sum()), dtype=np.int64) \
        - np.repeat(np.cumsum(counts) - counts, counts)
    suffixes = _objects([f"/{i}" for i in range(int(counts.max(initial=0)))])[index]
    owners = np.repeat(ids, counts)  # each event's video
    identities = (owners if tokens is ids else np.repeat(tokens, counts)) + suffixes
    events = _table({"video_id": owners, "event_index": index,
                     **columns.values, "pointer": "/" + identities})
    events["file"] = display
    _assign(events, {"identity": identities})  # str dtype, as from a list of strings
    return event_lists, events


def _tokens(video_ids: list[str], ids: np.ndarray) -> np.ndarray:
    """The ids as JSON Pointer tokens (the ids themselves unless one has a ``/`` or ``~``,
    looked for in all of them at once)."""
    joined = "".join(video_ids)
    if "/" in joined or "~" in joined:
        return _objects([escape_token(v) for v in video_ids])
    return ids


class _IdList(NamedTuple):
    """A list of video ids: a split file, or one template's list in the template map."""

    name: str
    """The split or the template."""
    ids: list[Any]
    parent: str
    """The list's JSON Pointer ("" for a whole file)."""
    file: str


def _split_lists(sources: dict[str, SourceFile]) -> tuple[list[_IdList], dict[str, bool]]:
    well_formed = {split: isinstance(source.data, list) for split, source in sources.items()}
    return [_IdList(split, source.data if well_formed[split] else [], "", source.display)
            for split, source in sources.items()], well_formed


def _flatten_templates(source: SourceFile) -> tuple[list[_IdList], pd.DataFrame, bool]:
    data = source.data if isinstance(source.data, dict) else {}
    well_formed = isinstance(source.data, dict)
    lists: list[_IdList] = []
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
            lists.append(_IdList(template, ids, pointer, source.display))
    templates = _frame(names)
    templates["file"] = source.display
    templates["name_pointer"] = templates["pointer"]
    templates["identity"] = templates["template"]
    return lists, templates, well_formed


class _Entries:
    """The ids of one kind of list (the split files, or the template map's lists), one
    row per listed id, list after list: each row's list (``which``) and position in it,
    the id, the id as text (a non-string shown as JSON) and as key (the id if it is a
    string, else None)."""

    def __init__(self, group: str, lists: list[_IdList]) -> None:
        self.group = group
        self.lists = lists
        lengths = np.array([len(listed.ids) for listed in lists], dtype=np.int64)
        self.which = np.repeat(np.arange(len(lists)), lengths)
        self.position = np.arange(len(self.which)) - np.repeat(np.cumsum(lengths) - lengths,
                                                               lengths)
        self.ids = np.fromiter(chain.from_iterable(listed.ids for listed in lists),
                               dtype=object, count=len(self.which))
        if infer_dtype(self.ids, skipna=False) in ("string", "empty"):  # the usual case
            self.texts = self.keys = self.ids
            self.has_key = np.ones(len(self.ids), dtype=bool)
        else:
            ids = self.ids.tolist()
            self.has_key = np.array([type(v) is str for v in ids], dtype=bool)
            self.keys = _objects([v if type(v) is str else None for v in ids])
            self.texts = _objects([v if type(v) is str else show(v, limit=200) for v in ids])

    def names(self) -> np.ndarray:
        return _objects([listed.name for listed in self.lists])

    def shown(self, limit: int = 60) -> np.ndarray:
        return _objects([show(listed.name, limit=limit) for listed in self.lists])


class _KeyCodes:
    """One integer code per distinct key, the same in the entries of each kind and in the
    events file (-1: no key): the joins between the files compare these. Hashing all the
    keys at once costs less than hashing each file's and looking up the others."""

    def __init__(self, keys: list[np.ndarray], event_keys: pd.Series[Any]) -> None:
        codes, uniques = pd.factorize(np.concatenate([*keys, event_keys.to_numpy()]))
        bounds = np.cumsum([0, *(len(k) for k in keys)])
        self.of_lists = [codes[start:end] for start, end in pairwise(bounds)]
        self.of_events = codes[bounds[-1]:]
        self.count = len(uniques)


def _entry_table(entries: _Entries, codes: np.ndarray) -> pd.DataFrame:
    """The entries as a table, with which listing of the same id in its list each row is
    (``occurrence`` of ``n_occurrences``) and its identity for fingerprints
    (``<list>/<id>#<occurrence>``). ``codes`` are the keys' codes."""
    which, position, texts = entries.which, entries.position, entries.texts
    if texts is not entries.keys:  # some ids are not strings: count the texts
        codes = pd.factorize(texts)[0]
    occurrence, n_occurrences = _occurrences(which, codes, len(entries.lists))
    names = entries.names()[which]
    lengths = [len(listed.ids) for listed in entries.lists]
    pointers = _objects([f"/{i}" for i in range(max(lengths, default=0))])[position]
    if any(listed.parent for listed in entries.lists):
        pointers = _objects([listed.parent for listed in entries.lists])[which] + pointers
    columns = {entries.group: names, "position": position, "video_id": entries.ids,
               "key": entries.keys, "has_key": entries.has_key,
               "occurrence": occurrence, "n_occurrences": n_occurrences, "pointer": pointers,
               "file": _objects([listed.file for listed in entries.lists])[which],
               "identity": _identities(entries, occurrence)}
    # The arrays are new: the table takes them as they are (_frame would copy them twice).
    frame = pd.DataFrame({name: pd.Series(values, dtype=_TYPED.get(name, object), copy=False)
                          for name, values in columns.items()}, copy=False)
    frame["id_pointer"] = frame["pointer"]
    return frame


def _identities(entries: _Entries, occurrence: np.ndarray) -> np.ndarray:
    """``<list>/<id>#<occurrence>`` per row. The rows of a list whose ids all appear once
    are made with one join and one split of the joined text (unless an id has a line
    break): a third of the time of formatting each."""
    identities = np.empty(len(occurrence), dtype=object)
    texts = entries.texts.tolist()
    repeats = set(entries.which[occurrence > 1].tolist())
    start = 0
    for number, listed in enumerate(entries.lists):
        end = start + len(listed.ids)
        prefix = f"{listed.name}/"
        pieces = (prefix + f"#1\n{prefix}".join(texts[start:end]) + "#1").split("\n")
        if number in repeats or len(pieces) != end - start:
            pieces = [f"{prefix}{text}#{n}" for text, n in zip(
                texts[start:end], occurrence[start:end].tolist(), strict=True)]
        identities[start:end] = pieces
        start = end
    return identities


def _occurrences(which: np.ndarray, codes: np.ndarray, n_lists: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Per row, which listing of its code in its list (``which``, of ``n_lists``) it is
    (1, 2, ...), and how many listings of it the list has. Only the rows whose code repeats
    in its list are counted one by one."""
    occurrence = np.ones(len(codes), dtype=np.int64)
    n_occurrences = occurrence.copy()
    pairs = pd.Series(codes.astype(np.int64) * n_lists + which)
    repeated = pairs.duplicated(keep=False).to_numpy()
    if repeated.any():
        groups = pairs[repeated].groupby(pairs[repeated], sort=False)
        occurrence[repeated] = groups.cumcount().to_numpy() + 1
        n_occurrences[repeated] = groups.transform("size").to_numpy()
    return occurrence, n_occurrences


class _Memberships:
    """Which of the lists (splits, or templates) name each key, in order, by key code.

    Almost every key is listed once: its lists are its row's. The names of several
    lists are joined only for the keys that have them.
    """

    def __init__(self, entries: _Entries, codes: np.ndarray, count: int) -> None:
        self.entries = entries
        self.rows = np.flatnonzero(codes >= 0)  # the rows with a key
        self.codes = codes[self.rows]
        lists = entries.which[self.rows]
        first_of_pair = ~pd.Series(self.codes * len(entries.lists) + lists
                                   ).duplicated().to_numpy()
        self.n_lists = np.bincount(self.codes[first_of_pair], minlength=count)
        first = ~pd.Series(self.codes).duplicated().to_numpy()
        self.first_list = np.zeros(count, dtype=np.int64)
        self.first_list[self.codes[first]] = lists[first]
        self.several: dict[int, list[int]] = {}  # code -> its lists, when several
        chosen = first_of_pair & (self.n_lists[self.codes] > 1)
        for code, listed in zip(self.codes[chosen].tolist(), lists[chosen].tolist(),
                                strict=True):
            self.several.setdefault(code, []).append(listed)

    def counts(self, codes: np.ndarray) -> np.ndarray:
        """How many lists name each of the keys with these ``codes`` (-1: not listed)."""
        counts = np.zeros(len(codes), dtype=np.int64)
        listed = codes >= 0
        counts[listed] = self.n_lists[codes[listed]]
        return counts

    def join_columns(self, with_events: np.ndarray) -> dict[str, np.ndarray]:
        """Per row: whether its key has events (``with_events``: their codes), the lists
        that name the key (joined; templates shown as JSON), the first and how many."""
        group, rows, codes = self.entries.group, self.rows, self.codes
        names = self.entries.names()
        shown = self.entries.shown() if group == "template" else names
        size = len(self.entries.ids)
        first_list = self.first_list[codes]
        first = np.full(size, None, dtype=object)
        first[rows] = names[first_list]
        joined = np.full(size, "", dtype=object)
        joined[rows] = shown[first_list]
        n_lists = np.zeros(size, dtype=np.int64)
        n_lists[rows] = self.n_lists[codes]
        for i in np.flatnonzero(self.n_lists[codes] > 1).tolist():
            joined[rows[i]] = ", ".join(shown[self.several[int(codes[i])]].tolist())
        has_events = np.zeros(size, dtype=bool)
        has_events[rows] = _flags(with_events, len(self.n_lists))[codes]
        return {"has_events": has_events, f"{group}s": joined, f"first_{group}": first,
                f"n_{group}s": n_lists}


def _flags(codes: np.ndarray, count: int) -> np.ndarray:
    """Per code from 0 to ``count - 1``, whether it is one of ``codes``."""
    flags = np.zeros(count, dtype=bool)
    flags[codes] = True
    return flags


def _events_labels(n_events: np.ndarray) -> np.ndarray:
    """``1 event``, ``3 events``: made once per distinct number."""
    codes, numbers = pd.factorize(n_events)
    return _objects([f"{n} event{'s' if n != 1 else ''}" for n in numbers.tolist()])[codes]


def _assign(table: pd.DataFrame, columns: dict[str, Any]) -> None:
    """Add computed columns; an empty table gets them as empty lists (float64 columns),
    as it always has."""
    for name, values in columns.items():
        table[name] = values if len(table) else []


def _objects(values: list[Any]) -> np.ndarray:
    """A one-dimensional object array of ``values`` (strings or None)."""
    return np.array(values, dtype=object) if values else np.empty(0, dtype=object)


_TYPED = {"event_index": "int64", "position": "int64", "n_events": "int64", "n_videos": "int64",
          "occurrence": "int64", "n_occurrences": "int64", "has_key": "bool", "is_list": "bool",
          "known": "bool"}


def _table(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A table of new arrays, taken as they are (no copies; object arrays stay object)."""
    return pd.DataFrame({name: pd.Series(values, dtype=_TYPED.get(name, object), copy=False)
                         for name, values in columns.items()}, copy=False)


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


def _stats(dataset: Dataset, split_sizes: dict[str, int]) -> dict[str, Any]:
    """The counts of the summary; ``split_sizes``: the ids each split lists (its rows in
    ``split_entries``, known without comparing every row's split)."""
    return {
        "videos": len(dataset.tables["event_lists"]),
        "events": len(dataset.tables["events"]),
        "templates": len(dataset.tables["templates"]),
        "split_videos": {s: split_sizes.get(s, 0) for s in SPLITS},
    }
