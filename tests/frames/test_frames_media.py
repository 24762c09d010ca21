"""VA401-VA406 on real generated media: frame folders and video files, clean and broken."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from framehelp import codes, of

from vidaudit.cli import main
from vidaudit.synth import metadata

INTEGER_COLUMNS = {"frame_count", "width", "height", "gaps", "extra", "first_index"}


def manifest_rows(path: Path) -> dict[str, dict]:
    """A manifest vidaudit wrote, read back with the csv module (not vidaudit's reader):
    the four columns of the format first, one row per video id."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert (reader.fieldnames or [])[:4] == ["video_id", "frame_count", "width", "height"]
        rows: dict[str, dict] = {}
        for raw in reader:
            assert raw["video_id"] not in rows, raw
            rows[raw["video_id"]] = {
                column: (int(value) if value else None) if column in INTEGER_COLUMNS else value
                for column, value in raw.items() if column != "video_id"}
    return rows


def ids(media) -> list[str]:
    return list(media.release.videos)


def edit_events(media, change) -> None:
    path = media.metadata / "video_events_labels.json"
    events = json.loads(path.read_text())
    change(events)
    path.write_text(metadata.dumps("events", events))


def test_generated_media_round_trip(media):
    for video_id, info in media.release.videos.items():
        assert media.counts[video_id] == info.frame_count
    suffixes = {p.suffix for p in media.videos.iterdir()}
    assert suffixes == {".webm", ".mp4", ".avi", ".mkv"}


@pytest.mark.parametrize("source", ["--frames", "--videos"])
def test_clean_media_pass(media, check, source):
    folder = media.frames if source == "--frames" else media.videos
    code, report = check(str(media.metadata), source, str(folder), "--no-manifest")
    assert code == 0, report["findings"]
    assert {"VA401", "VA402", "VA403", "VA404", "VA405", "VA406"} <= set(report["rules_run"])


@pytest.mark.parametrize("options", [[], ["--deep"], ["--workers", "1"]])
def test_manifest_from_frames_describes_the_release(media, tmp_path, options):
    out = tmp_path / "frame_manifest.csv"
    assert main(["manifest", "--frames", str(media.frames), "-o", str(out), *options]) == 0
    rows = manifest_rows(out)
    assert set(rows) == set(media.release.videos)
    for video_id, info in media.release.videos.items():
        row = rows[video_id]
        assert (row["frame_count"], row["width"], row["height"]) == \
            (info.frame_count, info.width, info.height)
        assert row["source"] == f"{video_id}/" and row["count_method"] == "files"
        assert (row["gaps"], row["extra"], row["unreadable"], row["size_mismatch"]) == \
            (0, 0, "", "")


@pytest.mark.parametrize("options", [[], ["--exact"], ["--deep", "--workers", "2"]])
def test_manifest_from_videos_describes_the_release(media, tmp_path, options):
    out = tmp_path / "frame_manifest.csv"
    assert main(["manifest", "--videos", str(media.videos), "-o", str(out), *options]) == 0
    rows = manifest_rows(out)
    assert set(rows) == set(media.release.videos)
    for video_id, info in media.release.videos.items():
        row = rows[video_id]
        assert (row["frame_count"], row["width"], row["height"]) == \
            (info.frame_count, info.width, info.height)
        assert row["count_method"] == ("container" if not options else "decoded")
        assert Path(row["source"]).stem == video_id


def test_events_past_the_end_and_outside_the_frame(copy, check):
    first, second = ids(copy)[:2]
    info1, info2 = copy.release.videos[first], copy.release.videos[second]

    def plant(events):
        events[first][0]["frameNumber"] = info1.frame_count  # one past the last frame
        events[second][-1]["pointY"] = info2.height
        events[second][-1]["pointX"] = float(info2.width - 1)  # inside, as a float

    edit_events(copy, plant)
    for source, folder in (("--frames", copy.frames), ("--videos", copy.videos)):
        code, report = check(str(copy.metadata), source, str(folder), "--no-manifest")
        assert code == 1
        assert [f["pointer"] for f in of(report, "VA402")] == [f"/{first}/0"]
        last = len(copy.release.events[second]) - 1
        assert [f["pointer"] for f in of(report, "VA403")] == [f"/{second}/{last}"]
        assert f"{info2.width}x{info2.height}" in of(report, "VA403")[0]["message"]
        assert codes(report) == ["VA402", "VA403"]


def test_missing_middle_frame_and_extra_frames(copy, check):
    a, b, c, d = ids(copy)[:4]
    (copy.frames / a / "frame_00005.jpg").unlink()
    count_b = copy.release.videos[b].frame_count
    shutil.copy(copy.frames / b / "frame_00000.jpg",
                copy.frames / b / f"frame_{count_b + 3:05d}.jpg")
    shutil.copy(copy.frames / c / "frame_00001.jpg", copy.frames / c / "frame_1.jpg")
    os.rename(copy.frames / d / "frame_00000.jpg",
              copy.frames / d / f"frame_{copy.release.videos[d].frame_count:05d}.jpg")
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert code == 1
    found = {f["video_id"]: f["message"] for f in of(report, "VA404")}
    assert set(found) == {a, b, c, d}
    assert "1 index missing" in found[a]
    assert "3 indices missing" in found[b]
    assert "1 image file not named frame_NNNNN.jpg" in found[c]
    assert "numbering starts at frame_00001.jpg" in found[d]
    assert all(f["file"] == str(copy.frames / f["video_id"]) for f in of(report, "VA404"))


def test_extra_frame_at_the_end_shows_against_the_committed_manifest(copy, tmp_path, check):
    out = copy.metadata / "frame_manifest.csv"
    assert main(["manifest", "--videos", str(copy.videos), "-o", str(out)]) == 0
    video = ids(copy)[2]
    count = copy.release.videos[video].frame_count
    shutil.copy(copy.frames / video / "frame_00000.jpg",
                copy.frames / video / f"frame_{count:05d}.jpg")
    code, report = check(str(copy.metadata), "--frames", str(copy.frames))
    assert code == 1
    [stale] = of(report, "VA406")
    assert stale["file"] == str(out) and stale["video_id"] == video
    line = out.read_text().splitlines().index(
        next(x for x in out.read_text().splitlines() if x.startswith(f"{video},"))) + 1
    assert (stale["line"], stale["column"]) == (line, 1)
    assert f"has {count} frames" in stale["message"] and f"{count + 1} frames" in \
        stale["message"]
    assert codes(report) == ["VA406"]


def test_truncated_jpeg_default_finds_ends_deep_finds_all(copy, check):
    a, b = ids(copy)[:2]
    last_a = copy.release.videos[a].frame_count - 1
    for path in (copy.frames / a / f"frame_{last_a:05d}.jpg", copy.frames / b / "frame_00004.jpg"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert [f["video_id"] for f in of(report, "VA405")] == [a]
    assert f"frame_{last_a:05d}.jpg: truncated JPEG" in of(report, "VA405")[0]["message"]
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest",
                         "--deep")
    assert code == 1
    assert sorted(f["video_id"] for f in of(report, "VA405")) == sorted([a, b])
    assert codes(report) == ["VA405", "VA405"]


def test_frame_of_another_size(copy, check):
    import cv2

    a, b = ids(copy)[:2]
    last_a = copy.release.videos[a].frame_count - 1
    for video, index in ((a, last_a), (b, 3)):
        path = copy.frames / video / f"frame_{index:05d}.jpg"
        image = cv2.imread(str(path))
        cv2.imwrite(str(path), cv2.resize(image, (200, 100)))
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert [f["video_id"] for f in of(report, "VA406")] == [a]
    assert "is 200x100" in of(report, "VA406")[0]["message"]
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest",
                         "--deep")
    assert code == 1
    assert sorted(f["video_id"] for f in of(report, "VA406")) == sorted([a, b])


def test_folder_that_is_a_file_empty_folder_and_no_media(copy, check):
    a, b, c = ids(copy)[:3]
    shutil.rmtree(copy.frames / a)
    (copy.frames / a).write_bytes(b"not a folder")
    for item in (copy.frames / b).iterdir():
        item.unlink()
    shutil.rmtree(copy.frames / c)
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert code == 1
    assert [(f["video_id"], "is a file, not a folder" in f["message"])
            for f in of(report, "VA405")] == [(a, True)]
    missing = {f["video_id"]: f["message"] for f in of(report, "VA401")}
    assert set(missing) == {b, c}
    assert "0 frames" in missing[b] and f"no frames folder in {copy.frames}" in missing[c]
    assert all(f["file"].endswith("video_events_labels.json") for f in of(report, "VA401"))


def test_broken_videos(copy, check):
    paths = sorted(copy.videos.iterdir())
    empty, text, cut, gone = paths[:4]
    empty.write_bytes(b"")
    text.write_text("this is not a video\n")
    data = cut.read_bytes()
    cut.write_bytes(data[:200])
    gone.unlink()
    code, report = check(str(copy.metadata), "--videos", str(copy.videos), "--no-manifest")
    assert code == 1
    unreadable = {f["video_id"]: f["message"] for f in of(report, "VA405")}
    assert "is an empty file" in unreadable.pop(empty.stem)
    assert "cannot be opened" in unreadable.pop(text.stem)
    # 200 bytes hold a container header at most: no frame decodes
    assert set(unreadable) == {cut.stem}, unreadable
    assert "cannot be opened" in unreadable[cut.stem] or "no frame" in unreadable[cut.stem]
    assert [f["video_id"] for f in of(report, "VA401")] == [gone.stem]


def test_links_out_of_the_root_are_not_followed(copy, tmp_path, check):
    a, b = ids(copy)[:2]
    outside = tmp_path / "elsewhere"
    shutil.move(copy.frames / a, outside)
    os.symlink(outside, copy.frames / a)
    os.symlink(copy.frames / b, copy.frames / "99999999")  # inside the root: fine
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    [finding] = of(report, "VA405")
    assert finding["video_id"] == a and "not followed" in finding["message"]
    path = copy.frames / b / "frame_00000.jpg"
    path.unlink()
    os.symlink(outside / "frame_00000.jpg", path)
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert code == 1
    assert sorted(f["video_id"] for f in of(report, "VA405")) == sorted([a, b])
    video = next(p for p in copy.videos.iterdir() if p.stem == a)
    shutil.move(video, tmp_path / video.name)
    os.symlink(tmp_path / video.name, video)
    code, report = check(str(copy.metadata), "--videos", str(copy.videos), "--no-manifest")
    [finding] = of(report, "VA405")
    assert finding["video_id"] == a and "not followed" in finding["message"]


def test_unsafe_ids_never_become_paths(copy, tmp_path, check):
    # A frames folder reachable as <frames>/../x exists, and the metadata names "../x".
    shutil.copytree(copy.frames / ids(copy)[0], copy.frames.parent / "x")

    def plant(events):
        events["../x"] = [dict(events[ids(copy)[0]][0])]

    edit_events(copy, plant)
    code, report = check(str(copy.metadata), "--frames", str(copy.frames), "--no-manifest")
    assert code == 1
    assert [f["pointer"] for f in of(report, "VA401")] == ["/..~1x"]
    assert "VA202" in codes(report, "VA2")
    assert not of(report, "VA405")
    out = tmp_path / "m.csv"
    assert main(["manifest", "--frames", str(copy.frames), "-o", str(out)]) == 0
    assert "../x" not in out.read_text()
    from vidaudit.frames.paths import media_path

    with pytest.raises(ValueError):
        media_path(copy.frames, "../x")
    with pytest.raises(ValueError):
        media_path(copy.frames, "12", "/../../etc")


def test_rawframes_list_from_extracted_frames(copy, tmp_path, check):
    video = ids(copy)[1]
    count = len(list((copy.frames / video).iterdir()))

    def plant(events):
        events[video][0]["frameNumber"] = count

    edit_events(copy, plant)
    listing = tmp_path / "rawframes_val.txt"
    listing.write_text("".join(f"frames/{v} {len(list((copy.frames / v).iterdir()))} 4\n"
                               for v in ids(copy)))
    code, report = check(str(copy.metadata), "--manifest", str(listing))
    assert code == 1
    [finding] = of(report, "VA402")
    assert finding["pointer"] == f"/{video}/0" and f"has {count} frames" in finding["message"]
    assert codes(report) == ["VA402"]


def test_committed_manifest_then_check_without_media(copy, check):
    out = copy.metadata / "frame_manifest.csv"
    assert main(["manifest", "--frames", str(copy.frames), "-o", str(out)]) == 0
    shutil.rmtree(copy.frames)
    code, report = check(str(copy.metadata))
    assert code == 0 and "VA403" in report["rules_run"]
    assert report["inputs"][-1]["path"] == str(out)


def test_manifest_rows_for_problems_are_reported_from_the_csv(copy, tmp_path, check):
    a, b = ids(copy)[:2]
    (copy.frames / a / "frame_00002.jpg").unlink()
    (copy.frames / b / "frame_00000.jpg").write_bytes(b"")
    out = tmp_path / "frame_manifest.csv"
    assert main(["manifest", "--frames", str(copy.frames), "-o", str(out)]) == 0
    code, report = check(str(copy.metadata), "--manifest", str(out))
    assert code == 1
    assert [(f["code"], f["video_id"]) for f in report["findings"]] == sorted(
        [("VA404", a), ("VA405", b)], key=lambda x: manifest_csv_line(out, x[1]))
    for finding in report["findings"]:
        assert finding["file"] == str(out)
        assert finding["line"] == manifest_csv_line(out, finding["video_id"])
        assert f"({finding['video_id']}/)" in finding["message"]


def manifest_csv_line(path: Path, video_id: str) -> int:
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{video_id},"))


def test_rerun_reuses_unchanged_rows(copy, tmp_path, capsys):
    out = tmp_path / "m.csv"
    args = ["manifest", "--frames", str(copy.frames), "-o", str(out)]
    assert main(args) == 0
    first = out.read_text()
    capsys.readouterr()
    assert main(args) == 0
    assert f"{len(ids(copy))} unchanged" in capsys.readouterr().err
    assert out.read_text() == first
    a = ids(copy)[0]
    (copy.frames / a / "frame_00003.jpg").unlink()
    assert main(args) == 0
    assert f"1 probed, {len(ids(copy)) - 1} unchanged" in capsys.readouterr().err
    assert manifest_rows(out)[a]["gaps"] == 1
    assert main([*args, "--deep"]) == 0  # rows made from headers are not deep enough
    assert f"{len(ids(copy))} probed" in capsys.readouterr().err


def test_manifest_refuses_to_overwrite_other_files(media, tmp_path, capsys):
    other = tmp_path / "notes.txt"
    other.write_text("precious\n")
    assert main(["manifest", "--frames", str(media.frames), "-o", str(other)]) == 2
    assert other.read_text() == "precious\n"
    assert "not a frame manifest" in capsys.readouterr().err
    assert main(["manifest", "--frames", str(tmp_path / "absent"), "-o",
                 str(tmp_path / "m.csv")]) == 2
    assert main(["manifest", "--frames", str(media.frames), "-o", str(tmp_path)]) == 2


def test_progress_bar_only_on_a_terminal(media, tmp_path):
    import pty
    import subprocess
    import sys

    command = [sys.executable, "-m", "vidaudit", "manifest", "--frames", str(media.frames),
               "-o", str(tmp_path / "m.csv")]
    piped = subprocess.run(command, capture_output=True, text=True)
    assert piped.returncode == 0 and "probing" not in piped.stderr
    (tmp_path / "m.csv").unlink()
    controller, terminal = pty.openpty()
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=terminal) as process:
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait() == 0
    os.close(controller)
    assert b"probing frames" in seen
    assert b"wrote" in seen


def test_truncated_video_is_found_by_decoding(copy, check):
    video = next(p for p in sorted(copy.videos.iterdir()) if p.suffix == ".webm")
    data = video.read_bytes()
    video.write_bytes(data[: int(len(data) * 0.6)])
    code, report = check(str(copy.metadata), "--videos", str(copy.videos), "--no-manifest",
                         "--exact")
    assert code == 1
    [finding] = of(report, "VA405")
    assert finding["video_id"] == video.stem
    assert f"announces {copy.release.videos[video.stem].frame_count} frames" in \
        finding["message"]
