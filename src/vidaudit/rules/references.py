"""VA3xx: splits, templates and the references between the files.

The predicates read join columns that the profile computes when it builds the
tables (``has_events``, ``splits``, ``first_split``, ...).
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import rule, table_rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING
ALL_SPLITS = ("train", "validation", "test")

table_rule(
    "VA301", "split-overlap", ERROR,
    "a video id in more than one split",
    """
    A video in both train and test leaks test data into training: every number
    reported on the test split is optimistic. The finding is reported on each
    listing after the first (in the order train, validation, test).
    """,
    "Keep the video in exactly one split; if the splits are published, prefer the one "
    "of the previous release.",
    tables="split_entries",
    predicate=lambda t, c: ~t["has_key"] | (t["split"] == t["first_split"]),
    message="video {video_id} is in several splits ({splits})")

table_rule(
    "VA302", "duplicate-in-split", ERROR,
    "an id repeated inside one split file",
    """
    A repeated id inflates the split's size and weights that video twice in every
    metric computed over the list.
    """,
    "Remove the repeated entry.",
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
    message="video {video_id} has {events_label} but is in no split",
    requires=("events", *ALL_SPLITS))

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
    requires=("events",))

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
    requires=("events", "templates"))

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
    requires=("events",))

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
    message="video {video_id} is listed under {n_templates} templates ({templates})")

table_rule(
    "VA308", "duplicate-in-template", ERROR,
    "an id repeated inside one template list",
    """
    A repeated id inflates the template's count and is usually a merge mistake.
    """,
    "Remove the repeated entry.",
    tables="template_entries",
    predicate=lambda t, c: t["occurrence"] <= 1,
    message="video {video_id} is listed {n_occurrences} times under {template_shown}")

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
    pointer_column="name_pointer")

rule("VA310", "template-mismatch", ERROR,
     "the template disagrees with SSv2's own annotation for that video",
     """
     Needs SSv2's reference labels. The contact/release template of a video must be the
     class SSv2 itself gives that video.
     """,
     "Move the video to the template SSv2 gives it.", needs="reference")

rule("VA311", "split-mismatch", ERROR,
     "the split disagrees with SSv2's own split for that video",
     """
     Needs SSv2's reference split lists. A video SSv2 uses for validation that the
     contact/release release puts into train leaks across benchmarks.
     """,
     "Put the video into the split SSv2 gives it.", needs="reference")

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
    pointer_column="pointer")
