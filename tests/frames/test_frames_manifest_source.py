"""`vidaudit check --manifest`: CSV manifests and rawframes lists, VA401-VA407."""

from __future__ import annotations

from framehelp import codes, manifest_csv, of

from vidaudit.synth import metadata


def rows_of(release: metadata.Release) -> list[dict]:
    return metadata.manifest_rows(release)


def test_clean_manifest_passes_and_frame_rules_run(metadata_dir, release, tmp_path, check):
    manifest = tmp_path / "m.csv"
    manifest.write_text(manifest_csv(rows_of(release)))
    code, report = check(str(metadata_dir), "--manifest", str(manifest))
    assert code == 0, report["findings"]
    assert codes(report) == []
    assert {"VA401", "VA402", "VA403", "VA404", "VA405", "VA406", "VA407"} <= \
        set(report["rules_run"])
    assert {"path": str(manifest)} .items() <= report["inputs"][-1].items()


def test_without_frame_source_frame_rules_do_not_run(metadata_dir, check):
    code, report = check(str(metadata_dir))
    assert code == 0
    assert not [c for c in report["rules_run"] if c.startswith("VA4")]


def test_missing_row_short_count_small_width(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    missing, short, narrow = rows[0], rows[1], rows[2]
    rows.remove(missing)
    last = max(e["frameNumber"] for e in release.events[short["video_id"]])
    short["frame_count"] = last  # the last event is now one past the end
    widest = max(e["pointX"] for e in release.events[narrow["video_id"]])
    narrow["width"] = widest
    manifest = tmp_path / "m.csv"
    manifest.write_text(manifest_csv(rows))
    code, report = check(str(metadata_dir), "--manifest", str(manifest))
    assert code == 1

    [va401] = of(report, "VA401")
    assert va401["video_id"] == missing["video_id"]
    assert va401["pointer"] == f"/{missing['video_id']}"
    assert va401["file"].endswith("video_events_labels.json") and va401["line"] == 1
    assert str(manifest) in va401["message"]

    va402 = of(report, "VA402")
    expected = [i for i, e in enumerate(release.events[short["video_id"]])
                if e["frameNumber"] >= last]
    assert [f["pointer"] for f in va402] == [f"/{short['video_id']}/{i}" for i in expected]
    line = rows.index(short) + 2  # after the header
    assert f"has {last} frames (0 to {last - 1}; {manifest}:{line})" in va402[0]["message"]

    va403 = of(report, "VA403")
    expected = [i for i, e in enumerate(release.events[narrow["video_id"]])
                if e["pointX"] >= widest]
    assert [f["pointer"] for f in va403] == [f"/{narrow['video_id']}/{i}" for i in expected]
    assert f"{widest}x240" in va403[0]["message"]


def test_manifest_table_rules_point_at_csv_lines(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    for row in rows:
        row.update(gaps=0, extra=0, first_index=0, unreadable="", size_mismatch="")
    rows[3].update(gaps=2)
    rows[4].update(first_index=1)
    rows[5].update(unreadable="frame_00007.jpg: truncated JPEG (no end marker)")
    rows[6].update(size_mismatch="frame_00019.jpg is 320x240, frame_00000.jpg is 427x240")
    columns = ("video_id", "frame_count", "width", "height", "first_index", "gaps", "extra",
               "unreadable", "size_mismatch")
    manifest = tmp_path / "m.csv"
    manifest.write_text(manifest_csv(rows, columns))
    code, report = check(str(metadata_dir), "--manifest", str(manifest))
    assert code == 1
    found = {(f["code"], f["video_id"]): f for f in report["findings"]}
    assert sorted(found) == sorted([("VA404", rows[3]["video_id"]),
                                    ("VA404", rows[4]["video_id"]),
                                    ("VA405", rows[5]["video_id"]),
                                    ("VA406", rows[6]["video_id"])])
    for index, code_ in ((3, "VA404"), (4, "VA404"), (5, "VA405"), (6, "VA406")):
        finding = found[(code_, rows[index]["video_id"])]
        assert finding["file"] == str(manifest)
        assert (finding["line"], finding["column"]) == (index + 2, 1)  # header is line 1
    assert "2 indices missing" in found[("VA404", rows[3]["video_id"])]["message"]
    assert "starts at frame_00001.jpg" in found[("VA404", rows[4]["video_id"])]["message"]
    assert "truncated JPEG" in found[("VA405", rows[5]["video_id"])]["message"]


def test_bad_rows_are_va407_and_their_videos_va401(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    ids = [r["video_id"] for r in rows]
    text = manifest_csv(rows).splitlines()
    text[1] = f"../{ids[0]},{rows[0]['frame_count']},{rows[0]['width']},240"
    text[2] = f"{ids[1]},many,{rows[1]['width']},240"
    text[3] = f"{ids[2]},{rows[2]['frame_count']},{rows[2]['width']},"
    text[4] = f"{ids[3]},{rows[3]['frame_count']}"
    text.append(text[5])  # the same video again
    manifest = tmp_path / "m.csv"
    manifest.write_text("\n".join(text) + "\n")
    code, report = check(str(metadata_dir), "--manifest", str(manifest))
    assert code == 1
    va407 = of(report, "VA407")
    assert [(f["line"], f["column"]) for f in va407] == [(2, 1), (3, 1), (4, 1), (5, 1),
                                                        (len(text), 1)]
    assert "not a string of decimal digits" in va407[0]["message"]
    assert "frame_count is \"many\"" in va407[1]["message"]
    assert "width and height" in va407[2]["message"]
    assert "2 fields" in va407[3]["message"]
    assert "first at line 6" in va407[4]["message"]
    assert sorted(f["video_id"] for f in of(report, "VA401")) == sorted(ids[:4])
    assert len({f["fingerprint"] for f in va407}) == 5


def test_rawframes_list_counts_only(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    short = rows[0]
    last = max(e["frameNumber"] for e in release.events[short["video_id"]])
    lines = [f"{r['video_id']} {last if r is short else r['frame_count']} 17" for r in rows]
    lines[1] = "some/prefix/" + lines[1]  # mmaction2 frame_dir paths name the video last
    lines[2] = lines[2].rsplit(" ", 1)[0]  # the label is optional
    listing = tmp_path / "val_list_rawframes.txt"
    listing.write_text("\n".join(lines) + "\n")
    code, report = check(str(metadata_dir), "--manifest", str(listing))
    assert code == 1
    assert set(codes(report)) == {"VA402"}
    assert {f["video_id"] for f in of(report, "VA402")} == {short["video_id"]}
    assert any(f"{len(rows)} of {len(rows)} annotated videos could not be bounds-checked" in n
               for n in report["notes"])


def test_rawframes_bad_lines(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    lines = [f"{r['video_id']} {r['frame_count']} 3" for r in rows]
    lines[0] = f"{rows[0]['video_id']} 12.5 3"
    lines[1] = f"{rows[1]['video_id']} 12 3 extra"
    lines[2] = f"0{rows[2]['video_id']} 12 3"
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(lines) + "\n")
    code, report = check(str(metadata_dir), "--manifest", str(listing))
    assert code == 1
    assert [f["line"] for f in of(report, "VA407")] == [1, 2, 3]
    assert len(of(report, "VA401")) == 3


def test_several_manifests_and_a_folder(metadata_dir, release, tmp_path, check):
    rows = rows_of(release)
    folder = tmp_path / "lists"
    folder.mkdir()
    half = len(rows) // 2
    (folder / "a.txt").write_text("".join(f"{r['video_id']} {r['frame_count']} 1\n"
                                          for r in rows[:half]))
    (folder / "b.csv").write_text(manifest_csv(rows[half:]))
    (folder / "notes.md").write_text("not a list\n")
    code, report = check(str(metadata_dir), "--manifest", str(folder))
    assert code == 0 and codes(report) == []
    assert [i["path"] for i in report["inputs"][-2:]] == [str(folder / "a.txt"),
                                                          str(folder / "b.csv")]
    code, report = check(str(metadata_dir), "--manifest", str(folder / "a.txt"))
    assert len(of(report, "VA401")) == len(rows) - half
    code, report = check(str(metadata_dir), "--manifest", str(folder / "a.txt"),
                         "--manifest", str(folder / "b.csv"))
    assert code == 0 and codes(report) == []


def test_committed_manifest_is_picked_up(metadata_dir, release, check):
    rows = rows_of(release)
    rows[0]["frame_count"] = 0
    (metadata_dir / "frame_manifest.csv").write_text(manifest_csv(rows))
    code, report = check(str(metadata_dir))
    assert [f["video_id"] for f in of(report, "VA401")] == [rows[0]["video_id"]]
    assert "0 frames" in of(report, "VA401")[0]["message"]
    assert report["inputs"][-1]["path"] == str(metadata_dir / "frame_manifest.csv")
    code, report = check(str(metadata_dir), "--no-manifest")
    assert code == 0 and "VA401" not in report["rules_run"]


def test_not_a_manifest(metadata_dir, tmp_path, check, capsys):
    other = tmp_path / "notes.txt"
    other.write_text("hello there\nthis is not a list\n")
    code, report = check(str(metadata_dir), "--manifest", str(other))
    [va407] = of(report, "VA407")
    assert va407["line"] == 1 and "not a frame manifest" in va407["message"]
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"video_id,frame_count\n1,\xff\xfe\n")
    code, report = check(str(metadata_dir), "--manifest", str(binary))
    assert [f["line"] for f in of(report, "VA407")] == [2]
    code, report = check(str(metadata_dir), "--manifest", str(tmp_path / "absent.csv"))
    assert code == 2 and report == {}
    assert "absent.csv does not exist" in capsys.readouterr().err
