"""A fast structural test of a masklet file: when it passes, the JSON Schema
(``schemas/sav_masklets.schema.json``) passes too, and the schema pass is skipped.

fastjsonschema takes ~20 ms on a real auto file (a thousand RLE objects); this takes
about one. When it fails, the full schema pass says exactly what is wrong.
"""

from __future__ import annotations

import math
from typing import Any

NUMBER = (int, float)
NUMBER_TYPES = {int, float}
VIDEO_NUMBERS = ("video_duration", "video_frame_count", "video_height", "video_width",
                 "video_resolution")
WHOLE_VIDEO = ("video_frame_count", "video_height", "video_width")
PER_OBJECT_INTS = ("masklet_id", "masklet_visibility_changes", "masklet_first_appeared_frame",
                   "masklet_frame_count", "masklet_edited_frame_count")
KEYS = frozenset({
    "video_id", "video_duration", "video_frame_count", "video_height", "video_width",
    "video_resolution", "video_environment", "video_split", "masklet", "masklet_id",
    "masklet_size_rel", "masklet_size_abs", "masklet_size_bucket",
    "masklet_visibility_changes", "masklet_first_appeared_frame", "masklet_frame_count",
    "masklet_edited_frame_count", "masklet_type", "masklet_stability_score", "masklet_num"})


def _number(value: Any) -> bool:
    return type(value) in NUMBER and value == value and value not in (float("inf"),
                                                                      float("-inf"))


def _whole(value: Any, low: int = 0) -> bool:
    return _number(value) and float(value).is_integer() and value >= low


def _numbers(values: Any, whole: bool) -> bool:
    """A list of finite non-negative numbers (whole ones, if ``whole``)."""
    if type(values) is not list or not set(map(type, values)) <= NUMBER_TYPES:
        return False
    if not all(map(math.isfinite, values)) or (values and min(values) < 0):
        return False
    return not whole or all(float(v).is_integer() for v in values)


def well_formed(data: Any) -> bool:
    """Whether ``data`` certainly satisfies the schema."""
    if type(data) is not dict or data.keys() != KEYS:
        return False
    if type(data["video_id"]) is not str or not data["video_id"].startswith("sav_") \
            or not data["video_id"][4:].isdigit() or not data["video_id"][4:].isascii():
        return False
    if not all(_number(data[k]) and data[k] >= 0 for k in VIDEO_NUMBERS):
        return False
    if not all(_whole(data[k], 1 if k != "video_frame_count" else 0) for k in WHOLE_VIDEO):
        return False
    if data["video_environment"] not in ("Indoor", "Outdoor") \
            or type(data["video_split"]) is not str:
        return False
    if not _whole(data["masklet_num"]) or type(data["masklet_num"]) is bool:
        return False
    for key in PER_OBJECT_INTS:
        if not _numbers(data[key], whole=True):
            return False
    for key in ("masklet_size_rel", "masklet_size_abs"):
        if not _numbers(data[key], whole=False):
            return False
    if type(data["masklet_size_bucket"]) is not list or not all(
            v in ("small", "medium", "large") for v in data["masklet_size_bucket"]):
        return False
    if type(data["masklet_type"]) is not list or not all(
            v in ("manual", "auto") for v in data["masklet_type"]):
        return False
    if not _stability(data["masklet_stability_score"]):
        return False
    return _masklet(data["masklet"])


def _stability(values: Any) -> bool:
    """None, finite numbers, or lists of them (the auto file: frames x objects)."""
    if type(values) is not list:
        return False
    rows = [v for v in values if type(v) is list]
    flat = [v for v in values if type(v) is not list] + [v for row in rows for v in row]
    if not set(map(type, flat)) <= {int, float, type(None)}:
        return False
    numbers = [v for v in flat if v is not None]
    return all(map(math.isfinite, numbers))


def _masklet(frames: Any) -> bool:
    """Every frame a list of ``{"size": [h, w], "counts": str}`` (set-wise over the
    whole file: one pass of C-level maps instead of a Python loop per RLE)."""
    if type(frames) is not list or set(map(type, frames)) - {list}:
        return False
    items = [item for frame in frames for item in frame]
    if not items:
        return True
    if set(map(type, items)) != {dict} or set(map(len, items)) != {2}:
        return False
    counts = [item.get("counts") for item in items]
    sizes = [item.get("size") for item in items]
    if set(map(type, counts)) != {str} or set(map(type, sizes)) != {list} \
            or set(map(len, sizes)) != {2}:
        return False
    try:
        distinct = set(map(tuple, sizes))
    except TypeError:  # a list or an object inside a size
        return False
    return all(type(a) in NUMBER and type(b) in NUMBER and _whole(a) and _whole(b)
               for a, b in distinct)
