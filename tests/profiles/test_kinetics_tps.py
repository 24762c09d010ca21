"""The ``kinetics-tps`` profile on synthetic releases (no real annotation file exists
to test on): the bundled clean sample (both ``parts`` shapes, real JPEG frames) passes,
the broken one reports exactly what was planted, located; the pool path gives the
same findings as the in-process path; odd lists and files are findings."""

from __future__ import annotations

import json
from pathlib import Path

from support import REPO, assert_located, json_report, run_cli
from vidaudit.synth.boxes_kinetics import broken_sample, generate, plan, write

CLEAN = "examples/kinetics-tps"
BROKEN = "examples/kinetics-tps-broken"


def test_clean_sample_passes_with_and_without_frames() -> None:
    root = REPO / CLEAN
    files = sorted(root.glob("train_annotations/*/*/img_*.json"))
    humans = [h for f in files for h in json.loads(f.read_text())["humans"]]
    shapes = {type(h["parts"]).__name__ for h in humans}
    assert shapes == {"dict", "list"}  # both published shapes
    for args in ((), ("--frames", f"{CLEAN}/rawframes")):
        code, report = json_report(CLEAN, *args, cwd=REPO)
        assert (code, report["profile"], report["findings"]) == (0, "kinetics-tps", [])
        assert report["summary"]["files"] == len(files)
    assert {"VA401", "VA402", "VA404", "VA405", "VA406", "VA408", "VA409", "VA411",
            "VA503"} <= set(report["rules_run"])
    note = next(n for n in report["notes"] if n.startswith("parts are written"))
    listed = sum(isinstance(h["parts"], list) for h in humans)
    assert f"a list of named parts in {listed} human(s)" in note
    assert f"keyed by part name in {len(humans) - listed} human(s)" in note


def test_broken_sample_reports_exactly_what_was_planted() -> None:
    code, report = json_report(BROKEN, "--frames", f"{BROKEN}/rawframes", cwd=REPO)
    assert code == 1 and report["profile"] == "kinetics-tps"
    got = {(f["code"], f["file"].removeprefix(BROKEN + "/"), f["pointer"])
           for f in report["findings"]}
    assert got == broken_sample()[1]
    assert len(report["findings"]) == len(got)
    for finding in report["findings"]:
        assert_located(finding, base=REPO)
        if finding["file"].endswith((".json", ".csv")) and \
                finding["code"] not in ("VA201", "VA402"):
            assert finding["line"] and finding["column"], finding
    messages = {f["code"]: f["message"] for f in report["findings"]}
    assert "x2 = 70 is 6 px beyond the 64-px width" in messages["VA408"]
    assert [f["severity"] for f in report["findings"] if f["code"] == "VA503"] == ["warning"]


def test_pool_and_in_process_agree(tmp_path: Path) -> None:
    release = generate(5, plan(5, 6, 40), frames_folder=None, every=1)
    write(release, tmp_path / "kt")
    # plant one problem deep inside so both paths must find it
    target = sorted((tmp_path / "kt").glob("train_annotations/*/*/img_00030.json"))[3]
    document = json.loads(target.read_text())
    document["humans"][0]["box"] = [5, 5, 1, 1]
    target.write_text(json.dumps(document, indent=1))
    reports = []
    for workers in (1, 2):
        config = tmp_path / f"workers{workers}.toml"
        config.write_text(f'[profiles.kinetics-tps]\nworkers = {workers}\n')
        completed = run_cli("check", tmp_path / "kt", "--format", "json", "--config", config)
        assert completed.returncode == 1, completed.stderr
        reports.append(json.loads(completed.stdout))
    assert reports[0]["findings"] == reports[1]["findings"]
    assert [(f["code"], f["pointer"]) for f in reports[0]["findings"]] == \
        [("VA409", "/humans/0/box")]
    assert reports[0]["summary"]["files"] == 6 * 40


def test_odd_lists_and_files_are_findings_not_tracebacks(tmp_path: Path) -> None:
    release = generate(6, plan(6, 2, 3), frames_folder=None)
    root = tmp_path / "kt"
    write(release, root)
    (root / "list" / "video_train_flist.csv").write_text("video frames label\nabc 3 1\n")
    (root / "list" / "object.txt").write_bytes(b"ball\n\xff\xfe\n")
    video = next((root / "train_annotations").glob("*/*"))
    (video / "img_00002.json").write_bytes(b"[1, 2")
    (video / "img_00003.json").write_text('{"humans": [{"box": "big", "parts": 3}]}')
    code, report = json_report(root)
    assert code == 1
    found = {(f["code"], Path(f["file"]).name, f["line"]) for f in report["findings"]}
    assert ("VA201", "video_train_flist.csv", 1) in found
    assert ("VA201", "video_train_flist.csv", 2) in found
    assert ("VA105", "object.txt", 2) in found
    assert ("VA102", "img_00002.json", 1) in found
    assert any(f["code"] == "VA409" and f["pointer"] == "/humans/0/box"
               for f in report["findings"])
    assert any(n.startswith("VA411 was not checked against") and "object.txt" in n
               for n in report["notes"])


def test_html_report_draws_the_box_that_leaves_its_frame(tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    completed = run_cli("check", BROKEN, "--frames", f"{BROKEN}/rawframes", "--format",
                        "html", "--output", html, cwd=REPO)
    assert completed.returncode == 1, completed.stderr
    text = html.read_text()
    assert text.count("data:image/jpeg;base64,") == 1  # VA408's one finding
    assert "x2 = 70 is 6 px beyond the 64-px width" in text


def test_links_out_of_the_dataset_are_not_followed(tmp_path: Path) -> None:
    release = generate(7, plan(7, 2, 2), frames_folder=None)
    root = tmp_path / "kt"
    write(release, root)
    outside = tmp_path / "elsewhere" / "Zz9_video_01"
    outside.mkdir(parents=True)
    (outside / "img_00001.json").write_text('{"humans": [{"box": [5, 5, 1, 1]}]}')
    (root / "train_annotations" / "hopscotch").symlink_to(outside.parent)
    video = next((root / "train_annotations").glob("*/*"))
    (video / "img_00009.json").symlink_to(outside / "img_00001.json")
    code, report = json_report(root)
    assert code == 1
    found = sorted((f["code"], Path(f["file"]).name) for f in report["findings"])
    assert found == [("VA106", "hopscotch"), ("VA106", "img_00009.json")]


def test_videos_give_the_frame_size(tmp_path: Path) -> None:
    import cv2
    import numpy as np

    release = generate(8, plan(8, 3, 4), frames_folder=None)
    root = tmp_path / "kt"
    write(release, root)
    videos = sorted((root / "train_annotations").glob("*/*"))
    sizes = {videos[1].name: (64, 48), videos[2].name: (24, 16)}  # videos[0]: none
    for folder in videos[1:]:
        (tmp_path / "videos" / folder.parent.name).mkdir(parents=True, exist_ok=True)
        size = sizes[folder.name]
        writer = cv2.VideoWriter(str(tmp_path / "videos" / folder.parent.name /
                                     f"{folder.name}.mp4"), cv2.VideoWriter_fourcc(*"mp4v"),
                                 10, size)
        for _ in range(4):
            writer.write(np.zeros((size[1], size[0], 3), np.uint8))
        writer.release()
    code, report = json_report(root, "--videos", tmp_path / "videos")
    assert code == 1
    missing = [f for f in report["findings"] if f["code"] == "VA401"]
    assert [Path(f["file"]).name for f in missing] == [videos[0].name]
    beyond = [f for f in report["findings"] if f["code"] == "VA408"]
    expected = set()
    for path in sorted(videos[2].glob("img_*.json")):  # boxes drawn on 64x48, video 24x16
        for i, human in enumerate(json.loads(path.read_text())["humans"]):
            parts = human["parts"]
            items = list(parts.items()) if isinstance(parts, dict) else list(enumerate(parts))
            boxes = [(f"/humans/{i}/box", human["box"])]
            for key, part in items:
                boxes.append((f"/humans/{i}/parts/{key}/box", part["box"]))
                if "obj_bbox" in part:
                    boxes.append((f"/humans/{i}/parts/{key}/obj_bbox", part["obj_bbox"]))
            expected |= {(path.name, at) for at, box in boxes if box[2] > 24 or box[3] > 16}
    assert expected
    assert {(Path(f["file"]).name, f["pointer"]) for f in beyond} == expected
    assert {f["code"] for f in report["findings"]} == {"VA401", "VA408"}
