"""The real metadata against the real SSv2 rawframes lists (skipped when ../shared/data is
absent). Expectations are computed here from the files themselves, independently of
vidaudit: which annotated videos no list names (VA401), which events are at or past
their list's frame count (VA402)."""

from __future__ import annotations

import json

import pytest

from support import REAL_METADATA, SHARED_DATA, json_report

LISTS = SHARED_DATA / "ssv2" / "rawframe-lists"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (REAL_METADATA.is_dir() and LISTS.is_dir()), reason="../shared/data is absent")]


def counts() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(LISTS.glob("*.txt")):
        for line in path.read_text().splitlines():
            video_id, frames, *_ = line.split()
            found.setdefault(video_id, int(frames))
    return found


def test_real_metadata_against_all_rawframes_lists() -> None:
    code, report = json_report(REAL_METADATA, "--manifest", LISTS, "--select", "VA4")
    assert code == 1
    events = json.loads((REAL_METADATA / "video_events_labels.json").read_text())
    known = counts()
    missing = sorted(v for v, found in events.items() if found and v not in known)
    late = sorted(f"/{v}/{i}" for v, found in events.items() if v in known
                  for i, e in enumerate(found) if e["frameNumber"] >= known[v])
    assert sorted(f["video_id"] for f in report["findings"] if f["code"] == "VA401") == missing
    assert sorted(f["pointer"] for f in report["findings"] if f["code"] == "VA402") == late
    assert {f["code"] for f in report["findings"]} == {"VA401", "VA402"}
    assert any("could not be bounds-checked" in note for note in report["notes"])
    assert [i["path"] for i in report["inputs"][-3:]] == [
        str(LISTS / name) for name in ("test.txt", "train.txt", "validation.txt")]
