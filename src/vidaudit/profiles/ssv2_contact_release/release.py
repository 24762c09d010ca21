"""The contact/release profile's part of the release diff: its tables as a ReleaseView."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vidaudit.profiles.releaseview import EventLists, Listings, ReleaseView
from vidaudit.profiles.ssv2_contact_release.columnar import EventColumns
from vidaudit.sources import DeferredSource

if TYPE_CHECKING:
    from vidaudit.dataset import Dataset
    from vidaudit.sources import SourceFile

SPLITS = ("train", "validation", "test")
EVENT_FIELDS = ("action", "agent", "frameNumber", "pointX", "pointY")


def release_view(dataset: Dataset) -> ReleaseView:
    sources = dataset.sources
    events_source = sources["events"]
    return ReleaseView(events=_event_lists(events_source), events_file=events_source.display,
                       splits=Listings(dataset.tables["split_entries"], "split"),
                       templates=Listings(dataset.tables["template_entries"], "template"),
                       split_names=SPLITS,
                       splits_readable=all(isinstance(sources[s].data, list) for s in SPLITS),
                       templates_readable=isinstance(sources["templates"].data, dict),
                       event_fields=EVENT_FIELDS)


def _event_lists(source: SourceFile) -> EventLists | None:
    """The events file's lists: for a file read into columns with its positions, each
    list's text (the file is parsed only if the other release's lists must be compared by
    value); else the parsed file, when it is an object."""
    columns = getattr(source, "columns", None)
    if isinstance(source, DeferredSource) and isinstance(columns, EventColumns) \
            and columns.offsets is not None and source.text is not None:
        text = source.text
        texts = [text[start:end] for start, end in zip(
            columns.offsets["list"].tolist(), columns.offsets["list_end"].tolist(), strict=True)]
        return EventLists(columns.video_ids, columns.counts, texts=texts,
                          parse=lambda: source.data)
    data = source.data
    return EventLists.of(data) if isinstance(data, dict) else None
