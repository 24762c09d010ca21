"""The tables Great Expectations validates, made from a dataset's tables.

GX sees columns, not JSON, so each raw JSON value becomes typed columns it can
check with its stock expectations:

- a number field (``frameNumber``, ``pointX``, ``pointY``) becomes the number as
  a float (empty when it is not a number) and ``<field>_kind``, the JSON kind of
  the raw value: ``integer``, ``integral float`` (``10.0``), ``fractional float``,
  ``string``, ``boolean``, ``null``, ``array``, ``object`` (empty when missing);
- a vocabulary field (``action``, ``agent``) stays text; a value that is not a
  string becomes its JSON text (``5``, ``null``) so that it is outside every
  vocabulary; a missing member is empty (the JSON Schema reports it);
- a video id in a list becomes ``video_id_json``, its JSON text (``"123"``), so one
  regular expression tells a proper id from a number, a padded or a non-ASCII one;
- the joins the profile computed (how many splits, templates and events a video
  has) and, with a frame source, the video's ``frame_count``, ``width`` and
  ``height`` are columns, so the cross-file rules become range expectations.

Every frame has ``identity`` (vidaudit's name for the row), which GX reports for
each unexpected row: that is how its results are matched with the findings.

Text from the dataset is HTML-escaped (``&``, ``<``, ``>``) before GX sees it: GX's
Data Docs put unexpected values into the page as they are, so an action like
``<img onerror=...>`` would otherwise run in the reader's browser. No vocabulary
value or SSv2 class name contains these characters, so every expectation gives the
same verdict on the escaped text; the validation results show such values escaped.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from vidaudit.dataset import Dataset
from vidaudit.values import MISSING, is_number, json_type, show

NUMBERS = ("frameNumber", "pointX", "pointY")
TABLES = ("events", "videos", "split_entries", "template_entries", "templates")


def json_kind(value: Any) -> str | None:
    if value is MISSING:
        return None
    if type(value) is int:
        return "integer"
    if type(value) is float:
        return "integral float" if value.is_integer() else "fractional float"
    return json_type(value)


def _safe(text: str) -> str:
    return html.escape(text, quote=False)


def _text(value: Any) -> str | None:
    if value is MISSING:
        return None
    return _safe(value if type(value) is str else show(value, limit=200))


def _number(value: Any) -> float:
    return float(value) if is_number(value) else float("nan")


def _json(value: Any) -> str:
    return _safe(show(value, limit=10_000))


def _floats(series: pd.Series[Any]) -> pd.Series[float]:
    numbers = pd.to_numeric(pd.Series(series).astype(object), errors="coerce")
    return pd.Series(numbers.to_numpy(dtype="float64", na_value=float("nan")), dtype="float64")


def _texts(series: pd.Series[Any]) -> pd.Series[str]:
    return series.astype(str).map(_safe)


def gx_frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    tables = dataset.tables
    events = tables["events"]
    lists = tables["event_lists"]
    n_events = dict(zip(lists["key"], lists["n_events"].where(lists["is_list"]), strict=True))

    frame: dict[str, Any] = {
        "identity": _texts(events["identity"]), "video_id": _texts(events["video_id"]),
        "event_index": events["event_index"],
        "action": [_text(v) for v in events["action"]],
        "agent": [_text(v) for v in events["agent"]]}
    for name in NUMBERS:
        frame[name] = pd.Series([_number(v) for v in events[name]], dtype="float64")
        frame[f"{name}_kind"] = [json_kind(v) for v in events[name]]
    for column in ("frame_count", "width", "height"):  # joined by the frame source
        if column in events:
            frame[column] = _floats(events[column])
    out = {"events": pd.DataFrame(frame)}

    videos: dict[str, Any] = {
        "identity": _texts(lists["identity"]), "video_id": _texts(lists["video_id"]),
        "video_id_json": [_json(v) for v in lists["video_id"]],
        "n_events": lists["n_events"].where(lists["is_list"]).astype("float64"),
        "n_splits": lists["n_splits"].astype("float64"),
        "n_templates": lists["n_templates"].astype("float64")}
    manifest = tables.get("manifest")
    if manifest is not None and "has_frames" in lists:
        counts = dict(zip(manifest["video_id"], _floats(manifest["frame_count"]), strict=True))
        videos["frame_count"] = pd.Series(  # empty: VA401, the video has no frames
            [counts.get(v, float("nan")) if has else float("nan")
             for v, has in zip(lists["video_id"], lists["has_frames"], strict=True)],
            dtype="float64")
    out["videos"] = pd.DataFrame(videos)

    for table, group in (("split_entries", "split"), ("template_entries", "template")):
        entries = tables[table]
        keyed = entries["has_key"]
        out[table] = pd.DataFrame({
            "identity": _texts(entries["identity"]),
            group: _texts(entries[group]),
            "position": entries["position"],
            "video_id_json": [_json(v) for v in entries["video_id"]],
            "n_events": pd.Series([n_events.get(k, 0) if has else None
                                   for k, has in zip(entries["key"], keyed, strict=True)],
                                  dtype="float64"),
            f"n_{group}s": entries[f"n_{group}s"].where(keyed).astype("float64")})

    templates = tables["templates"]
    out["templates"] = pd.DataFrame({
        "identity": _texts(templates["identity"]),
        "template": _texts(templates["template"]),
        "n_videos": templates["n_videos"].where(templates["is_list"]).astype("float64")})
    return out
