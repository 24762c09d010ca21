"""docs/examples/vidaudit.yml: valid YAML, the right steps, and a check command that works.

The check step's command line is taken from the workflow and run for real (with
bash, as Actions runs `run:`) on the bundled sample, then on a copy with a
problem the baseline does not accept.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from gates_support import REPO, flawed_files, write_dataset

from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES

WORKFLOW = REPO / "docs" / "examples" / "vidaudit.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    document: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    found: list[dict[str, Any]] = job["steps"]
    return found


def uses(steps: list[dict[str, Any]], action: str) -> dict[str, Any]:
    return next(s for s in steps if str(s.get("uses", "")).split("@")[0] == action)


def check_step(steps: list[dict[str, Any]]) -> dict[str, Any]:
    return next(s for s in steps if str(s.get("run", "")).startswith("vidaudit check"))


def outputs_by_format(command: str) -> dict[str, str]:
    """--format/--output pairs by position, as vidaudit pairs them."""
    argv = shlex.split(command)
    formats = [argv[i + 1] for i, a in enumerate(argv) if a == "--format"]
    outputs = [argv[i + 1] for i, a in enumerate(argv) if a in ("--output", "-o")]
    return dict(zip(formats, outputs, strict=False))


def test_is_a_workflow(workflow: dict[str, Any]) -> None:
    # YAML 1.1 reads the key `on` as True
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    assert workflow["permissions"]["security-events"] == "write"
    (job,) = workflow["jobs"].values()
    assert job["runs-on"].startswith("ubuntu")


def test_matches_the_github_workflow_schema() -> None:
    """check-jsonschema's vendored copy of SchemaStore's workflow schema (no network)."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(WORKFLOW)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_installs_vidaudit_before_running_it(workflow: dict[str, Any],
                                             steps: list[dict[str, Any]]) -> None:
    install = next(i for i, s in enumerate(steps) if "pip install" in str(s.get("run", "")))
    assert "$VIDAUDIT" in steps[install]["run"]
    assert str(workflow["env"]["VIDAUDIT"]).startswith("vidaudit")
    assert install < steps.index(check_step(steps))
    assert steps.index(uses(steps, "actions/checkout")) < install


def test_uploads_the_reports_the_check_writes(steps: list[dict[str, Any]]) -> None:
    outputs = outputs_by_format(check_step(steps)["run"])
    sarif = uses(steps, "github/codeql-action/upload-sarif")
    assert sarif["with"]["sarif_file"] == outputs["sarif"]
    junit_paths = {str(s.get("with", {}).get("path", s.get("with", {}).get("report_paths")))
                   for s in steps if "uses" in s}
    assert outputs["junit"] in junit_paths
    for step in steps[steps.index(check_step(steps)) + 1:]:
        # the reports are uploaded even when the check failed the job
        assert "cancelled()" in str(step.get("if")) or "always()" in str(step.get("if"))


def run_step(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The step's `run:` as Actions runs it: bash, with vidaudit on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PATH": path})


def read_reports(cwd: Path, outputs: dict[str, str]) -> tuple[dict[str, Any], ET.Element]:
    sarif = json.loads((cwd / outputs["sarif"]).read_text())
    junit = ET.parse(cwd / outputs["junit"]).getroot()
    return sarif, junit


def test_the_check_step_passes_on_the_bundled_sample(steps: list[dict[str, Any]],
                                                      tmp_path: Path) -> None:
    command = check_step(steps)["run"]
    shutil.copytree(REPO / "metadata", tmp_path / "metadata")
    made = run_step("vidaudit baseline metadata -o vidaudit-baseline.json", tmp_path)
    assert made.returncode == 0, made.stderr
    done = run_step(command, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS" in done.stdout
    sarif, junit = read_reports(tmp_path, outputs_by_format(command))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []
    assert list(junit.iter("testcase")) and not list(junit.iter("failure"))


def test_the_check_step_fails_on_new_errors_only(steps: list[dict[str, Any]],
                                                 tmp_path: Path) -> None:
    command = check_step(steps)["run"]
    outputs = outputs_by_format(command)
    files = flawed_files()
    write_dataset(tmp_path / "metadata", files)
    made = run_step("vidaudit baseline metadata -o vidaudit-baseline.json", tmp_path)
    assert made.returncode == 0, made.stderr
    accepted = run_step(command, tmp_path)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr  # old errors accepted

    train = DEFAULT_FILES["train"]
    victim = files[train].pop()
    write_dataset(tmp_path / "metadata", files)
    done = run_step(command, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL" in done.stdout and "VA303" in done.stdout
    sarif, junit = read_reports(tmp_path, outputs)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("VA303", "error")]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"metadata/{DEFAULT_FILES['events']}"
    assert victim in results[0]["message"]["text"]
    failures = [case.get("name") for case in junit.iter("testcase")
                if case.find("failure") is not None]
    assert failures == ["VA303 video-not-in-split"]
