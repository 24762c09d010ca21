"""The contact/release profile's part of the release diff: its tables as a ReleaseView."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidaudit.profiles.parts import ReleaseView, entries_of, groups_of

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset

SPLITS = ("train", "validation", "test")
EVENT_FIELDS = ("action", "agent", "frameNumber", "pointX", "pointY")


def release_view(dataset: Dataset) -> ReleaseView:
    sources = dataset.sources
    events_source = sources["events"]
    events = events_source.data if isinstance(events_source.data, dict) else None
    splits_ok = all(isinstance(sources[s].data, list) for s in SPLITS)
    templates_ok = isinstance(sources["templates"].data, dict)
    split_entries = dataset.tables["split_entries"]
    template_entries = dataset.tables["template_entries"]
    return ReleaseView(events=events, events_file=events_source.display,
                       splits=entries_of(split_entries, "split") if splits_ok else None,
                       templates=entries_of(template_entries, "template") if templates_ok
                       else None,
                       split_videos=groups_of(split_entries, "split"),
                       template_videos=groups_of(template_entries, "template"),
                       split_names=SPLITS, event_fields=EVENT_FIELDS)
