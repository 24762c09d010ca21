"""vidaudit on the published SSv2 contact/release metadata (../shared/data; skipped without).

Expected findings are computed here from the files with plain ``json``, independently
of vidaudit's code, and every finding's location is checked against the file text.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from support import REAL_METADATA, assert_located, json_report

pytestmark = pytest.mark.skipif(not REAL_METADATA.is_dir(), reason="../shared/data is absent")
NUMBERS = ("frameNumber", "pointX", "pointY")


@pytest.fixture(scope="module")
def report() -> dict:  # type: ignore[type-arg]
    code, report = json_report(REAL_METADATA, "--no-manifest")
    assert code == 1
    return report


@pytest.fixture(scope="module")
def files() -> dict:  # type: ignore[type-arg]
    def load(name: str) -> object:
        return json.loads((REAL_METADATA / name).read_text())
    return {
        "events": load("video_events_labels.json"),
        "templates": load("template_to_video_ids_map.json"),
        "splits": {s: load(f"{s}_videos_ids_labeled.json")
                   for s in ("train", "validation", "test")},
    }


def by_code(report: dict, code: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in report["findings"] if f["code"] == code]


def test_videos_in_no_split(report: dict, files: dict) -> None:  # type: ignore[type-arg]
    in_splits = {v for ids in files["splits"].values() for v in ids}
    expected = {v for v, events in files["events"].items() if events and v not in in_splits}
    assert {f["video_id"] for f in by_code(report, "VA303")} == expected
    assert len(expected) == 39


def test_float_encoded_integers_one_finding_per_event(report: dict, files: dict) -> None:  # type: ignore[type-arg]
    expected = {f"/{v}/{i}/{next(k for k in NUMBERS if isinstance(e[k], float))}"
                for v, events in files["events"].items() for i, e in enumerate(events)
                if any(isinstance(e[k], float) and e[k].is_integer() for k in NUMBERS)}
    assert {f["pointer"] for f in by_code(report, "VA206")} == expected


def test_contradictory_events(report: dict, files: dict) -> None:  # type: ignore[type-arg]
    expected = set()
    for video, events in files["events"].items():
        first: dict[tuple[str, float], str] = {}
        for i, e in enumerate(events):
            seen = first.setdefault((e["agent"], e["frameNumber"]), e["action"])
            if seen != e["action"]:
                expected.add(f"/{video}/{i}")
    assert {f["pointer"] for f in by_code(report, "VA502")} == expected and expected


def test_nothing_else_is_reported(report: dict) -> None:  # type: ignore[type-arg]
    """The other rules hold on this release (checked by the tests above' independent
    counts for what does fail, and by the counts here for the rest)."""
    assert set(Counter(f["code"] for f in report["findings"])) == {"VA206", "VA303", "VA502"}
    assert report["summary"]["videos"] == 10_130 and report["summary"]["events"] == 24_222


def test_every_finding_points_at_its_value(report: dict) -> None:  # type: ignore[type-arg]
    for finding in report["findings"]:
        assert Path(finding["file"]).parent == REAL_METADATA
        assert_located(finding)
