"""Frame sources for `check`: a manifest file, frame folders or videos.

Each source turns into :class:`~vidaudit.frames.rows.MediaRow` objects, which
:func:`attach_rows` makes into the ``manifest`` table (one row per video) and the
join columns the VA4xx rules read (see :mod:`vidaudit.rules.frames`).
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
    import pandas as pd

    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.engine import FrameSource
    from vidaudit.frames.paths import FrameNaming
    from vidaudit.frames.reader import ManifestFile
    from vidaudit.frames.rows import MediaRow
    from vidaudit.profiles.base import Profile

MANIFEST_NAME = "frame_manifest.csv"


def frame_source_for(*, metadata_dir: Path, manifest: str | Sequence[str] | None,
                     frames: str | None, videos: str | None, config: Config, auto: bool,
                     deep: bool, exact: bool, workers: int | None,
                     timeout: float | None = None) -> FrameSource | None:
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
                           committed=committed, committed_root=_root(metadata_dir, config))
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
        merged = merge(manifests)
        findings = [_problem(file, problem) for file, problem in merged.problems]
        described = manifests[0].display if len(manifests) == 1 else \
            f"any of the {len(manifests)} manifests " \
            f"({', '.join(Path(m.display).name for m in manifests)})"
        attach_rows(dataset, profile, merged.rows, merged.files,
                    missing=f"no row in {described}")
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

    def attach(self, dataset: Dataset, config: Config, profile: Profile) -> list[Finding]:
        from vidaudit.frames.paths import DEFAULT_NAMING, discover
        from vidaudit.frames.pool import ProbeOptions, probe_all
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
        rows = probe_all(present, options, self.workers)
        files = [os.path.join(self.root, e.name) for e in present]
        what = "frames folder" if self.kind == "frames" else "video file"
        attach_rows(dataset, profile, rows, files, missing=f"no {what} in {self.root}")
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
    recorded = {row.video_id: (m, row) for m in manifests for row in m.rows}
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


def attach_rows(dataset: Dataset, profile: Profile, rows: list[MediaRow], files: list[str],
                missing: str) -> None:
    """Add the ``manifest`` table, and let the profile join the rows onto its tables.

    ``missing`` says, for VA401, where a video without a row was looked for.
    """
    by_id = {row.video_id: row for row in rows}
    where = {row.video_id: _where(row, file) for row, file in zip(rows, files, strict=True)}
    annotated = set(profile.annotated_videos(dataset))
    # Rows of videos nobody annotated matter only when they record a problem: leaving
    # the others out keeps a 200k-line rawframes list from costing a second.
    kept = [i for i, row in enumerate(rows) if row.video_id in annotated or not row.clean]
    dataset.tables["manifest"] = manifest_table([rows[i] for i in kept],
                                                [files[i] for i in kept], profile.frame_naming)
    profile.attach_frames(dataset, by_id, where, missing)
    from vidaudit.rules.registry import checks_for

    unsized = sum(1 for v in annotated if v in by_id and not by_id[v].has_size)
    if unsized and "VA403" in checks_for(profile.name):
        dataset.notes.append(
            f"{unsized:,} of {len(annotated):,} annotated videos could not be bounds-checked "
            "(VA403): their frame source gives no width/height")
    dataset.stats["manifest_videos"] = len(rows)


def _where(row: MediaRow, file: str) -> str:
    """Where a row's numbers come from, for messages: ``list.txt:12``, ``frames/123``."""
    place = f"{file}:{row.line}" if row.line else file
    return f"{place}, the container's count" if row.count_method == "container" else place


def manifest_table(rows: list[MediaRow], files: list[str],
                   naming: FrameNaming | None = None) -> pd.DataFrame:
    """One row per video. ``naming``: how the profile names frames (``first_index`` is
    relative to its first index), for VA404's message."""
    import pandas as pd

    from vidaudit.frames.paths import DEFAULT_NAMING

    naming = naming or DEFAULT_NAMING

    def ints(name: str) -> Any:
        return pd.array([getattr(r, name) for r in rows], dtype="Int64")

    table = pd.DataFrame({
        "video_id": pd.Series([r.video_id for r in rows], dtype=object),
        "frame_count": ints("frame_count"),
        "width": ints("width"),
        "height": ints("height"),
        "first_index": ints("first_index"),
        "gaps": pd.Series([r.gaps for r in rows], dtype="int64"),
        "extra": pd.Series([r.extra for r in rows], dtype="int64"),
        "unreadable": pd.Series([r.unreadable for r in rows], dtype=object),
        "size_mismatch": pd.Series([r.size_mismatch for r in rows], dtype=object),
        "source": pd.Series([r.source for r in rows], dtype=object),
        "count_method": pd.Series([r.count_method for r in rows], dtype=object),
        "file": pd.Series(files, dtype=object),
        "pointer": "",
        "line": ints("line"),
        "identity": pd.Series([r.video_id for r in rows], dtype=object),
    })
    # Rows read from a manifest file name their media in messages; probed rows'
    # findings already point at the media.
    table["where"] = [f" ({r.source})" if r.source and r.line else "" for r in rows]
    table["sequence_problem"] = [_sequence_problem(r, naming) for r in rows]
    table["expected_frames"] = f"{naming.name(naming.first)} to {naming.prefix}{{n" \
        f"{'-1' if naming.first == 0 else ''}}}{naming.suffix}"
    return table


def _sequence_problem(row: MediaRow, naming: FrameNaming) -> str:
    parts = []
    if row.first_index not in (None, 0):
        parts.append(f"numbering starts at {naming.name(naming.first + row.first_index)}")
    missing = row.gaps - (row.first_index or 0)
    if missing > 0:
        parts.append(f"{missing} {'index' if missing == 1 else 'indices'} missing in between")
    if row.extra:
        parts.append(f"{row.extra} image file{'s' if row.extra != 1 else ''} not named "
                     f"{naming.pattern}")
    return "; ".join(parts)
