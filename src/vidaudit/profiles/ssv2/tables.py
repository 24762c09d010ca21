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
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from vidaudit.dataset import Dataset
from vidaudit.profiles.ssv2 import templates as tpl
from vidaudit.profiles.ssv2.answers import AnswerLines
from vidaudit.profiles.ssv2.labels import flatten_labels
from vidaudit.profiles.ssv2.rows import check_slots, flags, read_split
from vidaudit.sources import SourceFile
from vidaudit.values import ID_PATTERN, MISSING, show

SPLITS = ("train", "validation", "test")


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


def _flatten_rows(sources: dict[str, SourceFile]) -> tuple[pd.DataFrame, dict[str, bool]]:
    splits: list[str] = []
    positions: list[int] = []
    files: list[str] = []
    ids: list[Any] = []
    extra: list[str | None] = []
    templates: list[Any] = []
    labels: list[Any] = []
    placeholders: list[Any] = []
    slots_bad: list[int] = []
    label_bad: list[int] = []
    well_formed: dict[str, bool] = {}
    for split, source in sources.items():
        is_list = isinstance(source.data, list)
        columns = read_split(split, source.data if is_list else [])
        well_formed[split] = is_list and columns.exact
        checked = check_slots(columns)
        offset = len(ids)
        slots_bad.extend(offset + i for i in checked.slots_bad)
        label_bad.extend(offset + i for i in checked.label_bad)
        n = len(columns.video_id)
        splits.extend([split] * n)
        positions.extend(range(n))
        files.extend([source.display] * n)
        ids.extend(columns.video_id)
        extra.extend(columns.extra)
        templates.extend(columns.template)
        labels.extend(columns.label)
        placeholders.extend(columns.placeholders)
    n = len(ids)
    rows = pd.DataFrame({
        "split": pd.Series(splits, dtype=object),
        "position": pd.Series(positions, dtype="int64"),
        "video_id": pd.Series(ids, dtype=object),
        "template": pd.Series(templates, dtype=object),
        "file": pd.Series(files, dtype=object),
    })
    pointer = [f"/{p}" for p in positions]
    rows["pointer"] = _objects(pointer)
    rows["id_pointer"] = _objects([p + "/id" for p in pointer])
    rows["answer_pointer"] = rows["id_pointer"]
    rows["class_pointer"] = _objects([p + "/template" for p in pointer])
    leaks = [i for i, key in enumerate(extra) if key is not None]
    rows["leak_ok"] = flags(n, leaks)
    rows["leak_pointer"] = _at(n, rows["pointer"], leaks,
                               [f"{pointer[i]}/{_escape(str(extra[i]))}" for i in leaks])
    rows["leak_key"] = _at(n, "", leaks, [show(extra[i], 80) for i in leaks])
    _memberships(rows, ids, splits)
    rows["slots_ok"] = flags(n, slots_bad)
    rows["label_ok"] = flags(n, label_bad)
    rows["placeholders_pointer"] = _at(n, "", slots_bad,
                                       [f"{pointer[i]}/placeholders" for i in slots_bad])
    rows["template_shown"] = _at(n, "", slots_bad, [show(templates[i], 80) for i in slots_bad])
    rows["n_slots"] = _at(n, "", slots_bad, [tpl.slot_count(templates[i]) for i in slots_bad])
    rows["n_placeholders"] = _at(n, "", slots_bad, [len(placeholders[i]) for i in slots_bad])
    rows["label_pointer"] = _at(n, "", label_bad, [f"{pointer[i]}/label" for i in label_bad])
    rows["label_shown"] = _at(n, "", label_bad, [show(labels[i], 120) for i in label_bad])
    rows["expected_label"] = _at(n, "", label_bad, [
        show(tpl.fill(templates[i], placeholders[i]), 120) for i in label_bad])
    return rows, well_formed


def _objects(values: list[Any]) -> pd.Series:
    """A column of Python values as they are (pandas would make a list of str its string
    dtype, and ``[10, 10.0]`` floats)."""
    return pd.Series(values, dtype=object)


def _at(n: int, default: Any, where: list[int], values: list[Any]) -> pd.Series:
    """A column holding ``default`` (a scalar or a column) except at ``where``: message
    fields are only ever read on the failing rows, so only those are computed."""
    if isinstance(default, pd.Series):  # a copy of another column
        column = default.copy()
    else:
        column = pd.Series(np.full(n, default, dtype=object), dtype=object)
    if where:
        column.iloc[where] = pd.Series(values, dtype=object).to_numpy()
    return column


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _memberships(rows: pd.DataFrame, ids: list[Any], splits: list[str]) -> None:
    """Occurrences per split (VA302), splits per video (VA301), which row of each
    valid video wants frames (VA401: the first listing only), and valid ids (VA202).
    The common case (no id twice) costs a few hash passes; the join columns for
    messages are computed for the failing rows only."""
    n = len(ids)
    all_text = set(map(type, ids)) <= {str}
    keys_list = ids if all_text else [v if type(v) is str else None for v in ids]
    keys = pd.Series(keys_list, dtype=object)
    has_key = np.ones(n, dtype=bool) if all_text else \
        np.fromiter((k is not None for k in keys_list), dtype=bool, count=n)
    pairs = pd.DataFrame({"split": rows["split"], "key": keys})
    distinct = len(set(keys_list)) == n  # the common case: no id listed twice anywhere
    occurrence: np.ndarray[Any, np.dtype[np.int64]] = np.ones(n, dtype=np.int64)
    if not distinct and (pairs.duplicated().to_numpy() & has_key).any():
        occurrence = pairs.groupby(["split", "key"], sort=False, dropna=False) \
            .cumcount().to_numpy().astype(np.int64) + 1
        occurrence[~has_key] = 1
    repeated = np.flatnonzero(occurrence > 1).tolist()
    involved = {(splits[i], keys_list[i]) for i in repeated}
    counts = Counter(p for p in zip(splits, keys_list, strict=True) if p in involved) \
        if involved else Counter()
    rows["key"] = keys
    rows["has_key"] = has_key
    rows["occurrence"] = occurrence
    rows["n_occurrences"] = _at(n, 1, repeated, [counts[(splits[i], keys_list[i])]
                                                 for i in repeated])
    listed_before = np.zeros(n, dtype=bool) if distinct else \
        keys.duplicated().to_numpy() & has_key
    rows["first_split"] = rows["split"]
    elsewhere: list[int] = []
    joined: dict[Any, str] = {}
    if listed_before.any():
        listed = pairs[has_key]
        firsts = listed.drop_duplicates("key")
        first_split = dict(zip(firsts["key"], firsts["split"], strict=True))
        rows["first_split"] = _objects([first_split.get(k) if k is not None else None
                                        for k in keys_list])
        elsewhere = np.flatnonzero(has_key & (rows["split"] != rows["first_split"])
                                   .to_numpy()).tolist()
        for split, key in listed.drop_duplicates().itertuples(index=False, name=None):
            joined[key] = f"{joined[key]}, {split}" if key in joined else split
    rows["splits"] = _at(n, "", elsewhere, [joined[keys_list[i]] for i in elsewhere])
    valid = _valid_ids(keys_list, all_text)
    rows["frames_wanted"] = valid & ~listed_before
    id_ok = valid if valid.all() else \
        valid | np.fromiter((v is MISSING for v in ids), dtype=bool, count=n)
    rows["id_ok"] = id_ok
    bad_ids = np.flatnonzero(~id_ok).tolist()
    rows["id_shown"] = _at(n, "", bad_ids, [show(ids[i], 80) for i in bad_ids])
    # With the file's name (which names the split), this identifies the entry for the
    # fingerprint: the id, and which listing of it in the file.
    odd = sorted({*repeated, *(i for i in range(n) if not all_text and keys_list[i] is None)})
    rows["identity"] = _at(n, keys, odd, [
        f"{keys_list[i] if keys_list[i] is not None else show(ids[i], 200)}#{occurrence[i]}"
        for i in odd])


def _valid_ids(keys: list[Any], all_text: bool) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which keys are valid video ids. In the common case (all are) a few string
    operations on all of them at once say so."""
    if all_text and keys:
        text = "\n" + "\n".join(keys) + "\n"
        digits = text.replace("\n", "")
        if (text.count("\n") == len(keys) + 1 and "\n\n" not in text and "\n0" not in text
                and digits.isascii() and digits.isdigit()):
            return np.ones(len(keys), dtype=bool)
    return np.fromiter((k is not None and ID_PATTERN.fullmatch(k) is not None for k in keys),
                       dtype=bool, count=len(keys))


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
    answers["file"] = _at(n, source.display, [], [])
    empty = _at(n, "", [], [])
    for column in ("pointer", "id_pointer", "answer_pointer", "class_pointer"):
        answers[column] = empty
    answers["identity"] = [f"answer/{v}#{o}" for v, o in zip(lines.video_id, occurrence,
                                                             strict=True)]
    valid = [bool(ID_PATTERN.fullmatch(v)) for v in lines.video_id]
    answers["id_ok"] = pd.Series(valid, dtype=bool)
    answers["id_shown"] = [show(v, 80) if not ok else "" for v, ok in zip(
        lines.video_id, valid, strict=True)]
    answers["answer_lines"] = [", ".join(map(str, at[v])) if counts[v] > 1 else ""
                               for v in lines.video_id]
    answers["n_answers"] = [counts[v] for v in lines.video_id]
    return answers


def _classes(table: pd.DataFrame, names: frozenset[str], what: str) -> None:
    """``class_known`` (VA702): the row's class is a labels.json name. A row without a
    class (a test row, a template that is not a string) passes. Each distinct value is
    looked up once."""
    column = table["template"] if what == "template" else table["class_name"]
    values = column.tolist()
    try:
        distinct = set(values)
    except TypeError:  # a list where a template belongs (VA201 reports it)
        distinct = {v for v in values if type(v) is str}
    unknown = {v for v in distinct if type(v) is str
               and (tpl.class_name(v) if what == "template" else v) not in names}
    bad = [i for i, v in enumerate(values) if type(v) is str and v in unknown] \
        if unknown else []
    hints = {v: _did_you_mean(tpl.class_name(v) if what == "template" else v, names)
             for v in unknown}
    n = len(column)
    table["class_known"] = flags(n, bad)
    table["class_hint"] = _at(n, "", bad, [hints[values[i]] for i in bad])
    table["class_shown"] = _at(n, "", bad, [show(values[i], 80) for i in bad])
    table["class_what"] = _at(n, "template" if what == "template" else "answer", [], [])


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
    return f" (did you mean {show(close[0], 80)}?)" if close else ""


def _match_answers(rows: pd.DataFrame, answers: pd.DataFrame,
                   sources: dict[str, SourceFile]) -> None:
    """VA705: each test id answered exactly once, and only test ids answered."""
    test_file = sources["test"].display
    answers_file = sources["answers"].display
    answered = set(answers["video_id"])
    is_test = (rows["split"] == "test").to_numpy()
    ok = ~is_test | ~rows["has_key"].to_numpy() | rows["key"].isin(answered).to_numpy()
    rows["answer_ok"] = ok
    missing = np.flatnonzero(~ok).tolist()
    keys = rows["key"].tolist()
    rows["answer_detail"] = _at(len(rows), "", missing, [
        f"test video {keys[i]} has no answer in {answers_file}" for i in missing])
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
