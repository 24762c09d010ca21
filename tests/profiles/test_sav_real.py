"""The ``sav`` profile on SA-V's real train pair (``../shared/data/sav``): the files
check clean, a val-style folder made from the real manual masks checks clean, and
edits of the real files are reported where they were made. Expected numbers come from
plain ``json`` and pycocotools, independently of vidaudit. Skipped when the data is
absent, except under CI=true, where that is a failure."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from pycocotools import mask as coco_mask

from support import SHARED_DATA, assert_located, json_report

SAV = SHARED_DATA / "sav"
NAMES = ("sav_000001_manual.json", "sav_000001_auto.json")


@pytest.fixture(scope="module")
def real() -> Path:
    if not all((SAV / name).is_file() for name in NAMES):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SAV} is missing, and CI=true requires the real data")
        pytest.skip(f"{SAV} is absent")
    return Path(SAV)


def _copy(real: Path, target: Path) -> Path:
    target.mkdir()
    for name in NAMES:
        shutil.copyfile(real / name, target / name)
    return target


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_real_pair_checks_clean(real: Path, tmp_path: Path) -> None:
    folder = _copy(real, tmp_path / "train")
    code, report = json_report(folder)
    assert (code, report["profile"], report["findings"]) == (0, "sav", [])
    manual, auto = (_load(real / name) for name in NAMES)
    assert report["summary"]["videos"] == 1
    assert report["summary"]["masklets"] == manual["masklet_num"] + auto["masklet_num"] == 14
    assert {i["path"]: i["sha256"] for i in report["inputs"]} == {
        str(folder / name): hashlib.sha256((real / name).read_bytes()).hexdigest()
        for name in NAMES}
    assert {f"VA80{i}" for i in range(1, 10)} | {"VA810", "VA811"} <= set(report["rules_run"])


def test_real_pair_deep_decodes_every_mask(real: Path, tmp_path: Path) -> None:
    folder = _copy(real, tmp_path / "train")
    config = tmp_path / "vidaudit.toml"
    config.write_text("[profiles.sav]\ndeep = true\n")
    code, report = json_report(folder, "--config", config)
    assert (code, report["findings"]) == (0, [])


def _edit(folder: Path, name: str, change: Any) -> None:
    data = _load(folder / name)
    change(data)
    (folder / name).write_text(json.dumps(data))


def test_edits_of_the_real_files_are_reported_where_made(real: Path, tmp_path: Path) -> None:
    folder = _copy(real, tmp_path / "train")
    manual = _load(real / NAMES[0])
    height, width = int(manual["video_height"]), int(manual["video_width"])
    # Independent expectations: masklet 1's mean visible area by pycocotools.
    areas = [float(coco_mask.area(frame[1])) for frame in manual["masklet"]]
    visible = [a for a in areas if a > 0]
    mean = sum(visible) / len(visible)
    first3 = next(i for i, frame in enumerate(manual["masklet"])
                  if coco_mask.area(frame[3]) > 0)

    def change(data: dict[str, Any]) -> None:
        data["masklet"][7][2]["size"] = [width, height]
        counts = data["masklet"][9][0]["counts"]
        data["masklet"][9][0]["counts"] = counts[: len(counts) // 3]
        data["masklet_size_abs"][1] = mean * 1.01
        data["masklet_size_rel"][1] = mean * 1.01 / (height * width)
        data["masklet_first_appeared_frame"][3] = 0.0
    _edit(folder, NAMES[0], change)
    code, report = json_report(folder)
    assert code == 1
    got = {(f["code"], f["pointer"]) for f in report["findings"]}
    assert got == {("VA803", "/masklet/7/2/size"), ("VA804", "/masklet/9/0/counts"),
                   ("VA805", "/masklet_size_abs/1"),
                   ("VA807", "/masklet_first_appeared_frame/3")}
    by_code = {f["code"]: f for f in report["findings"]}
    assert "swapped" in by_code["VA803"]["message"]
    assert f"{mean:.4f}" in by_code["VA805"]["message"]
    assert f"first visible at annotated frame {first3}" in by_code["VA807"]["message"]
    for finding in report["findings"]:
        assert_located(finding)


def test_more_edits_of_the_real_files(real: Path, tmp_path: Path) -> None:
    folder = _copy(real, tmp_path / "train")
    auto = _load(real / NAMES[1])
    # Independent expectations from pycocotools: masklet 6's visibility changes, and the
    # bucket its size puts it in.
    visible = [bool(coco_mask.area(frame[6]) > 0) for frame in auto["masklet"]]
    first = visible.index(True)
    changes = sum(a != b for a, b in zip(visible[first:], visible[first + 1:], strict=False))
    assert changes == auto["masklet_visibility_changes"][6]
    wrong_bucket = "large" if auto["masklet_size_abs"][6] < 96 ** 2 else "small"

    def change(data: dict[str, Any]) -> None:
        data["masklet_visibility_changes"][6] = changes + 1
        data["masklet_size_bucket"][6] = wrong_bucket
        data["masklet_frame_count"][2] = 120

    def change_manual(data: dict[str, Any]) -> None:
        data["video_duration"] = 30.0
        data["masklet_type"].append("manual")
    _edit(folder, NAMES[1], change)
    _edit(folder, NAMES[0], change_manual)
    code, report = json_report(folder)
    got = {(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]}
    assert got == {("VA808", NAMES[1], "/masklet_visibility_changes/6"),
                   ("VA806", NAMES[1], "/masklet_size_bucket/6"),
                   ("VA802", NAMES[1], "/masklet_frame_count/2"),
                   ("VA801", NAMES[0], "/masklet_type"),
                   ("VA809", NAMES[0], "/video_duration"),
                   ("VA810", NAMES[1], "/video_duration")}
    assert code == 1
    for finding in report["findings"]:
        assert_located(finding)


def test_manual_and_auto_disagreeing_on_the_real_pair(real: Path, tmp_path: Path) -> None:
    folder = _copy(real, tmp_path / "train")
    _edit(folder, NAMES[1], lambda d: d.__setitem__("video_width", 481.0))
    code, report = json_report(folder)
    got = {(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]}
    # The auto file's RLEs are now all of the wrong size, and it disagrees with manual.
    assert ("VA810", NAMES[1], "/video_width") in got
    assert {c for c, _, _ in got} == {"VA803", "VA805", "VA810"}
    assert code == 1


def _val_from_real(real: Path, root: Path) -> tuple[Path, int]:
    """A val-style folder from the real manual masks: every 4th frame's masks as PNGs,
    synthetic JPEG frames of the video's size."""
    manual = _load(real / NAMES[0])
    video = "sav_000001"
    height, width = int(manual["video_height"]), int(manual["video_width"])
    total = int(manual["video_frame_count"])
    frames = root / "JPEGImages_24fps" / video
    frames.mkdir(parents=True)
    image = np.full((height, width, 3), 90, dtype=np.uint8)
    ok, jpeg = cv2.imencode(".jpg", image)
    assert ok
    for index in range(total):
        (frames / f"{index:05d}.jpg").write_bytes(jpeg.tobytes())
    masks = 0
    for f, frame in enumerate(manual["masklet"]):
        for o, rle in enumerate(frame):
            folder = root / "Annotations_6fps" / video / f"{o:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            pixels = coco_mask.decode(rle) * 255
            assert cv2.imwrite(str(folder / f"{4 * f:05d}.png"), pixels,
                               [cv2.IMWRITE_PNG_COMPRESSION, 1])
            masks += 1
    (root / "sav_val.txt").write_text(f"{video}\n")
    assert len(manual["masklet"]) == math.ceil(total / 4)
    return root, masks


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_val_folder_from_the_real_masks(real: Path, tmp_path: Path) -> None:
    root, masks = _val_from_real(real, tmp_path / "val")
    code, report = json_report(root)
    assert (code, report["profile"], report["findings"]) == (0, "sav", [])
    assert report["summary"]["masks"] == masks == 121 * 5
    assert {f"VA82{i}" for i in range(6)} <= set(report["rules_run"])
