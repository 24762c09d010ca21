"""Real Great Expectations on the broken sample: its checkpoint agrees with vidaudit's
findings, its Data Docs open offline in headless Chromium without errors, and the suites
committed under checks/gx/ are what the code generates.

GX is slow to import and run, so the module shares two runs: one in-process with the
COMPLETE result format (every unexpected row), and one through the CLI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from audit_support import Files, audit
from chromium import open_page
from support import REPO
from vidaudit.audit.gx.suite import covered, export_files
from vidaudit.audit.progress import Steps
from vidaudit.audit.run import audit as run_audit
from vidaudit.config import Config
from vidaudit.profiles import get
from vidaudit.profiles.ssv2_contact_release.gx_suite import RESTATED

PROFILE = get("ssv2-contact-release")
pytestmark = pytest.mark.slow

XSS = '<img src="x" onerror="alert(document.domain)">'
COLUMNS = {"video_id", "action", "agent", "frameNumber", "pointX", "pointY"}
# GX's uniqueness and range-over-group expectations flag every row of a group, vidaudit
# the listings after the first: for those rules the two are compared video by video.
BY_VIDEO = {"VA301", "VA302", "VA307", "VA308", "VA501"}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/broken (the previous release), and the same with its unknown action
    replaced by HTML and a non-ASCII id added to the test split (the next release)."""
    root = tmp_path_factory.mktemp("gx")
    shutil.copytree(REPO / "examples" / "broken", root / "old")
    shutil.copytree(root / "old", root / "new")
    events = root / "new" / "video_events_labels.json"
    text = events.read_text("utf-8")
    assert text.count('"action":"touch"') == 1
    events.write_text(text.replace('"action":"touch"', f'"action":{json.dumps(XSS)}'))
    test_split = root / "new" / "test_videos_ids_labeled.json"
    fullwidth_12 = "\uff11\uff12"
    test_split.write_text(json.dumps([*json.loads(test_split.read_text()), fullwidth_12]))
    return root


@pytest.fixture(scope="module")
def in_process(broken: Path) -> dict[str, Any]:
    from vidaudit.audit.gx.run import run_gx

    steps = Steps(show=False)
    done = run_audit(str(broken / "new"), str(broken / "old"), Config(), None, steps)
    outcome = run_gx(done.result, broken / "out", steps, result_format="COMPLETE")
    return {"audit": done, "gx": outcome, "out": broken / "out"}


def _row_key(rule: str, identity: str) -> str:
    """The GX row's identity (or its video id for BY_VIDEO rules)."""
    if rule not in BY_VIDEO:
        return identity
    if rule == "VA501":
        return identity.rsplit("/", 1)[0]
    return identity.rsplit("/", 1)[1].rsplit("#", 1)[0]


def _finding_key(finding: Any) -> str:
    if finding.code in BY_VIDEO:
        return str(finding.video_id)
    head, _, last = finding.identity.rpartition("/")
    return head if last in COLUMNS else finding.identity


def test_every_failing_expectation_matches_findings_and_back(in_process: dict[str, Any]
                                                            ) -> None:
    outcome = in_process["gx"]
    findings = in_process["audit"].result.findings
    rules = covered(PROFILE, Config(), frames=False)
    assert rules == sorted(RESTATED)
    for rule in rules:
        gx_rows = {_row_key(rule, identity) for o in outcome.outcomes if o.rule == rule
                   for identity in o.identities or []}
        vidaudit_rows = {_finding_key(f) for f in findings if f.code == rule}
        assert gx_rows, f"{rule}: the broken sample should make its expectation fail"
        assert gx_rows == vidaudit_rows, rule
    assert outcome.agreement()["agree"]
    assert not outcome.success


@pytest.fixture(scope="module")
def framed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A release with a frame manifest: one event past the last frame, one point right of
    the frame, one annotated video without a manifest row."""
    import csv

    from vidaudit.audit.gx.run import run_gx
    from vidaudit.framesource import frame_source_for
    from vidaudit.synth import metadata

    root = tmp_path_factory.mktemp("frames")
    release = metadata.generate(seed=4, n_videos=25, n_templates=4)
    files = Files(json.loads(json.dumps(release.events)), release.templates, release.splits)
    files.write(root / "old")
    late, wide, unframed = list(release.videos)[:3]
    files.events[late][0]["frameNumber"] = release.videos[late].frame_count
    files.events[wide][-1]["pointX"] = release.videos[wide].width
    files.write(root / "new")
    manifest = root / "frame_manifest.csv"
    with manifest.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["video_id", "frame_count", "width", "height"])
        writer.writeheader()
        writer.writerows(r for r in metadata.manifest_rows(release) if r["video_id"] != unframed)
    config = Config()
    source = frame_source_for(metadata_dir=root / "new", manifest=str(manifest), frames=None,
                              videos=None, config=config, auto=False, deep=False, exact=False,
                              workers=1)
    steps = Steps(show=False)
    done = run_audit(str(root / "new"), str(root / "old"), config, source, steps)
    outcome = run_gx(done.result, root / "out", steps, result_format="COMPLETE")
    return {"audit": done, "gx": outcome, "late": late, "wide": wide, "unframed": unframed}


def test_frame_rules_agree_through_the_joined_tables(framed: dict[str, Any]) -> None:
    outcome, findings = framed["gx"], framed["audit"].result.findings
    assert covered(PROFILE, Config(), frames=True) == sorted([*RESTATED, "VA401", "VA402", "VA403"])
    last = len(framed["audit"].new.sources["events"].data[framed["wide"]]) - 1
    expected = {"VA401": {framed["unframed"]}, "VA402": {f"{framed['late']}/0"},
                "VA403": {f"{framed['wide']}/{last}"}}
    for rule, rows in expected.items():
        gx_rows = {i for o in outcome.outcomes if o.rule == rule for i in o.identities or []}
        assert gx_rows == rows == {_finding_key(f) for f in findings if f.code == rule}, rule
    assert outcome.agreement()["agree"], outcome.agreement()


def test_data_docs_open_offline_without_errors(in_process: dict[str, Any]) -> None:
    docs = in_process["out"] / "gx" / "data_docs"
    index = open_page((docs / "index.html").as_uri(),
                      evaluate={"links": "document.querySelectorAll('a[href$=\".html\"]')"
                                         ".length"})
    assert index.problems == []
    assert all(url.startswith("file://") for url in index.requests), index.requests
    assert index.values["links"] >= 10  # every suite and validation result is linked
    [events] = list(docs.glob("validations/ssv2_contact_release/events/**/*.html"))
    page = open_page(events.as_uri(), evaluate={
        "injected": "document.querySelectorAll('img[src=\"x\"]').length",
        "shown": f"document.body.innerText.includes({json.dumps(XSS)})"})
    assert page.problems == []  # no alert dialog, no error
    assert all(url.startswith("file://") for url in page.requests), page.requests
    assert page.values == {"injected": 0, "shown": True}  # the action is text, not markup
    suite_page = open_page((docs / "expectations" / "ssv2_contact_release" / "events.html")
                           .as_uri())
    assert suite_page.problems == []


def test_results_and_suites_are_written(in_process: dict[str, Any]) -> None:
    gx_dir = in_process["out"] / "gx"
    results = json.loads((gx_dir / "validation_results.json").read_text())
    assert results["success"] is False
    written = {p.name.removesuffix(".json") for p in (gx_dir / "suites").iterdir()}
    assert written == {n.removesuffix(".suite.json") for n in export_files()}
    assert not list(gx_dir.glob(".data_docs*"))  # the staging folder is gone


def test_committed_suites_are_what_the_code_generates() -> None:
    import great_expectations as gx

    folder = REPO / "checks" / "gx"
    expected = export_files()
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        assert (folder / name).read_text("utf-8") == text, \
            f"{name} is stale: run python -m vidaudit.audit.gx.suite"
        document = json.loads(text)
        suite = gx.ExpectationSuite(**document)  # loads as a GX suite
        assert len(suite.expectations) == len(document["expectations"])


def test_cli_audit_links_data_docs_from_the_report(broken: Path) -> None:
    completed, _ = audit("new", "--previous", "old", cwd=broken, gx=True)
    assert completed.returncode == 1, completed.stderr
    out = broken / "reports" / "audit"
    document = json.loads((out / "audit.json").read_text())
    summary = document["great_expectations"]
    assert summary["success"] is False
    assert summary["agreement"]["agree"] is True, summary["agreement"]
    assert {f["rule"] for f in summary["failures"]} == set(summary["covered_rules"])
    assert summary["data_docs"] == "gx/data_docs/index.html"
    assert {"gx_import", "gx_run"} <= set(document["timings"])
    assert "gx/validation_results.json" in {o["path"] for o in document["outputs"]}
    page = open_page((out / "index.html").as_uri(), evaluate={
        "docs": "document.querySelector('a[href=\"gx/data_docs/index.html\"]') !== null",
        "report": "document.querySelector('a[href=\"report.html\"]') !== null"})
    assert page.problems == []
    assert page.values == {"docs": True, "report": True}
    assert open_page((out / "report.html").as_uri()).problems == []
    assert (out / summary["data_docs"]).is_file()
