"""A 200 MB events file: checked whole (slow: the fuzz session only), or refused unread
when over max-file-mb, with a message that says how to raise the limit.

Peak memory and time are printed by benchmarks/bench_big_file.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from robustness.invariants import assert_clean_exit, assert_outputs_sound, check_all_formats
from vidaudit.synth import large

EVENTS = "video_events_labels.json"


def test_a_file_over_the_limit_is_refused_unread(dataset: Path, tmp_path: Path) -> None:
    with open(dataset / EVENTS, "r+b") as sparse:  # 300 MB on paper, nothing on disk
        sparse.truncate(300 << 20)
    outcome = check_all_formats(dataset, tmp_path)
    assert_clean_exit(outcome)
    report = assert_outputs_sound(outcome)
    [refused] = [f for f in report["findings"] if f["file"].endswith(EVENTS)]
    assert refused["code"] == "VA107"
    assert "314,572,800 bytes, over the limit of 268,435,456" in refused["message"]
    assert "max-file-mb" in refused["message"]
    raised = tmp_path / "vidaudit.toml"
    raised.write_text("max-file-mb = 400\n")
    outcome = check_all_formats(dataset, tmp_path / "raised", "--config", str(raised),
                                formats=("json",))
    report = json.loads(outcome.outputs["json"])
    [parsed] = [f for f in report["findings"] if f["file"].endswith(EVENTS)]
    assert parsed["code"] == "VA102"  # read now: 300 MB of NUL bytes is no JSON


@pytest.mark.fuzz_only
def test_a_200_mb_events_file_is_checked_whole(tmp_path: Path) -> None:
    n_videos = large.videos_for(200 << 20)
    large.write(tmp_path / "metadata", n_videos)
    assert (tmp_path / "metadata" / EVENTS).stat().st_size > 200 << 20
    report = tmp_path / "report.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "vidaudit", "check", str(tmp_path / "metadata"), "--format",
         "json", "--output", str(report)], stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    stderr = process.stderr.read() if process.stderr else ""
    assert os.waitstatus_to_exitcode(status) == 0 and "Traceback" not in stderr, stderr
    summary = json.loads(report.read_text())["summary"]
    assert summary == {"error": 0, "warning": 0, "info": 0, "videos": n_videos,
                       "events": 2 * n_videos}
    print(f"200 MB events file: peak RSS {usage.ru_maxrss // 1024:,} MB")
