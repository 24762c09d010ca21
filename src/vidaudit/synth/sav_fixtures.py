"""The sav profile's rule fixtures (``tests/fixtures/rules/base-sav`` and one folder per
VA8xx rule), generated from fixed seeds: ``python -m vidaudit.synth.sav_fixtures
[--check]`` from the repository root."""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from vidaudit.synth import sav

FIXTURES = "tests/fixtures/rules"
VIDEO = "sav_000001"
VAL_VIDEO = "sav_000002"


def _base() -> tuple[sav.TrainVideo, sav.ValVideo]:
    return sav.train_video(1, VIDEO), sav.val_video(2, VAL_VIDEO)


def base_files() -> dict[str, bytes]:
    train, val = _base()
    assert train.manual is not None and train.auto is not None
    files = {f"{VIDEO}_manual.json": sav.dumps(train.manual),
             f"{VIDEO}_auto.json": sav.dumps(train.auto),
             "sav_val.txt": f"{VAL_VIDEO}\n".encode(), "base.txt": b""}
    del files["base.txt"]
    files.update(val.files)
    return files


Edit = Callable[[dict[str, Any]], None]


def _json_fixture(kind: str, edit: Edit) -> dict[str, bytes]:
    train, _ = _base()
    data = copy.deepcopy(train.manual if kind == "manual" else train.auto)
    assert data is not None
    edit(data)
    return {f"fail/{VIDEO}_{kind}.json": sav.dumps(data)}


def _masks_fixture(edit: Callable[[dict[str, bytes]], None]) -> dict[str, bytes]:
    """The whole Annotations_6fps folder, changed (a fixture's fail/ folder replaces a
    folder of the base as a whole)."""
    _, val = _base()
    files = {name: content for name, content in val.files.items()
             if name.startswith("Annotations_6fps/")}
    edit(files)
    return {f"fail/{name}": content for name, content in files.items()}


def _dot(height: int = 24, width: int = 16) -> bytes:
    mask = np.zeros((height, width), dtype=np.uint8)
    mask[2:6, 2:6] = 255
    return sav.png(mask)


MASKS = f"Annotations_6fps/{VAL_VIDEO}"


def _grey(files: dict[str, bytes]) -> None:
    mask = np.zeros((24, 16), dtype=np.uint8)
    mask[2:6, 2:6], mask[8:10, 8:10] = 255, 128
    files[f"{MASKS}/000/00004.png"] = sav.png(mask)


def _emptied(files: dict[str, bytes]) -> None:
    for index in (4, 8):
        files[f"{MASKS}/001/{index:05d}.png"] = sav.png(np.zeros((24, 16), dtype=np.uint8))


def _rename_object(files: dict[str, bytes]) -> None:
    for name in [n for n in files if n.startswith(f"{MASKS}/001/")]:
        files[name.replace("/001/", "/obj1/")] = files.pop(name)


def _set(key: str, index: int | None, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        if index is None:
            data[key] = value
        else:
            data[key][index] = value
    return edit


def _truncate(data: dict[str, Any]) -> None:
    item = data["masklet"][1][1]
    item["counts"] = item["counts"][: max(1, len(item["counts"]) // 2)] + "P"


def _bigger(data: dict[str, Any]) -> None:
    data["masklet_size_abs"][0] = round(data["masklet_size_abs"][0] * 1.5, 10)
    data["masklet_size_rel"][0] = round(data["masklet_size_abs"][0]
                                        / data["video_resolution"], 10)


def _fixtures() -> dict[str, tuple[str, dict[str, bytes], list[tuple[str, str]]]]:
    """Code -> (what it plants, its files, the expected (file name, pointer) findings)."""
    manual, auto = f"{VIDEO}_manual.json", f"{VIDEO}_auto.json"
    empty_train = sav.train_video(1, VIDEO, empty=(2,))
    assert empty_train.manual is not None
    swapped = [sav.WIDTH, sav.HEIGHT]
    return {
        "VA801": ("masklet_id has one entry fewer than masklet_num",
                  _json_fixture("manual", lambda d: d["masklet_id"].pop()),
                  [(manual, "/masklet_id")]),
        "VA802": ("masklet_frame_count of masklet 0 is not the number of annotated frames",
                  _json_fixture("manual", _set("masklet_frame_count", 0, 11)),
                  [(manual, "/masklet_frame_count/0")]),
        "VA803": ("an RLE size written as [width, height]",
                  _json_fixture("manual", lambda d: d["masklet"][2][0].__setitem__(
                      "size", swapped)),
                  [(manual, "/masklet/2/0/size")]),
        "VA804": ("a truncated RLE counts string",
                  _json_fixture("manual", _truncate), [(manual, "/masklet/1/1/counts")]),
        "VA805": ("masklet_size_abs of masklet 0 is 1.5 times its mean area",
                  _json_fixture("manual", _bigger), [(manual, "/masklet_size_abs/0")]),
        "VA806": ("masklet 0's bucket is 'large' though its size is small",
                  _json_fixture("manual", _set("masklet_size_bucket", 0, "large")),
                  [(manual, "/masklet_size_bucket/0")]),
        "VA807": ("masklet 1 first appears after frame 0 but says 0",
                  _json_fixture("manual", _set("masklet_first_appeared_frame", 1, 0.0)),
                  [(manual, "/masklet_first_appeared_frame/1")]),
        "VA808": ("masklet 0's visibility changes are one too many",
                  _json_fixture("manual", lambda d: d["masklet_visibility_changes"]
                                .__setitem__(0, d["masklet_visibility_changes"][0] + 1)),
                  [(manual, "/masklet_visibility_changes/0")]),
        "VA809": ("video_duration one second longer than the frames (in both files)",
                  {**_json_fixture("manual", lambda d: d.__setitem__(
                      "video_duration", d["video_duration"] + 1)),
                   **_json_fixture("auto", lambda d: d.__setitem__(
                       "video_duration", d["video_duration"] + 1))},
                  [(manual, "/video_duration"), (auto, "/video_duration")]),
        "VA810": ("the auto file says Outdoor, the manual one Indoor",
                  _json_fixture("auto", _set("video_environment", None, "Outdoor")),
                  [(auto, "/video_environment")]),
        "VA811": ("masklet 2 is empty in every annotated frame (statistics consistent)",
                  {f"fail/{manual}": sav.dumps(empty_train.manual)},
                  [(manual, "/masklet_id/2")]),
        "VA812": ("the video beside the JSON has 33 frames, the JSON says 37",
                  {f"fail/{VIDEO}.mp4": sav.video_bytes(33, sav.HEIGHT, sav.WIDTH)},
                  [(manual, "/video_frame_count")]),
        "VA820": ("sav_val.txt lists a video with no frames or masks folder",
                  {"fail/sav_val.txt": f"{VAL_VIDEO}\nsav_000009\n".encode()},
                  [("sav_val.txt", ""), ("sav_val.txt", "")]),
        "VA821": ("a mask for frame 16 of a 13-frame video",
                  _masks_fixture(lambda f: f.__setitem__(f"{MASKS}/000/00016.png", _dot())),
                  [("00016.png", "")]),
        "VA822": ("a mask of 24x20 on frames of 16x24",
                  _masks_fixture(lambda f: f.__setitem__(f"{MASKS}/000/00004.png",
                                                         _dot(20, 24))),
                  [("00004.png", "")]),
        "VA823": ("a mask with the values 0, 128 and 255", _masks_fixture(_grey),
                  [("00004.png", "")]),
        "VA824": ("a mask on frame 6", _masks_fixture(
            lambda f: f.__setitem__(f"{MASKS}/001/00006.png", _dot())), [("00006.png", "")]),
        "VA825": ("object folder obj1", _masks_fixture(_rename_object), [("obj1", "")]),
    }


def fixture_files() -> dict[str, bytes]:
    files = {f"{FIXTURES}/base-sav/{name}": content for name, content in base_files().items()}
    files[f"{FIXTURES}/base-sav/README.md"] = (
        b"A clean SA-V folder for the sav rules' fixtures: one train video (manual and "
        b"auto files) and one val video (frames, per-object masks, sav_val.txt). "
        b"Generated by `python -m vidaudit.synth.sav_fixtures`.\n")
    for code, (about, planted, expected) in _fixtures().items():
        folder = f"{FIXTURES}/{code}"
        files[f"{folder}/base.txt"] = b"base-sav\n"
        files[f"{folder}/expected.json"] = (json.dumps(
            {"about": about, "fail": [{"file": f, "pointer": p} for f, p in expected]},
            indent=2) + "\n").encode()
        for name, content in planted.items():
            files[f"{folder}/{name}"] = content
    return files


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m vidaudit.synth.sav_fixtures")
    parser.add_argument("--root", default=".")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for relative, content in fixture_files().items():
        path = Path(args.root) / relative
        if path.exists() and path.read_bytes() == content:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    for relative in stale:
        print(("out of date: " if args.check else "written: ") + relative)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
