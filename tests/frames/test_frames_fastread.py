"""The C-parser readers (vidaudit.frames.fastread) against the exact line-by-line readers.

Whenever the fast reader accepts a file, it must give exactly the rows the exact reader
gives and the exact reader must find no problem in it; it must accept the ordinary
files (else the speed-up is gone without a test noticing).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidaudit.frames import csvio, fastread, rawframes
from vidaudit.frames.rows import COLUMNS, MediaRow
from vidaudit.frames.table import from_rows, to_rows

EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def agree_rawframes(data: bytes) -> bool:
    """Whether the fast reader took the file; asserts that it agrees if it did."""
    fast = fastread.rawframes_table(data)
    if fast is None:
        return False
    rows, problems = rawframes.parse(data.decode("utf-8-sig"))
    assert problems == [], data
    assert to_rows(fast) == rows, data
    return True


def agree_csv(data: bytes) -> bool:
    fast = fastread.csv_table(data)
    if fast is None:
        return False
    rows, problems, missing = csvio.parse(data.decode("utf-8-sig"))
    assert (problems, missing) == ([], []), data
    assert to_rows(fast) == rows, data
    return True


# Ordinary tokens most of the time, and now and then one chosen to hit a difference
# between the two parsers: signs, leading zeros, paths, long numbers, odd whitespace,
# quotes, non-ASCII, empty fields.
def mostly(ordinary: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(ordinary * 12 + odd)


IDS = mostly(["0", "7", "12345", "220847", "a/b/123", "some/9", "/42", "99999999999999999"],
             ["007", "+5", "-5", "-0", "1e3", "5.0", "x1", "123/", "12345678901234567890",
              "\u0661\u0662", '"7"', "8\x0b"])
COUNTS = mostly(["0", "3", "48", "999999999999999999"],
                ["007", "+4", "-0", "-3", "4.0", "1000000000000000000", "0000000000000000001",
                 "x", ""])
LABELS = mostly(["", "0", "17", "-1"], ["abc", "a b", "é", "1 2"])
SEPARATORS = mostly([" ", "\t"], ["  ", " \t"])
ENDS = mostly(["\n"], ["\r\n", " \n", "\r", "\n\n", "\t\n"])


@st.composite
def rawframes_files(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        sep = draw(SEPARATORS)
        parts = [draw(IDS), draw(COUNTS)]
        label = draw(LABELS)
        if label:
            parts.append(label)
        lead = draw(st.sampled_from(["", "", " "]))
        lines.append(lead + sep.join(p for p in parts if p) + draw(ENDS))
    text = "".join(lines)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    prefix = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return prefix + text.encode()


@given(rawframes_files())
@EXAMPLES
def test_rawframes_fast_reader_agrees_with_the_exact_one(data: bytes) -> None:
    agree_rawframes(data)


def test_rawframes_fast_reader_takes_ordinary_lists() -> None:
    assert agree_rawframes(b"78687 134 19\n42326 126 141\n0 5 0\n")
    assert agree_rawframes(b"something/12 40\nother/13 41 2\n")  # mmaction2 paths
    assert agree_rawframes(b"\xef\xbb\xbf1 2\r\n3 4\r\n")
    assert agree_rawframes(b"1\t2\t-1\n")
    assert agree_rawframes(b"5 007 1\n")  # a padded count the exact reader accepts too
    # Split on single spaces where that is what splitting on whitespace gives, else not.
    for data in (b"1 2\n3 4 5", b"1  2\n", b" 1 2\n", b"1 2 \n", b"1 2\n3 \t4\n"):
        assert agree_rawframes(data), data


def test_rawframes_fast_reader_leaves_problems_to_the_exact_one() -> None:
    for data in (b"1 2\n\n3 4\n", b"1 2 3 4\n", b"1 2 3\n4 5 6 7\n", b"0042 5\n",
                 b"1 2 3 4\n5 6 7 8\n", b"0 2 3 4\n1 6 7 8\n",
                 b"1 +5\n", b"1 -0\n", b"-0 3\n", b"1 -3\n", b"1 2\r3 4\n",
                 b"1 0000000000000000001\n", b"1\n", b"123/ 4\n", "\u0661 2\n".encode()):
        assert fastread.rawframes_table(data) is None, data


CELLS = mostly(["", "0", "1", "7", "240", "427", "1764460800123456789"],
               ["007", "1e3", "5.0", "-1", " 3", "x", "12.5", "nan", "inf",
                "9223372036854775807"])
TEXT_CELLS = mostly(["", "a", "frames/1/", "the decoder said no"], [" x", "x ", "é"])


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    columns = draw(st.sampled_from([
        ("video_id", "frame_count"), ("video_id", "frame_count", "width", "height"),
        COLUMNS, ("frame_count", "video_id", "fps", "source"),
        ("Video_ID ", "frame_count", "extra")]))
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(1, 3))):
        cells = []
        for name in columns:
            if name.strip().lower() == "video_id":
                cells.append(draw(IDS))
            elif name in ("source", "unreadable", "size_mismatch", "count_method", "checked"):
                cells.append(draw(TEXT_CELLS))
            else:
                cells.append(draw(CELLS))
        if draw(st.integers(0, 19)) == 0:
            cells = cells[:-1]
        lines.append(",".join(cells))
    return (draw(ENDS).join(lines) + "\n").encode()


@given(csv_files())
@EXAMPLES
def test_csv_fast_reader_agrees_with_the_exact_one(data: bytes) -> None:
    agree_csv(data)


def test_csv_fast_reader_takes_manifests_vidaudit_writes() -> None:
    rows = [MediaRow("12", 48, 427, 240, 12.0, 0, 0, 0, "", "", "12/", "files", "headers",
                     1234, 1764460800123456789),
            MediaRow("3", 10, None, None, None, 0, 2, 1, "", "", "3/", "files", "headers",
                     99, 1764460800000000000),
            MediaRow("7", None, source="7.webm", unreadable="cannot open it")]
    text = csvio.render(rows)
    assert agree_csv(text.encode())
    assert len(from_rows(csvio.parse(text)[0])) == 3


def test_csv_fast_reader_leaves_problems_to_the_exact_one() -> None:
    for data in (b"video_id,frame_count\n1,x\n", b"video_id,frame_count\n1\n",
                 b'video_id,frame_count\n"1",2\n', b"video_id,frame_count\n1, 2\n",
                 b"video_id,frame_count,width,height\n1,2,3,\n", b"video_id,frame_count\n",
                 b"video_id,frame_count\n1,2\n\n3,4\n", b"video_id,video_id,frame_count\n1,2,3\n"):
        assert fastread.csv_table(data) is None, data
