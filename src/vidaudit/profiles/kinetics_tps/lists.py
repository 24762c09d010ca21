"""Kinetics-TPS's text files under ``list/``: the vocabularies and the frame lists.

``body_part.txt``, ``part_stat.txt``, ``object.txt``: one name per line; an index
column before or after the name (separated by a tab, a comma or spaces) is
tolerated. ``video_{train,test}_flist.csv``: ``video,frames`` per line with an
optional header; ``video`` may be ``<class>/<video>``. No real copy of these files
could be found, so this is the shape the published description implies; any
other shape is reported line by line (VA201), never guessed.

Files are read like the JSON files (size limit, no link out of the dataset, UTF-8);
their findings carry their line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from vidaudit.model import Finding, Severity
from vidaudit.safeio import Refused, read_regular
from vidaudit.sources import SourceFile
from vidaudit.values import show

VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
"""A Kinetics video name (YouTube id, start and end: ``abc_DEF-123_000010_000020``):
the only names a path is ever built from."""


@dataclass
class Names:
    """A vocabulary list: the names, and the line of each."""

    names: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class FrameList:
    """A ``video,frames`` list: one entry per usable line."""

    video: list[str] = field(default_factory=list)
    klass: list[str | None] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def read_text(role: str, path: Path, display: str, max_bytes: int,
              root: Path | None, kind: str) -> SourceFile:
    """``kind``: "names" or "flist"."""
    source = SourceFile(role=role, path=path, display=display)
    try:
        if not path.exists() and not path.is_symlink():
            source.add("VA101", f"required file {path.name} does not exist")
            return source
        raw = read_regular(path, max_bytes, root)
    except Refused as refused:
        source.add(refused.code, str(refused))
        return source
    except OSError as error:
        source.add("VA106", f"{path.name} cannot be read: {error.strerror or error}")
        return source
    source.size = len(raw)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        source.findings.append(Finding("VA105", Severity.ERROR, f"invalid UTF-8 byte at "
                                       f"byte offset {error.start}", file=display, line=line,
                                       column=1, identity="encoding"))
        return source
    source.text = text
    source.data = parse_names(text, source) if kind == "names" else parse_flist(text, source)
    return source


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in
            enumerate(text.replace("\r\n", "\n").split("\n"), start=1) if line.strip()]


def parse_names(text: str, source: SourceFile) -> Names:
    names = Names()
    for number, line in _lines(text):
        name = _name(line)
        if not name:
            _at(source, number, f"line {number} is {show(line, 80)}, not a name (with an "
                "optional index column)")
            continue
        names.names.append(name)
        names.lines.append(number)
    return names


def _name(line: str) -> str:
    """The name on a vocabulary line; "" when the line has another shape. Without a tab
    or comma a name may contain spaces ("baseball glove"): only a leading or trailing
    number is taken for an index."""
    separated = "\t" in line or "," in line
    cells = [c.strip() for c in re.split(r"[\t,]", line) if c.strip()] if separated \
        else line.split()
    if len(cells) > 1 and cells[0].isdigit():
        cells = cells[1:]
    elif len(cells) > 1 and cells[-1].isdigit():
        cells = cells[:-1]
    if separated and len(cells) != 1:
        return ""
    return " ".join(cells)


def parse_flist(text: str, source: SourceFile) -> FrameList:
    entries = FrameList()
    for position, (number, line) in enumerate(_lines(text)):
        cells = [c.strip() for c in line.split(",")]
        if position == 0 and len(cells) == 2 and not cells[1].isdigit() and \
                cells[1].lower() in ("frames", "frame", "num_frames", "n_frames", "count"):
            continue  # the optional header
        if len(cells) != 2 or not cells[1].isascii() or not cells[1].isdigit():
            _at(source, number, f"line {number} is {show(line, 80)}, not `video,frames` "
                "(the only shape vidaudit reads: a video name, a comma, a whole number of "
                "frames)")
            continue
        klass, _, video = cells[0].rpartition("/")
        if not VIDEO_ID.fullmatch(video) or "/" in klass:
            _at(source, number, f"line {number}: {show(cells[0], 80)} is not a video name "
                "(letters, digits, _ and -), optionally after its class folder")
            continue
        entries.video.append(video)
        entries.klass.append(klass or None)
        entries.frames.append(int(cells[1]))
        entries.lines.append(number)
    return entries


def _at(source: SourceFile, line: int, message: str) -> None:
    source.findings.append(Finding("VA201", Severity.ERROR, message, file=source.display,
                                   line=line, column=1, identity=f"line/{line}"))
