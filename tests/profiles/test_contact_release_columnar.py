"""The contact/release events file read straight into columns gives the findings, at the
same places, that reading it as any JSON file gives; whatever it cannot prove goes the
general way.

Each case writes an events file (variations of the bundled sample's), checks the
release once as a user does and once with every file read by ``read_json_source``
(the general reader, no columns), and compares the findings field by field.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from vidaudit.config import Config
from vidaudit.engine import run_check
from vidaudit.profiles import get
from vidaudit.sources import DeferredSource, read_json_source

REPO = Path(__file__).resolve().parents[2]
PROFILE = get("ssv2-contact-release")
EVENTS = "video_events_labels.json"


def _sample() -> dict[str, Any]:
    return json.loads((REPO / "metadata" / EVENTS).read_text())


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def _first_video(data: dict[str, Any]) -> str:
    return next(iter(data))


def _edited(change: str) -> str:
    """The sample's events file with one kind of change."""
    data = _sample()
    first = _first_video(data)
    event = data[first][0]
    if change == "clean":
        return _compact(data)
    if change == "pretty":  # whitespace everywhere JSON allows it, and a VA206
        event["pointY"] = float(event["pointY"])
        return json.dumps(data, indent=2).replace(": ", " :\t")
    if change == "values":  # VA203, VA206, VA207 on the fast path
        event["action"] = "touch"
        event["frameNumber"] = float(event["frameNumber"])
        data[first][-1]["pointY"] = -3
        return _compact(data)
    if change == "member-order":
        data[first][0] = dict(reversed(list(event.items())))
        event = data[first][0]
        event["pointX"] = 4.0
        return _compact(data)
    if change == "empty-list":  # VA208, VA303/VA305 are not in its rules' way
        data["77777"] = []
        return _compact(data)
    if change == "non-ascii":
        event["agent"] = "hand-\u00f6bject"
        event["pointY"] = 7.0
        return _compact(data)
    text = _compact(data)
    if change == "escaped-key":
        return text.replace(f'"{first}":', '"' + "".join(f"\\u{ord(c):04x}" for c in first)
                            + '":', 1)
    if change == "repeated-video":
        return text[:-1] + f',"{first}":[]}}'
    if change == "repeated-member":
        return text.replace('{"action":', '{"action":"contact","action":', 1)
    if change == "colon-in-string":
        return text.replace('"action":"contact"', '"action":"con:tact"', 1)
    if change == "bracket-in-string":
        return text.replace('"action":"contact"', '"action":"[contact"', 1)
    if change == "nan":
        return text.replace('"pointX":', '"pointX":NaN,"x":', 1)
    if change == "long-integer":
        return text.replace('"pointX":', '"pointX":' + "9" * 5000 + ',"x":', 1)
    if change == "missing-member":
        return text.replace(',"agent":"hand-object"', "", 1)
    if change == "string-number":
        return text.replace('"frameNumber":', '"frameNumber":"1","f":', 1)
    if change == "byte-order-mark":
        return "\ufeff" + text
    raise AssertionError(change)


FAST = ["clean", "pretty", "values", "member-order", "empty-list", "non-ascii",
        "escaped-key"]
GENERAL = ["repeated-video", "repeated-member", "colon-in-string", "bracket-in-string",
           "nan", "long-integer", "missing-member", "string-number", "byte-order-mark"]


def _findings(root: Path, general: bool) -> tuple[list[tuple[Any, ...]], dict[str, Any], Any]:
    config = Config()
    sources = None
    if general:
        sources = {role: read_json_source(role, root / name, str(root / name), config.max_bytes)
                   for role, name in PROFILE.file_names(config).items()}
    result = run_check(str(root), config, sources=sources, profile=PROFILE)
    rows = [(f.code, f.severity.label, f.message, f.pointer, f.line, f.column, f.video_id,
             f.fingerprint) for f in result.findings]
    return rows, result.summary(), result.dataset.sources["events"]


@pytest.mark.parametrize("change", FAST + GENERAL)
def test_same_findings_either_way(tmp_path: Path, change: str) -> None:
    root = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", root)
    (root / EVENTS).write_bytes(_edited(change).encode("utf-8"))
    fast, fast_summary, source = _findings(root, general=False)
    general, general_summary, _ = _findings(root, general=True)
    assert isinstance(source, DeferredSource) is (change in FAST)
    assert fast == general
    assert fast_summary == general_summary
    if change in ("values", "member-order", "empty-list", "non-ascii", "pretty"):
        assert fast, "the edit should have produced findings"
        assert all(line is not None for _, _, _, _, line, _, _, _ in fast)


def test_positions_only_for_ascii_without_escapes(tmp_path: Path) -> None:
    """Offsets are computed from bytes: only where bytes and characters agree."""
    root = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", root)
    for change, known in (("values", True), ("non-ascii", False), ("escaped-key", False)):
        (root / EVENTS).write_bytes(_edited(change).encode("utf-8"))
        source = PROFILE.read_file("events", root / EVENTS, EVENTS, Config(),
                                   root)
        assert isinstance(source, DeferredSource)
        assert (source.columns.offsets is not None) is known


def test_deferred_value_is_the_parse(tmp_path: Path) -> None:
    """The JSON value of a file read into columns, for those who ask, is json.loads'."""
    root = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", root)
    text = _edited("pretty")
    (root / EVENTS).write_text(text)
    source = PROFILE.read_file("events", root / EVENTS, EVENTS, Config(), root)
    assert isinstance(source, DeferredSource)
    assert source.data == json.loads(text)
    assert source.columns.video_ids == list(json.loads(text))


@pytest.mark.parametrize("change", ["clean", "pretty", "member-order", "empty-list"])
def test_a_file_read_into_columns_locates_as_its_index_does(tmp_path: Path,
                                                             change: str) -> None:
    """Findings made one by one (the release diff's VA602 at a video's key, VA604 at an
    event) are located from the reader's offsets, without parsing the file: at the
    place the general index of the parsed file finds, for every video, event and
    member, and the index still answers what the offsets do not."""
    from vidaudit.jsonpos import Locator

    root = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", root)
    text = _edited(change)
    (root / EVENTS).write_text(text)
    source = PROFILE.read_file("events", root / EVENTS, EVENTS, Config(), root)
    assert isinstance(source, DeferredSource) and source.spans is not None
    data = json.loads(text)
    general = Locator(text, data, indexable=True)
    located = source.locator
    assert located is not None
    videos = [f"/{video}" for video in data]
    events = [f"/{video}/{n}" for video, items in data.items() for n in range(len(items))]
    members = [f"/{video}/{n}/{name}" for video, items in data.items()
               for n, item in enumerate(items) for name in item]
    first = _first_video(data)
    odd = [f"/{first}/{len(data[first])}", f"/{first}/0/size", f"/{first}/x", "/nowhere",
           f"/{first}/0/action/more", "", f"/{first}/00"]
    for pointer in videos + events + members + odd:
        if pointer in videos or pointer in events:
            assert source.spans(pointer) is not None, pointer
        where, span = located.nearest(pointer)
        expected_where, expected = general.nearest(pointer)
        assert (where, span.value) == (expected_where, expected.value), pointer
        assert located.line_column(span.value) == general.line_column(expected.value)
        if pointer in videos:  # a finding at a video's key (VA602) is at its key
            assert span.key == expected.key is not None
    assert not source._parsed_value, "the file was parsed"
