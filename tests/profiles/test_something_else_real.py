"""The ``something-else`` profile on the real Something-Else annotations and the real
extracted frames of two of its videos (../shared/data; skipped when absent, a failure
under CI=true). Expected values are computed here with plain ``json`` and OpenCV,
independently of vidaudit."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from support import SHARED_DATA, assert_located, json_report, run_cli

DATA = SHARED_DATA / "something-else"
ANNOTATIONS = DATA / "annotations.json"
FRAMES = DATA / "videos"


@pytest.fixture(autouse=True)
def _real_data() -> None:
    if not (ANNOTATIONS.is_file() and FRAMES.is_dir()):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DATA} is absent (required under CI=true)")
        pytest.skip("../shared/data is absent")


def real() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    return data


def with_frames() -> list[str]:
    return sorted(p.name for p in FRAMES.iterdir() if p.is_dir())


def write(folder: Path, data: dict[str, Any]) -> Path:
    folder.mkdir()
    (folder / "annotations.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_the_two_videos_with_frames_check_clean(tmp_path: Path) -> None:
    data = real()
    subset = {v: data[v] for v in with_frames()}
    assert sorted(subset) == ["151201", "2"]
    code, report = json_report(write(tmp_path / "se", subset), "--frames", FRAMES)
    assert (code, report["profile"], report["findings"]) == (0, "something-else", [])
    assert {"VA402", "VA404", "VA405", "VA406", "VA408", "VA409", "VA410"} <= \
        set(report["rules_run"])
    summary = report["summary"]
    assert summary["frames"] == sum(len(v) for v in subset.values())
    assert summary["boxes"] == sum(len(f["labels"]) for v in subset.values() for f in v)
    # the frames 151201 has on disk beyond its annotated ones are a note, not a finding
    on_disk = len(list((FRAMES / "151201").glob("*.jpg")))
    assert (on_disk, len(subset["151201"])) == (33, 23)
    assert any("151201 (10 of 33)" in note for note in report["notes"])


def test_a_box_beyond_the_real_frame_is_reported_by_how_much(tmp_path: Path) -> None:
    data = real()
    subset = {"2": data["2"]}
    width = cv2.imread(str(FRAMES / "2" / "0001.jpg")).shape[1]
    assert max(label["box2d"]["x2"] for f in subset["2"] for label in f["labels"]) > width
    subset["2"][4]["labels"][0]["box2d"]["x2"] = width + 12.5
    folder = write(tmp_path / "se", subset)
    code, report = json_report(folder, "--frames", FRAMES)
    assert code == 1
    found = [(f["code"], f["pointer"]) for f in report["findings"]]
    assert found == [("VA408", "/2/4/labels/0/box2d")]
    assert "12.5 px beyond the 427-px width" in report["findings"][0]["message"]
    assert_located(report["findings"][0])


def test_every_real_annotation_checks_clean_without_frames() -> None:
    code, report = json_report(DATA)
    assert (code, report["profile"], report["findings"]) == (0, "something-else", [])
    data = real()
    assert report["summary"]["videos"] == len(data) == 13
    assert report["summary"]["boxes"] == sum(len(f["labels"]) for v in data.values()
                                             for f in v)
    # the eleven videos without frames on disk are VA401 when frames are asked for
    code, report = json_report(DATA, "--frames", FRAMES)
    assert code == 1
    missing = sorted(set(data) - set(with_frames()))
    assert sorted(f["video_id"] for f in report["findings"]) == missing
    assert {f["code"] for f in report["findings"]} == {"VA401"}


def test_the_html_report_draws_the_flagged_box_on_the_real_frame(tmp_path: Path) -> None:
    data = real()
    subset = {"2": data["2"]}
    subset["2"][4]["labels"][0]["box2d"]["x2"] = 460.0
    folder = write(tmp_path / "se", subset)
    html = tmp_path / "report.html"
    completed = run_cli("check", folder, "--frames", FRAMES, "--format", "html",
                        "--output", html)
    assert completed.returncode == 1, completed.stderr
    images = re.findall(r'data:image/jpeg;base64,([A-Za-z0-9+/=]+)', html.read_text())
    assert len(images) == 1  # the one VA408 finding, drawn
    thumb = cv2.imdecode(np.frombuffer(base64.b64decode(images[0]), np.uint8),
                         cv2.IMREAD_COLOR)
    frame = cv2.imread(str(FRAMES / "2" / "0005.jpg"))
    # the canvas grows past the 427-px frame to show the box leaving it
    assert thumb.shape[1] / thumb.shape[0] > frame.shape[1] / frame.shape[0] * 1.05
    blue, green, red = (thumb[:, :, i].astype(int) for i in range(3))
    assert ((red > 150) & (green < 110) & (blue < 110)).sum() > 50  # the red box


def test_every_real_video_is_an_ssv2_video_by_the_real_reference(tmp_path: Path) -> None:
    lists = SHARED_DATA / "ssv2" / "rawframe-lists"
    if not lists.is_dir():
        pytest.skip("../shared/data/ssv2 is absent")
    known = {line.split()[0] for name in ("train.txt", "validation.txt", "test.txt")
             for line in (lists / name).read_text().splitlines() if line.strip()}
    data = real()
    assert set(data) <= known
    code, report = json_report(DATA, "--reference", lists)
    assert (code, report["findings"]) == (0, [])
    assert "VA313" in report["rules_run"]
    stranger = str(max(int(v) for v in known) + 1)
    data[stranger] = [{**frame, "name": frame["name"].replace("2/", f"{stranger}/", 1)}
                      for frame in data.pop("2")]
    code, report = json_report(write(tmp_path / "se", data), "--reference", lists)
    assert code == 1
    assert [(f["code"], f["pointer"]) for f in report["findings"]] == \
        [("VA313", f"/{stranger}")]
