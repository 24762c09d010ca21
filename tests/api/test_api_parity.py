"""The API and the command line are one run: the same JSON report, byte for byte, and the
same exit codes, catalogue and explanations, on the bundled samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vidaudit
from support import REPO, run_cli

CASES = [
    ("metadata", {}, []),
    ("examples/broken", {}, []),
    ("examples/broken", {"select": "VA2,VA3", "ignore": ["VA206"], "fail_on": "warning"},
     ["--select", "VA2,VA3", "--ignore", "VA206", "--fail-on", "warning"]),
]


@pytest.mark.parametrize(("folder", "options", "args"), CASES,
                         ids=["clean", "broken", "broken-selected"])
def test_json_report_is_the_commands_byte_for_byte(folder: str, options: dict[str, object],
                                                   args: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from_cli = tmp_path / "cli.json"
    done = run_cli("check", folder, *args, "--format", "json", "--output", from_cli, cwd=REPO)
    monkeypatch.chdir(REPO)
    report = vidaudit.check(folder, **options)  # type: ignore[arg-type]
    written = report.write("json", tmp_path / "api.json")
    assert report.to_json().encode("utf-8") == from_cli.read_bytes()
    assert written.read_bytes() == from_cli.read_bytes()
    assert report.exit_code == done.returncode
    assert done.returncode == (0 if folder == "metadata" else 1)


def test_rules_and_explain_are_the_commands() -> None:
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r.code for r in vidaudit.rules()] == [r["code"] for r in listed]
    assert {(r.code, r.name, r.severity, r.needs, r.profiles) for r in vidaudit.rules()} == \
        {(r["code"], r["name"], r["severity"], r["needs"], tuple(r["profiles"]))
         for r in listed}
    assert vidaudit.explain("video-not-in-split") == run_cli("explain", "VA303").stdout
    assert [r.code for r in vidaudit.rules("ssv2")] == \
        [r["code"] for r in json.loads(run_cli("rules", "--format", "json", "--profile",
                                               "ssv2").stdout)]


def test_audit_writes_the_commands_report(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    done = run_cli("audit", "examples/broken", "--previous", "metadata", "--no-gx",
                   "--output-dir", tmp_path / "cli", cwd=REPO)
    monkeypatch.chdir(REPO)
    audited = vidaudit.audit("examples/broken", previous="metadata", gx=False,
                             output_dir=tmp_path / "api")
    assert audited.exit_code == done.returncode == 1
    for name in ("report.json", "diff.json", "diff.md"):
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    assert audited.report.to_json().encode() == (tmp_path / "api" / "report.json").read_bytes()
    assert set(audited.files) >= {"report.json", "report.html", "index.html", "diff.json"}
    assert audited.verdict["result"] == "fail"
    # the release diff's findings are in the audit's report, like every other finding
    assert {f.code for f in audited.report.findings} & {"VA601", "VA602", "VA603", "VA604"}
