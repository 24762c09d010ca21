"""VA3xx shared by every profile with splits: overlap, repeats, and agreement with SSv2.

Each profile checks them on its own tables (see ``check`` in its rules module); the
other VA3xx rules name the contact/release files and live with that profile.
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

ERROR = Severity.ERROR

rule(
    "VA301", "split-overlap", ERROR,
    "a video id in more than one split",
    """
    A video in both train and test leaks test data into training: every number
    reported on the test split is optimistic. The finding is reported on each
    listing after the first (in the order train, validation, test).
    """,
    "Keep the video in exactly one split; if the splits are published, prefer the one "
    "of the previous release.", per_profile=True)

rule(
    "VA302", "duplicate-in-split", ERROR,
    "an id repeated inside one split file",
    """
    A repeated id inflates the split's size and weights that video twice in every
    metric computed over the list.
    """,
    "Remove the repeated entry.", per_profile=True)

rule("VA310", "template-mismatch", ERROR,
     "the template disagrees with SSv2's own annotation for that video",
     """
     Needs SSv2's own annotation (`--reference`: the `ssv2` profile's files, or
     rawframes lists with class indices). A video's template must be the class SSv2
     itself gives that video; otherwise every per-class statistic mixes two classes.
     """,
     "Move the video to the template SSv2 gives it.", needs="reference", per_profile=True)

rule("VA311", "split-mismatch", ERROR,
     "the split disagrees with SSv2's own split for that video",
     """
     Needs SSv2's own annotation (`--reference`). A video SSv2 uses for validation
     that this release puts into train leaks across benchmarks: a model trained here
     and evaluated on SSv2's validation split has seen the video.
     """,
     "Put the video into the split SSv2 gives it.", needs="reference", per_profile=True)

rule("VA313", "unknown-to-ssv2", ERROR,
     "a video id that SSv2 does not have",
     """
     Needs SSv2's own annotation (`--reference`). Every video of a dataset built on
     SSv2 is an SSv2 video; an id SSv2 does not know is a typo, a video from another
     dataset, or a reference that lacks a split (a test list that misses some videos).
     """,
     "Correct the id, or give the reference files of every split.", needs="reference",
     per_profile=True)
