"""The ``sav`` profile on generated data: the samples report exactly what was planted,
many videos go through the worker pool with the same result as one by one, and the
RLE measurements agree with pycocotools."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from pycocotools import mask as coco_mask

from support import REPO, assert_located, json_report, run_cli
from vidaudit.profiles.sav.rle import measure, measure_fast
from vidaudit.synth import sav
from vidaudit.synth.samples_sav import BROKEN, CLEAN, planted


def test_clean_sample_passes() -> None:
    code, report = json_report(CLEAN, cwd=REPO)
    assert (code, report["profile"], report["findings"]) == (0, "sav", [])
    assert report["summary"]["videos"] == 5  # 3 train, 2 val
    assert "VA812" in report["rules_run"]  # sav_000001.mp4 is beside its JSON


def test_broken_sample_reports_exactly_what_was_planted() -> None:
    code, report = json_report(BROKEN, cwd=REPO)
    assert code == 1 and report["profile"] == "sav"
    got = sorted((f["code"], f["file"].removeprefix(BROKEN + "/"), f["pointer"])
                 for f in report["findings"])
    assert got == sorted(planted())
    codes = {code for code, _, _ in got}
    assert {f"VA80{i}" for i in range(1, 10)} | {f"VA81{i}" for i in range(3)} \
        | {f"VA82{i}" for i in range(6)} <= codes
    for finding in report["findings"]:
        assert finding["file"].startswith(BROKEN + "/")
        if finding["file"].endswith(".json") and finding["pointer"]:
            assert finding["line"] and finding["column"]
        assert_located(finding, base=REPO)


def test_many_videos_through_the_pool(tmp_path: Path) -> None:
    """40 videos (the pool starts at 8): counts add up and a problem planted in the
    31st video is found, at its place."""
    folder = tmp_path / "train"
    folder.mkdir()
    masklets = 0
    for n in range(40):
        video = sav.train_video(100 + n, f"sav_{n:06d}", frame_count=21)
        assert video.manual is not None and video.auto is not None
        if n == 30:
            video.auto["masklet_visibility_changes"][2] += 2
        masklets += video.manual["masklet_num"] + video.auto["masklet_num"]
        (folder / f"sav_{n:06d}_manual.json").write_bytes(sav.dumps(video.manual))
        (folder / f"sav_{n:06d}_auto.json").write_bytes(sav.dumps(video.auto))
    code, report = json_report(folder)
    assert code == 1
    assert (report["summary"]["videos"], report["summary"]["masklets"]) == (40, masklets)
    assert [(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]] == \
        [("VA808", "sav_000030_auto.json", "/masklet_visibility_changes/2")]
    assert len(report["inputs"]) == 80


def test_davis_layout_is_accepted_and_named(tmp_path: Path) -> None:
    root = tmp_path / "val"
    video = sav.val_video(5, "sav_000005", objects=1)
    for name, content in video.files.items():
        if "/000/" in name:  # one multi-object PNG per frame, no object folders
            name = name.replace("/000/", "/")
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (root / "sav_val.txt").write_text("sav_000005\n")
    code, report = json_report(root)
    assert (code, report["findings"]) == (0, [])
    completed = run_cli("check", root)
    assert "DAVIS layout" in completed.stdout


@pytest.mark.parametrize("shape", [(7, 5), (30, 40), (1, 1), (848, 480)])
def test_rle_measure_agrees_with_pycocotools(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    strings, areas = [], []
    for trial in range(60 if shape[0] * shape[1] < 10_000 else 8):
        mask = (rng.random(shape) < rng.random()).astype(np.uint8)
        if trial % 7 == 0:
            mask[:] = trial % 2
        encoded = coco_mask.encode(np.asfortranarray(mask))
        strings.append(encoded["counts"].decode())
        areas.append(int(coco_mask.area(encoded)))
    pixels = shape[0] * shape[1]
    got = measure(strings, [pixels] * len(strings))
    assert got.valid.all() and got.area.tolist() == areas
    wrong = measure(strings, [pixels + 1] * len(strings))
    assert not wrong.valid.any()
    truncated = measure([s + "P" for s in strings], [pixels] * len(strings))
    assert not truncated.valid.any()
    assert all("truncated" in p for p in truncated.problem)
    # The fast path (pycocotools' area and box) says exactly what the exact one says.
    halves = [s[: len(s) // 2] for s in strings]
    for variant in (strings, halves, [s + "1" for s in strings], ["x" + s for s in strings]):
        for size in (pixels, pixels + 1):
            slow = measure(variant, [size] * len(variant))
            fast = measure_fast(variant, [size] * len(variant))
            assert fast.valid.tolist() == slow.valid.tolist()
            assert fast.area.tolist() == slow.area.tolist()
            assert fast.problem == slow.problem


def test_the_samples_are_not_written_into(tmp_path: Path) -> None:
    copy = tmp_path / "sample"
    shutil.copytree(REPO / BROKEN, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    json_report(copy)
    after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert before == after


def test_html_report_has_the_sav_section_and_flagged_masks(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    completed = run_cli("check", REPO / BROKEN, "--format", "html",
                                              "--output", out)
    assert completed.returncode == 1, completed.stderr
    html = out.read_text()
    assert "Masklets per video" in html and "Size buckets" in html
    assert "Manual and automatic masklets" in html
    # VA803, VA805, VA807 flagged masks of the train files, drawn over a frame.
    assert html.count("data:image/jpeg;base64,") >= 3
    assert "sav_000104, masklet 0" in html


def test_rule_fixture_base_is_clean() -> None:
    code, report = json_report(REPO / "tests" / "fixtures" / "rules" / "base-sav")
    assert (code, report["profile"], report["findings"]) == (0, "sav", [])
    assert report["summary"]["videos"] == 2  # one train, one val


def test_videos_option_checks_the_train_videos(tmp_path: Path) -> None:
    """--videos DIR: the shared frame source probes sav_NNNNNN.mp4 (real MP4s written
    by OpenCV); a wrong frame count is VA812 at the manual file's video_frame_count, an
    MP4 that is not one is VA405, a video of no train file is not probed."""
    train, videos = tmp_path / "train", tmp_path / "videos"
    train.mkdir()
    videos.mkdir()
    for n in (1, 2, 3):
        made = sav.train_video(n, f"sav_00000{n}", with_auto=n != 3)
        for kind, data in (("manual", made.manual), ("auto", made.auto)):
            if data is not None:
                (train / f"sav_00000{n}_{kind}.json").write_bytes(sav.dumps(data))
    (videos / "sav_000001.mp4").write_bytes(sav.video_bytes(30, sav.HEIGHT, sav.WIDTH))
    (videos / "sav_000002.mp4").write_bytes(sav.video_bytes(37, sav.HEIGHT, sav.WIDTH))
    (videos / "sav_000003.mp4").write_bytes(b"not a video")
    (videos / "sav_000009.mp4").write_bytes(b"no train file")
    code, report = json_report(train, "--videos", videos)
    assert code == 1
    got = [(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]]
    assert sorted(got) == [("VA405", "sav_000003.mp4", ""),
                           ("VA812", "sav_000001_manual.json", "/video_frame_count")]
    assert "30 frames" in report["findings"][0]["message"] + report["findings"][1]["message"]
    assert "VA812" in report["rules_run"]
    paths = [i["path"] for i in report["inputs"]]
    assert len(paths) == len(set(paths)) == 5
    for finding in report["findings"]:
        assert_located(finding)


def test_deep_and_workers_on_the_command_line_reach_the_per_video_checks(tmp_path: Path
                                                                         ) -> None:
    """`--deep` (like `deep = true`) makes the val/test checks read every frame's header:
    a frame of another size is VA406 only then; `--workers 1` is taken too."""
    import cv2

    folder = tmp_path / "sav"
    shutil.copytree(REPO / CLEAN, folder)
    video = sorted((folder / "JPEGImages_24fps").iterdir())[0]
    frame = sorted(video.iterdir())[1]
    height, width = cv2.imread(str(frame)).shape[:2]
    cv2.imwrite(str(frame), np.zeros((height // 2, width // 2, 3), np.uint8))
    code, report = json_report(folder, "--workers", "1")
    assert (code, report["findings"]) == (0, [])
    code, report = json_report(folder, "--deep", "--workers", "1")
    assert code == 1
    [finding] = report["findings"]
    assert (finding["code"], finding["video_id"]) == ("VA406", video.name)
    assert f"{frame.name} is {width // 2}x{height // 2}" in finding["message"]
