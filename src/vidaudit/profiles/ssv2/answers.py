"""Reading ``something-something-v2-test-answers.csv``: ``id;class name`` per line, no
header, with the VA1xx findings a JSON file would get (read safely, size limit,
encoding) and VA201 for a line that is not ``id;class name``.

Every finding carries its line: the file is not JSON, so no pointer can locate it.
CRLF line endings (the files circulate with them) are accepted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from vidaudit.model import Finding, Severity
from vidaudit.safeio import Refused, read_regular
from vidaudit.sources import SourceFile
from vidaudit.values import show

_BOMS = {b"\xff\xfe": "UTF-16-LE", b"\xfe\xff": "UTF-16-BE"}
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class AnswerLines:
    """The lines that have the ``id;class name`` shape, column by column."""

    line: list[int] = field(default_factory=list)
    video_id: list[str] = field(default_factory=list)
    class_name: list[str] = field(default_factory=list)


def read_answers(role: str, path: Path, display: str, max_bytes: int,
                 root: Path | None) -> SourceFile:
    source = SourceFile(role=role, path=path, display=display)
    raw = _read(source, max_bytes, root)
    if raw is None:
        return source
    source.size = len(raw)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    text = _decode(source, raw)
    if text is None:
        return source
    source.text = text
    source.data = parse_answers(text, source)
    return source


def parse_answers(text: str, source: SourceFile | None = None) -> AnswerLines:
    """The well-shaped lines; the others become VA201 on ``source`` (when given)."""
    lines = AnswerLines()
    for number, line in enumerate(text.split("\n"), start=1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip():
            continue
        video_id, sep, name = line.partition(";")
        if not sep or ";" in name or not name:
            if source is not None:
                _at(source, "VA201", f"line {number} is {show(line, 80)}, not `id;class "
                    "name`", number, identity=f"line/{show(line, 80)}")
            continue
        lines.line.append(number)
        lines.video_id.append(video_id)
        lines.class_name.append(name)
    return lines


def _at(source: SourceFile, code: str, message: str, line: int,
        severity: Severity = Severity.ERROR, identity: str = "") -> None:
    source.findings.append(Finding(code=code, severity=severity, message=message,
                                   file=source.display, line=line, column=1,
                                   identity=identity or f"line{line}"))


def _read(source: SourceFile, max_bytes: int, root: Path | None) -> bytes | None:
    path = source.path
    try:
        if path.is_dir():
            _at(source, "VA106", f"{path.name} is a directory, not a file", 1)
            return None
        return read_regular(path, max_bytes, root)
    except Refused as refused:
        _at(source, refused.code, str(refused), 1)
    except OSError as error:
        _at(source, "VA106", f"{path.name} cannot be read: "
            f"{error.strerror or type(error).__name__}", 1)
    return None


def _decode(source: SourceFile, raw: bytes) -> str | None:
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            _at(source, "VA105", f"file is encoded as {name}, not UTF-8", 1)
            return None
    body = raw
    if raw.startswith(_UTF8_BOM):
        _at(source, "VA105", "file starts with a UTF-8 byte-order mark; the first id then "
            "reads as '\\ufeff' + id in most CSV readers", 1, Severity.WARNING, "bom")
        body = raw[len(_UTF8_BOM):]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        _at(source, "VA105", f"invalid UTF-8 byte 0x{body[error.start]:02x} at byte offset "
            f"{error.start + len(raw) - len(body)}", line, identity="encoding")
        return None
