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
