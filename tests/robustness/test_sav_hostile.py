"""The robustness properties on SA-V inputs: hostile masklet JSON (any value anywhere,
cut or corrupted bytes, truncated RLE strings), mask PNGs that are not PNGs or declare
30000x30000 pixels, a video that is not one. Each run must exit 0 or 1 without a
traceback, leave the folder as it was, write sound reports whose findings point at
what they name (see invariants.py)."""

from __future__ import annotations

import json
import struct
import tempfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from robustness.conftest import FUZZ_EXAMPLES
from robustness.hostile import dumps, paths, put, to_tree, values
from robustness.invariants import (
    assert_clean_exit,
    assert_outputs_sound,
    check_all_formats,
    report_validator,
    snapshot,
)
from vidaudit.profiles.sav.rle import measure, measure_fast
from vidaudit.synth import sav

VIDEO = sav.train_video(3, "sav_000003", frame_count=9, manual_objects=2, auto_objects=2)
VAL = sav.val_video(4, "sav_000004", frame_count=9, objects=1)


def _clean_files() -> dict[str, bytes]:
    assert VIDEO.manual is not None and VIDEO.auto is not None
    files = {"sav_000003_manual.json": sav.dumps(VIDEO.manual),
             "sav_000003_auto.json": sav.dumps(VIDEO.auto), "sav_val.txt": b"sav_000004\n"}
    files.update(VAL.files)
    return files


def _run(files: dict[str, bytes]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder = root / "sav"
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        out = root / "out"
        out.mkdir()
        before = snapshot(folder)
        outcome = check_all_formats(folder, out, "--profile", "sav")
        assert_clean_exit(outcome)
        report = assert_outputs_sound(outcome)
        assert snapshot(folder) == before
        return report


@settings(max_examples=FUZZ_EXAMPLES or 25, deadline=None, derandomize=not FUZZ_EXAMPLES)
@given(data=st.data())
def test_any_value_anywhere_in_a_masklet_file(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["manual", "auto"]))
    source = VIDEO.manual if kind == "manual" else VIDEO.auto
    tree = to_tree(source)
    where = data.draw(st.sampled_from(paths(tree)))
    tree = put(tree, where, data.draw(values()))
    files = _clean_files()
    files[f"sav_000003_{kind}.json"] = dumps(tree).encode("utf-8", "surrogatepass")
    _run(files)


@settings(max_examples=FUZZ_EXAMPLES or 20, deadline=None, derandomize=not FUZZ_EXAMPLES)
@given(data=st.data())
def test_cut_and_corrupted_bytes(data: st.DataObject) -> None:
    files = _clean_files()
    name = data.draw(st.sampled_from(["sav_000003_manual.json", "sav_000003_auto.json"]))
    raw = bytearray(files[name])
    at = data.draw(st.integers(0, len(raw)))
    if data.draw(st.booleans()):
        raw = raw[:at]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=6))
    files[name] = bytes(raw)
    _run(files)


@settings(max_examples=FUZZ_EXAMPLES or 25, deadline=None, derandomize=not FUZZ_EXAMPLES)
@given(data=st.data())
def test_truncated_rle_strings(data: st.DataObject) -> None:
    """Any prefix of a real RLE string, measured both ways, gives the same answer; in a
    file it is VA804 at that string unless the prefix still covers the mask."""
    assert VIDEO.manual is not None
    frame = data.draw(st.integers(0, len(VIDEO.manual["masklet"]) - 1))
    item = VIDEO.manual["masklet"][frame][0]
    counts = item["counts"]
    cut = data.draw(st.integers(0, len(counts) - 1))
    prefix = counts[:cut]
    pixels = item["size"][0] * item["size"][1]
    exact, fast = measure([prefix], [pixels]), measure_fast([prefix], [pixels])
    assert (exact.valid.tolist(), exact.area.tolist(), exact.problem) == \
        (fast.valid.tolist(), fast.area.tolist(), fast.problem)
    files = _clean_files()
    edited = {**VIDEO.manual, "masklet": [list(f) for f in VIDEO.manual["masklet"]]}
    edited["masklet"][frame][0] = {"size": item["size"], "counts": prefix}
    files["sav_000003_manual.json"] = sav.dumps(edited)
    report = _run(files)
    pointers = {f["pointer"] for f in report["findings"] if f["code"] == "VA804"}
    assert pointers == ({f"/masklet/{frame}/0/counts"} if not exact.valid[0] else set())


def _png_header(width: int, height: int) -> bytes:
    body = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + body
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(body)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))


MASK = "Annotations_6fps/sav_000004/000/00004.png"


def test_masks_that_are_not_masks_are_unreadable_media() -> None:
    for content, why in ((b"not a PNG at all", "is not a PNG file"),
                         (_png_header(30000, 30000), "declares 30000x30000 pixels"),
                         (_png_header(16, 24), "cannot be decoded"),
                         (sav.jpeg(24, 16, 9), "is not a PNG file")):
        files = _clean_files()
        files[MASK] = content
        report = _run(files)
        found = [(f["code"], f["file"].rsplit("sav/", 1)[1]) for f in report["findings"]]
        assert found == [("VA405", MASK)], (why, report["findings"])
        assert why in report["findings"][0]["message"]


def test_a_video_that_is_not_one() -> None:
    files = _clean_files()
    files["sav_000003.mp4"] = bytes(np.random.default_rng(0).integers(0, 256, 4096,
                                                                     dtype=np.uint8))
    report = _run(files)
    assert [(f["code"], f["file"].rsplit("/", 1)[1]) for f in report["findings"]] == \
        [("VA405", "sav_000003.mp4")]


def test_a_fifo_and_a_link_out_of_the_folder(tmp_path: Path) -> None:
    """A FIFO named like a mask and a train file that links out of the folder are read
    by nobody: VA405 and VA106, without waiting for a writer."""
    import os

    folder = tmp_path / "sav"
    for name, content in _clean_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / MASK).unlink()
    os.mkfifo(folder / MASK)
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes((folder / "sav_000003_auto.json").read_bytes())
    (folder / "sav_000003_auto.json").unlink()
    (folder / "sav_000003_auto.json").symlink_to(outside)
    out = tmp_path / "out"
    out.mkdir()
    outcome = check_all_formats(folder, out, "--profile", "sav")
    assert_clean_exit(outcome)
    # (assert_outputs_sound would read the FIFO itself, to check positions.)
    report = json.loads(outcome.outputs["json"])
    report_validator().validate(report)
    found = sorted((f["code"], Path(f["file"]).name) for f in report["findings"])
    assert found == [("VA106", "sav_000003_auto.json"), ("VA405", "00004.png")]
