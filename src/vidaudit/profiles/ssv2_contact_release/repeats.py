"""VA501 (duplicate events) and VA502 (contradictory events): for each event, the earlier
event of its video that it repeats, or contradicts.

Both compare events of one video at one frame, and almost every (video, frame) pair of
a release has one event (all but 0.2% of the events of a full-size release). So array
operations pick out the events that share their video and frame with another, and the
per-event comparison (:func:`_scan`) runs on those only.

The selection relies on every value being hashable: an event with a list or an object
where a value belongs is compared by its JSON text, which can match another's at a
different frame (``NaN``, or text cut short). Then every event is scanned.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from vidaudit.values import is_number, show

COLUMNS = ("video_id", "event_index", "action", "agent", "frameNumber", "pointX", "pointY")
OUTPUTS = ("duplicate_of", "contradicts", "contradicting_action")
_HASHABLE_KINDS = {"string", "integer", "floating", "mixed-integer-float", "boolean", "empty"}
"""What :func:`pandas.api.types.infer_dtype` says of a column holding only such values."""


def repeats(events: pd.DataFrame) -> dict[str, list[Any]]:
    """The ``duplicate_of``, ``contradicts`` and ``contradicting_action`` columns."""
    rows = _sharing_a_frame(events)
    if rows is None:
        return _scan(*(events[c].tolist() for c in COLUMNS))
    found = _scan(*(events[c].iloc[rows].tolist() for c in COLUMNS))
    columns: dict[str, list[Any]] = {}
    for name in OUTPUTS:
        column: list[Any] = [None] * len(events)
        for row, value in zip(rows.tolist(), found[name], strict=True):
            column[row] = value
        columns[name] = column
    return columns


def _sharing_a_frame(events: pd.DataFrame) -> np.ndarray | None:
    """The rows (in order) whose video and frame some other row has too, or None when
    some value is unhashable.

    The codes compared are equal for equal values, and may be equal for some unequal
    ones (a hash collision, None and NaN): that only adds rows to scan.
    """
    if not all(_hashable(events[c]) for c in ("action", "agent", "pointX", "pointY")):
        return None
    try:
        videos = np.fromiter(map(hash, events["video_id"].to_numpy()), dtype=np.int64,
                             count=len(events))
        frames = pd.factorize(events["frameNumber"])[0]
    except TypeError:  # a list or an object as a video id or a frame
        return None
    key = pd.Series(videos * 1_000_003 + frames)  # wraps around: more equal keys at most
    return np.flatnonzero(key.duplicated(keep=False).to_numpy())


def _hashable(column: pd.Series[Any]) -> bool:
    if infer_dtype(column, skipna=False) in _HASHABLE_KINDS:
        return True
    try:
        pd.factorize(column)
    except TypeError:
        return False
    return True


def _scan(videos: list[Any], indices: list[int], actions: list[Any], agents: list[Any],
          frames: list[Any], xs: list[Any], ys: list[Any]) -> dict[str, list[Any]]:
    """Event by event, in order: the first earlier identical event of the video (VA501),
    and the first event by the same agent at the same frame, if its action differs (VA502)."""
    duplicate_of: list[int | None] = []
    contradicts: list[int | None] = []
    contradicting: list[Any] = []
    seen: dict[Any, int] = {}
    first_action: dict[Any, tuple[int, Any]] = {}
    for video, index, action, agent, frame, x, y in zip(videos, indices, actions, agents,
                                                        frames, xs, ys, strict=True):
        try:
            signature: Any = (video, action, agent, frame, x, y)
            hash(signature)
        except TypeError:  # a list or object where a value belongs (VA201 reports it)
            signature = (video, show((action, agent, frame, x, y), limit=10_000))
        first = seen.setdefault(signature, index)
        duplicate_of.append(first if first != index else None)
        earlier = None
        if type(action) is str and type(agent) is str and is_number(frame):
            earlier = first_action.setdefault((video, agent, frame), (index, action))
            if earlier[1] == action:
                earlier = None
        contradicts.append(earlier[0] if earlier else None)
        contradicting.append(earlier[1] if earlier else None)
    return {"duplicate_of": duplicate_of, "contradicts": contradicts,
            "contradicting_action": contradicting}
