"""VA5xx: plausibility of the events of one video."""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import table_rule

WARNING = Severity.WARNING

table_rule(
    "VA501", "duplicate-event", WARNING,
    "two identical events in one video",
    """
    The same action, agent, frame and point twice in one video is almost always a
    double export. It doubles the weight of that event in training.
    """,
    "Remove the repeated event.",
    tables="events",
    predicate=lambda t, c: ~t["duplicate_of"].notna(),
    message="event repeats event {duplicate_of} of video {video_id}")

table_rule(
    "VA502", "contradictory-events", WARNING,
    "contact and release by the same agent at the same frame of one video",
    """
    A contact and a release of the same pair of things at the same instant cannot
    both be right; one of the two frame numbers is probably off.
    """,
    "Check the frames around the event and correct one of the two frame numbers.",
    tables="events",
    predicate=lambda t, c: ~t["contradicts"].notna(),
    message="{action} by {agent} at frame {frameNumber} contradicts event {contradicts} "
            "({contradicting_action}) of video {video_id}")
