"""What must hold for every input, however broken: run vidaudit, then check everything.

- the exit code is 0 or 1 (a broken metadata file is a finding, not an error), and
  nothing on standard error is a traceback or an internal error;
- the dataset folder is byte-for-byte what it was (and holds no new file);
- the JSON report is valid against its schema, and so is the SARIF log; the JUnit
  XML parses; every GitHub line is a workflow command or the verdict; hostile
  markup never reaches the HTML report unescaped;
- every finding's pointer resolves in its file, and its line/column point at the
  value (or the key) the pointer names; positions in files that do not parse stay
  inside the file. This is checked with an independent reading of the file.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import stat
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from vidaudit.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FORMATS = {"json": "report.json", "sarif": "report.sarif", "junit": "report.xml",
           "github": "github.txt", "html": "report.html", "console": "console.txt"}


@functools.cache
def report_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((REPO / "schemas" / "vidaudit_report.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


@functools.cache
def sarif_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((REPO / "tests" / "third_party" / "sarif-schema-2.1.0.json")
                        .read_text())
    return jsonschema.Draft7Validator(schema)


# -- running -----------------------------------------------------------------------------

@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


def run_in_process(args: Sequence[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `vidaudit ARGS`; a Python warning counts as stderr
    output (a user would see it there)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(list(args))
    shown = "".join(f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}\n"
                    for w in caught)
    return code, out.getvalue(), err.getvalue() + shown


def check_all_formats(dataset: Path, out_dir: Path, *extra: str,
                      formats: Sequence[str] = tuple(FORMATS)) -> Outcome:
    """`vidaudit check DATASET` in this process, writing every format to ``out_dir``."""
    args = ["check", str(dataset), *extra]
    for fmt in formats:
        args += ["--format", fmt, "--output", str(out_dir / FORMATS[fmt])]
    code, stdout, stderr = run_in_process(args)
    outputs = {}
    for fmt in formats:
        path = out_dir / FORMATS[fmt]
        if path.exists():
            outputs[fmt] = path.read_bytes().decode("utf-8")
    return Outcome(code, stdout, stderr, outputs)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """Every entry under ``folder``: its mode and its bytes (or link target)."""
    found: dict[str, tuple[int, bytes | str | None]] = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            content: bytes | str | None = os.readlink(path)
        elif stat.S_ISREG(info.st_mode) and info.st_size <= 16 << 20:
            content = path.read_bytes()
        elif stat.S_ISREG(info.st_mode):  # huge (sparse) test files: any write moves ctime
            content = f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"
        else:
            content = None
        found[str(path.relative_to(folder))] = (info.st_mode, content)
    return found


# -- the invariants -----------------------------------------------------------------------

def assert_clean_exit(outcome: Outcome, allowed: Sequence[int] = (0, 1)) -> None:
    assert outcome.code in allowed, (outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert "Warning" not in outcome.stderr, outcome.stderr


def assert_outputs_sound(outcome: Outcome, base: Path | None = None) -> dict[str, Any]:
    """Every written format is well-formed; returns the JSON report."""
    report: dict[str, Any] = json.loads(outcome.outputs["json"])
    report_validator().validate(report)
    findings = report["findings"]
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    assert {s: report["summary"][s] for s in counts} == counts
    assert outcome.code == (1 if counts["error"] else 0), (outcome.code, counts)
    keys = [(f["file"], f["line"] or 0, f["column"] or 0, f["code"]) for f in findings]
    assert keys == sorted(keys)
    for finding in findings:
        assert_located(finding, base)
    if "sarif" in outcome.outputs:
        sarif = json.loads(outcome.outputs["sarif"])
        sarif_validator().validate(sarif)
        assert len(sarif["runs"][0]["results"]) == len(findings)
    if "junit" in outcome.outputs:
        ET.fromstring(outcome.outputs["junit"].encode("utf-8"))
    if "github" in outcome.outputs:
        # The runner splits stdout at CR and LF only (not at \x0b, \x1c, U+2028).
        github = outcome.outputs["github"]
        assert "\r" not in github and github.endswith("\n")
        for line in github[:-1].split("\n"):
            assert line.startswith(("::error ", "::warning ", "::notice ", "vidaudit: ")), line
    if "html" in outcome.outputs:
        html = outcome.outputs["html"]
        assert "vidaudit-probe" not in html.replace("id=vidaudit-probe&gt;", "") \
            .replace("id=vidaudit-probe\\u003e", "").replace("id\\u003dvidaudit-probe", ""), \
            "hostile markup reached the HTML report unescaped"
        assert "<script>alert" not in html
    return report


# -- locations, checked independently ----------------------------------------------------

@dataclass(frozen=True)
class BigInt:
    """An integer with more digits than Python converts by default."""

    digits: str


class Pairs(list[tuple[str, Any]]):
    """An object as parsed here: members in order, repeats kept."""


class Unparsed(Exception):
    pass


def _parse_int(text: str) -> Any:
    return int(text) if len(text.lstrip("-")) <= 4000 else BigInt(text)


def _parse_float(text: str) -> Any:
    return float(text) if len(text) <= 4000 else BigInt(text)


_DECODER = json.JSONDecoder(object_pairs_hook=Pairs, parse_int=_parse_int,
                            parse_float=_parse_float, parse_constant=float)


def read_text(raw: bytes) -> str | None:
    """The text as a careful reader sees the file (after an optional UTF-8 BOM), or
    None when it is not UTF-8."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_at(text: str, offset: int) -> tuple[Any, int]:
    """The JSON value starting at ``offset``, however deep (the parser recurses in C:
    a high limit is safe for the depths the tests write); raises Unparsed."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 50_000))
    try:
        return _DECODER.raw_decode(text, offset)  # type: ignore[no-any-return]
    except (ValueError, RecursionError) as error:
        raise Unparsed(str(error)) from None
    finally:
        sys.setrecursionlimit(limit)


def parse(text: str) -> Any:
    value, end = decode_at(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise Unparsed("extra data")
    return value


def _skip(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\n\r":
        offset += 1
    return offset


def resolve(document: Any, pointer: str) -> Any:
    """RFC 6901 over the parsed tree; a repeated key resolves to its last value, as
    every standard parser keeps."""
    node = document
    if not pointer:
        return node
    assert pointer.startswith("/"), pointer
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Pairs):
            matches = [value for key, value in node if key == token]
            assert matches, f"{pointer!r} does not resolve (no key {token!r})"
            node = matches[-1]
        elif isinstance(node, list):
            assert token.isdigit() and (token == "0" or not token.startswith("0")) \
                and int(token) < len(node), f"{pointer!r} does not resolve (index {token!r})"
            node = node[int(token)]
        else:
            raise AssertionError(f"{pointer!r} does not resolve (a scalar has no {token!r})")
    return node


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values, types included (1 is not 1.0), NaN equal to NaN; iterative,
    as values may be nested thousands deep."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, Pairs) and isinstance(y, Pairs):
            if len(x) != len(y) or any(kx != ky for (kx, _), (ky, _) in zip(x, y, strict=True)):
                return False
            stack.extend((vx, vy) for (_, vx), (_, vy) in zip(x, y, strict=True))
        elif isinstance(x, list) and isinstance(y, list) \
                and not isinstance(x, Pairs) and not isinstance(y, Pairs):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif type(x) is not type(y):
            return False
        elif isinstance(x, float) and x != x:
            if y == y:
                return False
        elif x != y:
            return False
    return True


def line_starts(text: str) -> list[int]:
    return [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]


def _assert_in_bounds(finding: dict[str, Any], text: str) -> None:
    line, column = finding["line"], finding["column"]
    if line is None:
        return
    starts = line_starts(text)
    assert 1 <= line <= len(starts), finding
    end = starts[line] - 1 if line < len(starts) else len(text)
    assert column is not None and 1 <= column <= end - starts[line - 1] + 1, finding


def assert_located(finding: dict[str, Any], base: Path | None = None) -> None:
    """The finding's pointer resolves in its file and its line/column point at that value
    (or at the key the pointer ends in); for files that are not JSON, or not
    readable as JSON, the position at least lies inside the file."""
    assert (finding["line"] is None) == (finding["column"] is None), finding
    if not finding["file"]:
        assert not finding["pointer"], finding
        return
    if finding["code"] in ("VA101", "VA106", "VA107"):  # the file was not read at all
        assert not finding["pointer"] and finding["line"] is None, finding
        return
    path = Path(finding["file"]) if base is None else base / finding["file"]
    try:
        raw = path.read_bytes()
    except OSError:  # missing, a folder, unreadable: nothing to point into
        assert not finding["pointer"] and finding["line"] is None, finding
        return
    if not path.name.endswith(".json"):  # a manifest: line-based, column 1
        lines = re.split("\r\n|\r|\n", raw.decode("utf-8", "replace"))
        assert finding["line"] is None or 1 <= finding["line"] <= len(lines), finding
        assert finding["column"] in (None, 1), finding
        return
    text = read_text(raw)
    if text is None:
        assert not finding["pointer"], finding
        _assert_in_bounds(finding, raw.decode("utf-8", "replace"))
        return
    try:
        document = parse(text)
    except Unparsed:
        assert not finding["pointer"], finding
        _assert_in_bounds(finding, text)
        return
    pointer = finding["pointer"]
    expected = resolve(document, pointer)
    if finding["line"] is None:
        # vidaudit may give up on nesting this reader still follows
        assert finding["code"] == "VA102" and "deeply" in finding["message"], \
            f"an unlocated finding in a parsed file: {finding}"
        return
    _assert_in_bounds(finding, text)
    offset = line_starts(text)[finding["line"] - 1] + finding["column"] - 1
    if pointer and text.startswith('"', offset):
        key, end = json.decoder.scanstring(text, offset + 1)  # type: ignore[attr-defined]
        if text.startswith(":", _skip(text, end)):
            last = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            assert key == last, (finding, key)
            return
    try:
        value, _ = decode_at(text, offset)
    except Unparsed as error:
        raise AssertionError(f"{finding} points at no JSON value ({error})") from None
    assert same(value, expected), (finding, _short(value), _short(expected))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "…"
