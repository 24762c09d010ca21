"""Datasets on disk for the reporter tests: a synthetic release with known problems.

Each flawed dataset starts from the seeded synthetic release and is broken in
ways whose findings we can predict from the edit alone (not from output).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from vidaudit.cli import main
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata as synth

HOSTILE_TEMPLATE = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "<script>alert('id')</script>"
HOSTILE_ACTION = "</script><b onmouseover=alert(2)>x</b>"
CONTROL_TEMPLATE = "tab\there, bell\x07, nul\x00, percent 100%, colon: comma,"
CONTROL_ID = "7\r\n::error title=injected::injected\x07 %0A,"
"""Shown raw in messages ("video 7... is in no split"): CR/LF, a workflow command,
a control character and an escape sequence."""


@dataclass
class Flawed:
    """A broken release and what was done to it."""

    folder: Path
    release: synth.Release
    not_in_split: str
    """A video removed from every split (VA303)."""
    float_values: int
    """How many events had their frameNumber rewritten as a float (VA206)."""
    contradicting: str
    """A video given a contradictory pair of events (VA502)."""


def flawed_release(folder: Path, *, hostile: bool = False, seed: int = 11,
                   n_videos: int = 60) -> Flawed:
    release = synth.generate(seed=seed, n_videos=n_videos, n_templates=6)
    ids = list(release.events)
    lost = ids[3]
    for split in release.splits.values():
        if lost in split:
            split.remove(lost)
    events: dict[str, Any] = release.events
    floats = 0
    for video_id in ids[:5]:
        for event in events[video_id]:
            event["frameNumber"] = float(event["frameNumber"])
            floats += 1
    contradicting = ids[7]
    first = events[contradicting][0]
    opposite = "release" if first["action"] == "contact" else "contact"
    events[contradicting].append({**first, "action": opposite})
    files = release.file_contents()
    if hostile:
        victim = next(iter(release.templates))
        files["templates"] = {(HOSTILE_TEMPLATE if t == victim else t): v
                              for t, v in release.templates.items()}
        files["templates"][CONTROL_TEMPLATE] = []
        files["events"] = {**events, HOSTILE_ID: [{**first, "action": HOSTILE_ACTION}],
                           CONTROL_ID: [first]}
    folder.mkdir(parents=True, exist_ok=True)
    for role, content in files.items():
        (folder / DEFAULT_FILES[role]).write_text(synth.dumps(role, content),
                                                       encoding="utf-8")
    return Flawed(folder, release, lost, floats, contradicting)


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `vidaudit check ARGS` in-process; return the exit code and standard output."""
    capsys.readouterr()
    code = main(["check", *args])
    return code, capsys.readouterr().out


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_frames(folder: Path, flawed: Flawed, color: tuple[int, int, int]) -> None:
    """Every frame of every video, one flat colour (BGR), as JPEG files."""
    for video_id, info in flawed.release.videos.items():
        frames = folder / video_id
        frames.mkdir(parents=True)
        image = np.zeros((info.height, info.width, 3), np.uint8)
        image[:] = color
        ok, jpeg = cv2.imencode(".jpg", image)
        assert ok
        for index in range(info.frame_count):
            (frames / f"frame_{index:05d}.jpg").write_bytes(jpeg.tobytes())


@dataclass
class OffFrame:
    """Events moved off their video: a point past the right border, a frame past the end."""

    manifest: Path
    outside: tuple[str, float, float]
    """video id, pointX, pointY of the VA403 event (event 0 of that video)."""
    late: str
    """The video whose event 0 is two frames past its last one (VA402)."""


def move_off_frame(flawed: Flawed, manifest: Path) -> OffFrame:
    """Break two events of a flawed release and write its frame manifest (counts, sizes)."""
    from vidaudit.synth.samples import manifest_text

    path = flawed.folder / DEFAULT_FILES["events"]
    events = json.loads(path.read_text(encoding="utf-8"))
    ids = [v for v in flawed.release.videos if v not in (flawed.contradicting,
                                                         flawed.not_in_split)]
    wide, late = ids[-1], ids[-2]
    info = flawed.release.videos[wide]
    events[wide][0]["pointX"] = info.width + 60
    events[late][0]["frameNumber"] = flawed.release.videos[late].frame_count + 2
    path.write_text(synth.dumps("events", events), encoding="utf-8")
    manifest.write_text(manifest_text(flawed.release), encoding="utf-8")
    return OffFrame(manifest, (wide, info.width + 60, events[wide][0]["pointY"]), late)
