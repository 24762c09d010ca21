"""One release as the release diff compares it (``Profile.release_view``): its videos'
annotation items and where its videos are listed (splits, templates).

At SSv2's full size each release lists 220,000 videos twice and annotates them with
half a million items; two releases mostly agree. The diff therefore asks which videos
*differ* and reads the details of those only:

- :class:`Listings` keeps a kind of listing as columns and finds the videos whose
  groups changed with array operations; the entries of a video are made when the diff
  names it.
- :class:`EventLists` can hold each video's items as the exact text the file holds;
  two releases hold the same items for a video when the texts are equal (the usual
  case), and only the videos whose texts differ are parsed and compared by value (where
  ``10`` equals ``10.0``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from vidaudit.series import kinds


class Entry(NamedTuple):
    """Where a video is listed: the file and JSON Pointer of its (first) entry."""

    group: str
    """The split or template."""
    file: str
    pointer: str


class Listings:
    """Where each video is listed in one kind of list (the splits, or the templates):
    the first entry of each video in each group, in document order, from a table of
    entries with the columns ``key`` (the video id, None for an id that is not a
    string), the group's column, ``file`` and ``pointer``."""

    def __init__(self, table: pd.DataFrame, group: str) -> None:
        usable = (kinds(table["key"]) == 1) & (kinds(table[group]) == 1)  # strings
        rows = table.loc[usable, ["key", group, "file", "pointer"]]
        rows = rows[~rows.duplicated(["key", group]).to_numpy()]
        self.keys: np.ndarray = rows["key"].to_numpy(dtype=object)
        self.groups: np.ndarray = rows[group].to_numpy(dtype=object)
        self.files: np.ndarray = rows["file"].to_numpy(dtype=object)
        self.pointers: np.ndarray = rows["pointer"].to_numpy(dtype=object)

    def entries(self, video_ids: Iterable[str]) -> dict[str, list[Entry]]:
        """The entries of these videos (those listed), each video's in document order."""
        wanted = np.flatnonzero(pd.Index(self.keys).isin(list(video_ids)))
        found: dict[str, list[Entry]] = {}
        for row in wanted.tolist():
            found.setdefault(self.keys[row], []).append(
                Entry(self.groups[row], self.files[row], self.pointers[row]))
        return found

    def changed(self, later: Listings) -> list[str]:
        """The videos listed in both that are in other groups in ``later`` (as sets: an
        order changed within a video's groups is no change)."""
        names = pd.Index(np.concatenate([self.groups, later.groups])).unique()
        mine, theirs = (_group_sets(self.keys, names.get_indexer(self.groups)),
                        _group_sets(later.keys, names.get_indexer(later.groups)))
        both = mine.index.intersection(theirs.index)
        differ = mine.reindex(both).to_numpy() != theirs.reindex(both).to_numpy()
        moved: list[str] = both[differ].tolist()
        return moved

    def sizes(self) -> dict[str, int]:
        """Group -> how many videos it lists."""
        counts = pd.Series(self.groups).value_counts(sort=False)
        return dict(zip(counts.index.tolist(), counts.tolist(), strict=True))

    def items_per_group(self, events: EventLists) -> dict[str, int]:
        """Group -> the items of the videos it lists (a video absent from ``events``, or
        whose value is not a list, has none)."""
        codes, names = pd.factorize(self.groups)
        sums = np.bincount(codes, weights=events.counts_of(self.keys), minlength=len(names))
        return dict(zip(names.tolist(), sums.astype(np.int64).tolist(), strict=True))


def _group_sets(keys: np.ndarray, codes: np.ndarray) -> pd.Series[Any]:
    """Per video, its groups' codes as a set: the code itself for a video in one group
    (almost every video), a frozenset for a video in several."""
    several = pd.Series(keys).duplicated(keep=False).to_numpy()
    sets = pd.Series(codes[~several], index=pd.Index(keys[~several]), dtype=object)
    if several.any():
        grouped: dict[str, set[int]] = {}
        for key, code in zip(keys[several].tolist(), codes[several].tolist(), strict=True):
            grouped.setdefault(key, set()).add(code)
        sets = pd.concat([sets, pd.Series({k: frozenset(v) for k, v in grouped.items()},
                                          dtype=object)])
    return sets


class EventLists:
    """Video id -> its annotation items as the file holds them (a list, or whatever the
    file has instead), with each video's item count (-1: not a list).

    ``texts``, when given, are each video's value exactly as written in the file; the
    parsed file (``parse``) is then read only if the other release has no texts."""

    def __init__(self, ids: list[str], counts: np.ndarray, *, texts: list[str] | None = None,
                 parse: Callable[[], dict[str, Any]]) -> None:
        self.ids = ids
        self.counts = counts
        self.texts = texts
        self._parse = parse
        self._data: dict[str, Any] | None = None
        self._ids: pd.Index[Any] | None = None
        self._position: dict[str, int] | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> EventLists:
        """The items of a parsed file."""
        counts = np.fromiter((len(v) if type(v) is list else -1 for v in data.values()),
                             dtype=np.int64, count=len(data))
        return cls(list(data), counts, parse=lambda: data)

    def __len__(self) -> int:
        return len(self.ids)

    def count(self, video_id: str) -> int:
        """The video's item count (0 when its value is not a list)."""
        return max(0, int(self.counts[self._at(video_id)]))

    def counts_of(self, video_ids: np.ndarray) -> np.ndarray:
        """The item count of each of these videos (0: absent, or its value not a list)."""
        at = self._index().get_indexer(pd.Index(video_ids, dtype=object))
        counts: np.ndarray = np.maximum(np.append(self.counts, 0)[at], 0)
        return counts  # -1 (absent) read the 0 appended

    def total(self) -> int:
        """The items of all videos whose value is a list."""
        return int(self.counts[self.counts >= 0].sum())

    def items(self, video_id: str) -> Any:
        """The video's value, parsed from its text when there is one."""
        if self._data is None and self.texts is not None:
            return json.loads(self.texts[self._at(video_id)])
        return self._parsed()[video_id]

    def differing(self, later: EventLists) -> list[str]:
        """The videos in both whose values may differ: those whose texts differ when both
        have texts, else all of them (compared by value afterwards)."""
        theirs = later._index().get_indexer(self._index())
        mine = np.flatnonzero(theirs >= 0)
        ids = np.asarray(self.ids, dtype=object)[mine]
        if self.texts is None or later.texts is None:
            self._parsed()
            later._parsed()
            common: list[str] = ids.tolist()
            return common
        differ = (np.asarray(self.texts, dtype=object)[mine]
                  != np.asarray(later.texts, dtype=object)[theirs[mine]])
        found: list[str] = ids[differ].tolist()
        return found

    def _parsed(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._parse()
        return self._data

    def _at(self, video_id: str) -> int:
        if self._position is None:
            self._position = {listed: n for n, listed in enumerate(self.ids)}
        return self._position[video_id]

    def _index(self) -> pd.Index[Any]:
        if self._ids is None:
            self._ids = pd.Index(self.ids, dtype=object)
        return self._ids


@dataclass
class ReleaseView:
    """One release's facts, in the shapes the comparison needs; a profile makes it from
    its tables (``Profile.release_view``). ``events`` is None when the events file is
    unreadable; an unreadable split file or template map is flagged by
    ``splits_readable``/``templates_readable``."""

    events: EventLists | None
    events_file: str
    splits: Listings
    """The entries of the split files (of those that are readable)."""
    templates: Listings
    split_names: tuple[str, ...]
    splits_readable: bool = True
    """Whether every split file could be read (else splits are not compared)."""
    templates_readable: bool = True
    event_fields: tuple[str, ...] = ()
    """The fields of an item, in the order a changed item's fields are listed."""
