"""VA2xx: structure and values, from the JSON Schemas and the table contracts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.rules.registry import rule, table_rule
from vidaudit.values import is_video_id

if TYPE_CHECKING:
    import pandas as pd

ERROR, WARNING = Severity.ERROR, Severity.WARNING
NUMBERS = ("frameNumber", "pointX", "pointY")


def _each(series: pd.Series[Any], test: Any) -> pd.Series[bool]:
    from vidaudit.series import each

    return each(series, test)


def _vocabulary(series: pd.Series[Any], allowed: tuple[str, ...]) -> pd.Series[bool]:
    from vidaudit.series import in_vocabulary

    return in_vocabulary(series, allowed)


def _whole(series: pd.Series[Any]) -> pd.Series[bool]:
    """Absent, an int, a whole float, or non-finite (which VA104 reports)."""
    from vidaudit.series import Numbers

    n = Numbers(series)
    return n.frame(n.missing | n.is_int | n.whole_float | (n.is_float & ~n.finite_float))


def _not_float_encoded(series: pd.Series[Any]) -> pd.Series[bool]:
    from vidaudit.series import Numbers

    n = Numbers(series)
    return n.frame(~n.whole_float)


def _not_negative(series: pd.Series[Any]) -> pd.Series[bool]:
    from vidaudit.series import Numbers

    n = Numbers(series)
    return n.frame(~n.negative)


rule("VA201", "schema-violation", ERROR,
     "wrong type, missing or extra key, or wrong top-level shape",
     """
     The file does not match its published JSON Schema (see `schemas/`). The message
     names the JSON Schema keyword that failed (`type`, `required`,
     `additionalProperties`, ...). Values with a rule of their own (an unknown action,
     a negative frame number, ...) are reported under that rule instead.
     """,
     "Make the value match the schema; `vidaudit explain` on the schema keyword's rule "
     "and the schema file itself say what is expected.")

table_rule(
    "VA202", "invalid-video-id", ERROR,
    "a video id that is not a string of decimal digits without leading zeros",
    """
    Video ids join the five files together and name the frame folders on disk
    (`<frames>/<video_id>/`). An id like `0042`, `42 ` or `../x` matches nothing, or
    worse, names a path outside the dataset; vidaudit never builds a path from one.
    """,
    "Write the id exactly as SSv2 does: decimal digits, no sign, no leading zeros, as a "
    "JSON string.",
    tables=("event_lists", "split_entries", "template_entries"), columns=("video_id",),
    predicate=lambda s, c: _each(s, is_video_id),
    message="video id {value} is not a string of decimal digits without leading zeros",
    pointer_column="id_pointer")

table_rule(
    "VA203", "unknown-action", ERROR,
    "an event's action is not in the configured vocabulary",
    """
    Each event is a `contact` or a `release` (the vocabulary can be changed with
    `actions` in the configuration). Anything else, including a different spelling
    or case, is silently dropped or mislabelled by training code.
    """,
    "Use one of the configured actions.",
    tables="events", columns=("action",),
    predicate=lambda s, c: _vocabulary(s, c.actions),
    message="action {value} is not one of {actions}")

table_rule(
    "VA204", "unknown-agent", ERROR,
    "an event's agent is not in the configured vocabulary",
    """
    The agent says which two things touch: `hand-object`, `object-surface` or
    `object-object` (configurable with `agents`). Anything else is mislabelled.
    """,
    "Use one of the configured agents.",
    tables="events", columns=("agent",),
    predicate=lambda s, c: _vocabulary(s, c.agents),
    message="agent {value} is not one of {agents}")

table_rule(
    "VA205", "non-integer-value", ERROR,
    "frameNumber, pointX or pointY has a fractional part, or is not a number",
    """
    Frame numbers index extracted frames and points are pixel coordinates: both are
    whole numbers. `12.5`, `"12"`, `true` or `null` cannot be used without guessing.
    """,
    "Write the whole number the annotation means.",
    tables="events", columns=NUMBERS,
    predicate=lambda s, c: _whole(s),
    message="{field} is {value}, not a whole number")

table_rule(
    "VA206", "float-encoded-integer", WARNING,
    "an integral value written as a float (10.0)",
    """
    The value is whole but written with a decimal point. Python reads it as a float,
    so `frames[event["frameNumber"]]` raises TypeError; other tools may round-trip it
    differently. The published SSv2 contact/release metadata does this for part of
    its events.

    There is one finding per event, naming each such value and pointing at the first:
    a release written by one exporter has them by the thousand, and one line per
    event keeps reports readable (and within GitHub code scanning's 25,000 results).
    """,
    "Write the number without the fraction (`10`, not `10.0`), e.g. by passing "
    "`int(value)` when exporting.",
    tables="events", columns=NUMBERS,
    predicate=lambda s, c: _not_float_encoded(s),
    message="{fields} written as a float ({values}), not as an integer",
    group_columns=True)

table_rule(
    "VA207", "negative-value", ERROR,
    "frameNumber, pointX or pointY is below zero",
    """
    Frames are numbered from 0 and pixel coordinates start at 0: a negative value is
    outside every video.
    """,
    "Correct the value; if the event cannot be placed, remove it.",
    tables="events", columns=NUMBERS,
    predicate=lambda s, c: _not_negative(s),
    message="{field} is {value}, below zero")

table_rule(
    "VA208", "empty-event-list", ERROR,
    "a video key with no events",
    """
    The split files list only videos with at least one event, so an empty list in
    the events file is either a video that should not be there or events that were
    lost on export.
    """,
    "Remove the video's key, or restore its events.",
    tables="event_lists",
    predicate=lambda t, c: ~(t["is_list"] & (t["n_events"] == 0)),
    message="video {video_id} has an empty event list")
