"""mmaction2/TSM "rawframes" lists: ``frame_dir num_frames [label]`` per line, no header.

Only the frame count is used. ``frame_dir`` may be a relative path
(``something/12345``): its last part is taken as the video id. Such a list has no
frame sizes, so point bounds cannot be checked from it.
"""

from __future__ import annotations

import re

from vidaudit.frames.problems import LineProblem, quoted
from vidaudit.frames.rows import MediaRow
from vidaudit.values import is_video_id

_GOOD_LINE = re.compile(
    r"[ \t]*(?:[^\s]*/)?(0|[1-9][0-9]*)[ \t]+([0-9]{1,18})(?:[ \t]+[^\s]+)?[ \t\r]*")
"""A well-formed line (the fast path; anything else is diagnosed field by field)."""


def looks_like_rawframes(lines: list[str]) -> bool:
    """Whether any of the (first few, non-blank) lines is a well-formed list line."""
    return any(_GOOD_LINE.fullmatch(line) for line in lines)


def parse(text: str) -> tuple[list[MediaRow], list[LineProblem]]:
    rows: list[MediaRow] = []
    problems: list[LineProblem] = []
    good = _GOOD_LINE.fullmatch
    for number, line in enumerate(text.split("\n"), 1):
        match = good(line)
        if match is not None:
            rows.append(MediaRow(match.group(1), frame_count=int(match.group(2)), line=number,
                                 count_method="list"))
            continue
        parts = line.split()
        if not parts:
            continue
        name = parts[0].rstrip("/").rpartition("/")[2]
        identity = f"row/{name}"
        if len(parts) not in (2, 3):
            problems.append(LineProblem(number, f"line has {len(parts)} fields, not "
                                        "`frame_dir num_frames [label]`", identity))
            continue
        if not is_video_id(name):
            problems.append(LineProblem(number, f"video id {quoted(parts[0])} is not a string "
                                        "of decimal digits without leading zeros", identity))
            continue
        count = parts[1]
        if not count.isascii() or not count.isdigit() or len(count) > 18:
            problems.append(LineProblem(number, f"num_frames is {quoted(count)}, not a whole "
                                        "number of at most 18 digits", identity, name))
            continue
        rows.append(MediaRow(name, frame_count=int(count), line=number,
                             count_method="list"))
    return rows, problems
