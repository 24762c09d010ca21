"""Metadata files that are not what they should be on disk: a folder, unreadable, a
symbolic link loop, a link out of the dataset, a FIFO, a device, nested 100,000 deep.

Each is a finding for that file (exit 1), never a hang, a crash or a read outside the
dataset; the other files are still checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from robustness.conftest import small_release
from robustness.invariants import (
    assert_clean_exit,
    assert_outputs_sound,
    check_all_formats,
    run_in_process,
    snapshot,
)
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata

EVENTS = DEFAULT_FILES["events"]


def _findings(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["file"].endswith("/" + name)]


def _check(dataset: Path, out: Path, *extra: str) -> dict[str, Any]:
    before = snapshot(dataset)
    outcome = check_all_formats(dataset, out, *extra)
    assert_clean_exit(outcome)
    assert outcome.code == 1
    assert snapshot(dataset) == before
    return assert_outputs_sound(outcome)


def _only(report: dict[str, Any], name: str, code: str, text: str) -> dict[str, Any]:
    [finding] = _findings(report, name)
    assert finding["code"] == code and text in finding["message"], finding
    assert finding["pointer"] == "" and finding["line"] is None
    return finding


def _subprocess_check(dataset: Path, *extra: str, timeout: float = 60
                      ) -> tuple[int, dict[str, Any], str]:
    """The real command line in a child process, killed if it hangs."""
    completed = subprocess.run(
        [sys.executable, "-m", "vidaudit", "check", str(dataset), "--format", "json", *extra],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "NO_COLOR": "1"})
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed.returncode, json.loads(completed.stdout), completed.stderr


@pytest.mark.parametrize("name", DEFAULT_FILES.values())
def test_a_metadata_file_that_is_a_folder(dataset: Path, tmp_path: Path, name: str) -> None:
    (dataset / name).unlink()
    (dataset / name).mkdir()
    (dataset / name / "inside.json").write_text("{}")
    report = _check(dataset, tmp_path)
    _only(report, name, "VA106", "is a directory")
    assert report["summary"]["videos"] == (0 if name == EVENTS else 4)


def _as_nobody(dataset: Path, out: Path) -> int:
    """Run `vidaudit check` in a forked child that has dropped root for `nobody`.

    Everything the run imports is imported here first (the child may not be allowed
    to read the interpreter's own files), then the child changes its user, runs the
    check and reports its exit code.
    """
    run_in_process(["check", str(dataset), "--format", "json", "-o", str(out / "warm.json")])
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 3
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code, _, _ = run_in_process(["check", str(dataset), "--format", "json", "-o",
                                         str(out / "report.json")])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """A folder outside pytest's private temporary tree (0700), traversable by anyone."""
    with tempfile.TemporaryDirectory(prefix="vidaudit-perm-") as folder:
        os.chmod(folder, 0o755)
        yield Path(folder)


def test_a_metadata_file_without_read_permission(world_readable: Path) -> None:
    dataset = world_readable / "metadata"
    metadata.write(small_release(), dataset)
    out = world_readable / "out"
    out.mkdir(mode=0o777)
    os.chmod(out, 0o777)
    os.chmod(dataset / EVENTS, 0o000)
    if os.geteuid() == 0:  # root reads anything: drop to `nobody` for the run
        code = _as_nobody(dataset, out)
    else:
        code, _, _ = run_in_process(["check", str(dataset), "--format", "json", "-o",
                                     str(out / "report.json")])
    assert code == 1
    report = json.loads((out / "report.json").read_text())
    _only(report, EVENTS, "VA106", "cannot be read: Permission denied")
    assert (dataset / EVENTS).stat().st_mode & 0o777 == 0


def test_a_symbolic_link_loop(dataset: Path, tmp_path: Path) -> None:
    (dataset / EVENTS).unlink()
    os.symlink("loop-b.json", dataset / EVENTS)
    os.symlink(EVENTS, dataset / "loop-b.json")
    report = _check(dataset, tmp_path)
    _only(report, EVENTS, "VA106", "Too many levels of symbolic links")


def test_a_link_out_of_the_dataset_is_refused_unless_configured(
        dataset: Path, tmp_path: Path) -> None:
    # The target is a perfectly valid events file: what is refused is where it lives.
    outside = tmp_path / "elsewhere" / EVENTS
    outside.parent.mkdir()
    (dataset / EVENTS).rename(outside)
    os.symlink(outside, dataset / EVENTS)
    report = _check(dataset, tmp_path)
    finding = _only(report, EVENTS, "VA106", "outside the dataset folder")
    assert str(outside) in finding["message"] and "not followed" in finding["message"]
    assert "follow-links = true" in finding["message"]  # says how to follow it anyway
    assert report["summary"]["events"] == 0

    config = tmp_path / "vidaudit.toml"
    config.write_text("follow-links = true\n")
    code, _, stderr = run_in_process(["check", str(dataset), "--config", str(config),
                                      "--format", "json", "-o", str(tmp_path / "r.json")])
    assert code == 0, stderr
    followed = json.loads((tmp_path / "r.json").read_text())
    assert followed["findings"] == [] and followed["summary"]["events"] > 0


def test_a_link_that_stays_inside_the_dataset_is_followed(dataset: Path,
                                                          tmp_path: Path) -> None:
    (dataset / "v1").mkdir()
    (dataset / EVENTS).rename(dataset / "v1" / EVENTS)
    os.symlink(Path("v1") / EVENTS, dataset / EVENTS)
    outcome = check_all_formats(dataset, tmp_path)
    assert_clean_exit(outcome)
    assert outcome.code == 0 and assert_outputs_sound(outcome)["findings"] == []


def test_a_manifest_linked_from_outside_is_not_followed(dataset: Path, tmp_path: Path) -> None:
    outside = tmp_path / "frame_manifest.csv"
    outside.write_text("video_id,frame_count\n1,10\n")
    os.symlink(outside, dataset / "frame_manifest.csv")
    report = _check(dataset, tmp_path)
    [finding] = [f for f in report["findings"] if f["code"] == "VA407"]
    assert "outside the dataset folder" in finding["message"]


def test_a_fifo_is_not_waited_for(dataset: Path) -> None:
    (dataset / EVENTS).unlink()
    os.mkfifo(dataset / EVENTS)  # opening it for reading would wait for a writer forever
    code, report, _ = _subprocess_check(dataset)
    assert code == 1
    _only(report, EVENTS, "VA106", "not a regular file")


def test_a_device_is_not_read(dataset: Path, tmp_path: Path) -> None:
    # /dev/zero never ends: reading it would exhaust memory (its size says 0 bytes)
    (dataset / EVENTS).unlink()
    os.symlink("/dev/zero", dataset / EVENTS)
    config = tmp_path / "vidaudit.toml"
    config.write_text("follow-links = true\n")  # past the link rule, to the device rule
    code, report, _ = _subprocess_check(dataset, "--config", str(config))
    assert code == 1
    _only(report, EVENTS, "VA106", "not a regular file")


@pytest.mark.parametrize("name", DEFAULT_FILES.values())
def test_json_nested_100000_levels_deep(dataset: Path, tmp_path: Path, name: str) -> None:
    depth = 100_000
    (dataset / name).write_text("[" * depth + "]" * depth)
    report = _check(dataset, tmp_path)
    _only(report, name, "VA102", "nested too deeply")


def test_json_nested_100000_levels_deep_in_every_command(dataset: Path, tmp_path: Path) -> None:
    depth = 100_000
    (dataset / EVENTS).write_text('{"1": ' + "[" * depth + "]" * depth + "}")
    previous = tmp_path / "previous"
    previous.mkdir()
    for name in DEFAULT_FILES.values():
        (previous / name).write_bytes((dataset / name).read_bytes())
    runs = {
        "check": ["check", str(dataset)],
        "schema": ["schema", str(dataset / EVENTS)],
        "baseline": ["baseline", str(dataset), "-o", str(tmp_path / "baseline.json")],
        "audit": ["audit", str(dataset), "--previous", str(previous), "--no-gx",
                  "--output-dir", str(tmp_path / "audit")],
    }
    for command, args in runs.items():
        code, stdout, stderr = run_in_process(args)
        assert code in (0, 1), (command, stderr)
        assert "internal error" not in stderr and "Traceback" not in stderr, (command, stderr)
        if command in ("check", "schema", "audit"):
            assert code == 1 and "nested too deeply" in stdout, (command, stdout)
