"""The contact/release profile's rules: its own (VA203-VA208, VA303-VA309, VA312, VA5xx)
and how it checks the shared ones (VA202, VA301, VA302, VA401-VA403) on its tables.

The predicates read join columns the profile computes when it builds the tables
(``has_events``, ``splits``, ``first_split``, ...), and the frame columns
:mod:`vidaudit.frames.join` adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.rules.frames import frame_in_range, frames_present, point_in_frame
from vidaudit.rules.registry import check, table_rule

if TYPE_CHECKING:
    import pandas as pd

NAME = "ssv2-contact-release"
ERROR, WARNING = Severity.ERROR, Severity.WARNING
NUMBERS = ("frameNumber", "pointX", "pointY")
ALL_SPLITS = ("train", "validation", "test")


def _settings(config: Any) -> dict[str, Any]:
    from vidaudit.profiles import get

    return get(NAME).settings(config)


def _video_ids(series: pd.Series[Any]) -> pd.Series[bool]:
    from vidaudit.series import video_ids

    return video_ids(series)


def _vocabulary(series: pd.Series[Any], allowed: tuple[str, ...]) -> pd.Series[bool]:
    from vidaudit.series import in_vocabulary

    return in_vocabulary(series, allowed)


def _whole(series: pd.Series[Any]) -> pd.Series[bool]:
    """Absent, an int, a whole float, or non-finite (which VA104 reports)."""
    from vidaudit.series import numbers

    n = numbers(series)
    return n.frame(n.missing | n.is_int | n.whole_float | (n.is_float & ~n.finite_float))


def _not_float_encoded(series: pd.Series[Any]) -> pd.Series[bool]:
    from vidaudit.series import numbers

    n = numbers(series)
    return n.frame(~n.whole_float)


def _not_negative(series: pd.Series[Any]) -> pd.Series[bool]:
    from vidaudit.series import numbers

    n = numbers(series)
    return n.frame(~n.negative)


# --- structure and values ---------------------------------------------------------------

check(
    "VA202", profile=NAME,
    tables=("event_lists", "split_entries", "template_entries"), columns=("video_id",),
    predicate=lambda s, c: _video_ids(s),
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
    predicate=lambda s, c: _vocabulary(s, _settings(c)["actions"]),
    message="action {value} is not one of {actions}",
    profile=NAME)

table_rule(
    "VA204", "unknown-agent", ERROR,
    "an event's agent is not in the configured vocabulary",
    """
    The agent says which two things touch: `hand-object`, `object-surface` or
    `object-object` (configurable with `agents`). Anything else is mislabelled.
    """,
    "Use one of the configured agents.",
    tables="events", columns=("agent",),
    predicate=lambda s, c: _vocabulary(s, _settings(c)["agents"]),
    message="agent {value} is not one of {agents}",
    profile=NAME)

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
    message="{field} is {value}, not a whole number",
    profile=NAME)

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
    group_columns=True,
    profile=NAME)

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
    message="{field} is {value}, below zero",
    profile=NAME)

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
    message="video {video_id} has an empty event list",
    profile=NAME)


# --- splits and templates ---------------------------------------------------------------

check(
    "VA301", profile=NAME,
    tables="split_entries",
    predicate=lambda t, c: ~t["has_key"] | (t["split"] == t["first_split"]),
    message="video {video_id} is in several splits ({splits})")

check(
    "VA302", profile=NAME,
    tables="split_entries",
    predicate=lambda t, c: t["occurrence"] <= 1,
    message="video {video_id} is listed {n_occurrences} times in the {split} split")

table_rule(
    "VA303", "video-not-in-split", ERROR,
    "a video with events that is in no split",
    """
    Its events were annotated but no split lists the video, so no experiment uses
    them, and nobody can tell whether it was meant for training or testing.
    """,
    "Add the video to the split it belongs to, or remove its events.",
    tables="event_lists",
    predicate=lambda t, c: ~(t["has_events"] & t["has_key"] & (t["n_splits"] == 0)),
    message="video {video_id} has {events_label} but is in no split{ssv2_hint}",
    requires=("events", *ALL_SPLITS),
    profile=NAME)

table_rule(
    "VA304", "split-video-without-events", ERROR,
    "a split lists a video that has no events",
    """
    The split files promise videos that were labelled and have at least one event.
    A listed video without events is a dangling reference.
    """,
    "Add the video's events, or remove it from the split.",
    tables="split_entries",
    predicate=lambda t, c: ~t["has_key"] | t["has_events"],
    message="the {split} split lists video {video_id}, which has no events",
    requires=("events",),
    profile=NAME)

table_rule(
    "VA305", "video-without-template", ERROR,
    "a video with events that no template lists",
    """
    Every video comes from one SSv2 class (template). Without it, per-template
    statistics and template-conditioned models silently drop the video.
    """,
    "List the video under its SSv2 template.",
    tables="event_lists",
    predicate=lambda t, c: ~(t["has_events"] & t["has_key"] & (t["n_templates"] == 0)),
    message="video {video_id} has {events_label} but no template lists it",
    requires=("events", "templates"),
    profile=NAME)

table_rule(
    "VA306", "template-video-without-events", ERROR,
    "a template lists a video that has no events",
    """
    The template map should cover exactly the annotated videos; an entry without
    events is a dangling reference.
    """,
    "Remove the entry, or add the video's events.",
    tables="template_entries",
    predicate=lambda t, c: ~t["has_key"] | t["has_events"],
    message="template {template_shown} lists video {video_id}, which has no events",
    requires=("events",),
    profile=NAME)

table_rule(
    "VA307", "video-in-several-templates", ERROR,
    "a video listed under more than one template",
    """
    An SSv2 video has exactly one class. Listing it under two templates makes the
    class of its events ambiguous. Reported on each listing after the first.
    """,
    "Keep the video under its SSv2 template only.",
    tables="template_entries",
    predicate=lambda t, c: ~t["has_key"] | (t["template"] == t["first_template"]),
    message="video {video_id} is listed under {n_templates} templates ({templates})",
    profile=NAME)

table_rule(
    "VA308", "duplicate-in-template", ERROR,
    "an id repeated inside one template list",
    """
    A repeated id inflates the template's count and is usually a merge mistake.
    """,
    "Remove the repeated entry.",
    tables="template_entries",
    predicate=lambda t, c: t["occurrence"] <= 1,
    message="video {video_id} is listed {n_occurrences} times under {template_shown}",
    profile=NAME)

table_rule(
    "VA309", "unknown-template", ERROR,
    "a template that is not one of SSv2's 174 class names",
    """
    Templates are SSv2 class names with the brackets removed ("Putting something on a
    surface"). A name that differs in spelling, case or spacing breaks the join with
    SSv2's own labels and every per-class statistic.
    """,
    "Use the exact SSv2 class name (`vidaudit explain VA309` lists where they come "
    "from; the names ship with vidaudit).",
    tables="templates",
    predicate=lambda t, c: t["known"],
    message="template {template_shown} is not one of SSv2's 174 class names{hint}",
    pointer_column="name_pointer",
    profile=NAME)

table_rule(
    "VA312", "empty-template", WARNING,
    "a template with an empty id list",
    """
    Harmless to parsers, but a template without videos is usually a leftover of a
    filtering step, and it shows up as a zero row in per-template statistics.
    """,
    "Remove the template, or list its videos.",
    tables="templates",
    predicate=lambda t, c: ~(t["is_list"] & (t["n_videos"] == 0)),
    message="template {template_shown} lists no videos",
    pointer_column="pointer",
    profile=NAME)


# --- against SSv2's own annotation (--reference) ------------------------------------------

def _absent(table: pd.DataFrame, column: str) -> pd.Series[bool]:
    """Rows without a reference value (unknown id, or no reference at all) pass."""
    import pandas as pd

    if column not in table:
        return pd.Series(True, index=table.index, dtype=bool)
    return table[column].isna()


check(
    "VA310", profile=NAME,
    tables="template_entries",
    predicate=lambda t, c: _absent(t, "ssv2_class") | (t["template"] == t["ssv2_class"]),
    message="video {video_id} is listed under {template_shown}, but SSv2's class for it is "
            "{ssv2_class_shown}",
    pointer_column="id_pointer", requires=("templates",))

check(
    "VA311", profile=NAME,
    tables="split_entries",
    predicate=lambda t, c: _absent(t, "ssv2_split") | (t["split"] == t["ssv2_split"]),
    message="video {video_id} is in the {split} split, but SSv2 has it in {ssv2_split}",
    pointer_column="id_pointer")

check(
    "VA313", profile=NAME,
    tables="event_lists",
    predicate=lambda t, c: ~t["ssv2_checkable"] | t["in_ssv2"] if "in_ssv2" in t
    else _absent(t, "in_ssv2"),
    message="video {video_id} is not an SSv2 video: no SSv2 split lists it",
    pointer_column="id_pointer", requires=("events",))


# --- frames -----------------------------------------------------------------------------

check(
    "VA401", profile=NAME,
    tables="event_lists", predicate=frames_present("has_events"),
    message="video {video_id} has {n_events} events but {missing_detail}{ssv2_hint}",
    pointer_column="id_pointer")

check(
    "VA402", profile=NAME,
    tables="events", predicate=frame_in_range("frameNumber"),
    message="event {event_index} of video {video_id} is at frame {frameNumber}, but the "
            "video has {frame_count} frames (0 to {last_frame}; {count_source})")

check(
    "VA403", profile=NAME,
    tables="events", predicate=point_in_frame("pointX", "pointY"),
    message="point ({pointX}, {pointY}) of event {event_index} of video {video_id} lies "
            "outside its {width}x{height} frames ({count_source})")


# --- plausibility -----------------------------------------------------------------------

def _repeats(events: pd.DataFrame) -> dict[str, list[Any]]:
    """For each event, the earlier identical event of its video (VA501), and the earlier
    event by the same agent at the same frame with the other action (VA502)."""
    from vidaudit.profiles.ssv2_contact_release.repeats import repeats

    return repeats(events)


table_rule(
    "VA501", "duplicate-event", WARNING,
    "two identical events in one video",
    """
    The same action, agent, frame and point twice in one video is almost always a
    double export. It doubles the weight of that event in training.
    """,
    "Remove the repeated event.",
    tables="events", derive=_repeats,
    predicate=lambda t, c: ~t["duplicate_of"].notna(),
    message="event repeats event {duplicate_of} of video {video_id}",
    profile=NAME)

table_rule(
    "VA502", "contradictory-events", WARNING,
    "contact and release by the same agent at the same frame of one video",
    """
    A contact and a release of the same pair of things at the same instant cannot
    both be right; one of the two frame numbers is probably off.
    """,
    "Check the frames around the event and correct one of the two frame numbers.",
    tables="events", derive=_repeats,
    predicate=lambda t, c: ~t["contradicts"].notna(),
    message="{action} by {agent} at frame {frameNumber} contradicts event {contradicts} "
            "({contradicting_action}) of video {video_id}",
    profile=NAME)
