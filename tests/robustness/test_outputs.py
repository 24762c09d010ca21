"""Outputs: written atomically (a killed run never leaves a torn file), and never on or
inside what a command reads (metadata, media, manifests, baselines) unless
``--allow-write-in-dataset`` says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from robustness.invariants import report_validator, run_in_process, snapshot
from support import Media
from vidaudit.synth import metadata

OUTPUTS = {"json": "report.json", "html": "report.html", "sarif": "report.sarif",
           "junit": "report.xml"}


def _complete(fmt: str, data: bytes) -> bool:
    """Whether ``data`` is a whole report of that format (not a prefix of one)."""
    try:
        text = data.decode("utf-8")
        if fmt == "json":
            report_validator().validate(json.loads(text))
        elif fmt == "sarif":
            return isinstance(json.loads(text)["runs"][0]["results"], list)
        elif fmt == "junit":
            ET.fromstring(data)
        else:
            return text.rstrip().endswith("</html>")
    except (ValueError, KeyError, ET.ParseError, UnicodeDecodeError):
        return False
    return True


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 videos whose every event has an unknown action: reports of megabytes."""
    release = metadata.generate(seed=3, n_videos=3000, n_templates=40)
    for events in release.events.values():
        for event in events:
            event["action"] = "hold"
    folder = tmp_path_factory.mktemp("big") / "metadata"
    metadata.write(release, folder)
    return folder


def _start(dataset: Path, out: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "vidaudit", "check", str(dataset)]
    for fmt, name in OUTPUTS.items():
        args += ["--format", fmt, "--output", str(out / name)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def _kill_when_written(process: subprocess.Popen[bytes], path: Path) -> list[bytes]:
    """Watch ``path`` and SIGKILL the run the moment it changes: what the path held
    then, and after the kill (a writer that truncates in place shows itself here)."""
    first = _signature(path)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if _signature(path) != first:
            seen = [path.read_bytes()]
            process.send_signal(signal.SIGKILL)
            process.wait()
            return [*seen, path.read_bytes()]
    process.wait()
    return [path.read_bytes()]


def test_a_killed_run_leaves_the_old_report_or_a_whole_new_one(big_dataset: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    assert _start(big_dataset, out).wait(timeout=300) == 1
    duration = time.monotonic() - started
    new = {fmt: (out / name).read_bytes() for fmt, name in OUTPUTS.items()}
    assert all(_complete(fmt, data) for fmt, data in new.items())
    old = {fmt: data.replace(b"hold", b"HOLD") for fmt, data in new.items()}  # still whole

    def reset() -> None:
        for fmt, name in OUTPUTS.items():
            (out / name).write_bytes(old[fmt])

    def whole_or_old(fmt: str, data: bytes) -> str:
        # (the HTML says when it was made, so a new one is whole, not equal)
        assert data == old[fmt] or _complete(fmt, data), f"{OUTPUTS[fmt]} torn"
        return "old" if data == old[fmt] else "new"

    for fmt in ("json", "junit"):  # the first and the last written
        reset()
        seen = _kill_when_written(_start(big_dataset, out), out / OUTPUTS[fmt])
        assert len(seen) == 2, "the run ended before the output changed"
        assert [whole_or_old(fmt, data) for data in seen] == ["new", "new"]
    states = []
    for fraction in (0.1, 0.8, 1.5):  # and at moments spread over the run
        reset()
        process = _start(big_dataset, out)
        try:
            process.wait(timeout=duration * fraction)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        states.append([whole_or_old(fmt, (out / name).read_bytes())
                       for fmt, name in OUTPUTS.items()])
    assert set(states[0]) == {"old"} and set(states[-1]) == {"new"}, states
    leftovers = [p.name for p in out.iterdir() if p.name not in OUTPUTS.values()]
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)


# -- outputs on or inside the inputs ------------------------------------------------------

def _refused(args: list[str], *watched: Path) -> None:
    before = [snapshot(p) if p.is_dir() else p.read_bytes() for p in watched]
    code, _, stderr = run_in_process(args)
    assert code == 2, stderr
    assert stderr.startswith("vidaudit: error: refusing to write") and stderr.count("\n") == 1
    assert [snapshot(p) if p.is_dir() else p.read_bytes() for p in watched] == before


@pytest.fixture
def release(media: Media, tmp_path: Path) -> Media:
    (media.root / "manifest.csv").write_text(
        "video_id,frame_count,width,height\n"
        + "".join(f"{v.video_id},{v.frame_count},{v.width},{v.height}\n"
                  for v in media.release.videos.values()))
    return media


def test_check_refuses_outputs_on_or_in_any_input(release: Media, tmp_path: Path) -> None:
    meta, frames = release.metadata, release.frames
    manifest = release.root / "manifest.csv"
    baseline = tmp_path / "baseline.json"
    code, _, stderr = run_in_process(["baseline", str(meta), "-o", str(baseline)])
    assert code == 0, stderr
    cases = [
        (["check", str(meta), "--format", "json", "-o", str(meta / "report.json")], meta),
        (["check", str(meta), "--format", "json", "-o", str(meta)], meta),
        (["check", str(meta), "--frames", str(frames), "--format", "html", "-o",
          str(frames / release.ids[0] / "report.html")], frames),
        (["check", str(meta), "--manifest", str(manifest), "--format", "json", "-o",
          str(manifest)], manifest),
        (["check", str(meta), "--baseline", str(baseline), "--format", "sarif", "-o",
          str(baseline)], baseline),
        (["check", str(meta), "--format", "json", "-o", str(tmp_path / "fine.json"),
          "--format", "junit", "-o", str(meta / "late.xml")], meta),
    ]
    for args, watched in cases:
        _refused(args, watched, meta)
    assert not (tmp_path / "fine.json").exists()  # nothing is written when any is refused
    allowed = ["check", str(meta), "--format", "json", "-o", str(meta / "r.json"),
               "--allow-write-in-dataset"]
    assert run_in_process(allowed)[0] == 0 and (meta / "r.json").is_file()


def test_the_default_html_path_is_refused_from_inside_the_dataset(
        release: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(release.metadata)  # reports/vidaudit.html would land in the dataset
    _refused(["check", ".", "--format", "html"], release.metadata)


def test_schema_refuses_to_overwrite_the_file_it_checks(
        release: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(release.metadata)
    name = "video_events_labels.json"
    _refused(["schema", name, "--format", "json", "-o", name], release.metadata)


def test_manifest_refuses_to_write_into_the_media(release: Media, tmp_path: Path) -> None:
    for kind, root in (("--frames", release.frames), ("--videos", release.videos)):
        _refused(["manifest", kind, str(root), "-o", str(root / "frame_manifest.csv")], root)
    target = release.metadata / "frame_manifest.csv"  # the place it is made for
    code, _, stderr = run_in_process(["manifest", "--frames", str(release.frames), "-o",
                                      str(target)])
    assert code == 0 and target.is_file(), stderr
    inside = release.frames / "frame_manifest.csv"
    code, _, stderr = run_in_process(["manifest", "--frames", str(release.frames), "-o",
                                      str(inside), "--allow-write-in-dataset"])
    assert code == 0 and inside.is_file(), stderr


def test_audit_and_baseline_refuse_outputs_in_their_inputs(release: Media,
                                                          tmp_path: Path) -> None:
    meta = release.metadata
    previous = tmp_path / "previous"
    metadata.write(release.release, previous)
    for out_dir in (meta / "audit", previous / "audit", release.frames / "audit"):
        _refused(["audit", str(meta), "--previous", str(previous), "--frames",
                  str(release.frames), "--no-gx", "--output-dir", str(out_dir)],
                 meta, previous, release.frames)
    _refused(["baseline", str(meta), "-o", str(meta / "baseline.json")], meta)
    _refused(["baseline", str(meta), "--frames", str(release.frames), "-o",
              str(release.frames / "baseline.json")], release.frames)
    code, _, stderr = run_in_process(["baseline", str(meta), "-o", str(meta / "b.json"),
                                      "--allow-write-in-dataset"])
    assert code == 0, stderr


def test_inputs_are_never_modified_by_any_command(release: Media, tmp_path: Path) -> None:
    """Every command, on a dataset with findings, leaves every input byte as it was."""
    meta = release.metadata
    events = meta / "video_events_labels.json"
    events.write_text(events.read_text().replace('"contact"', '"hold"', 1))
    previous = tmp_path / "previous"
    metadata.write(release.release, previous)
    before = snapshot(release.root), snapshot(previous)
    out = tmp_path / "out"
    for args in (
        ["check", str(meta), "--frames", str(release.frames), "--format", "html", "-o",
         str(out / "r.html")],
        ["check", str(meta), "--videos", str(release.videos), "--format", "json", "-o",
         str(out / "r.json")],
        ["schema", str(events), "--format", "sarif", "-o", str(out / "s.sarif")],
        ["baseline", str(meta), "-o", str(out / "b.json")],
        ["manifest", "--videos", str(release.videos), "-o", str(out / "m.csv")],
        ["audit", str(meta), "--previous", str(previous), "--no-gx", "--output-dir",
         str(out / "audit")],
    ):
        code, _, stderr = run_in_process(args)
        assert code in (0, 1), (args, stderr)
        assert "vidaudit: error" not in stderr and "internal error" not in stderr, stderr
    assert (snapshot(release.root), snapshot(previous)) == before
    assert os.listdir(out)
