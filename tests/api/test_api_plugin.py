"""The pytest plugin, run for real: ``pytest`` in a subprocess in a dataset repository
built in a temporary folder, its outcomes read from the JUnit XML pytest writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import vidaudit
from support import REPO

USER_TEST = '''
def test_the_release_has_no_errors(vidaudit_report):
    assert vidaudit_report.counts["error"] == 0
    assert len(vidaudit_report.to_frame()) == len(vidaudit_report.findings)
'''


def run_pytest(repo: Path, *args: str) -> tuple[subprocess.CompletedProcess[str],
                                                dict[str, tuple[str, str]]]:
    """Run pytest in ``repo``; return the process and test name -> (outcome, message)."""
    junit = repo.parent / f"{repo.name}.xml"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-rs", f"--junitxml={junit}", *args], cwd=repo, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTEST_ADDOPTS": ""}, timeout=300)
    outcomes: dict[str, tuple[str, str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "skipped", "error"):
                outcome, message = child.tag, (child.get("message") or "") + (child.text or "")
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = outcome, message
    return done, outcomes


def dataset_repo(root: Path, sample: Path, *, manifest: bool) -> Path:
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    shutil.copytree(sample, root / "metadata")
    if not manifest:
        (root / "metadata" / "frame_manifest.csv").unlink()
    return root


def test_clean_sample_passes_with_pytest_true_and_the_fixture(tmp_path: Path) -> None:
    repo = dataset_repo(tmp_path / "clean", REPO / "metadata", manifest=True)
    (repo / "pyproject.toml").write_text('[tool.vidaudit]\npytest = true\n')
    (repo / "test_data.py").write_text(USER_TEST)
    done, outcomes = run_pytest(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = vidaudit.check(repo / "metadata")
    rules = {name for name in outcomes if name.startswith("vidaudit")}
    ran = {f"vidaudit::{code} {vidaudit.rule(code).name}" for code in expected.rules_run}
    assert ran <= rules and ran
    assert {name for name in rules - ran if outcomes[name][0] == "skipped"} == rules - ran
    assert outcomes["test_data::test_the_release_has_no_errors"][0] == "passed"
    assert "vidaudit: checking metadata" in done.stdout


def test_broken_sample_fails_one_item_per_failing_rule(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = dataset_repo(tmp_path / "broken", REPO / "examples" / "broken", manifest=False)
    events_file = repo / "metadata" / "video_events_labels.json"
    events = json.loads(events_file.read_text("utf-8"))
    event = {"action": "contact", "agent": "hand-object", "frameNumber": 3, "pointX": 5,
             "pointY": 5}
    events.update({str(900001 + i): [event] for i in range(7)})  # 7 more in no split
    events_file.write_text(json.dumps(events), "utf-8")
    done, outcomes = run_pytest(repo, "--vidaudit=metadata")
    assert done.returncode == 1, done.stdout + done.stderr

    monkeypatch.chdir(repo)
    report = vidaudit.check("metadata")  # as the plugin runs it: paths relative to the repo
    failing = {f.code for f in report.findings if f.severity == "error"}
    failed = {name for name, (outcome, _) in outcomes.items() if outcome == "failure"}
    assert failed == {f"vidaudit::{code} {vidaudit.rule(code).name}" for code in failing}
    warned = {f.code for f in report.findings} - failing  # warnings pass under fail-on error
    assert warned and all(outcomes[f"vidaudit::{c} {vidaudit.rule(c).name}"][0] == "passed"
                          for c in warned)
    # the frame rules need a frame source: skipped, with the reason
    for code in ("VA401", "VA402", "VA403"):
        outcome, message = outcomes[f"vidaudit::{code} {vidaudit.rule(code).name}"]
        assert outcome == "skipped" and "needs a frame source" in message
    assert "SKIPPED [1] metadata: VA402 frame-out-of-range: needs a frame source" in done.stdout
    # the failure lists the rule's findings (file:line:col and message), capped with a count
    _, message = outcomes["vidaudit::VA303 video-not-in-split"]
    va303 = [f for f in report.findings if f.code == "VA303"]
    assert len(va303) == 9
    assert f"{va303[0].location}  {va303[0].message}" in message
    assert f"{va303[5].location}  {va303[5].message}" not in message
    assert "… and 4 more" in message


def test_plugin_is_off_unless_asked_and_imports_no_pandas(tmp_path: Path) -> None:
    repo = dataset_repo(tmp_path / "unrelated", REPO / "metadata", manifest=True)
    (repo / "pyproject.toml").write_text('[project]\nname = "unrelated"\n')
    (repo / "test_plain.py").write_text(
        "import sys\n\ndef test_no_pandas():\n    assert 'pandas' not in sys.modules\n")
    done, outcomes = run_pytest(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(outcomes) == ["test_plain::test_no_pandas"]
    assert "vidaudit: checking" not in done.stdout
