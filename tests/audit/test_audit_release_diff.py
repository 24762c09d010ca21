"""VA601-VA604 and the readable diff, on a previous and a next release built in tmp dirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from audit_support import Files, audit
from support import assert_located, resolve


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A previous release and a next one with one change of every kind, audited once."""
    root = tmp_path_factory.mktemp("diff")
    old = Files.generated()
    old.write(root / "old")
    new = Files.read(root / "old")
    moved = new.splits["train"].pop(0)            # VA601: train -> test
    new.splits["test"].append(moved)
    gone = new.splits["train"].pop(0)             # VA602: removed everywhere
    del new.events[gone]
    new.templates[new.template_of(gone)].remove(gone)
    retagged = new.splits["train"][0]             # VA603: another template
    before = new.template_of(retagged)
    after = next(t for t in new.templates if t != before)
    new.templates[before].remove(retagged)
    new.templates[after].append(retagged)
    edited_video = new.splits["validation"][0]    # VA604: an edited and an added event
    events = new.events[edited_video]
    events[0]["frameNumber"] = events[0]["frameNumber"] + 1
    events.append({"action": "release", "agent": "object-surface", "frameNumber": 0,
                   "pointX": 1, "pointY": 1})
    reencoded = new.splits["train"][1]            # 10 -> 10.0 is not a change
    new.events[reencoded][0]["pointX"] = float(new.events[reencoded][0]["pointX"])
    new.write(root / "new")
    completed, report = audit("new", "--previous", "old", cwd=root)
    return {"root": root, "completed": completed, "report": report, "moved": moved,
            "gone": gone, "retagged": retagged, "before": before, "after": after,
            "edited": edited_video, "reencoded": reencoded,
            "events_before": len(old.events[edited_video])}


def by_code(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["code"] == code]


def test_exit_code_is_one_because_a_video_changed_split(edited: dict[str, Any]) -> None:
    assert edited["completed"].returncode == 1, edited["completed"].stderr
    assert {f["code"] for f in edited["report"]["findings"]} == \
        {"VA601", "VA602", "VA603", "VA604", "VA206"}  # VA206: the re-encoded 10.0


def test_va601_points_at_the_new_split_entry(edited: dict[str, Any]) -> None:
    [finding] = by_code(edited["report"], "VA601")
    assert finding["severity"] == "error"
    assert finding["file"] == "new/test_videos_ids_labeled.json"
    assert finding["video_id"] == edited["moved"]
    test_ids = json.loads((edited["root"] / finding["file"]).read_text())
    assert resolve(test_ids, finding["pointer"]) == edited["moved"]
    assert "train" in finding["message"] and "test" in finding["message"]
    assert_located(finding, base=edited["root"])


def test_va602_points_at_the_key_in_the_previous_release(edited: dict[str, Any]) -> None:
    [finding] = by_code(edited["report"], "VA602")
    assert finding["severity"] == "warning"
    assert finding["file"] == "old/video_events_labels.json"
    assert finding["pointer"] == f"/{edited['gone']}"
    text = (edited["root"] / finding["file"]).read_text()
    line_start = sum(len(x) + 1 for x in text.split("\n")[: finding["line"] - 1])
    assert text[line_start + finding["column"] - 1:].startswith(f'"{edited["gone"]}"')
    assert_located(finding, base=edited["root"])


def test_va603_points_at_the_new_template_entry(edited: dict[str, Any]) -> None:
    [finding] = by_code(edited["report"], "VA603")
    assert finding["file"] == "new/template_to_video_ids_map.json"
    templates = json.loads((edited["root"] / finding["file"]).read_text())
    assert resolve(templates, finding["pointer"]) == edited["retagged"]
    assert finding["pointer"].startswith("/" + edited["after"] + "/")
    assert edited["before"] in finding["message"]
    assert_located(finding, base=edited["root"])


def test_va604_points_at_the_first_changed_event(edited: dict[str, Any]) -> None:
    [finding] = by_code(edited["report"], "VA604")  # the re-encoded number is not a change
    assert finding["severity"] == "info"
    assert finding["file"] == "new/video_events_labels.json"
    assert finding["pointer"] == f"/{edited['edited']}/0"
    assert "1 added" in finding["message"] and "1 edited" in finding["message"]
    assert_located(finding, base=edited["root"])


def test_diff_json_and_markdown_say_what_changed(edited: dict[str, Any]) -> None:
    out = edited["root"] / "reports" / "audit"
    diff = json.loads((out / "diff.json").read_text())
    assert diff["split_moves"] == [{"video_id": edited["moved"], "before": ["train"],
                                    "after": ["test"]}]
    assert [r["video_id"] for r in diff["removed"]] == [edited["gone"]]
    assert diff["added"] == []
    assert diff["template_moves"] == [{"video_id": edited["retagged"],
                                       "before": [edited["before"]],
                                       "after": [edited["after"]]}]
    [change] = diff["event_changes"]
    assert change["video_id"] == edited["edited"]
    assert change["before"] == edited["events_before"]
    assert change["after"] == edited["events_before"] + 1
    assert list(change["edited"][0]["fields"]) == ["frameNumber"]
    old_train, new_train = diff["splits"]["train"]["videos"].values()
    assert new_train == old_train - 2
    assert diff["totals"]["videos"] == {"before": 30, "after": 29}
    text = (out / "diff.md").read_text()
    assert f"- {edited['moved']}: train → test" in text
    assert "frameNumber" in text


def test_audit_trail_and_checksums(edited: dict[str, Any]) -> None:
    out = edited["root"] / "reports" / "audit"
    document = json.loads((out / "audit.json").read_text())
    assert document["verdict"]["result"] == "fail"
    assert document["verdict"]["exit_code"] == 1
    assert set(document["verdict"]["by_rule"]) == {"VA601", "VA602", "VA603", "VA604", "VA206"}
    assert {row["path"] for row in document["inputs"]} == \
        {f"{r}/{n}" for r in ("new", "old") for n in
         ("video_events_labels.json", "template_to_video_ids_map.json",
          "train_videos_ids_labeled.json", "validation_videos_ids_labeled.json",
          "test_videos_ids_labeled.json")}
    written = {row["path"] for row in document["outputs"]}
    assert {"report.json", "report.html", "diff.md", "diff.json", "checksums.sha256",
            "index.html"} <= written
    assert document["timings"]["diff"] >= 0
    html = (out / "index.html").read_text()
    assert edited["moved"] in html and "VA601" in html


def test_a_baseline_accepts_a_deliberate_move(edited: dict[str, Any]) -> None:
    root = edited["root"]
    [moved] = by_code(edited["report"], "VA601")
    baseline = {"baseline_version": 1, "entries": [
        {"code": "VA601", "fingerprint": moved["fingerprint"],
         "reason": "moved on purpose, see the release notes"}]}
    (root / "accepted.json").write_text(json.dumps(baseline))
    completed, report = audit("new", "--previous", "old", "--baseline", "accepted.json",
                              "--output-dir", "with-baseline", cwd=root)
    assert completed.returncode == 0, completed.stderr  # warnings and infos remain
    assert "VA601" not in {f["code"] for f in report["findings"]}
    assert report["summary"]["suppressed"] == 1
    checksums = (root / "with-baseline" / "checksums.sha256").read_text()
    assert "  accepted.json\n" in checksums


def test_identical_releases_have_no_diff_findings(tmp_path: Path) -> None:
    Files.generated().write(tmp_path / "a")
    Files.generated().write(tmp_path / "b")
    completed, report = audit("b", "--previous", "a", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert report["findings"] == []
    assert "No video, split, template or event changed." in \
        (tmp_path / "reports" / "audit" / "diff.md").read_text()


def _write_events(folder: Path, events: dict[str, Any], how: str) -> None:
    """The events file written another way than the generator writes it."""
    path = folder / "video_events_labels.json"
    if how == "indented":  # every video's text differs, its values do not
        path.write_text(json.dumps(events, indent=2))
    elif how == "members reordered":
        path.write_text(json.dumps({video: [dict(reversed(list(e.items()))) for e in items]
                                    for video, items in events.items()}))
    elif how == "not ASCII":  # read the general way (no text per video)
        first = next(iter(events))
        changed = {**events, first: [{**events[first][0], "agent": "hand-\u00f6bject"},
                                     *events[first][1:]]}
        path.write_text(json.dumps(changed, ensure_ascii=False))
    elif how == "escaped":  # an escape: read the general way too
        path.write_text(json.dumps(events).replace('"contact"', '"cont\\u0061ct"'))


@pytest.mark.parametrize("how", ["indented", "members reordered", "not ASCII", "escaped"])
def test_a_release_written_another_way_differs_only_where_its_values_do(
        tmp_path: Path, how: str) -> None:
    """Two releases are compared video by video: by their texts where both files were
    read into columns, by value where one was not. Either way only what changed in
    value is a change: the edited video, and in the not-ASCII case the video whose
    agent changed, never a video whose text alone differs."""
    old = Files.generated(n_videos=40)
    old.write(tmp_path / "old")
    new = Files.read(tmp_path / "old")
    edited = new.splits["validation"][0]
    new.events[edited][0]["pointY"] = new.events[edited][0]["pointY"] + 3
    reencoded = new.splits["train"][1]
    new.events[reencoded][0]["pointX"] = float(new.events[reencoded][0]["pointX"])
    new.write(tmp_path / "new")
    _write_events(tmp_path / "new", new.events, how)
    _write_events(tmp_path / "old", old.events, "indented" if how == "escaped" else "")

    completed, report = audit("new", "--previous", "old", cwd=tmp_path)

    assert completed.returncode in (0, 1), completed.stderr  # the unknown agent: 1
    changed = {f["video_id"] for f in by_code(report, "VA604")}
    expected = {edited, next(iter(old.events))} if how == "not ASCII" else {edited}
    assert changed == expected
    assert {f["code"] for f in report["findings"] if f["code"].startswith("VA6")} == {"VA604"}
    diff = json.loads((tmp_path / "reports" / "audit" / "diff.json").read_text())
    assert diff["totals"]["events"]["before"] == diff["totals"]["events"]["after"] \
        == sum(map(len, old.events.values()))


def test_a_video_moves_when_its_set_of_splits_changes(tmp_path: Path) -> None:
    """Listed twice, a video is in two splits; the order of its listings is no move,
    a split gained or lost is, and only a gained one is a VA601 (at the new entry)."""
    old = Files.generated(n_videos=40)
    reordered, shrunk, grown = old.splits["train"][:3]
    old.splits["test"] += [reordered, shrunk]
    old.write(tmp_path / "old")
    new = Files.read(tmp_path / "old")
    new.splits["train"].remove(reordered)  # test, train: the same two splits
    new.splits["train"].append(reordered)
    new.splits["test"].remove(shrunk)      # train only
    new.splits["validation"].append(grown)  # train and validation
    new.write(tmp_path / "new")

    completed, report = audit("new", "--previous", "old", cwd=tmp_path)

    assert completed.returncode == 1, completed.stderr
    diff = json.loads((tmp_path / "reports" / "audit" / "diff.json").read_text())
    assert {m["video_id"]: (m["before"], m["after"]) for m in diff["split_moves"]} == {
        shrunk: (["train", "test"], ["train"]),
        grown: (["train"], ["train", "validation"])}
    (moved,) = by_code(report, "VA601")
    assert moved["video_id"] == grown
    assert moved["file"].endswith("validation_videos_ids_labeled.json")
    validation = json.loads((tmp_path / "new" / "validation_videos_ids_labeled.json"
                             ).read_text())
    assert moved["pointer"] == f"/{validation.index(grown)}"
    sizes = diff["splits"]["test"]["videos"]
    assert (sizes["before"], sizes["after"]) == (len(old.splits["test"]),
                                                 len(old.splits["test"]) - 1)


def test_unreadable_previous_file_skips_that_part_with_a_note(tmp_path: Path) -> None:
    Files.generated().write(tmp_path / "old")
    new = Files.read(tmp_path / "old")
    moved = new.splits["train"].pop(0)
    new.splits["test"].append(moved)
    new.write(tmp_path / "new")
    (tmp_path / "old" / "video_events_labels.json").write_text("{not json")
    completed, report = audit("new", "--previous", "old", cwd=tmp_path)
    codes = {f["code"] for f in report["findings"]}
    assert codes == {"VA601"}  # no VA602 for every video, no VA604
    assert any("events file of old is unreadable" in n for n in report["notes"])
    assert completed.returncode == 1


@pytest.mark.parametrize("args, message", [
    (["new", "--previous", "nowhere"], "release folder nowhere does not exist"),
    (["new", "--previous", "old", "--output-dir", "new/out"], "refusing to write"),
    (["new", "--previous", "old", "--select", "VA0"], "unknown rule code"),
])
def test_usage_errors_are_one_line_with_exit_2(tmp_path: Path, args: list[str],
                                               message: str) -> None:
    Files.generated().write(tmp_path / "old")
    Files.generated().write(tmp_path / "new")
    completed, _ = audit(*args, cwd=tmp_path)
    assert completed.returncode == 2
    assert message in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "new" / "out").exists()


def test_with_frames_the_frame_rules_run_and_the_media_are_named(tmp_path: Path) -> None:
    from vidaudit.synth import media, metadata

    release = media.even_widths(metadata.generate(seed=9, n_videos=4, n_templates=2,
                                                  min_frames=6, max_frames=9))
    files = Files(json.loads(json.dumps(release.events)), release.templates, release.splits)
    files.write(tmp_path / "old")
    late = next(iter(release.events))
    files.events[late][0]["frameNumber"] = release.videos[late].frame_count + 5
    files.write(tmp_path / "new")
    media.write_media(release, frames=tmp_path / "frames")
    completed, report = audit("new", "--previous", "old", "--frames", "frames", cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert {f["code"] for f in report["findings"]} == {"VA402", "VA604"}
    assert {"VA401", "VA402", "VA403", "VA601"} <= set(report["rules_run"])
    checksums = (tmp_path / "reports" / "audit" / "checksums.sha256").read_text()
    assert "# Media probed under frames are not listed file by file" in checksums
    document = json.loads((tmp_path / "reports" / "audit" / "audit.json").read_text())
    assert document["options"]["frames"] == "frames"
