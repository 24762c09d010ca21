"""Video ids that are paths (`../../etc`, an absolute path, `1/../2`) never become paths.

The metadata names such ids everywhere an id can be (event keys, splits, templates, a
manifest), and next to the frames and videos roots there are real folders and videos
those ids would reach if any code joined them to a root. vidaudit must report each with
VA202 (VA407 in a manifest), find no media for them, and never touch those targets:
checked in-process with an audit hook on every path Python opens or lists, and, where
strace works, on every file system call of a real run, OpenCV's included.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from robustness.invariants import assert_located, run_in_process
from support import ON_CI, Media, annex_in_place, require_tool

BAIT = "bait-outside"
"""The name of every folder and file the hostile ids would reach."""


def hostile_ids(root: Path) -> list[str]:
    return [f"../{BAIT}", f"../../{BAIT}", str(root / BAIT), "1/../2", "../../etc", "/etc",
            f"{BAIT}/../../{BAIT}"]


def plant(media: Media) -> list[str]:
    """Hostile ids in every place of the metadata, and bait where they would lead."""
    ids = hostile_ids(media.root)
    donor = media.ids[0]
    for where in (media.root / BAIT, media.root.parent / BAIT):  # frames/../ and ../../
        shutil.copytree(media.frames / donor, where, dirs_exist_ok=True)
        for video in media.videos.iterdir():
            shutil.copy(video, where.with_name(BAIT + video.suffix))
    shutil.copytree(media.frames / donor, media.frames / "2")  # what 1/../2 would reach

    events_path = media.metadata / "video_events_labels.json"
    events = json.loads(events_path.read_text())
    for hostile in ids:
        events[hostile] = events[donor]
    events_path.write_text(json.dumps(events))
    for name in ("train_videos_ids_labeled.json", "test_videos_ids_labeled.json"):
        path = media.metadata / name
        path.write_text(json.dumps(json.loads(path.read_text()) + ids, indent=1))
    templates_path = media.metadata / "template_to_video_ids_map.json"
    templates = json.loads(templates_path.read_text())
    first = next(iter(templates))
    templates[first] += ids
    templates_path.write_text(json.dumps(templates, indent=1))
    manifest = media.root / "manifest.csv"
    manifest.write_text("video_id,frame_count,width,height\n"
                        + "".join(f'"{i}",10,320,240\n' for i in ids))
    return ids


def commands(media: Media, out: Path) -> dict[str, list[str]]:
    meta, frames, videos = str(media.metadata), str(media.frames), str(media.videos)
    return {
        "check --frames": ["check", meta, "--frames", frames, "--no-manifest", "--deep"],
        "check --videos": ["check", meta, "--videos", videos, "--no-manifest", "--exact"],
        "check --manifest": ["check", meta, "--manifest", str(media.root / "manifest.csv")],
        "manifest --frames": ["manifest", "--frames", frames, "-o", str(out / "f.csv")],
        "manifest --videos": ["manifest", "--videos", videos, "-o", str(out / "v.csv")],
        "audit --frames": ["audit", meta, "--previous", meta, "--frames", frames,
                           "--no-manifest", "--no-gx", "--output-dir", str(out / "audit")],
    }


def _report(args: list[str], out: Path) -> list[str]:
    if args[0] == "check":
        return [*args, "--format", "json", "--output", str(out / "report.json")]
    return args


class Recorder:
    """Every path Python opens, lists or scans inside ``recording()``."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.active = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.active and event in ("open", "os.listdir", "os.scandir", "os.chdir") and args:
            path = args[0]
            if isinstance(path, str | bytes | os.PathLike):
                self.paths.append(os.fsdecode(path))

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        self.active = True
        try:
            yield
        finally:
            self.active = False


@pytest.fixture
def opened() -> Recorder:
    recorder = Recorder()
    sys.addaudithook(recorder.hook)  # cannot be removed: inactive outside recording()
    return recorder


def test_hostile_ids_are_va202_and_never_opened(media: Media, tmp_path: Path,
                                                opened: Recorder) -> None:
    ids = plant(media)
    out = tmp_path / "out"
    out.mkdir()
    for name, args in commands(media, out).items():
        with opened.recording():
            code, _, stderr = run_in_process(_report(args, out))
        assert "internal error" not in stderr and "Traceback" not in stderr, (name, stderr)
        assert code == (0 if name.startswith("manifest") else 1), (name, stderr)
        if name.startswith("check"):
            report = json.loads((out / "report.json").read_text())
            _assert_refused(report, ids, manifest=name == "check --manifest")
    assert any(str(media.frames) in p for p in opened.paths)  # the hook does see the probes
    touched = [p for p in opened.paths if BAIT in p or p.startswith("/etc") or "/../" in p
               or any(i in p for i in ids[:3])]
    assert touched == []
    for built in ("f.csv", "v.csv"):
        assert BAIT not in (out / built).read_text()


def _assert_refused(report: dict[str, Any], ids: list[str], manifest: bool) -> None:
    invalid = {(f["file"].rsplit("/", 1)[1], f["pointer"]) for f in report["findings"]
               if f["code"] == "VA202"}
    events = {p for n, p in invalid if n == "video_events_labels.json"}
    assert events == {"/" + i.replace("~", "~0").replace("/", "~1") for i in ids}
    for name in ("train_videos_ids_labeled.json", "test_videos_ids_labeled.json",
                 "template_to_video_ids_map.json"):
        assert sum(n == name for n, _ in invalid) == len(ids), name
    for finding in report["findings"]:
        assert_located(finding)
        if finding["code"] in ("VA405", "VA406", "VA402", "VA403", "VA404"):
            assert finding["video_id"] not in ids, finding
    if manifest:  # every row names a hostile id: each refused with a line
        rows = [f for f in report["findings"] if f["code"] == "VA407"]
        assert sorted(f["line"] for f in rows) == list(range(2, len(ids) + 2))


READLINK_RESULT = re.compile(r'(readlink(?:at)?\((?:\d+<[^>]*>, )?"[^"]*"), "[^"]*"(?:\.\.\.)?')
GIT_INTERNALS = re.compile(r'/\.git/(?!annex(?:/objects)?(?:/|"))')


def _require_strace() -> None:
    """strace, allowed to trace (ptrace): else skip, or fail on CI (.ci/run installs it)."""
    require_tool("strace", "apt-get install strace")
    probe = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", os.devnull, "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        reason = f"strace cannot trace here (ptrace): {probe.stderr.strip()[:200]}"
        if ON_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.parametrize("linked", [False, True], ids=["copied", "annexed"])
def test_no_system_call_reaches_outside_the_roots(media: Media, tmp_path: Path,
                                                  linked: bool) -> None:
    """Every file system call of real runs (OpenCV's and the probe workers' included),
    on plain files and on the same release annexed with git-annex (every file a link
    into .git/annex/objects, followed because it stays inside the repository)."""
    _require_strace()
    plant(media)
    if linked:
        annex_in_place(media.root, "metadata", "frames", "videos")
    out = tmp_path / "out"
    out.mkdir()
    runs = [_report(args, out) for args in commands(media, out).values()]
    script = textwrap.dedent(f"""
        import sys
        from vidaudit.cli import main
        codes = [main(args) for args in {runs!r}]
        sys.exit(0 if all(code in (0, 1) for code in codes) else 2)
    """)
    log = tmp_path / "strace.log"
    completed = subprocess.run(
        ["strace", "-f", "-y", "-qq", "-e", "trace=%file", "-e", "signal=none",
         "-o", str(log), sys.executable, "-c", script],
        capture_output=True, text=True, timeout=600, env={**os.environ, "NO_COLOR": "1"})
    assert completed.returncode == 0, completed.stderr[-2000:]
    # What a link holds is data, not a path the run used: drop readlink's result
    # (a git-annex link holds "../.git/annex/objects/...").
    calls = [READLINK_RESULT.sub(r"\1", line)
             for line in log.read_text(errors="replace").splitlines()]
    assert any(str(media.frames) in line for line in calls)  # the log does show the probes
    annex_reads = [line for line in calls if "/.git/annex/objects/" in line]
    assert bool(annex_reads) == linked  # the annexed run did read through the links
    # Anywhere: the bait, or the folder /etc itself. Under the test's folder: any path
    # with a parent step or a hostile id in it (libraries load from cv2/../../lib64).
    anywhere = re.compile(rf'{BAIT}|"/etc/?"')
    ours = re.compile(r'\.\./|/etc"|"1/|/1/\.\.')
    escaped = [line for line in calls if anywhere.search(line)
               or (str(tmp_path) in line and ours.search(line))]
    assert escaped == [], escaped[:20]
    # Inside the repository's .git folder, nothing but the annex's object store.
    git_internals = [line for line in calls if GIT_INTERNALS.search(line)]
    assert git_internals == [], git_internals[:20]
