"""vidaudit.check and its Report on the bundled samples: findings, the frame, every report
format, and errors as the command prints them."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import vidaudit
from support import REPO, run_cli

BROKEN = REPO / "examples" / "broken"


@pytest.fixture(scope="module")
def broken() -> vidaudit.Report:
    return vidaudit.check(BROKEN)


def test_frame_has_one_row_per_finding_with_the_reports_columns(broken: vidaudit.Report
                                                                ) -> None:
    frame = broken.to_frame()
    listed = json.loads(broken.to_json())["findings"]
    assert len(frame) == len(broken.findings) == len(listed) > 0
    assert list(frame.columns) == list(listed[0])
    assert frame.astype(object).where(frame.notna(), None).to_dict("records") == listed
    assert isinstance(frame["code"].dtype, pd.CategoricalDtype)
    assert list(frame["severity"].cat.categories) == ["info", "warning", "error"]
    assert frame["severity"].cat.ordered
    assert (frame["severity"] >= "warning").all()
    # every rule that ran is a category, so a groupby shows the rules that found nothing
    by_code = frame.groupby("code", observed=False).size()
    assert set(broken.rules_run) <= set(by_code.index)
    assert by_code["VA103"] == 1
    assert str(frame["line"].dtype) == "Int64"


def test_report_verdict_and_findings(broken: vidaudit.Report) -> None:
    assert broken.failed and broken.exit_code == 1
    assert broken.profile == "ssv2-contact-release"
    assert broken.counts == {"error": 32, "warning": 5, "info": 0}
    assert broken.counts["error"] == sum(f.severity == "error" for f in broken.findings)
    assert {Path(i["path"]).name for i in broken.inputs} >= {"video_events_labels.json"}
    first = broken.findings[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.code = "VA999"  # type: ignore[misc]
    assert first.location == f"{first.file}:{first.line}:{first.column}"
    assert "VA401" not in broken.rules_skipped  # the sample's frame manifest is picked up
    assert broken.rules_skipped["VA310"].startswith("needs")


def test_html_summary_for_notebooks(broken: vidaudit.Report) -> None:
    page = broken._repr_html_()
    assert "FAIL" in page and "32 error" in page
    assert "<td>VA303</td><td>video-not-in-split</td><td>error</td>" in page
    clean = vidaudit.check(REPO / "metadata", select="VA1")
    assert "PASS" in clean._repr_html_() and "<table>" not in clean._repr_html_()
    assert clean.exit_code == 0 and clean.rules_run == ("VA101", "VA102", "VA103", "VA104",
                                                        "VA105", "VA106", "VA107")


def test_write_every_format(broken: vidaudit.Report, tmp_path: Path) -> None:
    for fmt in ("console", "json", "junit", "sarif", "github", "html"):
        assert broken.write(fmt, tmp_path / f"report.{fmt}").stat().st_size > 0
    assert json.loads((tmp_path / "report.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(tmp_path / "report.junit").getroot().tag in ("testsuites", "testsuite")
    assert "VA303 video-not-in-split" in (tmp_path / "report.console").read_text()
    assert (tmp_path / "report.html").read_text().lstrip().lower().startswith("<!doctype html")
    with pytest.raises(vidaudit.UsageError, match="refusing to write"):
        broken.write("json", BROKEN / "report.json")
    assert not (BROKEN / "report.json").exists()
    with pytest.raises(vidaudit.UsageError, match="unknown report format"):
        broken.write("pdf", tmp_path / "report.pdf")


@pytest.mark.parametrize("args", [("nowhere",), (str(BROKEN), "--select", "VA999"),
                                  (str(BROKEN), "--profile", "nope"),
                                  (str(BROKEN), "--fail-on", "sometimes")])
def test_errors_are_exceptions_with_the_commands_message(args: tuple[str, ...]) -> None:
    options: dict[str, str] = {}
    if len(args) > 1:
        options[args[1].removeprefix("--").replace("-", "_")] = args[2]
    done = run_cli("check", *args)
    with pytest.raises(vidaudit.ConfigError) as raised:
        vidaudit.check(args[0], **options)  # type: ignore[arg-type]
    if done.returncode == 2 and "error: argument" not in done.stderr:
        assert done.stderr == f"vidaudit: error: {raised.value}\n"
