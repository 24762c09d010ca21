"""JUnit, SARIF and GitHub output, read back with the readers CI systems use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from reports.datasets import CONTROL_ID, HOSTILE_TEMPLATE, Flawed, check, load_json, synth
from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.engine import Result
from vidaudit.model import Finding, Severity
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.reporters import RenderOptions
from vidaudit.reporters.common import xml_safe
from vidaudit.reporters.github import escape_data, escape_property
from vidaudit.reporters.sarif import CHUNK, render_parts, uri
from vidaudit.rules.registry import RULES

SARIF_SCHEMA = Path(__file__).parents[1] / "third_party" / "sarif-schema-2.1.0.json"


def test_several_formats_in_one_run(flawed: Flawed, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout = check(capsys, str(flawed.folder), "--format", "json", "-o",
                         str(out / "r.json"), "--format", "junit", "-o", str(out / "r.xml"),
                         "--format", "sarif", "-o", str(out / "r.sarif"), "--format", "github")
    assert code == 1
    report = load_json(out / "r.json")
    assert len(json.loads((out / "r.sarif").read_text())["runs"][0]["results"]) \
        == len(report["findings"])
    junit = JUnitXml.fromfile(str(out / "r.xml"))
    assert junit.tests == len(report["rules_run"]) + len(report["rules_skipped"])
    assert junit.skipped == len(report["rules_skipped"]) > 0
    assert stdout.count("\n::") + stdout.startswith("::") == len(report["findings"])


# JUnit ---------------------------------------------------------------------------------

def test_junit_has_one_case_per_rule_run_and_fails_like_the_exit_code(
        flawed: Flawed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = check(capsys, str(flawed.folder), "--format", "json", "-o",
                    str(tmp_path / "r.json"), "--format", "junit", "-o", str(tmp_path / "r.xml"))
    report = load_json(tmp_path / "r.json")
    xml = JUnitXml.fromfile(str(tmp_path / "r.xml"))
    cases = {case.name.split()[0]: case for suite in xml for case in suite}
    assert sorted(cases) == sorted([*report["rules_run"], *report["rules_skipped"]])
    assert all(case.name == f"{c} {RULES[c].name}" for c, case in cases.items())
    # A rule that needs an input that was not given is a skipped case with the reason,
    # never a passed one (here: no frame source, no previous release, no reference).
    skipped = {c: r for c, case in cases.items() for r in case.result if isinstance(r, Skipped)}
    assert set(skipped) == set(report["rules_skipped"]) >= {"VA401", "VA601", "VA310"}
    assert all(r.message == f"not run: {report['rules_skipped'][c]}" for c, r in skipped.items())

    failed = {c for c, case in cases.items() if any(isinstance(r, Failure) for r in case.result)}
    errors = {f["code"] for f in report["findings"] if f["severity"] == "error"}
    assert failed == errors == {"VA303"}
    assert code == 1
    failure = next(r for r in cases["VA303"].result if isinstance(r, Failure))
    assert f"video {flawed.not_in_split} " in failure.text
    assert failure.text.startswith(f"{flawed.folder / 'video_events_labels.json'}:1:")
    # Warnings below --fail-on are listed, not failed.
    assert cases["VA206"].system_out.count("written as a float") == flawed.float_values
    assert xml.failures == 1


def test_junit_fails_warnings_when_asked(flawed: Flawed, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, str(flawed.folder), "--fail-on", "warning", "--format", "junit", "-o",
          str(tmp_path / "r.xml"))
    xml = JUnitXml.fromfile(str(tmp_path / "r.xml"))
    failed = {case.name.split()[0] for suite in xml for case in suite
              if any(isinstance(r, Failure) for r in case.result)}
    assert failed == {"VA206", "VA303", "VA502"}


def test_junit_survives_control_characters_in_the_data(
        hostile: Flawed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, str(hostile.folder), "--format", "junit", "-o", str(tmp_path / "r.xml"))
    xml = JUnitXml.fromfile(str(tmp_path / "r.xml"))
    cases = {case.name.split()[0]: case for suite in xml for case in suite}
    text = next(r for r in cases["VA303"].result if isinstance(r, Failure)).text
    assert "::error title=injected::injected\\x07 %0A," in text
    assert xml_safe("a\x00b\x1b[31m\ud800c\U0001f600") == "a\\x00b\\x1b[31m\\xd800c\U0001f600"


# SARIF ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_and_carries_locations_and_fingerprints(
        hostile: Flawed, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        sarif_validator: jsonschema.Draft4Validator) -> None:
    check(capsys, str(hostile.folder), "--format", "json", "-o", str(tmp_path / "r.json"),
          "--format", "sarif", "-o", str(tmp_path / "r.sarif"))
    report = load_json(tmp_path / "r.json")
    sarif = load_json(tmp_path / "r.sarif")
    errors = sorted(sarif_validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(report["rules_run"])
    for descriptor in rules:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert rule.fix in descriptor["help"]["text"]
        assert rule.explanation in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.label
    assert {a["location"]["uri"]: a["hashes"]["sha-256"] for a in run["artifacts"]} \
        == {i["path"]: i["sha256"] for i in report["inputs"]}

    assert len(run["results"]) == len(report["findings"])
    for result, finding in zip(run["results"], report["findings"], strict=True):
        assert result["ruleId"] == finding["code"] == rules[result["ruleIndex"]]["id"]
        assert result["message"]["text"] == finding["message"]
        assert result["level"] == {"info": "note"}.get(finding["severity"],
                                                       finding["severity"])
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding["file"]
        assert physical["region"] == {"startLine": finding["line"],
                                      "startColumn": finding["column"]}
        assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] \
            == finding["pointer"]
        assert result["partialFingerprints"] == {"vidaudit/v1": finding["fingerprint"]}
    messages = [r["message"]["text"] for r in run["results"]]
    assert any(HOSTILE_TEMPLATE in m for m in messages)
    assert any(CONTROL_ID in m for m in messages)


@pytest.mark.parametrize("count", [0, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 7])
def test_sarif_in_parts_is_the_log_encoded_whole(count: int) -> None:
    """The log is written in parts (never all its results' objects at once); around the
    parts' boundaries it is still the compact encoding of the whole log, one result per
    finding, in order."""
    findings = [Finding(code=("VA206", "VA303")[n % 2], severity=Severity.WARNING,
                        message=f'message {n}: "q" \\ é', file="metadata/a b.json",
                        pointer=f"/{n}/0", line=None if n % 3 == 0 else n,
                        column=None if n % 5 == 0 else n + 1,
                        video_id=None if n % 4 == 0 else str(n), fingerprint=f"{n:032x}")
                for n in range(count)]
    dataset = Dataset(root="metadata", profile="ssv2-contact-release", sources={})
    result = Result(dataset, Config(), findings, ["VA206", "VA303"])
    parts = list(render_parts(result, RenderOptions()))
    assert len(parts) == 2 + -(-count // CHUNK)
    text = "".join(parts)
    log = json.loads(text)
    assert text == json.dumps(log, ensure_ascii=True, separators=(",", ":")) + "\n"
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["message"]["text"], r["partialFingerprints"]["vidaudit/v1"])
            for r in results] == [(f.code, f.message, f.fingerprint) for f in findings]
    assert log["runs"][0]["properties"]["findingsPerRule"] == \
        {code: sum(f.code == code for f in findings) for code in ("VA206", "VA303")}


def test_sarif_uris_stay_relative_and_are_escaped() -> None:
    assert uri("../data/metadata/a b#1.json") == "../data/metadata/a%20b%231.json"
    assert uri("metadata\\x.json") == "metadata/x.json"
    assert uri("/abs/x y.json") == "file:///abs/x%20y.json"


def test_sarif_of_a_clean_release_validates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        sarif_validator: jsonschema.Draft4Validator) -> None:
    release = synth.generate(seed=3, n_videos=20, n_templates=3)
    folder = tmp_path / "clean"
    folder.mkdir()
    for role, content in release.file_contents().items():
        (folder / DEFAULT_FILES[role]).write_text(synth.dumps(role, content))
    code, _ = check(capsys, str(folder), "--format", "sarif", "-o", str(tmp_path / "r.sarif"))
    sarif = load_json(tmp_path / "r.sarif")
    assert code == 0
    assert not list(sarif_validator.iter_errors(sarif))
    assert sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["invocations"][0]["exitCode"] == 0


# GitHub --------------------------------------------------------------------------------

ANNOTATION = re.compile(r"^::(error|warning|notice) ((?:[a-z]+=[^,:]*,?)*)::(.*)$")


def test_github_annotations_escape_everything_from_the_data(
        hostile: Flawed, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, str(hostile.folder), "--format", "json", "-o", str(tmp_path / "r.json"))
    report = load_json(tmp_path / "r.json")
    code, out = check(capsys, str(hostile.folder), "--format", "github")
    assert code == 1
    *annotations, verdict = out.splitlines()
    assert verdict.startswith("vidaudit: FAIL (")
    assert len(annotations) == len(report["findings"])
    for line in annotations:
        match = ANNOTATION.match(line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        assert set(properties) <= {"file", "line", "col", "title"}
    findings = {(f["code"], f["line"], f["column"]): f for f in report["findings"]}
    for line in annotations:
        match = ANNOTATION.match(line)
        assert match
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        code_ = properties["title"].split()[0]
        finding = findings[(code_, int(properties["line"]), int(properties["col"]))]
        assert properties["file"] == finding["file"]
        assert match.group(1) == finding["severity"]
        assert _unescape(match.group(3)) == finding["message"]
    assert any("7%0D%0A::error title=injected::injected\x07 %250A," in a for a in annotations)


def _unescape(text: str) -> str:
    """What the runner does with a command's data."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_escaping_rules() -> None:
    assert escape_data("100%\r\nx: y, z") == "100%25%0D%0Ax: y, z"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_lone_surrogates_from_json_can_still_be_written() -> None:
    """JSON may escape a lone surrogate (``"\\ud800"``); UTF-8 output cannot hold one."""
    from vidaudit.model import Finding, Severity
    from vidaudit.reporters.common import utf8_safe
    from vidaudit.reporters.github import annotation

    finding = Finding("VA303", Severity.ERROR, "video 7\ud800 is in no split", file="m.json",
                      line=1, column=2, name="video-not-in-split")
    assert utf8_safe(annotation(finding)).encode("utf-8").endswith(
        "::video 7\ufffd is in no split".encode())
    assert xml_safe("7\ud800").encode("utf-8") == b"7\\xd800"
