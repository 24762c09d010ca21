"""Reading one metadata file: bytes -> text -> JSON, with the VA1xx findings.

Nothing here raises for bad content: every problem becomes a Finding and the
file's ``data`` is left as ``None`` (or as the parse of the readable part).
Only the caller's own mistakes (an unreadable *directory* given on the command
line) are errors.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidaudit.jsonpos import Locator, Span, escape_token, line_column_of
from vidaudit.model import Finding, Severity
from vidaudit.safeio import Refused, read_regular

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32-LE",
    b"\x00\x00\xfe\xff": "UTF-32-BE",
    b"\xff\xfe": "UTF-16-LE",
    b"\xfe\xff": "UTF-16-BE",
}
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
_MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300


class DuplicateKeyDict(dict[str, Any]):
    """A JSON object whose text repeated keys; keeps the last value, like json.loads."""

    repeated: list[str]


@dataclass
class SourceFile:
    """One input file as read, with what was wrong with it as a file."""

    role: str
    path: Path
    display: str
    data: Any = None
    text: str | None = None
    sha256: str | None = None
    size: int | None = None
    findings: list[Finding] = field(default_factory=list)
    repeated_keys: bool = False
    absent: bool = False
    """An optional file of the profile that is not there (not a finding, a note)."""
    _locator: Locator | None = None

    @property
    def parsed(self) -> bool:
        return self.text is not None and not any(
            f.code in {"VA101", "VA102", "VA105"} and f.severity is Severity.ERROR
            for f in self.findings
        )

    @property
    def locator(self) -> Locator | None:
        if self._locator is None and self.text is not None:
            self._locator = Locator(self.text, self.data,
                                    indexable=self.data is not None and not self.repeated_keys)
        return self._locator

    def add(self, code: str, message: str, *, pointer: str = "", offset: int | None = None,
            severity: Severity | None = None, identity: str = "") -> None:
        finding = Finding(code=code, severity=severity or Severity.ERROR, message=message,
                          file=self.display, pointer=pointer, identity=identity or pointer)
        if offset is not None and self.text is not None:
            finding.line, finding.column = line_column_of(self.text, offset)
        self.findings.append(finding)


class DeferredSource(SourceFile):
    """A file a profile read its own, faster way (straight into columns, kept as
    ``columns``) after proving that nothing in it is a VA1xx finding: no repeated key,
    no non-finite number. Its JSON value, which few consumers need (the release diff, when
    the other release must be compared by value), is parsed from the text the first time
    ``data`` is asked for, and is then exactly what :func:`read_json_source` would have
    given."""

    def __init__(self, *, columns: Any, shape: type,
                 spans: Callable[[str], Span | None] | None = None, **fields: Any) -> None:
        self._value: Any = None
        self._parsed_value = False
        super().__init__(**fields)
        self.columns = columns
        self.shape = shape
        """The type of the JSON value (dict, list), known without parsing it."""
        self.spans = spans
        """Where the reader knows a pointer's value to be (None: not known); when given,
        findings are located from it and the file's lazy index, without parsing it."""

    @property
    def locator(self) -> Locator | None:
        if self.spans is None:
            return super().locator
        if self._locator is None and self.text is not None:
            self._locator = Locator(self.text, known=self.spans)
        return self._locator

    @property
    def data(self) -> Any:
        if not self._parsed_value and self.text is not None:
            self._value = json.loads(self.text)
            self._parsed_value = True
        return self._value

    @data.setter
    def data(self, value: Any) -> None:
        self._value = value
        self._parsed_value = value is not None


def has_byte_order_mark(raw: bytes) -> bool:
    """A UTF-8, UTF-16 or UTF-32 byte-order mark (VA105): the fast readers leave such a
    file to :func:`read_json_source`, which reports it."""
    return raw.startswith(_UTF8_BOM) or raw[:2] in (b"\xff\xfe", b"\xfe\xff")


def read_missing(role: str, display: str) -> SourceFile:
    """An optional file that is not there: nothing read, nothing wrong."""
    return SourceFile(role=role, path=Path(display), display=display, absent=True)


def read_json_source(role: str, path: Path, display: str,
                     max_bytes: int = DEFAULT_MAX_BYTES, root: Path | None = None) -> SourceFile:
    """Read one file; ``root``: the dataset folder, which a symbolic link may not leave."""
    source = SourceFile(role=role, path=path, display=display)
    raw = _read_bytes(source, max_bytes, root)
    if raw is None:
        return source
    source.size = len(raw)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    text = _decode(source, raw)
    if text is None:
        return source
    source.text = text
    _parse(source, text)
    return source


def _read_bytes(source: SourceFile, max_bytes: int, root: Path | None) -> bytes | None:
    path = source.path
    try:
        if not path.exists() and not path.is_symlink():
            source.add("VA101", f"required file {path.name} does not exist")
            return None
        if path.is_dir():
            source.add("VA106", f"{path.name} is a directory, not a file")
            return None
        return read_regular(path, max_bytes, root)
    except Refused as refused:
        source.add(refused.code, str(refused))
        return None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        source.add("VA106", f"{path.name} cannot be read: {reason}")
        return None


def _decode(source: SourceFile, raw: bytes) -> str | None:
    for bom, name in _OTHER_BOMS.items():
        if raw.startswith(bom):
            source.add("VA105", f"file is encoded as {name}, not UTF-8")
            return None
    body = raw
    if raw.startswith(_UTF8_BOM):
        source.add("VA105", "file starts with a UTF-8 byte-order mark, which JSON forbids "
                   "(RFC 8259 section 8.1); most parsers reject it", severity=Severity.WARNING)
        body = raw[len(_UTF8_BOM):]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        good = body[: error.start].decode("utf-8", errors="replace")
        line, column = line_column_of(good, len(good))
        finding = Finding(code="VA105", severity=Severity.ERROR,
                          message=f"invalid UTF-8 byte 0x{body[error.start]:02x} at byte "
                          f"offset {error.start + len(raw) - len(body)}",
                          file=source.display, line=line, column=column, identity="encoding")
        source.findings.append(finding)
        return None


def _parse(source: SourceFile, text: str) -> None:
    state = {"repeated": False, "constant": False}

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            state["repeated"] = True
            dup = DuplicateKeyDict(obj)
            seen: set[str] = set()
            dup.repeated = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
            return dup
        return obj

    def constant_hook(name: str) -> float:
        state["constant"] = True
        return float(name)

    def float_hook(digits: str) -> float:
        value = float(digits)
        if value - value != 0.0:  # 1e999: infinite (a VA104 below)
            state["constant"] = True
        return value

    def int_hook(digits: str) -> int | float:
        if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
            state["constant"] = True
            return float(digits)  # +-inf, like 1e999: a VA104 below
        return int(digits)

    try:
        try:
            data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=constant_hook,
                              parse_float=float_hook)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer longer than int() converts: parse again, slowly
            data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=constant_hook,
                              parse_float=float_hook, parse_int=int_hook)
    except json.JSONDecodeError as error:
        source.text = None
        finding = Finding(code="VA102", severity=Severity.ERROR,
                          message=f"invalid JSON: {error.msg}", file=source.display,
                          line=error.lineno, column=error.colno, identity="syntax")
        source.findings.append(finding)
        return
    except RecursionError:
        source.text = None
        source.add("VA102", "invalid JSON: nested too deeply to parse", identity="syntax")
        return
    source.data = data
    source.repeated_keys = state["repeated"]
    if state["repeated"] or state["constant"]:
        try:
            _report_walk(source, data)
        except RecursionError:
            source.add("VA102", "invalid JSON: nested too deeply to check", identity="syntax")


def _report_walk(source: SourceFile, root: Any) -> None:
    """Find repeated keys and non-finite numbers, with their pointers."""
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node, DuplicateKeyDict):
                counts: dict[str, int] = {}
                for key in node.repeated:
                    counts[key] = counts.get(key, 0) + 1
                    child = f"{pointer}/{escape_token(key)}"
                    source.findings.append(Finding(
                        code="VA103", severity=Severity.ERROR,
                        message=f"key {key!r} is repeated; a plain JSON parser silently "
                        "keeps only the last value",
                        file=source.display, pointer=child, identity=f"{child}#{counts[key]}",
                        extra={"occurrence": counts[key]}))
            stack.extend((f"{pointer}/{escape_token(k)}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            source.findings.append(Finding(
                code="VA104", severity=Severity.ERROR,
                message=f"non-finite number {json.dumps(node)}: JSON has no NaN or Infinity, "
                "and strict parsers reject the file (a huge exponent like 1e999 overflows "
                "to Infinity)" if math.isinf(node) else f"non-finite number "
                f"{json.dumps(node)}: JSON has no NaN or Infinity, and strict parsers reject "
                "the file", file=source.display, pointer=pointer,
                identity=pointer))
