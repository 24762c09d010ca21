"""Frame sources for `check`: a manifest file, frame folders or videos.

Each source turns into a table of rows (:mod:`vidaudit.frames.table`, one row per
video, with the ``file`` it came from), which :func:`attach_rows` makes into the
``manifest`` table and the join columns the VA4xx rules read (see
:mod:`vidaudit.rules.frames`). Merging and joining are vectorised: a manifest may
list every video of SSv2 (220,847) for a release that annotates a few thousand.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import UsageError
from vidaudit.model import Finding

if TYPE_CHECKING:

    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.engine import FrameSource
    from vidaudit.frames.reader import ManifestFile
    from vidaudit.frames.rows import MediaRow
    from vidaudit.frames.table import RowSet
    from vidaudit.profiles.base import Profile

MANIFEST_NAME = "frame_manifest.csv"


def frame_source_for(*, metadata_dir: Path, manifest: str | Sequence[str] | None,
                     frames: str | None, videos: str | None, config: Config, auto: bool,
                     deep: bool, exact: bool, workers: int | None,
                     timeout: float | None = None, scheduler: str | None = None
                     ) -> FrameSource | None:
    """The frame source the options ask for.

    ``manifest`` may name several files or folders of them. With none of
    manifest/frames/videos, the configuration's ``manifest`` or, when ``auto``,
    ``METADATA_DIR/frame_manifest.csv`` (if it exists) is used. With frames or videos,
    that committed manifest (if any) is compared with what is on disk (VA406).
    """
    given = [manifest] if isinstance(manifest, str) else list(manifest or [])
    committed = _committed(metadata_dir, config, auto)
    if frames or videos:
        kind, root = ("frames", frames) if frames else ("videos", videos)
        assert root is not None
        if not Path(root).is_dir():
            raise UsageError(f"{kind} folder {root} does not exist or is not a folder")
        return ProbeSource(kind, root, deep=deep, exact=exact, workers=workers, timeout=timeout,
                           committed=committed, committed_root=_root(metadata_dir, config),
                           scheduler=scheduler)
    if given:
        return ManifestSource(given)
    if committed is not None:
        return ManifestSource([committed], root=_root(metadata_dir, config))
    return None


def _root(metadata_dir: Path, config: Config) -> Path | None:
    """The folder a manifest found in the dataset may not leave by a symbolic link (one
    named on the command line or in the configuration may)."""
    return None if config.manifest or config.follow_links else metadata_dir


def _committed(metadata_dir: Path, config: Config, auto: bool) -> str | None:
    if config.manifest:
        return config.manifest
    candidate = metadata_dir / MANIFEST_NAME
    return str(candidate) if auto and candidate.is_file() else None


@dataclass
class ManifestSource:
    """Frame counts (and sizes) from manifest files: CSV manifests or rawframes lists."""

    paths: list[str]
    root: Path | None = None
    """Where the files must stay (links resolved), for a manifest found in the dataset."""

    def attach(self, dataset: Dataset, config: Config, profile: Profile) -> list[Finding]:
        from vidaudit.frames.reader import expand, merge, read_file

        manifests = [read_file(path, display, self.root, config.max_bytes)
                     for path, display in expand(self.paths)]
        rows, problems = merge(manifests)
        findings = [_problem(file, problem) for file, problem in problems]
        described = manifests[0].display if len(manifests) == 1 else \
            f"any of the {len(manifests)} manifests " \
            f"({', '.join(Path(m.display).name for m in manifests)})"
        attach_rows(dataset, profile, rows, missing=f"no row in {described}")
        _record_inputs(dataset, manifests)
        return findings


@dataclass
class ProbeSource:
    """Frame counts and sizes probed from frame folders or video files on disk."""

    kind: str
    root: str
    deep: bool = False
    exact: bool = False
    workers: int | None = None
    timeout: float | None = None
    committed: str | None = None
    committed_root: Path | None = None
    scheduler: str | None = None
    """A dask.distributed scheduler's address: probe there, not in a local pool."""

    def attach(self, dataset: Dataset, config: Config, profile: Profile) -> list[Finding]:
        from vidaudit.frames.paths import DEFAULT_NAMING, discover
        from vidaudit.frames.pool import probe_all
        from vidaudit.frames.probe import ProbeOptions
        from vidaudit.values import is_video_id, numeric_order

        custom = profile.media_entries(dataset, Path(self.root), self.kind)
        if custom is not None:  # media laid out the profile's way (validated names)
            wanted, entries = list(custom), custom
        else:
            wanted = sorted({v for v in profile.annotated_videos(dataset) if is_video_id(v)},
                            key=numeric_order)
            try:
                entries, _ = discover(Path(self.root), self.kind)
            except OSError as error:
                raise UsageError(f"cannot list {self.root}: {error.strerror or error}"
                                 ) from None
        present = [entries[v] for v in wanted if v in entries]
        options = ProbeOptions(self.kind, Path(self.root), deep=self.deep, exact=self.exact,
                               naming=profile.frame_naming or DEFAULT_NAMING,
                               **({} if self.timeout is None else {"timeout": self.timeout}))
        rows = probe_all(present, options, self.workers, scheduler=self.scheduler)
        files = [os.path.join(self.root, e.name) for e in present]
        what = "frames folder" if self.kind == "frames" else "video file"
        attach_rows(dataset, profile, probed_table(rows, files),
                    missing=f"no {what} in {self.root}")
        if self.kind == "videos" and not (self.exact or self.deep):
            estimated = sum(1 for r in rows if r.count_method == "container")
            if estimated:
                dataset.notes.append(
                    f"frame counts of {estimated:,} videos are what their containers report "
                    "(an estimate for some formats, WebM in particular); --exact counts by "
                    "decoding")
        if self.committed is None:
            return []
        return _compare_committed(dataset, self.committed, rows, files, self.committed_root,
                                  config.max_bytes)


def _compare_committed(dataset: Dataset, committed: str, rows: list[MediaRow],
                       files: list[str], root: Path | None, max_bytes: int) -> list[Finding]:
    """VA406 for each row of the committed manifest that disagrees with the media."""
    from vidaudit.frames.reader import expand, read_file

    manifests = [read_file(path, display, root, max_bytes)
                 for path, display in expand([committed])]
    _record_inputs(dataset, manifests)
    from vidaudit.frames.table import to_rows

    recorded = {row.video_id: (m, row) for m in manifests if m.table is not None
                for row in to_rows(m.table)}
    findings = []
    for probed, file in zip(rows, files, strict=True):
        found = recorded.get(probed.video_id)
        if found is None or probed.unreadable or probed.frame_count is None:
            continue
        manifest, row = found
        says, disk = _describe(row), _describe(probed)
        if _disagree(row, probed):
            findings.append(Finding(
                "VA406", _severity("VA406"),
                f"{manifest.display} says video {row.video_id} has {says}, but {file} has "
                f"{disk} (rebuild the manifest with `vidaudit manifest`)",
                file=manifest.display, line=row.line, column=1, video_id=row.video_id,
                identity=f"stale/{row.video_id}"))
    return findings


def _disagree(row: MediaRow, probed: MediaRow) -> bool:
    if row.frame_count is not None and row.frame_count != probed.frame_count:
        return True
    return row.has_size and probed.has_size and \
        (row.width, row.height) != (probed.width, probed.height)


def _describe(row: MediaRow) -> str:
    size = f" of {row.width}x{row.height}" if row.has_size else ""
    return f"{row.frame_count} frames{size}"


def _severity(code: str) -> Any:
    from vidaudit.rules.registry import get

    return get(code).severity


def _problem(file: str, problem: Any) -> Finding:
    return Finding("VA407", _severity("VA407"), problem.message, file=file,
                   line=problem.line, column=1, video_id=problem.video_id,
                   identity=problem.identity)


def _record_inputs(dataset: Dataset, manifests: list[ManifestFile]) -> None:
    inputs = dataset.stats.setdefault("extra_inputs", [])
    for manifest in manifests:
        read = bool(manifest.sha256)  # a refused file has no checksum or size
        inputs.append({"path": manifest.display, "sha256": manifest.sha256 if read else None,
                       "bytes": manifest.size if read else None})


def probed_table(rows: list[MediaRow], files: list[str]) -> RowSet:
    """The probed rows, each with the media it was probed from."""
    from vidaudit.frames.table import RowSet, from_rows

    return RowSet.of([from_rows(rows, files)], [""])


def attach_rows(dataset: Dataset, profile: Profile, rows: RowSet, missing: str) -> None:
    """Add the ``manifest`` table, and let the profile join the rows onto its tables.

    ``rows``: one row per video (see vidaudit.frames.table), possibly a whole SSv2 list;
    only the rows of the profile's annotated videos reach the profile (as
    :class:`~vidaudit.frames.table.MediaRows`).
    ``missing`` says, for VA401, where a video without a row was looked for.
    """
    import numpy as np

    from vidaudit.frames.manifest_table import manifest_frame
    from vidaudit.frames.table import MediaRows
    from vidaudit.rules.registry import checks_for

    annotated = [v for v in profile.annotated_videos(dataset) if isinstance(v, str)]
    is_annotated = _among(rows, np.array(annotated, dtype=object))
    # Rows of videos nobody annotated matter only when they record a problem: leaving
    # the others out keeps a 200k-line rawframes list from costing a second.
    kept = is_annotated | ~rows.clean()
    table = rows.select(kept)
    dataset.tables["manifest"] = manifest_frame(table, profile.frame_naming)
    annotated_rows = is_annotated[kept]
    media = MediaRows(table if annotated_rows.all() else  # usually: no odd row of another
                      table[annotated_rows].reset_index(drop=True))
    where = dict(zip(media, _sources(*map(media.column, ("line", "file", "count_method"))),
                     strict=True))
    profile.attach_frames(dataset, media, where, missing)
    unsized = int((media.ints("width").isna() | media.ints("height").isna()).sum())
    if unsized and "VA403" in checks_for(profile.name):
        dataset.notes.append(
            f"{unsized:,} of {len(set(annotated)):,} annotated videos could not be "
            "bounds-checked (VA403): their frame source gives no width/height")
    dataset.stats["manifest_videos"] = len(rows)


def _among(rows: RowSet, video_ids: Any) -> Any:
    """Boolean mask: the rows whose video id is one of ``video_ids`` (compared by key)."""
    import numpy as np

    from vidaudit.frames.table import ids, keys_of

    given = np.asarray(video_ids, dtype=object)
    keys = rows.keys
    mask = np.isin(keys, keys_of(given.tolist()))
    long = keys < 0
    if long.any():
        mask[long] = np.isin(ids(rows.select(long)), given)
    return mask


def _sources(lines: list[int | None], files: list[str], methods: list[str]) -> list[str]:
    """Where each row's numbers come from, for messages: ``list.txt:12``, ``frames/123``
    (one f-string per row, no call: ten thousand rows)."""
    return [(f"{file}:{line}" if line else file)
            + (", the container's count" if method == "container" else "")
            for line, file, method in zip(lines, files, methods, strict=True)]
