"""The ``something-else`` profile on its bundled samples: the clean one passes, the
broken one reports exactly what was planted, each finding located; odd input is a
finding, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from support import REPO, assert_located, json_report
from vidaudit.synth.boxes_something_else import broken

CLEAN = "examples/something-else"
BROKEN = "examples/something-else-broken"


def test_clean_sample_passes_with_its_frame_manifest() -> None:
    code, report = json_report(CLEAN, cwd=REPO)
    assert (code, report["profile"], report["findings"]) == (0, "something-else", [])
    data = json.loads((REPO / CLEAN / "annotations.json").read_text())
    assert report["summary"]["videos"] == len(data)
    assert report["summary"]["boxes"] == sum(len(f["labels"]) for v in data.values()
                                             for f in v)
    assert {"VA401", "VA402", "VA408", "VA409", "VA410"} <= set(report["rules_run"])


def test_broken_sample_reports_exactly_what_was_planted() -> None:
    code, report = json_report(BROKEN, cwd=REPO)
    assert code == 1 and report["profile"] == "something-else"
    got = {(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]}
    assert got == broken().planted
    assert len(report["findings"]) == len(got)
    assert {"VA201", "VA202", "VA401", "VA402", "VA408", "VA409", "VA410"} == \
        {code for code, _, _ in got}
    for finding in report["findings"]:
        assert_located(finding, base=REPO)
    by_pointer = {f["pointer"]: f["message"] for f in report["findings"]}
    assert any("12.5 px beyond the 427-px width" in m for m in by_pointer.values())


def test_odd_annotations_are_findings_not_tracebacks(tmp_path: Path) -> None:
    folder = tmp_path / "se"
    folder.mkdir()
    odd = {"5": [{"name": 7, "labels": "none", "nr_instances": "2"}, "frame", None],
           "6": {"name": "6/0001.jpg"},
           "7": [{"name": "7/0001.jpg", "labels": [{"box2d": None, "category": "cup"},
                                                   "label"], "nr_instances": 2}]}
    (folder / "annotations.json").write_text(json.dumps(odd))
    code, report = json_report(folder, "--profile", "something-else")
    assert code == 1
    codes = {(f["code"], f["pointer"]) for f in report["findings"]}
    assert ("VA409", "/7/0/labels/0/box2d") in codes
    assert ("VA201", "/6") in codes
    assert ("VA201", "/5/0/name") in codes
