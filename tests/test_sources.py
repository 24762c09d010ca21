from __future__ import annotations

import hashlib
from pathlib import Path

from vidaudit.model import Severity
from vidaudit.sources import read_json_source


def read(tmp_path: Path, content: bytes, name: str = "f.json"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(content)
    return read_json_source("events", path, name)


def codes(source) -> list[tuple[str, Severity]]:  # type: ignore[no-untyped-def]
    return [(f.code, f.severity) for f in source.findings]


def test_valid_file_has_no_findings_and_a_checksum(tmp_path: Path) -> None:
    source = read(tmp_path, b'{"1": []}')
    assert source.findings == [] and source.data == {"1": []}
    assert source.sha256 == hashlib.sha256(b'{"1": []}').hexdigest()
    assert source.size == 9


def test_syntax_error_reports_line_and_column(tmp_path: Path) -> None:
    source = read(tmp_path, b'{\n  "1": [1, 2,]\n}')
    (finding,) = source.findings
    assert finding.code == "VA102" and (finding.line, finding.column) == (2, 14)  # the "]"
    assert source.data is None


def test_bom_is_a_warning_and_the_file_still_parses(tmp_path: Path) -> None:
    source = read(tmp_path, b'\xef\xbb\xbf{"1": []}')
    assert codes(source) == [("VA105", Severity.WARNING)]
    assert source.data == {"1": []}


def test_utf16_and_invalid_utf8_are_errors(tmp_path: Path) -> None:
    assert codes(read(tmp_path, '{"1": []}'.encode("utf-16"))) == [("VA105", Severity.ERROR)]
    bad = read(tmp_path, b'{\n "\xff": 1}')
    (finding,) = bad.findings
    assert finding.code == "VA105" and (finding.line, finding.column) == (2, 3)


def test_repeated_keys_and_non_finite_numbers_are_found_with_pointers(tmp_path: Path) -> None:
    source = read(tmp_path, b'{"1": [], "1": [{"a": NaN, "b": -Infinity, "c": 1e999}], "2": 1}')
    found = sorted((f.code, f.pointer) for f in source.findings)
    assert found == [("VA103", "/1"), ("VA104", "/1/0/a"), ("VA104", "/1/0/b"),
                     ("VA104", "/1/0/c")]
    assert len(source.data["1"]) == 1  # like json.loads: the last value wins


def test_every_number_beyond_a_float_is_found_and_nothing_else(tmp_path: Path) -> None:
    """Infinite numbers are found as the parser reads them: one of 310 digits without an
    exponent too (a search of the text for exponents missed it), and a string that looks
    like one (hex such as a fingerprint's ``5e123``) is no number."""
    huge = b"1" + b"0" * 309 + b".0"
    alone = read(tmp_path, b'{"a": [2.5, ' + huge + b"]}", "alone.json")
    assert [(f.code, f.pointer) for f in alone.findings] == [("VA104", "/a/1")]
    source = read(tmp_path, b'{"a": [' + huge + b', 2.5, 1E+400, -1e999, 1e308], '
                            b'"b": "5e123 1e999", "c": ["0e999"]}')
    assert sorted((f.code, f.pointer) for f in source.findings) == [
        ("VA104", "/a/0"), ("VA104", "/a/2"), ("VA104", "/a/3")]
    clean = read(tmp_path, b'{"fingerprint": "81c637a54f366bc49c1a90593c92250f5e123"}',
                 "g.json")
    assert clean.findings == []


def test_missing_directory_and_oversized_files(tmp_path: Path) -> None:
    assert codes(read_json_source("events", tmp_path / "absent.json", "absent.json")) == \
        [("VA101", Severity.ERROR)]
    (tmp_path / "dir.json").mkdir()
    assert codes(read_json_source("events", tmp_path / "dir.json", "dir.json")) == \
        [("VA106", Severity.ERROR)]
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b"1," * 100 + b"1]")
    assert codes(read_json_source("events", big, "big.json", max_bytes=50)) == \
        [("VA107", Severity.ERROR)]


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    source = read(tmp_path, b"[" * 100_000 + b"]" * 100_000)
    assert [f.code for f in source.findings] == ["VA102"]
