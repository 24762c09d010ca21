"""The ``something-else`` profile's rule (VA410) and how it checks the shared ones on
its tables (VA201 for frame names, VA202, VA401, VA402, VA408, VA409, VA313)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vidaudit.model import Severity
from vidaudit.rules import boxes
from vidaudit.rules.frames import frame_in_range, frames_present
from vidaudit.rules.registry import check, table_rule

if TYPE_CHECKING:
    import pandas as pd

NAME = "something-else"


def _instances_agree(table: pd.DataFrame, config: Any) -> pd.Series[bool]:
    """VA410: ``nr_instances`` equals the number of labels (a value that is not an
    integer is the schema pass's)."""
    import pandas as pd

    return pd.Series([type(n) is not int or n == k for n, k in
                      zip(table["nr_instances"], table["n_labels"], strict=True)],
                     index=table.index, dtype=bool)


table_rule(
    "VA410", "instance-count", Severity.ERROR,
    "a frame's instance count differs from the number of its labels",
    """
    Something-Else gives each annotated frame `nr_instances`, the number of boxes on
    it, next to the `labels` themselves. A count that disagrees means a label was
    added or dropped after the count was written (or the other way round); loaders
    that allocate by the count read past the labels or skip some.
    """,
    "Make `nr_instances` the number of entries in `labels`, after checking which of the "
    "two is right.",
    tables="frames",
    predicate=_instances_agree,
    message="frame {name} says nr_instances = {nr_instances} but has {n_labels} label(s)",
    pointer_column="nr_pointer",
    profile=NAME)

check(
    "VA201", profile=NAME,
    tables="frames",
    predicate=lambda t, c: t["name_problem"] == "",
    message="{name_problem}",
    pointer_column="name_pointer")

check(
    "VA202", profile=NAME,
    tables="videos",
    predicate=lambda t, c: t["key_ok"],
    message="video id {video_id} is not a string of decimal digits without leading zeros")

check(
    "VA401", profile=NAME,
    tables="videos", predicate=frames_present("frames_wanted"),
    message="video {video_id} has {n_annotated} annotated frame(s) but no frames: "
            "{missing_detail}")

check(
    "VA402", profile=NAME,
    tables="frames", predicate=frame_in_range("frame"),
    message="frame {name} is beyond the video's {frame_count} extracted frames "
            "({count_source})",
    pointer_column="name_pointer")

boxes.bind(NAME, "boxes")

check(
    "VA313", profile=NAME,
    tables="videos",
    predicate=lambda t, c: ~t["ssv2_checkable"] | t["in_ssv2"] if "in_ssv2" in t
    else t["key_ok"] | ~t["key_ok"],
    message="video {video_id} is not an SSv2 video: no SSv2 split lists it",
    requires=("annotations",))
