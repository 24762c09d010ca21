"""The ``ssv2`` profile on synthetic folders: detection, partial folders, unusable
labels, the answers CSV as a file, frames from a manifest and from ``ID.webm`` videos.
Everything runs the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from support import REPO, assert_located, json_report, run_cli
from vidaudit.synth import ssv2

BASE = REPO / "tests" / "fixtures" / "rules" / "base-ssv2"
NAMES = ssv2.NAMES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "annotations"
    shutil.copytree(BASE, target)
    return target


def listed(folder: Path) -> list[str]:
    """The ids of the three split files, read independently of vidaudit."""
    return [row["id"] for split in ("train", "validation", "test")
            for row in json.loads((folder / NAMES[split]).read_text())]


def codes(report: dict[str, Any]) -> list[str]:
    return sorted(f["code"] for f in report["findings"])


def test_detected_and_clean(folder: Path) -> None:
    code, report = json_report(folder)
    assert (code, report["profile"], report["findings"]) == (0, "ssv2", [])
    assert report["summary"]["videos"] == len(set(listed(folder)))
    assert report["summary"]["classes"] == len(json.loads((folder / NAMES["labels"]).read_text()))
    assert {"VA701", "VA702", "VA703", "VA704", "VA705", "VA706", "VA202", "VA301",
            "VA302"} <= set(report["rules_run"])
    assert not {"VA402", "VA403"} & set(report["rules_run"])


def test_only_labels_and_validation(folder: Path) -> None:
    for role in ("train", "test", "answers"):
        (folder / NAMES[role]).unlink()
    code, report = json_report(folder)
    assert code == 0 and report["findings"] == []
    note = next(n for n in report["notes"] if n.startswith("optional file(s) not present"))
    for role in ("train", "test", "answers"):
        assert NAMES[role] in note
    assert "VA705" not in report["rules_run"]
    assert report["summary"]["videos"] == len(json.loads(
        (folder / NAMES["validation"]).read_text()))


def test_labels_required(folder: Path) -> None:
    (folder / NAMES["labels"]).unlink()
    completed = run_cli("check", folder, "--profile", "ssv2", "--format", "json")
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert [(f["code"], Path(f["file"]).name) for f in report["findings"]] == \
        [("VA101", NAMES["labels"])]


@pytest.mark.parametrize("content, what", [
    ('["Hiding something"]', "an array"),
    ("{}", "no classes"),
])
def test_unusable_labels_skip_the_class_rule(folder: Path, content: str, what: str) -> None:
    (folder / NAMES["labels"]).write_text(content)
    code, report = json_report(folder)
    assert code == 1
    assert codes(report) == ["VA701"]  # not one VA702 per row
    assert what in report["findings"][0]["message"]
    assert "VA702" not in report["rules_run"]
    assert any(n.startswith("VA702 unknown-class was not checked") for n in report["notes"])


def test_index_problems_are_each_reported_and_names_still_used(folder: Path) -> None:
    labels = json.loads((folder / NAMES["labels"]).read_text())
    names = list(labels)
    labels[names[0]] = 0  # a number
    labels[names[1]] = "01"  # leading zero
    text = json.dumps(labels, indent=1)
    text = text[:-2] + f',\n "{names[2]}": "2"\n}}'  # a repeated name
    (folder / NAMES["labels"]).write_text(text)
    code, report = json_report(folder)
    assert code == 1
    found = [(f["code"], f["pointer"]) for f in report["findings"]]
    assert sorted(found) == sorted([
        ("VA103", f"/{names[2]}"), ("VA701", f"/{names[0]}"), ("VA701", f"/{names[1]}"),
        ("VA701", f"/{names[2]}"), ("VA701", "")])
    unused = next(f for f in report["findings"] if f["pointer"] == "")
    assert '"0", "1"' in unused["message"]
    assert "VA702" in report["rules_run"]  # the class names are still known
    for finding in report["findings"]:
        assert_located(finding)


def test_answers_csv_problems_are_located_on_their_line(folder: Path) -> None:
    path = folder / NAMES["answers"]
    lines = path.read_text().splitlines()
    lines.insert(1, "no separator here")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())  # CRLF is fine
    code, report = json_report(folder)
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == \
        [("VA201", 2, 1)]
    path.write_bytes(b"\xff\xfe" + "\n".join(lines).encode("utf-16-le"))
    code, report = json_report(folder)
    assert code == 1
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("VA105", 1)]
    assert any(n.startswith("VA705") and "could not be used" in n for n in report["notes"])


def test_answers_file_that_is_a_folder(folder: Path) -> None:
    (folder / NAMES["answers"]).unlink()
    (folder / NAMES["answers"]).mkdir()
    code, report = json_report(folder)
    assert code == 1 and codes(report) == ["VA106"]


def test_rows_of_the_wrong_shape(folder: Path) -> None:
    rows = json.loads((folder / NAMES["train"]).read_text())
    rows[0]["placeholders"] = "cup"
    rows[1] = ["not", "an", "object"]
    rows[2]["id"] = 17
    (folder / NAMES["train"]).write_text(ssv2.dumps_rows(rows))
    code, report = json_report(folder)
    assert code == 1
    assert sorted((f["code"], f["pointer"]) for f in report["findings"]) == [
        ("VA201", "/0/placeholders"), ("VA201", "/1"), ("VA202", "/2/id")]
    for finding in report["findings"]:
        assert_located(finding)


def test_manifest_attaches_frames(folder: Path, tmp_path: Path) -> None:
    ids = listed(folder)
    manifest = tmp_path / "frames.csv"
    manifest.write_text("video_id,frame_count\n" + "".join(f"{v},10\n" for v in ids[1:-1])
                        + f"{ids[-1]},0\n")
    code, report = json_report(folder, "--manifest", manifest)
    assert code == 1
    found = sorted((f["code"], f["video_id"]) for f in report["findings"])
    assert found == [("VA401", ids[0]), ("VA401", ids[-1])]
    assert "VA401" in report["rules_run"]
    for finding in report["findings"]:
        assert_located(finding)


def test_videos_attach_frames(folder: Path, tmp_path: Path) -> None:
    from vidaudit.synth.media import write_video
    from vidaudit.synth.metadata import VideoInfo

    ids = listed(folder)
    videos = tmp_path / "videos"
    videos.mkdir()
    for video_id in ids[1:]:
        write_video(VideoInfo(video_id, 4, 32, 24, "t", "train"), videos / f"{video_id}.webm")
    code, report = json_report(folder, "--videos", videos)
    assert code == 1
    assert [(f["code"], f["video_id"]) for f in report["findings"]] == [("VA401", ids[0])]


def test_hostile_text_does_not_break_the_run(folder: Path) -> None:
    rows = json.loads((folder / NAMES["validation"]).read_text())
    rows[0]["template"] = "\u202e[x]\x1b[2J{value}{0}" * 50
    (folder / NAMES["validation"]).write_text(ssv2.dumps_rows(rows))
    (folder / NAMES["answers"]).write_text(
        (folder / NAMES["answers"]).read_text() + "1;{labels_file}{0}\n")
    code, report = json_report(folder)
    assert code == 1
    assert {f["code"] for f in report["findings"]} >= {"VA702", "VA703", "VA705"}
    assert all("\x1b" not in f["message"] for f in report["findings"])


@pytest.mark.parametrize("mutate, found", [
    (lambda text: text, []),
    # a repeated key, hidden from a plain parser
    (lambda text: text.replace('{"id":', '{"id":"1","id":', 1), [("VA103", "/0/id")]),
    # the same with whitespace before the colon, and a ": inside a value to mislead a count
    (lambda text: text.replace('{"id":', '{"id" :"1", "x\\":":"y", "id":', 1),
     [("VA103", "/0/id"), ("VA201", "/0")]),
    (lambda text: text.replace('"placeholders":', '"placeholders":1e999,"p":', 1),
     [("VA104", "/0/placeholders"), ("VA201", "/0"), ("VA201", "/0/placeholders")]),
    (lambda text: text.replace('"placeholders":', '"placeholders":{"id":"1"},"p":', 1),
     [("VA201", "/0"), ("VA201", "/0/placeholders")]),
    (lambda text: "\ufeff" + text, [("VA105", "")]),
])
def test_large_lists_read_like_small_ones(folder: Path, mutate: Any,
                                          found: list[tuple[str, str]]) -> None:
    """Lists over 1 MB take a faster reader; it must see what the exact one sees."""
    rows = json.loads((folder / NAMES["train"]).read_text())
    template = rows[0]
    many = [{**template, "id": str(100_000 + i)} for i in range(12_000)]
    text = mutate(ssv2.dumps_rows(many))
    assert len(text.encode()) > 1024 * 1024
    (folder / NAMES["train"]).write_text(text, encoding="utf-8")
    code, report = json_report(folder)
    got = sorted((f["code"], f["pointer"]) for f in report["findings"]
                 if f["file"].endswith(NAMES["train"]))
    assert got == sorted(found)
    assert code == (1 if any(f["severity"] == "error" for f in report["findings"]) else 0)
