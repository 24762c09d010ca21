"""VA9xx: the baseline of accepted findings. Emitted by ``check --baseline`` (vidaudit.baseline).

Both point at the baseline file's entry, not at the metadata: the baseline is
what needs editing.
"""

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

rule("VA901", "baseline-entry-expired", Severity.WARNING,
     "a baseline entry's `expires` date has passed; its finding is reported again",
     """
     An entry with an `expires` date accepts a finding only until that day (inclusive).
     After it, the finding it accepted is no longer suppressed and shows up as new, and
     this warning points at the entry so that the acceptance is either renewed on
     purpose or the problem is fixed. A deadline nobody looks at is no deadline.
     """,
     "Fix the finding (then delete the entry), or move `expires` to a later date and say "
     "why in `reason`.",
     needs="baseline")

rule("VA902", "baseline-entry-stale", Severity.WARNING,
     "a baseline entry matches no finding any more",
     """
     The problem the entry accepted is gone (fixed, or the data it was about was
     removed). A stale entry would silently accept the same problem if it came back, so
     the baseline should shrink as the data is fixed. Entries of rules that did not run
     (deselected, or needing a frame source that was not given) are never stale.
     """,
     "Delete the entry, or regenerate the baseline with `vidaudit baseline -o FILE` "
     "(which keeps the `reason` and `expires` of the entries that still match).",
     needs="baseline")
