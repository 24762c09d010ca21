"""The ``ssv2`` profile and ``load_reference`` on SSv2's real annotation files (skipped
when ../shared/data is absent). Expected values are computed here with plain
``json``/``csv``, independently of vidaudit."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from support import SHARED_DATA, assert_located, json_report
from vidaudit.config import Config
from vidaudit.profiles.ssv2.reference import load_reference
from vidaudit.synth.ssv2 import NAMES, full_train

SSV2 = SHARED_DATA / "ssv2"
ANNOTATIONS = SSV2 / "annotations"
LISTS = SSV2 / "rawframe-lists"
pytestmark = pytest.mark.skipif(not (ANNOTATIONS.is_dir() and LISTS.is_dir()),
                                reason="../shared/data is absent")


def ids(path: Path) -> list[str]:
    return [row["id"] for row in json.loads(path.read_text(encoding="utf-8"))]


def list_ids(name: str) -> list[str]:
    return [line.split()[0] for line in (LISTS / name).read_text().splitlines() if line]


def test_real_annotations_are_clean() -> None:
    code, report = json_report(ANNOTATIONS)
    assert (code, report["profile"], report["findings"]) == (0, "ssv2", [])
    listed = set(ids(ANNOTATIONS / NAMES["validation"])) | set(ids(ANNOTATIONS / NAMES["test"]))
    assert report["summary"]["videos"] == len(listed) == 24_777 + 27_157
    labels = json.loads((ANNOTATIONS / NAMES["labels"]).read_text())
    assert report["summary"]["classes"] == len(labels) == 174
    assert any(NAMES["train"] in note for note in report["notes"])
    assert {"VA702", "VA703", "VA704", "VA705", "VA706"} <= set(report["rules_run"])


def test_real_annotations_against_the_rawframes_lists() -> None:
    code, report = json_report(ANNOTATIONS, "--manifest", LISTS / "validation.txt",
                               "--manifest", LISTS / "test.txt")
    assert code == 1
    framed = set(list_ids("validation.txt")) | set(list_ids("test.txt"))
    missing = sorted(v for v in ids(ANNOTATIONS / NAMES["test"]) if v not in framed)
    assert len(missing) == 26
    assert sorted(f["video_id"] for f in report["findings"]) == missing
    assert {f["code"] for f in report["findings"]} == {"VA401"}
    for finding in report["findings"]:
        assert finding["pointer"].endswith("/id")
        assert_located(finding)


@pytest.mark.slow
def test_full_size_folder_with_crlf_files(tmp_path: Path) -> None:
    """All four lists, train generated from the real rawframes list, and the same files
    with CRLF line endings (as they also circulate): still clean, every video counted."""
    folder = tmp_path / "ssv2"
    shutil.copytree(ANNOTATIONS, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    rows = full_train(LISTS / "train.txt", ANNOTATIONS / NAMES["labels"],
                      ANNOTATIONS / NAMES["validation"], folder / NAMES["train"])
    assert rows == len(list_ids("train.txt")) == 168_913
    for role in ("validation", "answers"):
        path = folder / NAMES[role]
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, report = json_report(folder)
    assert (code, report["findings"]) == (0, [])
    every = {v for split in ("train", "validation", "test")
             for v in ids(folder / NAMES[split])}
    assert report["summary"]["videos"] == len(every) == 220_847


def test_real_reference() -> None:
    reference = load_reference((str(ANNOTATIONS), str(LISTS)), Config())
    labels = json.loads((ANNOTATIONS / NAMES["labels"]).read_text())
    by_index = {int(i): name for name, i in labels.items()}
    split_of: dict[str, str] = {}
    class_of: dict[str, str] = {}
    for split in ("train", "validation", "test"):
        for line in (LISTS / f"{split}.txt").read_text().splitlines():
            video_id, _, index = line.split()
            split_of[video_id] = split
            if split != "test":
                class_of[video_id] = by_index[int(index)]
    for row in json.loads((ANNOTATIONS / NAMES["validation"]).read_text()):
        split_of[row["id"]] = "validation"
        class_of[row["id"]] = row["template"].replace("[", "").replace("]", "")
    for row in json.loads((ANNOTATIONS / NAMES["test"]).read_text()):
        split_of[row["id"]] = "test"
    with (ANNOTATIONS / NAMES["answers"]).open(newline="") as handle:
        for video_id, name in csv.reader(handle, delimiter=";"):
            class_of[video_id] = name
    assert reference.split_of == split_of
    assert reference.class_of == class_of
    assert len(split_of) == 220_847
    assert [Path(f).name for f in reference.files] == [
        NAMES["labels"], NAMES["validation"], NAMES["test"], NAMES["answers"],
        "train.txt", "validation.txt", "test.txt"]
    assert all(entry["sha256"] and entry["bytes"] for entry in reference.inputs)
