"""SSv2's annotation files -> tables.

``rows``: one row per entry of the train, validation and test lists, with the join
columns the rules read (splits, class, slot count, label check, answer). ``answers``:
one row per line of the test answers. ``label_problems``: see :mod:`.labels`.

Flattening is tolerant: a row of the wrong shape is kept with what it has (the JSON
Schema pass reports the shape) so that the rest of the file is still checked. Values
computed from a template are cached per template (a split has ~170 of them).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pandas as pd

from vidaudit.dataset import Dataset
from vidaudit.profiles.ssv2 import templates as tpl
from vidaudit.profiles.ssv2.answers import AnswerLines
from vidaudit.profiles.ssv2.labels import flatten_labels
from vidaudit.sources import SourceFile
from vidaudit.values import MISSING, is_video_id, show

SPLITS = ("train", "validation", "test")
ROW_KEYS = frozenset(("id", "label", "template", "placeholders"))


def build(root: str, sources: dict[str, SourceFile], profile: str) -> Dataset:
    dataset = Dataset(root=root, profile=profile, sources=sources)
    labels = flatten_labels(sources["labels"])
    rows, well_formed = _flatten_rows({s: sources[s] for s in SPLITS})
    answers = _flatten_answers(sources["answers"])
    _classes(rows, labels.names, "template")
    _classes(answers, labels.names, "answer")
    _match_answers(rows, answers, sources)
    dataset.tables = {"rows": rows, "answers": answers, "label_problems": labels.problems}
    dataset.key_pointers = {"rows": {"leak_pointer"}}
    dataset.well_formed = {"labels": labels.well_formed, **well_formed}
    dataset.usable = {split for split in SPLITS if sources[split].parsed
                      and isinstance(sources[split].data, list)}
    if labels.usable:
        dataset.usable.add("labels")
    if sources["answers"].parsed:
        dataset.usable.add("answers")
    keys = rows["key"]
    dataset.stats = {
        "videos": int(keys[rows["has_key"]].nunique()),
        "classes": labels.count,
        "answers": len(answers),
        "split_videos": {s: int((rows["split"] == s).sum()) for s in SPLITS},
    }
    return dataset


class _RowColumns:
    """The split lists, column by column (no per-row objects)."""

    def __init__(self) -> None:
        self.split: list[str] = []
        self.position: list[int] = []
        self.video_id: list[Any] = []
        self.label: list[Any] = []
        self.template: list[Any] = []
        self.placeholders: list[Any] = []
        self.extra: list[Any] = []
        self.file: list[str] = []

    def add(self, split: str, items: list[Any], display: str) -> bool:
        """Append one split's rows; whether each had exactly the expected members."""
        well_formed = True
        test = split == "test"
        n = len(items)
        self.split.extend([split] * n)
        self.position.extend(range(n))
        self.file.extend([display] * n)
        video_id, label, template = self.video_id.append, self.label.append, \
            self.template.append
        placeholders, extra = self.placeholders.append, self.extra.append
        for item in items:
            if type(item) is not dict:
                well_formed = False
                item = {}
            get = item.get
            video_id(get("id", MISSING))
            if test:
                label(MISSING)
                template(MISSING)
                placeholders(MISSING)
                others = [k for k in item if k != "id"] if len(item) != 1 or "id" not in item \
                    else None
                extra(others[0] if others else None)
                if type(get("id")) is not str:
                    well_formed = False
                continue
            text, pattern, fills = get("label", MISSING), get("template", MISSING), \
                get("placeholders", MISSING)
            label(text)
            template(pattern)
            placeholders(fills)
            extra(None)
            if (len(item) != 4 or type(text) is not str or type(pattern) is not str
                    or type(get("id")) is not str or not tpl.is_text_list(fills)
                    or item.keys() != ROW_KEYS):
                well_formed = False
        return well_formed


def _flatten_rows(sources: dict[str, SourceFile]) -> tuple[pd.DataFrame, dict[str, bool]]:
    columns = _RowColumns()
    well_formed: dict[str, bool] = {}
    for split, source in sources.items():
        is_list = isinstance(source.data, list)
        items = source.data if is_list else []
        well_formed[split] = columns.add(split, items, source.display) and is_list
    rows = pd.DataFrame({
        "split": pd.Series(columns.split, dtype=object),
        "position": pd.Series(columns.position, dtype="int64"),
        "video_id": pd.Series(columns.video_id, dtype=object),
        "label": pd.Series(columns.label, dtype=object),
        "template": pd.Series(columns.template, dtype=object),
        "placeholders": pd.Series(columns.placeholders, dtype=object),
        "file": pd.Series(columns.file, dtype=object),
    })
    pointer = [f"/{p}" for p in columns.position]
    rows["pointer"] = pointer
    rows["id_pointer"] = [p + "/id" for p in pointer]
    rows["answer_pointer"] = rows["id_pointer"]
    rows["template_pointer"] = [p + "/template" for p in pointer]
    rows["class_pointer"] = rows["template_pointer"]
    rows["label_pointer"] = [p + "/label" for p in pointer]
    rows["placeholders_pointer"] = [p + "/placeholders" for p in pointer]
    rows["leak_pointer"] = [p if e is None else f"{p}/{_escape(e)}"
                            for p, e in zip(pointer, columns.extra, strict=True)]
    rows["leak_ok"] = [e is None for e in columns.extra]
    rows["leak_key"] = [show(e, 80) for e in columns.extra]
    _memberships(rows, columns.video_id, columns.split)
    _slots(rows, columns)
    return rows, well_formed


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _memberships(rows: pd.DataFrame, ids: list[Any], splits: list[str]) -> None:
    """Occurrences per split (VA302), splits per video (VA301), and which row of each
    valid video wants frames (VA401: the first listing only)."""
    keys = [v if type(v) is str else None for v in ids]
    occurrence: list[int] = []
    counts: dict[tuple[str, str], int] = defaultdict(int)
    splits_of: dict[str, list[str]] = {}
    for key, split in zip(keys, splits, strict=True):
        if key is None:
            occurrence.append(1)
            continue
        counts[(split, key)] += 1
        occurrence.append(counts[(split, key)])
        found = splits_of.get(key)
        if found is None:
            splits_of[key] = [split]
        elif split not in found:
            found.append(split)
    groups = [splits_of[k] if k is not None else [] for k in keys]
    rows["key"] = pd.Series(keys, dtype=object)
    rows["has_key"] = [k is not None for k in keys]
    rows["occurrence"] = occurrence
    rows["n_occurrences"] = [counts[(s, k)] if k is not None else 1
                             for k, s in zip(keys, splits, strict=True)]
    rows["first_split"] = [g[0] if g else None for g in groups]
    rows["splits"] = [", ".join(g) for g in groups]
    first = [k is not None and o == 1 and s == (g[0] if g else None) and is_video_id(k)
             for k, o, s, g in zip(keys, occurrence, splits, groups, strict=True)]
    rows["frames_wanted"] = first
    rows["identity"] = [f"{s}/{k if k is not None else show(v, 200)}#{o}"
                        for s, k, v, o in zip(splits, keys, ids, occurrence, strict=True)]


def _slots(rows: pd.DataFrame, columns: _RowColumns) -> None:
    """VA703 (slot count) and VA704 (label) per row; rows without a usable template,
    label or placeholders pass (VA201 reports their shape)."""
    n_slots: list[int | None] = []
    slots_ok: list[bool] = []
    label_ok: list[bool] = []
    expected: list[str] = []
    for text, template, fills in zip(columns.label, columns.template, columns.placeholders,
                                     strict=True):
        if type(template) is not str:
            n_slots.append(None)
            slots_ok.append(True)
            label_ok.append(True)
            expected.append("")
            continue
        count = tpl.slot_count(template)
        n_slots.append(count)
        if not tpl.is_text_list(fills):
            slots_ok.append(True)
            label_ok.append(True)
            expected.append("")
            continue
        fits = count == len(fills)
        slots_ok.append(fits)
        good = not fits or type(text) is not str or tpl.label_matches(text, template, fills)
        label_ok.append(good)
        expected.append("" if good else show(tpl.fill(template, fills), 120))
    rows["n_slots"] = pd.Series(n_slots, dtype=object)
    rows["n_placeholders"] = pd.Series([len(f) if type(f) is list else None
                                        for f in columns.placeholders], dtype=object)
    rows["slots_ok"] = slots_ok
    rows["label_ok"] = label_ok
    rows["expected_label"] = expected
    rows["label_shown"] = ["" if ok else show(t, 120)
                           for ok, t in zip(label_ok, columns.label, strict=True)]
    rows["template_shown"] = [_shown(t) for t in columns.template]


def _shown(value: Any) -> str:
    return _show_cached(value) if type(value) is str else show(value, 80)


_SHOWN: dict[str, str] = {}


def _show_cached(value: str) -> str:
    found = _SHOWN.get(value)
    if found is None:
        found = _SHOWN[value] = show(value, 80)
    return found


def _flatten_answers(source: SourceFile) -> pd.DataFrame:
    lines = source.data if isinstance(source.data, AnswerLines) else AnswerLines()
    counts: dict[str, int] = defaultdict(int)
    occurrence = []
    for video_id in lines.video_id:
        counts[video_id] += 1
        occurrence.append(counts[video_id])
    at: dict[str, list[int]] = defaultdict(list)
    for video_id, line in zip(lines.video_id, lines.line, strict=True):
        if counts[video_id] > 1:
            at[video_id].append(line)
    n = len(lines.line)
    answers = pd.DataFrame({
        "video_id": pd.Series(lines.video_id, dtype=object),
        "class_name": pd.Series(lines.class_name, dtype=object),
        "line": pd.Series(lines.line, dtype=object),
        "occurrence": pd.Series(occurrence, dtype="int64"),
    })
    answers["file"] = source.display
    empty = [""] * n
    for column in ("pointer", "id_pointer", "answer_pointer", "class_pointer"):
        answers[column] = empty
    answers["identity"] = [f"answer/{v}#{o}" for v, o in zip(lines.video_id, occurrence,
                                                             strict=True)]
    answers["answer_lines"] = [", ".join(map(str, at[v])) if counts[v] > 1 else ""
                               for v in lines.video_id]
    answers["n_answers"] = [counts[v] for v in lines.video_id]
    return answers


def _classes(table: pd.DataFrame, names: frozenset[str], what: str) -> None:
    """``class_known`` (VA702): the row's class is a labels.json name. A row without a
    class (a test row, a template that is not a string) passes."""
    column = table["template"] if what == "template" else table["class_name"]
    known: list[bool] = []
    hints: list[str] = []
    shown: list[str] = []
    memo: dict[str, tuple[bool, str]] = {}
    for value in column:
        if type(value) is not str:
            known.append(True)
            hints.append("")
            shown.append("")
            continue
        found = memo.get(value)
        if found is None:
            name = tpl.class_name(value) if what == "template" else value
            ok = name in names
            found = memo[value] = (ok, "" if ok else _did_you_mean(name, names))
        known.append(found[0])
        hints.append(found[1])
        shown.append(_shown(value))
    table["class_known"] = pd.Series(known, dtype=bool)
    table["class_hint"] = hints
    table["class_shown"] = shown
    table["class_what"] = "template" if what == "template" else "answer"


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
    return f" (did you mean {show(close[0], 80)}?)" if close else ""


def _match_answers(rows: pd.DataFrame, answers: pd.DataFrame,
                   sources: dict[str, SourceFile]) -> None:
    """VA705: each test id answered exactly once, and only test ids answered."""
    test_file = sources["test"].display
    answers_file = sources["answers"].display
    answered = set(answers["video_id"])
    is_test = (rows["split"] == "test").tolist()
    rows["answer_ok"] = [not t or k is None or k in answered
                         for t, k in zip(is_test, rows["key"], strict=True)]
    rows["answer_detail"] = [f"test video {k} has no answer in {answers_file}" if not ok
                             else "" for k, ok in zip(rows["key"], rows["answer_ok"],
                                                      strict=True)]
    tests = set(rows["key"][rows["split"] == "test"].dropna())
    in_test = [v in tests for v in answers["video_id"]]
    once = (answers["occurrence"] == 1).tolist()
    answers["answer_ok"] = [a and b for a, b in zip(in_test, once, strict=True)]
    answers["answer_detail"] = [
        "" if t and o else
        f"video {show(v, 80)} is answered {n} times (lines {lines})" if t else
        f"video {show(v, 80)} has an answer but is not in the test split ({test_file})"
        for v, t, o, n, lines in zip(answers["video_id"], in_test, once,
                                     answers["n_answers"], answers["answer_lines"],
                                     strict=True)]
