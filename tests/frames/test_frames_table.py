"""Row tables (vidaudit.frames.table): several manifests' rows as one set."""

from __future__ import annotations

from vidaudit.frames import fastread
from vidaudit.frames.rows import MediaRow
from vidaudit.frames.table import RowSet, from_rows, ids, key_of, keys_of, to_rows


def test_select_takes_the_rows_of_parts_with_different_columns() -> None:
    listed = fastread.rawframes_table(b"5 10 1\n6 20 1\n")  # light: key, count, line
    written = fastread.csv_table(b"video_id,frame_count,width,height\n7,30,320,240\n5,1,1,1\n")
    probed = from_rows([MediaRow("8", 40, source="8/", count_method="files")], ["frames/8"])
    assert listed is not None and written is not None
    rows = RowSet.of([listed, written, probed], ["a.txt", "b.csv", ""])
    assert [p.message for p in rows.problems[1]] == [
        "video 5 is listed again (first at a.txt:1); this row is ignored"]
    table = rows.select([True, False, True, True])  # of 5, 6, 7, 8 (b.csv's 5: a repeat)
    assert ids(table).tolist() == ["5", "7", "8"]
    assert table["file"].tolist() == ["a.txt", "b.csv", "frames/8"]
    assert to_rows(table) == [
        MediaRow("5", 10, count_method="list", line=1),
        MediaRow("7", 30, 320, 240, line=2),
        MediaRow("8", 40, source="8/", count_method="files")]
    assert len(rows.select([False] * 4)) == 0


def test_keys_of_is_key_of_for_each_id_that_has_a_key() -> None:
    ids_with_keys = ["0", "7", "12345", "220847", "9" * 18]
    assert keys_of(ids_with_keys).tolist() == [key_of(v) for v in ids_with_keys]
    for odd in ("007", "", "1 2", "9" * 19, "x1", "\u0663", "-5", "+5", " 5", "5\n"):
        assert keys_of(["3", odd, "4"]).tolist() == [3, 4], odd
    assert keys_of([]).tolist() == []
