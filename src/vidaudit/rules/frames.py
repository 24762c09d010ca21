"""VA4xx: frames. Need a frame source (manifest, frame folders or videos).

The predicates read columns that :mod:`vidaudit.frames.join` adds to a profile's
tables when a frame source is attached (``has_frames``, ``missing_detail`` on the
table of videos; ``frame_count``, ``width``, ``height`` on the rows that name a frame
or a point), and the ``manifest`` table itself (``gaps``, ``unreadable``,
``size_mismatch``, ...), which a committed CSV manifest fills as well as probing
does. Without a frame source the columns are absent and every row passes (the rules
are not reported as run either).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.rules.registry import rule, table_rule

if TYPE_CHECKING:
    import pandas as pd

ERROR = Severity.ERROR


def passing(table: pd.DataFrame) -> pd.Series[bool]:
    import pandas as pd

    return pd.Series(True, index=table.index, dtype=bool)


def below(values: pd.Series[Any], limit: pd.Series[Any]) -> pd.Series[bool]:
    """True where the value is below the limit, or either is unknown."""
    import numpy as np
    import pandas as pd

    from vidaudit.values import as_floats

    numbers = as_floats(values)
    bound = limit.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        fine = np.isnan(numbers) | np.isnan(bound) | (numbers < bound)
    return pd.Series(fine, index=values.index, dtype=bool)


def frames_present(annotated: str) -> Callable[[pd.DataFrame, Any], pd.Series[bool]]:
    """VA401's predicate for a table with one row per video and a boolean ``annotated``
    column: the video has frames, or needs none."""
    def predicate(table: pd.DataFrame, config: Any) -> pd.Series[bool]:
        if "has_frames" not in table:
            return passing(table)
        return ~table[annotated] | table["has_frames"]
    return predicate


def frame_in_range(frame: str) -> Callable[[pd.DataFrame, Any], pd.Series[bool]]:
    """VA402's predicate: the 0-based frame number in column ``frame`` is below the
    joined ``frame_count``."""
    def predicate(table: pd.DataFrame, config: Any) -> pd.Series[bool]:
        if "frame_count" not in table:
            return passing(table)
        return below(table[frame], table["frame_count"])
    return predicate


def point_in_frame(x: str, y: str) -> Callable[[pd.DataFrame, Any], pd.Series[bool]]:
    """VA403's predicate: the pixel point (``x``, ``y``) lies inside the joined
    ``width`` x ``height``."""
    def predicate(table: pd.DataFrame, config: Any) -> pd.Series[bool]:
        if "width" not in table:
            return passing(table)
        return below(table[x], table["width"]) & below(table[y], table["height"])
    return predicate


rule(
    "VA401", "frames-missing", ERROR,
    "an annotated video has no frames, video or manifest row",
    """
    Without the video's frames, none of its events can be checked or used. With a
    manifest, the video has no row in it; with `--frames`/`--videos`, nothing under
    that folder is named by the video id (or its frames folder is empty).
    """,
    "Extract the video's frames, or add its row to the frame manifest.", needs="frames",
    per_profile=True)

rule(
    "VA402", "frame-out-of-range", ERROR,
    "an annotated frame number is not below the video's frame count",
    """
    Frames are numbered from 0, so the last frame of an n-frame video is n-1. An event
    at frame n or later points at a frame that does not exist: off-by-one errors,
    events annotated at another frame rate, or a truncated extraction. A frame count
    from a rawframes list or a container (`count_method`) is only as good as the
    extraction that made it: compare like with like.
    """,
    "Check the event against the video; re-extract the frames if the video is longer "
    "than its frames folder.", needs="frames", per_profile=True)

rule(
    "VA403", "point-out-of-bounds", ERROR,
    "an annotated point lies outside the frame (x >= width or y >= height)",
    """
    Points are pixel coordinates in the extracted frames, so 0 <= x < width and
    0 <= y < height. A point outside was annotated on another resolution or has
    x and y swapped. Videos whose frame source gives no size (a rawframes list, a
    manifest row without width/height) are not bounds-checked; the report says how
    many.
    """,
    "Rescale or swap the coordinates, or re-annotate the point.", needs="frames", per_profile=True)

table_rule(
    "VA404", "frame-sequence-gap", ERROR,
    "extracted frames are not exactly frame_00000.jpg ... frame_{n-1} (or the profile's "
    "naming)",
    """
    The frame count is taken to be the number of files, and frame k to be file k. A
    missing index shifts every later frame; an extra index means a stale file; a
    folder starting at frame_00001.jpg was extracted 1-based (ffmpeg's default), so
    every frame number is off by one. Profiles whose frames are named otherwise say so
    (Something-Else: `0001.jpg` from 1; Kinetics-TPS: `img_00001.jpg` from 1), and their
    folders are held to that naming.
    """,
    "Re-extract the video's frames into an empty folder.",
    tables="manifest",
    predicate=lambda t, c: (t["gaps"] == 0) & (t["extra"] == 0)
    & t["first_index"].fillna(0).eq(0),
    message="frames of video {video_id}{where} are not {expected_frames}: "
            "{sequence_problem}",
    needs="frames")

table_rule(
    "VA405", "unreadable-media", ERROR,
    "a frame or video cannot be opened or decoded",
    """
    A truncated JPEG or a broken video fails training data loaders at random, far
    from its cause. By default the first and last frame of each folder are checked
    (header and end marker) and each video's first frame is decoded. `--exact` and
    `--deep` decode every frame of a video (a truncated video decodes clearly fewer
    frames than its container announces); `--deep` also decodes every frame of a
    folder.
    """,
    "Re-extract or re-download the file.",
    tables="manifest", predicate=lambda t, c: t["unreadable"] == "",
    message="video {video_id}{where}: {unreadable}", needs="frames")

table_rule(
    "VA406", "frame-size-mismatch", ERROR,
    "frames of one video differ in size, or the manifest disagrees with the frames",
    """
    All frames of a video share one size, and the committed manifest must describe
    the frames on disk; otherwise point bounds are checked against the wrong size.
    By default the first and last frame are compared; `--deep` compares every frame.
    With `--frames`/`--videos`, the committed manifest beside the metadata is
    compared with what is on disk.
    """,
    "Re-extract the frames, then rebuild the manifest with `vidaudit manifest`.",
    tables="manifest", predicate=lambda t, c: t["size_mismatch"] == "",
    message="video {video_id}{where}: {size_mismatch}", needs="frames")

rule("VA407", "invalid-manifest-row", ERROR,
     "a frame manifest line that cannot be used (bad or repeated video id, count or size)",
     """
     The frame manifest (CSV or rawframes list) is an input like the metadata: a row
     with an id that is not a video id, a count that is not a whole number, half a
     frame size, or a video listed twice cannot be trusted, so it is left out (its
     video then gets VA401).
     """,
     "Fix the row, or rebuild the manifest with `vidaudit manifest`.", needs="frames")
