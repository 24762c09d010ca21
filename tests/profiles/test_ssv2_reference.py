"""``load_reference`` on synthetic SSv2 folders and rawframes lists (always run)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from support import REPO
from vidaudit.config import Config
from vidaudit.errors import UsageError
from vidaudit.profiles.ssv2.reference import load_reference
from vidaudit.profiles.ssv2.templates import class_name
from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.synth.ssv2 import NAMES

SAMPLE = REPO / "examples" / "ssv2"


def expected(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Split and class of each video, read with plain json/csv."""
    split_of: dict[str, str] = {}
    class_of: dict[str, str] = {}
    for split in ("train", "validation", "test"):
        for row in json.loads((folder / NAMES[split]).read_text()):
            split_of[row["id"]] = split
            if split != "test":
                class_of[row["id"]] = class_name(row["template"])
    for line in (folder / NAMES["answers"]).read_text().splitlines():
        video_id, name = line.split(";")
        class_of[video_id] = name
    return split_of, class_of


def test_annotation_folder() -> None:
    reference = load_reference((str(SAMPLE),), Config())
    split_of, class_of = expected(SAMPLE)
    assert (reference.split_of, reference.class_of) == (split_of, class_of)
    assert len(reference.inputs) == 5
    for entry in reference.inputs:
        data = Path(entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert reference.where(next(iter(split_of))).startswith("SSv2 has it in train as ")


def test_single_files_and_a_rawframes_list_named_by_labels(tmp_path: Path) -> None:
    labels = json.loads((SAMPLE / NAMES["labels"]).read_text())
    names = {int(i): n for n, i in labels.items()}
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "val.txt").write_text("501 30 3\n502 31 0\n")
    (lists / "test.txt").write_text("601 12 0\n")
    reference = load_reference((str(SAMPLE / NAMES["labels"]), str(lists)), Config())
    assert reference.split_of == {"501": "validation", "502": "validation", "601": "test"}
    assert reference.class_of == {"501": names[3], "502": names[0]}  # not the test dummy
    assert reference.files == [str(SAMPLE / NAMES["labels"]), str(lists / "val.txt"),
                               str(lists / "test.txt")]


def test_labels_beside_the_list_else_the_shipped_classes(tmp_path: Path) -> None:
    (tmp_path / "train.txt").write_text("7 10 1\n")
    assert load_reference((str(tmp_path / "train.txt"),), Config()).class_of == \
        {"7": ssv2_classes()[1]}
    (tmp_path / "labels.json").write_text('{"B": "1", "A": "0"}')
    assert load_reference((str(tmp_path),), Config()).class_of == {"7": "B"}


def test_conflicts_name_both_files(tmp_path: Path) -> None:
    folder = tmp_path / "annotations"
    shutil.copytree(SAMPLE, folder)
    train = json.loads((folder / NAMES["train"]).read_text())
    (tmp_path / "validation.txt").write_text(f"{train[0]['id']} 10 0\n")
    with pytest.raises(UsageError) as raised:
        load_reference((str(folder), str(tmp_path / "validation.txt")), Config())
    message = str(raised.value)
    assert "\n" not in message and "split" in message
    assert str(folder / NAMES["train"]) in message and "validation.txt" in message
    (tmp_path / "validation.txt").unlink()
    labels = json.loads((folder / NAMES["labels"]).read_text())
    other = next(int(i) for n, i in labels.items() if n != class_name(train[0]["template"]))
    (tmp_path / "train.txt").write_text(f"{train[0]['id']} 10 {other}\n")
    with pytest.raises(UsageError, match="class of video"):
        load_reference((str(folder), str(tmp_path / "train.txt")), Config())


@pytest.mark.parametrize("name, content, message", [
    ("missing", None, "does not exist"),
    ("train.txt", "1 2\n", "line 1 is not"),
    ("train.txt", "1 2 999\n", "out of range"),
    ("notes.txt", "x", "neither an SSv2 annotation file"),
    (NAMES["validation"], "{", "not valid JSON"),
    (NAMES["validation"], '{"id": "1"}', "not a list"),
    (NAMES["test"], '[{"id": 5}]', "no string id"),
    (NAMES["labels"], '{"0": "A"}', "not an SSv2 labels file"),
    ("test.txt", b"\xff\xfe1 2 0", "not UTF-8"),
])
def test_unusable_paths_are_usage_errors(tmp_path: Path, name: str,
                                         content: str | bytes | None, message: str) -> None:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message) as raised:
        load_reference((str(path),), Config())
    assert "\n" not in str(raised.value)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="holds no SSv2 annotation file"):
        load_reference((str(tmp_path),), Config())
