"""VA6xx: differences between two releases (``vidaudit audit --previous``)."""

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

rule("VA601", "split-changed", Severity.ERROR,
     "a video moved to another split between releases",
     """
     A model trained on the previous release's train split has seen a video that is
     now in validation or test: results on the new release are contaminated.
     """,
     "Keep videos in the split they had; add new videos to splits instead.",
     needs="previous")

rule("VA602", "video-removed", Severity.WARNING,
     "a video of the previous release is gone",
     """
     Removing videos changes every benchmark number computed on the split. It may be
     intended (a withdrawn video), but it must be deliberate and documented.
     """,
     "Restore the video, or record its removal in the release notes and the baseline.",
     needs="previous")

rule("VA603", "template-changed", Severity.WARNING,
     "a video's template changed between releases",
     """
     A class change is a correction or a mistake; either way, per-template results of
     the two releases are no longer comparable for that video.
     """,
     "Confirm the change against SSv2's own annotation.", needs="previous")

rule("VA604", "events-changed", Severity.INFO,
     "a video's events were added, removed or edited between releases",
     """
     Informational: the audit lists every video whose events differ, so a release
     manager can review the edits.
     """,
     "Nothing to fix if the change was intended.", needs="previous")
