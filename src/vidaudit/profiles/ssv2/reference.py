"""SSv2's own annotation as a reference: each video's split and, where known, class.

For the datasets built on SSv2 (VA310/VA311/VA313). A path is anything the ``ssv2``
profile reads (the annotation folder, or one of its files) or an mmaction2/TSM
rawframes list (``id num_frames class_index``; the split is the file's stem, and a
test list's class column is a dummy). A list's class indices are named by a labels
file given among the paths or lying beside the list, else by SSv2's shipped class
list. Any doubt about the reference (a file that cannot be read or parsed, two files
disagreeing about a video) ends the run with a one-line usage error: findings judged
against a wrong reference would be wrong findings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import UsageError
from vidaudit.profiles.base import Reference
from vidaudit.profiles.ssv2.answers import parse_answers
from vidaudit.profiles.ssv2.templates import class_name
from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.safeio import Refused, read_regular
from vidaudit.values import show

if TYPE_CHECKING:
    from vidaudit.config import Config

LIST_SPLITS = {"train": "train", "validation": "validation", "val": "validation",
               "test": "test"}


@dataclass
class _Input:
    kind: str
    """labels, train, validation, test, answers, or list (a rawframes list)."""
    path: Path
    split: str = ""


@dataclass
class _Collected:
    split_of: dict[str, str] = field(default_factory=dict)
    class_of: dict[str, str] = field(default_factory=dict)
    split_from: dict[str, int] = field(default_factory=dict)
    class_from: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    def add(self, video_id: str, split: str | None, name: str | None, file: int) -> None:
        for value, values, origin, what in ((split, self.split_of, self.split_from, "split"),
                                            (name, self.class_of, self.class_from, "class")):
            if value is None:
                continue
            known = values.setdefault(video_id, value)
            first = origin.setdefault(video_id, file)
            if known != value:
                raise UsageError(
                    f"the references disagree on the {what} of video {show(video_id, 40)}: "
                    f"{show(known, 80)} in {self.files[first]}, {show(value, 80)} in "
                    f"{self.files[file]}")


def load_reference(paths: tuple[str, ...], config: Config) -> Reference:
    """Read every path (see the module docstring) into one :class:`Reference`."""
    from vidaudit.profiles import get

    names = get("ssv2").file_names(config)
    inputs = [found for path in paths for found in _inputs(Path(path), names)]
    labels = [i for i in inputs if i.kind == "labels"]
    collected = _Collected()
    texts = {id(i): _read(i.path, config.max_bytes, collected) for i in inputs}
    given_classes = _class_list(labels[0].path, texts[id(labels[0])]) if labels else None
    for item in inputs:
        text = texts[id(item)]
        file = collected.files.index(str(item.path))
        if item.kind in ("train", "validation", "test"):
            _rows(item, text, file, collected)
        elif item.kind == "answers":
            lines = parse_answers(text)
            for video_id, name in zip(lines.video_id, lines.class_name, strict=True):
                collected.add(video_id, "test", name, file)
        elif item.kind == "list":
            classes = given_classes or _beside(item.path, names["labels"], config) \
                or ssv2_classes()
            _rawframes(item, text, file, classes, collected)
    return Reference(collected.split_of, collected.class_of, collected.files,
                     collected.inputs)


def _inputs(path: Path, names: dict[str, str]) -> list[_Input]:
    if not path.exists():
        raise UsageError(f"reference {path} does not exist")
    roles = {name: role for role, name in names.items()}
    if path.is_dir():
        found = [_Input(roles[name], path / name) for name in names.values()
                 if (path / name).is_file()]
        found += [_Input("list", path / f"{stem}.txt", split)
                  for stem, split in LIST_SPLITS.items() if (path / f"{stem}.txt").is_file()]
        if not found:
            raise UsageError(f"reference {path} holds no SSv2 annotation file and no "
                             "rawframes list (train.txt, validation.txt, val.txt, test.txt)")
        return found
    if path.name in roles:
        return [_Input(roles[path.name], path)]
    if path.suffix == ".json" and "labels" in path.name:
        return [_Input("labels", path)]
    if path.suffix == ".txt" and path.stem in LIST_SPLITS:
        return [_Input("list", path, LIST_SPLITS[path.stem])]
    raise UsageError(f"reference {path} is neither an SSv2 annotation file "
                     f"({', '.join(names.values())}) nor a rawframes list named train.txt, "
                     "validation.txt, val.txt or test.txt")


def _read(path: Path, max_bytes: int, collected: _Collected) -> str:
    try:
        raw = read_regular(path, max_bytes)
        text = raw.decode("utf-8-sig")
    except Refused as refused:
        raise UsageError(f"reference {path}: {refused}") from None
    except OSError as error:
        raise UsageError(f"reference {path} cannot be read: "
                         f"{error.strerror or type(error).__name__}") from None
    except UnicodeDecodeError:
        raise UsageError(f"reference {path} is not UTF-8 text") from None
    if str(path) not in collected.files:
        collected.files.append(str(path))
        collected.inputs.append({"path": str(path), "sha256": hashlib.sha256(raw).hexdigest(),
                                 "bytes": len(raw)})
    return text


def _json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise UsageError(f"reference {path} is not valid JSON: {error}") from None


def _class_list(path: Path, text: str) -> tuple[str, ...]:
    """Class names in index order, from a name -> index labels file."""
    data = _json(path, text)
    by_index: dict[int, str] = {}
    if isinstance(data, dict):
        for name, index in data.items():
            if isinstance(index, str) and index.isdecimal() and len(index) < 7:
                by_index.setdefault(int(index), name)
    if not by_index or sorted(by_index) != list(range(len(data))):
        raise UsageError(f"reference {path} is not an SSv2 labels file (class name -> "
                         "index \"0\" to \"N-1\"); `vidaudit check` on its folder says why")
    return tuple(by_index[i] for i in range(len(by_index)))


def _beside(path: Path, labels_name: str, config: Config) -> tuple[str, ...] | None:
    for candidate in (path.parent / labels_name, path.parent / "labels.json"):
        if candidate.is_file():
            scratch = _Collected()
            return _class_list(candidate, _read(candidate, config.max_bytes, scratch))
    return None


def _rows(item: _Input, text: str, file: int, collected: _Collected) -> None:
    data = _json(item.path, text)
    if not isinstance(data, list):
        raise UsageError(f"reference {item.path} is not a list of videos")
    for position, row in enumerate(data):
        video_id = row.get("id") if isinstance(row, dict) else None
        if not isinstance(video_id, str):
            raise UsageError(f"reference {item.path}: row {position} has no string id")
        template = row.get("template") if item.kind != "test" else None
        name = class_name(template) if isinstance(template, str) else None
        collected.add(video_id, item.kind, name, file)


def _rawframes(item: _Input, text: str, file: int, classes: tuple[str, ...],
               collected: _Collected) -> None:
    test = item.split == "test"
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 3 or not fields[2].isdecimal():
            raise UsageError(f"reference {item.path} line {number} is not "
                             f"`id num_frames class_index`: {show(line, 80)}")
        name = None
        if not test:
            index = int(fields[2]) if len(fields[2]) < 7 else len(classes)
            if index >= len(classes):
                raise UsageError(f"reference {item.path} line {number}: class index "
                                 f"{fields[2]} is out of range ({len(classes)} classes)")
            name = classes[index]
        collected.add(fields[0], item.split, name, file)
