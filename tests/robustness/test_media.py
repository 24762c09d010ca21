"""Broken media: truncated and empty JPEGs and videos, a PNG named .jpg, frames of several
sizes, a video OpenCV cannot open, a FIFO, a huge sparse frame, a JPEG header declaring
30000x30000, a video that takes longer than the per-file timeout.

Each is a VA405/VA406 finding for that video (through `check --frames/--videos` and
through `manifest` then `check --manifest`), never a hang or a crash; the media are
never modified.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from robustness.invariants import (
    assert_clean_exit,
    assert_outputs_sound,
    check_all_formats,
    run_in_process,
    snapshot,
)
from support import Media
from vidaudit.synth import media as synth_media
from vidaudit.synth.metadata import VideoInfo


def _run(media: Media, out: Path, *source: str) -> dict[str, Any]:
    """`check` with every format, then `manifest` and `check --manifest` from it: the
    findings of the first, after checking that the other two agree on the videos."""
    before = {folder: snapshot(folder) for folder in (media.frames, media.videos,
                                                      media.metadata)}
    outcome = check_all_formats(media.metadata, out, *source, "--no-manifest")
    assert_clean_exit(outcome)
    report = assert_outputs_sound(outcome)
    kind, root = source[0], source[1]
    manifest = out / "manifest.csv"
    code, _, stderr = run_in_process(["manifest", kind, root, "-o", str(manifest),
                                      *source[2:]])
    assert code == 0 and "internal error" not in stderr, stderr
    via = check_all_formats(media.metadata, out / "via", "--manifest", str(manifest))
    assert_clean_exit(via)
    from_manifest = assert_outputs_sound(via)
    assert _bad_videos(from_manifest) == _bad_videos(report)
    for folder, content in before.items():
        assert snapshot(folder) == content, f"{folder} changed"
    return report


def _bad_videos(report: dict[str, Any], codes: tuple[str, ...] = ("VA405", "VA406")
                ) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        if finding["code"] in codes:
            found.setdefault(finding["video_id"], set()).add(finding["code"])
    return found


def _messages(report: dict[str, Any], code: str = "VA405") -> dict[str, str]:
    return {f["video_id"]: f["message"] for f in report["findings"] if f["code"] == code}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    (folder / "via").mkdir(parents=True)
    return folder


def _frame(media: Media, video: str, index: int) -> Path:
    return media.frames / video / f"frame_{index:05d}.jpg"


def _last(media: Media, video: str) -> int:
    return len(list((media.frames / video).iterdir())) - 1


def test_truncated_and_empty_jpegs(media: Media, out: Path) -> None:
    a, b, c, _ = media.ids
    cut = _frame(media, a, 0)
    cut.write_bytes(cut.read_bytes()[:300])
    _frame(media, b, _last(media, b)).write_bytes(b"")
    middle = _frame(media, c, 3)
    middle.write_bytes(middle.read_bytes()[:-200])
    report = _run(media, out, "--frames", str(media.frames))
    messages = _messages(report)
    assert set(messages) == {a, b}  # headers mode reads the first and last frame only
    assert "frame_00000.jpg: truncated JPEG" in messages[a]
    assert "empty file" in messages[b]
    deep = _run(media, out, "--frames", str(media.frames), "--deep")
    assert set(_messages(deep)) == {a, b, c}
    assert "frame_00003.jpg: truncated JPEG (no end marker)" in _messages(deep)[c]


def test_png_named_jpg(media: Media, out: Path) -> None:
    import cv2

    video = media.ids[1]
    info = media.release.videos[video]
    for index in (0, 4):
        ok, png = cv2.imencode(".png", np.zeros((info.height, info.width, 3), np.uint8))
        assert ok
        _frame(media, video, index).write_bytes(png.tobytes())
    report = _run(media, out, "--frames", str(media.frames))
    assert "frame_00000.jpg: not a JPEG file" in _messages(report)[video]
    deep = _run(media, out, "--frames", str(media.frames), "--deep")
    assert "frame_00004.jpg: not a JPEG file" in _messages(deep)[video]


def test_frames_of_different_sizes_in_one_folder(media: Media, out: Path) -> None:
    import cv2

    a, b = media.ids[:2]
    info = media.release.videos[a]
    smaller = VideoInfo(a, info.frame_count, info.width // 2, info.height // 2, info.template,
                        info.split)
    cv2.imwrite(str(_frame(media, a, _last(media, a))), synth_media.picture(smaller, 0))
    cv2.imwrite(str(_frame(media, b, 2)), synth_media.picture(smaller, 0))  # in the middle
    report = _run(media, out, "--frames", str(media.frames))
    sized = _messages(report, "VA406")
    assert set(sized) == {a}
    assert f"{info.width // 2}x{info.height // 2}" in sized[a]
    deep = _run(media, out, "--frames", str(media.frames), "--deep")
    assert set(_messages(deep, "VA406")) == {a, b}


def test_a_fifo_named_like_a_frame_is_not_waited_for(media: Media, tmp_path: Path) -> None:
    video = media.ids[2]
    _frame(media, video, 0).unlink()
    os.mkfifo(_frame(media, video, 0))  # opening it for reading would wait forever
    for deep in ([], ["--deep"]):
        completed = subprocess.run(
            [sys.executable, "-m", "vidaudit", "check", str(media.metadata), "--frames",
             str(media.frames), "--no-manifest", "--format", "json", *deep],
            capture_output=True, text=True, timeout=120)
        assert completed.returncode == 1 and "Traceback" not in completed.stderr
        report = json.loads(completed.stdout)
        assert "frame_00000.jpg: not a regular file" in _messages(report)[video]


def test_a_huge_sparse_frame_and_a_huge_declared_size(media: Media, out: Path) -> None:
    """--deep reads whole frames and decodes what headers declare: neither may be absurd."""
    a, b = media.ids[:2]
    with open(_frame(media, a, 2), "r+b") as sparse:  # 3 GB on paper, nothing on disk
        sparse.truncate(3 << 30)
    header = bytearray(_frame(media, b, 2).read_bytes())
    sof = header.find(b"\xff\xc0")
    assert sof > 0
    header[sof + 5: sof + 9] = (30000).to_bytes(2, "big") * 2  # height, width
    _frame(media, b, 2).write_bytes(bytes(header[:2000]))
    started = time.monotonic()
    deep = _run(media, out, "--frames", str(media.frames), "--deep")
    assert time.monotonic() - started < 60  # decoding 30000x30000 alone took 11 s
    messages = _messages(deep)
    assert "frame_00002.jpg: 3,221,225,472 bytes, more than any frame" in messages[a]
    assert "frame_00002.jpg: header says 30000x30000, larger than any frame" in messages[b]


def test_broken_videos(media: Media, out: Path) -> None:
    paths = {p.stem: p for p in media.videos.iterdir()}
    empty, cut, noise, text = (paths[v] for v in media.ids)
    empty.write_bytes(b"")
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 3])
    noise.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, np.uint8).tobytes())
    text.write_text("#EXTM3U\n#EXTINF:10,\nhttp://192.0.2.1/segment.ts\n#EXT-X-ENDLIST\n")
    for mode in ([], ["--exact"], ["--deep"]):
        report = _run(media, out, "--videos", str(media.videos), *mode)
        messages = _messages(report)
        assert "is an empty file" in messages[empty.stem]
        assert "cannot be opened" in messages[noise.stem]
        assert "cannot be opened" in messages[text.stem]  # a playlist is not followed
        announced = media.release.videos[cut.stem].frame_count
        if mode:  # decoding every frame finds the cut
            assert f"the container announces {announced} frames but only" in \
                messages[cut.stem] and "truncated or corrupt" in messages[cut.stem]
            assert set(messages) == {empty.stem, cut.stem, noise.stem, text.stem}
        else:  # the default reads the container's count and decodes the first frame only:
            # a cut after it goes unseen (docs/frames.md: --exact counts by decoding)
            assert set(messages) == {empty.stem, noise.stem, text.stem}


def mjpeg_avi(jpeg: bytes, width: int, height: int, count: int, fps: int = 12) -> bytes:
    """An AVI of ``count`` copies of one JPEG frame: long to decode, instant to write.

    (Encoding each frame with OpenCV's writer costs more than decoding it, so a video
    that takes seconds to probe would take longer to make that way.)
    """
    import struct

    def chunk(fourcc: bytes, data: bytes) -> bytes:
        return fourcc + struct.pack("<I", len(data)) + data + b"\0" * (len(data) % 2)

    def listed(kind: bytes, data: bytes) -> bytes:
        return chunk(b"LIST", kind + data)

    avih = struct.pack("<14I", 1_000_000 // fps, 0, 0, 0x10, count, 0, 1, len(jpeg), width,
                       height, 0, 0, 0, 0)
    strh = struct.pack("<4s4sIHHIIIIIIIIhhhh", b"vids", b"MJPG", 0, 0, 0, 0, 1, fps, 0, count,
                       len(jpeg), 0xFFFFFFFF, 0, 0, 0, width, height)
    strf = struct.pack("<IiiHH4sIiiII", 40, width, height, 1, 24, b"MJPG", width * height * 3,
                       0, 0, 0, 0)
    header = listed(b"hdrl", chunk(b"avih", avih)
                    + listed(b"strl", chunk(b"strh", strh) + chunk(b"strf", strf)))
    frame = chunk(b"00dc", jpeg)
    movi = listed(b"movi", frame * count)
    index = b"".join(struct.pack("<4sIII", b"00dc", 0x10, 4 + i * len(frame), len(jpeg))
                     for i in range(count))
    body = b"AVI " + header + movi + chunk(b"idx1", index)
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.fixture(scope="module")
def long_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real MJPEG video of 1280x720 frames that takes seconds to decode in full."""
    import cv2

    info = VideoInfo("1", 1, 1280, 720, "", "train")
    ok, jpeg = cv2.imencode(".jpg", synth_media.picture(info, 0))
    assert ok
    path = tmp_path_factory.mktemp("long") / "long.avi"
    path.write_bytes(mjpeg_avi(jpeg.tobytes(), info.width, info.height, 6000))
    return path


def _decode_seconds(path: Path, frames: int = 200) -> float:
    """How long decoding the whole video takes, from the first ``frames`` frames."""
    import cv2

    capture = cv2.VideoCapture(str(path))
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    started = time.monotonic()
    for _ in range(frames):
        ok, image = capture.read()
        assert ok and image.shape == (720, 1280, 3)
    capture.release()
    return (time.monotonic() - started) / frames * total


def test_a_video_over_the_per_file_timeout_is_stopped(media: Media, out: Path,
                                                      long_video: Path) -> None:
    decoding = _decode_seconds(long_video)
    timeout = 1.0
    assert decoding > 4 * timeout, decoding  # the test videos decode in milliseconds
    slow = media.ids[0]
    [target] = [p for p in media.videos.iterdir() if p.stem == slow]
    target.unlink()
    os.link(long_video, media.videos / f"{slow}.avi")
    started = time.monotonic()
    report = _run(media, out, "--videos", str(media.videos), "--deep", "--probe-timeout",
                  str(timeout))
    assert time.monotonic() - started < decoding  # check and manifest, both stopped early
    messages = _messages(report)
    assert list(messages) == [slow]
    assert "did not finish within 1 s" in messages[slow]
    assert _messages(report, "VA401") == {}
