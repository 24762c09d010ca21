"""The contact/release metadata against SSv2's own annotation (``--reference``), on the real
files in ../shared/data (skipped without them).

What SSv2 says about each video is read here with plain ``json`` and text splitting,
independently of vidaudit's reader: the official validation/test files and test answers,
and the train/validation/test rawframes lists with the class names of labels.json. The
real release agrees with SSv2 everywhere; a copy with one planted case of each rule shows
that VA310, VA311 and VA313 fire exactly there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from support import REAL_METADATA, SHARED_DATA, assert_located, json_report

SSV2 = SHARED_DATA / "ssv2"
ANNOTATIONS = SSV2 / "annotations"
LISTS = SSV2 / "rawframe-lists"
SPLITS = ("train", "validation", "test")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (REAL_METADATA.is_dir() and ANNOTATIONS.is_dir()),
                                 reason="../shared/data is absent")]


def reference_args() -> list[str | Path]:
    return ["--reference", ANNOTATIONS, "--reference", LISTS, "--no-manifest"]


@pytest.fixture(scope="module")
def ssv2() -> dict[str, dict[str, str]]:
    """video id -> split, and video id -> class name, as SSv2 says."""
    labels = json.loads((ANNOTATIONS / "something-something-v2-labels.json").read_text())
    names = {int(index): name for name, index in labels.items()}
    split_of: dict[str, str] = {}
    class_of: dict[str, str] = {}
    for split in SPLITS:
        for line in (LISTS / f"{split}.txt").read_text().splitlines():
            video, _, index = line.split()
            split_of[video] = split
            if split != "test":  # the test list's class column is a dummy
                class_of[video] = names[int(index)]
    for row in json.loads((ANNOTATIONS / "something-something-v2-validation.json").read_text()):
        split_of[row["id"]] = "validation"
        class_of[row["id"]] = row["template"].replace("[", "").replace("]", "")
    for row in json.loads((ANNOTATIONS / "something-something-v2-test.json").read_text()):
        split_of[row["id"]] = "test"
    answers = (ANNOTATIONS / "something-something-v2-test-answers.csv").read_text()
    for line in answers.splitlines():
        video, name = line.split(";", 1)
        class_of[video] = name
    return {"split": split_of, "class": class_of}


def load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text())


def expected(folder: Path, ssv2: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """code -> the video ids vidaudit must name, from the release's files."""
    splits = {s: load(folder, f"{s}_videos_ids_labeled.json") for s in SPLITS}
    templates = load(folder, "template_to_video_ids_map.json")
    events = load(folder, "video_events_labels.json")
    return {
        "VA311": {v for s, ids in splits.items() for v in ids
                  if v in ssv2["split"] and ssv2["split"][v] != s},
        "VA310": {v for t, ids in templates.items() for v in ids
                  if v in ssv2["class"] and ssv2["class"][v] != t},
        "VA313": {v for v in events if v not in ssv2["split"]},
    }


def named(report: dict[str, Any], code: str) -> set[str]:
    return {f["video_id"] for f in report["findings"] if f["code"] == code}


def test_the_published_release_agrees_with_ssv2(ssv2: dict[str, dict[str, str]]) -> None:
    code, report = json_report(REAL_METADATA, *reference_args())
    assert code == 1  # VA303: 39 videos in no split
    assert len(ssv2["split"]) == 220_847
    want = expected(REAL_METADATA, ssv2)
    assert want == {"VA310": set(), "VA311": set(), "VA313": set()}
    for rule in want:
        assert named(report, rule) == want[rule]
        assert rule in report["rules_run"] and rule not in report.get("rules_skipped", {})
    hints = {f["video_id"]: f["message"] for f in report["findings"] if f["code"] == "VA303"}
    assert len(hints) == 39
    for video, message in hints.items():
        assert message.endswith(f"; SSv2 has it in {ssv2['split'][video]} as "
                                f"{ssv2['class'][video]!r}"), message
    read = {Path(i["path"]).name for i in report["inputs"]}
    assert {"something-something-v2-validation.json", "train.txt"} <= read


def test_without_a_reference_the_rules_are_listed_as_not_run() -> None:
    code, report = json_report(REAL_METADATA, "--no-manifest")
    assert code == 1
    for rule in ("VA310", "VA311", "VA313"):
        assert rule not in report["rules_run"]
        assert "--reference" in report["rules_skipped"][rule]


def test_planted_cases_fire_exactly(tmp_path: Path, ssv2: dict[str, dict[str, str]]) -> None:
    folder = tmp_path / "metadata"
    shutil.copytree(REAL_METADATA, folder)
    splits = {s: load(folder, f"{s}_videos_ids_labeled.json") for s in SPLITS}
    templates = load(folder, "template_to_video_ids_map.json")
    events = load(folder, "video_events_labels.json")
    moved = splits["train"].pop(0)                      # VA311: train -> test
    splits["test"].append(moved)
    names = sorted(templates)
    relabelled = templates[names[0]].pop(0)             # VA310: under another template
    templates[names[1]].append(relabelled)
    stranger = "999999999"                              # VA313: not an SSv2 video
    assert stranger not in ssv2["split"]
    events[stranger] = [dict(events[moved][0])]
    splits["train"].append(stranger)
    templates[names[2]].append(stranger)
    for split, ids in splits.items():
        (folder / f"{split}_videos_ids_labeled.json").write_text(json.dumps(ids))
    (folder / "template_to_video_ids_map.json").write_text(json.dumps(templates))
    (folder / "video_events_labels.json").write_text(json.dumps(events))

    code, report = json_report(folder, *reference_args())
    assert code == 1
    want = expected(folder, ssv2)
    assert want == {"VA311": {moved}, "VA310": {relabelled}, "VA313": {stranger}}
    for rule, videos in want.items():
        found = [f for f in report["findings"] if f["code"] == rule]
        assert {f["video_id"] for f in found} == videos
        for finding in found:
            assert_located(finding)
    (va311,) = [f for f in report["findings"] if f["code"] == "VA311"]
    assert va311["message"] == (f"video {moved} is in the test split, but SSv2 has it in "
                                f"{ssv2['split'][moved]}")
    assert va311["file"].endswith("test_videos_ids_labeled.json")
