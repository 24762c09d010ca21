"""Reading manifests: a CSV manifest or a rawframes list (told apart by content),
one file, several files, or a folder of them, merged into one row per video."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from vidaudit.errors import UsageError
from vidaudit.frames import csvio, rawframes
from vidaudit.frames.problems import LineProblem
from vidaudit.frames.rows import REQUIRED, MediaRow
from vidaudit.safeio import Refused, read_regular

LIST_SUFFIXES = (".csv", ".txt", ".lst", ".list")
"""Which files of a folder given as ``--manifest`` are read."""


@dataclass
class ManifestFile:
    path: Path
    display: str
    kind: str = "unknown"
    """"csv", "rawframes" or "unknown" (unreadable: see ``problems``)."""
    sha256: str = ""
    size: int = 0
    rows: list[MediaRow] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def expand(paths: list[str]) -> list[tuple[Path, str]]:
    """(path, display) for each file given; a folder stands for its list files."""
    result: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in LIST_SUFFIXES)
            if not found:
                raise UsageError(f"manifest folder {given} holds no {'/'.join(LIST_SUFFIXES)} "
                                 "files")
            result.extend((p, str(Path(given) / p.name)) for p in found)
        elif path.is_file():
            result.append((path, given))
        else:
            raise UsageError(f"manifest {given} does not exist")
    return result


def read_file(path: Path, display: str, root: Path | None = None,
              max_bytes: int = 256 << 20) -> ManifestFile:
    """One manifest; ``root``: the folder it may not leave by a symbolic link."""
    try:
        data = read_regular(path, max_bytes, root)
    except Refused as refused:
        unread = ManifestFile(path, display)
        unread.problems.append(LineProblem(1, str(refused), "file"))
        return unread
    except OSError as error:
        raise UsageError(f"cannot read manifest {display}: {error.strerror or error}") from None
    manifest = ManifestFile(path, display, sha256=hashlib.sha256(data).hexdigest(),
                            size=len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        manifest.problems.append(LineProblem(line, "the manifest is not UTF-8 text",
                                             "encoding"))
        return manifest
    sample = [line for line in text.splitlines()[:200] if line.strip()][:20]
    first = sample[0] if sample else ""
    if csvio.looks_like_csv(first):
        manifest.kind = "csv"
        manifest.rows, manifest.problems, missing = csvio.parse(text)
        if missing:
            manifest.problems = [LineProblem(
                1, f"the CSV header lacks {', '.join(missing)} (needs at least "
                f"{', '.join(REQUIRED)})", "header")]
    elif rawframes.looks_like_rawframes(sample):
        manifest.kind = "rawframes"
        manifest.rows, manifest.problems = rawframes.parse(text)
    else:
        number = text.splitlines().index(first) + 1 if first else 1
        manifest.problems.append(LineProblem(
            number, "not a frame manifest: expected a CSV header with video_id and "
            "frame_count, or `frame_dir num_frames [label]` lines", "format"))
    return manifest


@dataclass
class Merged:
    rows: list[MediaRow]
    files: list[str]
    """The display path each row came from (parallel to ``rows``)."""
    problems: list[tuple[str, LineProblem]]


def merge(manifests: list[ManifestFile]) -> Merged:
    """One row per video: the first listing wins, later ones are problems."""
    merged = Merged([], [], [])
    seen: dict[str, tuple[str, int | None]] = {}
    for manifest in manifests:
        merged.problems.extend((manifest.display, p) for p in manifest.problems)
        for row in manifest.rows:
            earlier = seen.get(row.video_id)
            if earlier is not None:
                where = f"line {earlier[1]}" if earlier[0] == manifest.display \
                    else f"{earlier[0]}:{earlier[1]}"
                merged.problems.append((manifest.display, LineProblem(
                    row.line or 0, f"video {row.video_id} is listed again (first at {where}); "
                    "this row is ignored", f"duplicate/{row.video_id}", row.video_id)))
                continue
            seen[row.video_id] = (manifest.display, row.line)
            merged.rows.append(row)
            merged.files.append(manifest.display)
    return merged
