"""One test per bug the robustness suite found, each on the smallest input that shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from robustness.conftest import small_release
from robustness.invariants import (
    Outcome,
    assert_clean_exit,
    assert_located,
    assert_outputs_sound,
    check_all_formats,
    run_in_process,
)
from vidaudit.synth import metadata


def _events(folder: Path) -> Path:
    return folder / "video_events_labels.json"


def _check(folder: Path, out: Path, *extra: str) -> tuple[Outcome, dict[str, object]]:
    outcome = check_all_formats(folder, out, *extra)
    assert_clean_exit(outcome)
    return outcome, assert_outputs_sound(outcome)


def test_findings_inside_a_repeated_key_point_at_the_value_the_parser_kept(
        dataset: Path, tmp_path: Path) -> None:
    # The first "10" is an empty list, the second holds a bad event: the finding about
    # /10/0 must point into the second one (the only one a parser keeps).
    path = _events(dataset)
    events = json.loads(path.read_text())
    bad = {**next(iter(events.values()))[0], "action": "hold"}
    path.write_text('{"10": [], ' + json.dumps(events)[1:-1] + ', "10": [' + json.dumps(bad)
                    + "]}")
    _, report = _check(dataset, tmp_path)
    [unknown] = [f for f in report["findings"] if f["code"] == "VA203"]  # type: ignore[union-attr]
    assert unknown["pointer"] == "/10/0/action"
    assert_located(unknown)  # "hold" in the second "10", not the first entry's []


def test_manifest_with_carriage_return_line_ends(dataset: Path, tmp_path: Path) -> None:
    release = small_release()
    rows = ["video_id,frame_count,width,height"] + [
        f"{r['video_id']},{r['frame_count']},{r['width']},{r['height']}"
        for r in metadata.manifest_rows(release)]
    (dataset / "frame_manifest.csv").write_text("\r".join(rows) + "\r", newline="")
    outcome, report = _check(dataset, tmp_path)
    assert outcome.code == 0, report
    assert "VA402" in report["rules_run"]  # type: ignore[operator]


def test_manifest_with_a_field_over_the_csv_size_limit(dataset: Path, tmp_path: Path) -> None:
    (dataset / "frame_manifest.csv").write_text(
        "video_id,frame_count\n1," + "x" * 200_000 + "\n")
    _, report = _check(dataset, tmp_path)
    assert any(f["code"] == "VA407" and "cannot be read as CSV" in f["message"]
               for f in report["findings"])  # type: ignore[union-attr]


@pytest.mark.parametrize("content, line", [
    ("video_id,frame_count,width,height\n{id},{huge},320,240\n", 2),
    ("video_id,frame_count,width,height\n{id},12,{huge},240\n", 2),
    ("video_id,frame_count,width,height\n{id},9223372036854775808,320,240\n", 2),
    ("{id} {huge} 3\n", 1),  # a rawframes list
])
def test_manifest_numbers_too_large_for_the_tables(dataset: Path, tmp_path: Path,
                                                   content: str, line: int) -> None:
    video = next(iter(json.loads(_events(dataset).read_text())))
    (dataset / "frame_manifest.csv").write_text(content.format(id=video, huge="9" * 5000))
    _, report = _check(dataset, tmp_path)
    rows = [f for f in report["findings"] if f["code"] == "VA407"]  # type: ignore[union-attr]
    assert [f["line"] for f in rows] == [line]


def test_integer_with_more_digits_than_python_converts(dataset: Path, tmp_path: Path) -> None:
    path = _events(dataset)
    text = path.read_text()
    video, events = next(iter(json.loads(text).items()))
    path.write_text(text.replace(f'"pointX":{events[0]["pointX"]}', '"pointX":' + "9" * 5000, 1))
    _, report = _check(dataset, tmp_path)
    [overflow] = [f for f in report["findings"] if f["code"] == "VA104"]  # type: ignore[union-attr]
    assert overflow["pointer"] == f"/{video}/0/pointX"


def test_video_id_with_thousands_of_digits_and_frames(dataset: Path, tmp_path: Path) -> None:
    path = _events(dataset)
    events = json.loads(path.read_text())
    events["9" * 5000] = next(iter(events.values()))
    path.write_text(json.dumps(events))
    frames = tmp_path / "frames"
    frames.mkdir()
    outcome, report = _check(dataset, tmp_path, "--frames", str(frames), "--no-manifest")
    assert outcome.code == 1
    assert any(f["code"] == "VA401" and f["video_id"] == "9" * 5000
               for f in report["findings"])  # type: ignore[union-attr]


def test_non_finite_numbers_print_no_numpy_warnings(dataset: Path, tmp_path: Path) -> None:
    path = _events(dataset)
    text = path.read_text()
    frame = json.loads(text)[next(iter(json.loads(text)))][0]["frameNumber"]
    path.write_text(text.replace(f'"frameNumber":{frame}', '"frameNumber":Infinity', 1))
    code, _, stderr = run_in_process(["check", str(dataset), "--format", "json",
                                      "-o", str(tmp_path / "r.json")])
    assert code == 1 and stderr == "", stderr


def test_synthetic_release_with_few_videos_fills_every_split() -> None:
    # seed 162 with 3 videos draws none for train: the generator used to pop from it
    release = metadata.generate(seed=162, n_videos=3, n_templates=3, min_frames=2,
                                max_frames=40)
    assert all(release.splits.values())
    assert sorted(v for ids in release.splits.values() for v in ids) == sorted(release.events)



def test_lone_surrogates_in_keys_and_ids(dataset: Path, tmp_path: Path) -> None:
    # "\ud8bf" is a valid JSON escape that no UTF-8 text can hold: as a video id and as
    # a template name it reached the fingerprint and the JSON report, both encoded UTF-8.
    path = _events(dataset)
    path.write_text(path.read_text()[:-1] + ', "\\ud8bf": [' + json.dumps(
        next(iter(json.loads(path.read_text()).values()))[0]) + "]}")
    templates = dataset / "template_to_video_ids_map.json"
    templates.write_text(templates.read_text().replace("{", '{"\\udfff": [],', 1))
    _, report = _check(dataset, tmp_path)
    invalid = [f for f in report["findings"] if f["code"] == "VA202"]  # type: ignore[union-attr]
    assert [f["pointer"] for f in invalid] == ["/\ud8bf"]  # the key, escaped in the file


def test_release_diff_of_values_nested_hundreds_deep(dataset: Path, tmp_path: Path) -> None:
    previous = tmp_path / "previous"
    previous.mkdir()
    for item in dataset.iterdir():
        (previous / item.name).write_bytes(item.read_bytes())
    path = _events(dataset)
    events = json.loads(path.read_text())
    first = next(iter(events))
    events[first][0]["pointX"] = json.loads("[" * 900 + "]" * 900)  # parses; == recursed
    path.write_text(json.dumps(events))
    code, _, stderr = run_in_process(["audit", str(dataset), "--previous", str(previous),
                                      "--no-gx", "--output-dir", str(tmp_path / "audit")])
    assert code == 1 and "internal error" not in stderr, stderr
    changed = json.loads((tmp_path / "audit" / "diff.json").read_text())
    assert first in json.dumps(changed)


def test_a_repeated_key_nine_hundred_levels_deep(dataset: Path, tmp_path: Path) -> None:
    # VA103 points at the repeat; resolving that pointer recursed once per level
    path = _events(dataset)
    deep = '{"a": ' * 900 + '{"k": 1, "k": 2}' + "}" * 900
    path.write_text(path.read_text()[:-1] + ', "extra": ' + deep + "}")
    _, report = _check(dataset, tmp_path)
    [repeat] = [f for f in report["findings"] if f["code"] == "VA103"]  # type: ignore[union-attr]
    assert repeat["pointer"] == "/extra" + "/a" * 900 + "/k"


def test_locating_past_an_integer_of_thousands_of_digits(dataset: Path, tmp_path: Path) -> None:
    # A repeated key makes the locator scan values to skip them; the scan converted the
    # 5,000-digit integer with int() and raised
    path = _events(dataset)
    text = path.read_text()
    path.write_text('{"huge": ' + "9" * 5000 + ', "huge": 1, ' + text[1:].replace(
        '"action":"contact"', '"action":"hold"', 1).replace(
        '"action":"release"', '"action":"hold"', 1))
    _, report = _check(dataset, tmp_path)
    codes = {f["code"] for f in report["findings"]}  # type: ignore[union-attr]
    assert {"VA103", "VA203"} <= codes  # and every one located (_check)


def test_a_frame_number_beyond_any_float_against_a_manifest(dataset: Path,
                                                             tmp_path: Path) -> None:
    # VA402 compared frame numbers as floats, and float() of a 400-digit integer raised
    # OverflowError: exit 2 instead of the finding
    release = small_release()
    rows = ["video_id,frame_count,width,height"] + [
        f"{r['video_id']},{r['frame_count']},{r['width']},{r['height']}"
        for r in metadata.manifest_rows(release)]
    (dataset / "frame_manifest.csv").write_text("\n".join(rows) + "\n")
    path = _events(dataset)
    events = json.loads(path.read_text())
    video = next(iter(events))
    events[video][0]["frameNumber"] = 10 ** 400
    path.write_text(json.dumps(events))
    outcome, report = _check(dataset, tmp_path)
    assert outcome.code == 1
    beyond = [f for f in report["findings"]  # type: ignore[union-attr]
              if f["code"] == "VA402" and f["pointer"] == f"/{video}/0"]
    assert len(beyond) == 1
    # and the message names it without spelling out its 401 digits
    assert "at frame (a huge integer), but" in beyond[0]["message"]
