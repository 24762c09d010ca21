"""The ``ssv2-contact-release`` joins and repeat rules on odd values, against findings
worked out by hand: ids that are not strings (numbers, lists) repeated within and
across lists, string ids in several splits and templates, and events whose values are
equal in Python though written differently (``10``/``10.0``, ``true``/``1``), NaN
(never equal to itself), null, and lists where numbers belong."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from support import REPO, json_report
from vidaudit.profiles.ssv2_contact_release.repeats import COLUMNS, _scan, repeats

BASE = REPO / "tests" / "fixtures" / "rules" / "base"
T1, T2 = "Putting something on a surface", "Pushing something from left to right"
JOINS = {"VA301", "VA302", "VA303", "VA304", "VA305", "VA306", "VA307", "VA308"}
REPEATS = {"VA501", "VA502"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "metadata"
    shutil.copytree(BASE, target)
    return target


def write(folder: Path, name: str, data: Any) -> None:
    (folder / name).write_text(json.dumps(data, indent=1))


def found(folder: Path, codes: set[str]) -> set[tuple[str, str, str, str]]:
    _, report = json_report(folder, "--no-manifest")
    return {(f["code"], Path(f["file"]).name, f["pointer"], f["message"])
            for f in report["findings"] if f["code"] in codes}


def event(action: Any, agent: Any, frame: Any, x: Any = 1, y: Any = 2) -> dict[str, Any]:
    return {"action": action, "agent": agent, "frameNumber": frame, "pointX": x, "pointY": y}


def test_ids_that_are_not_strings_repeat_by_their_json_text(folder: Path) -> None:
    write(folder, "train_videos_ids_labeled.json", ["101", 7, "7", [1], 7.0])
    write(folder, "validation_videos_ids_labeled.json", ["102", 7, [1], "101"])
    write(folder, "template_to_video_ids_map.json",
          {T1: ["101", 7, "7", "102", 7], T2: ["103", "101", [1], [1]]})
    splits, templates = "train_videos_ids_labeled.json", "template_to_video_ids_map.json"
    assert found(folder, JOINS) == {
        # "7" is the second 7 of train (7.0 is not); the number 7 has no key, so being
        # in two splits is not VA301, and it has no events to miss either.
        ("VA302", splits, "/2", "video 7 is listed 2 times in the train split"),
        ("VA304", splits, "/2", "the train split lists video 7, which has no events"),
        ("VA301", "validation_videos_ids_labeled.json", "/3",
         "video 101 is in several splits (train, validation)"),
        ("VA308", templates, f"/{T1}/2", f'video 7 is listed 3 times under "{T1}"'),
        ("VA308", templates, f"/{T1}/4", f'video 7 is listed 3 times under "{T1}"'),
        ("VA308", templates, f"/{T2}/3", f'video [1] is listed 2 times under "{T2}"'),
        ("VA306", templates, f"/{T1}/2",
         f'template "{T1}" lists video 7, which has no events'),
        ("VA307", templates, f"/{T2}/1",
         f'video 101 is listed under 2 templates ("{T1}", "{T2}")'),
    }


def test_events_equal_in_python_repeat_and_nan_never_does(folder: Path) -> None:
    write(folder, "video_events_labels.json", {
        "101": [event("contact", "hand-object", 10),
                event("contact", "hand-object", 10.0),  # = event 0
                event("release", "hand-object", 10, 5, 6),  # contradicts event 0
                event("contact", "object-surface", math.nan),
                event("contact", "object-surface", math.nan),  # NaN != NaN
                event("contact", "hand-object", 20, True),
                event("contact", "hand-object", 20, 1),  # = event 5
                event("release", "object-object", None),
                event("release", "object-object", None),  # = event 7; null is no frame
                event("contact", "object-object", 30),
                event("release", "object-object", 30.0, 3, 3)],  # contradicts event 9
        "102": [event("contact", "hand-object", 10)],  # another video
        "103": [event("contact", "object-object", 7, 50, 60)]})
    events = "video_events_labels.json"
    assert found(folder, REPEATS) == {
        ("VA501", events, "/101/1", "event repeats event 0 of video 101"),
        ("VA501", events, "/101/6", "event repeats event 5 of video 101"),
        ("VA501", events, "/101/8", "event repeats event 7 of video 101"),
        ("VA502", events, "/101/2",
         "release by hand-object at frame 10 contradicts event 0 (contact) of video 101"),
        ("VA502", events, "/101/10",
         "release by object-object at frame 30.0 contradicts event 9 (contact) of video 101"),
    }


def test_events_with_lists_for_values_compare_as_text(folder: Path) -> None:
    write(folder, "video_events_labels.json", {
        "101": [event("contact", "hand-object", [10]),
                event("contact", "hand-object", [10]),  # = event 0, as text
                event("contact", "hand-object", 10),
                event("release", "hand-object", 10, {"x": 1}),  # contradicts event 2
                event("contact", "hand-object", 10),  # = event 2
                event("contact", "hand-object", [10.0])],  # not [10] as text
        "102": [event("contact", "hand-object", [10])],
        "103": [event("contact", "object-object", 7, 50, 60)]})
    events = "video_events_labels.json"
    assert found(folder, REPEATS) == {
        ("VA501", events, "/101/1", "event repeats event 0 of video 101"),
        ("VA501", events, "/101/4", "event repeats event 2 of video 101"),
        ("VA502", events, "/101/3",
         "release by hand-object at frame 10 contradicts event 2 (contact) of video 101"),
    }


@pytest.mark.parametrize("odd", [None, math.nan, True, "10", 10**30, -0.0, [10]])
def test_scanning_only_events_that_share_a_frame_changes_nothing(odd: Any) -> None:
    """The shortcut against the scan of every event, with one odd value among others."""
    rows = [("1", 0, "contact", "hand-object", 10, 1, 2),
            ("1", 1, "release", "hand-object", 10.0, 1, 2),
            ("1", 2, "contact", "hand-object", odd, 1, 2),
            ("1", 3, "contact", "hand-object", 0.0, odd, 2),
            ("1", 4, "contact", "hand-object", 0, 1, 2),
            ("2", 0, "contact", "hand-object", odd, 1, 2),
            ("2", 1, odd, "hand-object", odd, 1, 2),
            ("1", 5, "contact", "hand-object", odd, 1, 2)]
    events = pd.DataFrame({name: pd.Series(column, dtype=object)
                           for name, column in zip(COLUMNS, zip(*rows, strict=True),
                                                   strict=True)})
    assert repeats(events) == _scan(*(events[c].tolist() for c in COLUMNS))
