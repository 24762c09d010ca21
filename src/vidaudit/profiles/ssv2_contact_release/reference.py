"""The contact/release release against SSv2's own annotation (``--reference``).

Adds the columns VA310 (template), VA311 (split) and VA313 (unknown id) read, and
the fix hints VA303 and VA401 show. A reference that lacks one of SSv2's three
splits cannot tell an unknown video from one of the missing split: VA313 is then
not judged, and a note says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidaudit.values import is_video_id, show

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.profiles.base import Reference

SSV2_SPLITS = ("train", "validation", "test")


def attach_reference(dataset: Dataset, reference: Reference) -> None:
    tables = dataset.tables
    covered = set(reference.split_of.values())
    complete = covered >= set(SSV2_SPLITS)
    if not complete:
        missing = ", ".join(s for s in SSV2_SPLITS if s not in covered)
        dataset.notes.append(f"VA313 unknown-to-ssv2 was not judged: the reference has no "
                             f"{missing} videos, so an id it lacks may simply be there")
    lists = tables["event_lists"]
    keys = lists["key"].tolist()
    lists["in_ssv2"] = [k in reference.split_of if isinstance(k, str) else True for k in keys]
    lists["ssv2_checkable"] = [complete and is_video_id(k) for k in keys]
    lists["ssv2_hint"] = [f"; {reference.where(k)}" if isinstance(k, str) else ""
                          for k in keys]

    splits = tables["split_entries"]
    splits["ssv2_split"] = [reference.split_of.get(k) if isinstance(k, str) else None
                            for k in splits["key"]]

    entries = tables["template_entries"]
    classes = [reference.class_of.get(k) if isinstance(k, str) else None
               for k in entries["key"]]
    entries["ssv2_class"] = classes
    entries["ssv2_class_shown"] = [show(c, limit=80) if c is not None else "" for c in classes]
    dataset.stats["reference_videos"] = len(reference.split_of)
    dataset.stats.setdefault("extra_inputs", []).extend(reference.inputs)
