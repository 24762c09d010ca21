"""The command line as users meet it: exit codes, options, configuration, outputs."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from support import REPO, assert_located, json_report, run_cli

BROKEN = REPO / "examples" / "broken"
REPORT_SCHEMA = json.loads((REPO / "schemas" / "vidaudit_report.schema.json").read_text())


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    target = tmp_path / "metadata"
    shutil.copytree(BROKEN, target)
    return target


def test_default_folder_is_metadata_and_exit_code_is_zero_when_clean() -> None:
    completed = run_cli("check", cwd=REPO)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip().splitlines()[-1].startswith("PASS")


def test_console_output_groups_by_rule_with_locations_and_a_verdict(broken: Path) -> None:
    completed = run_cli("check", broken)
    assert completed.returncode == 1
    out = completed.stdout
    assert "VA303 video-not-in-split  error  2 findings" in out
    assert f"{broken}/video_events_labels.json:1:" in out
    assert out.strip().splitlines()[-1].startswith("FAIL ")
    assert "\x1b[" not in out  # no colour when not a terminal


def test_json_report_matches_its_schema_and_is_byte_identical(broken: Path) -> None:
    first = run_cli("check", broken, "--format", "json").stdout
    second = run_cli("check", broken, "--format", "json").stdout
    assert first == second
    report = json.loads(first)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)
    assert report["summary"]["error"] == sum(f["severity"] == "error"
                                             for f in report["findings"])


def test_select_ignore_by_prefix_and_fail_on(broken: Path) -> None:
    _, only_refs = json_report(broken, "--select", "VA3", "--ignore", "VA30", "--select",
                               "VA303")
    assert {f["code"] for f in only_refs["findings"]} == {"VA303", "VA312"}  # VA309 is VA30x
    code, warnings = json_report(broken, "--select", "VA206,VA5")
    assert code == 0 and {f["severity"] for f in warnings["findings"]} == {"warning"}
    assert run_cli("check", broken, "--select", "VA5", "--fail-on", "warning").returncode == 1
    assert run_cli("check", broken, "--fail-on", "never").returncode == 0


def test_configuration_file_rerates_and_command_line_wins(broken: Path, tmp_path: Path) -> None:
    config = tmp_path / "vidaudit.toml"
    config.write_text('select = ["VA206"]\nseverity = {float-encoded-integer = "error"}\n')
    code, report = json_report(broken, "--config", config)
    assert code == 1 and {f["severity"] for f in report["findings"]} == {"error"}
    code, report = json_report(broken, "--config", config, "--select", "VA501")
    assert {f["code"] for f in report["findings"]} == {"VA501"}


def test_pyproject_tool_table_is_found_from_the_working_directory(broken: Path,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.vidaudit]\nignore = ["VA2", "VA3"]\n')
    code, report = json_report("metadata", cwd=tmp_path)  # the broken copy, found from cwd
    assert broken == tmp_path / "metadata" and code == 1
    assert {f["code"][:3] for f in report["findings"]} == {"VA1", "VA4", "VA5"}  # VA4: its manifest


def test_custom_vocabulary_changes_what_is_unknown(tmp_path: Path) -> None:
    shutil.copytree(REPO / "metadata", tmp_path / "metadata")
    (tmp_path / "vidaudit.toml").write_text('actions = ["contact"]\n')
    code, report = json_report("metadata", cwd=tmp_path)
    assert code == 1
    assert {f["code"] for f in report["findings"]} == {"VA203"}
    assert all('"release"' in f["message"] for f in report["findings"])


@pytest.mark.parametrize("args, message", [
    (["check", "no/such/folder"], "metadata folder no/such/folder does not exist"),
    (["check", "metadata", "--select", "VA0"], "unknown rule code or prefix 'VA0'"),
    (["check", "metadata", "--format", "pdf"], "invalid choice"),
    (["explain", "VA999"], "no rule 'VA999'"),
    (["check", "metadata", "--format", "json", "--format", "sarif"], "only one format"),
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    completed = run_cli(*args, cwd=REPO)
    assert completed.returncode == 2
    assert message in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


def test_bad_configuration_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "vidaudit.toml").write_text("selekt = ['VA1']\n")
    completed = run_cli("check", REPO / "metadata", cwd=tmp_path)
    assert completed.returncode == 2 and "unknown configuration key(s) selekt" in completed.stderr


def test_outputs_inside_the_dataset_are_refused_and_inputs_untouched(broken: Path) -> None:
    before = {p.name: p.read_bytes() for p in broken.iterdir()}
    completed = run_cli("check", broken, "--format", "json", "--output", broken / "r.json")
    assert completed.returncode == 2 and "refusing to write" in completed.stderr
    completed = run_cli("check", broken, "--format", "json", "--output", broken / "r.json",
                        "--allow-write-in-dataset")
    assert completed.returncode == 1 and (broken / "r.json").exists()
    (broken / "r.json").unlink()
    assert {p.name: p.read_bytes() for p in broken.iterdir()} == before


def test_rules_and_explain_come_from_the_registry() -> None:
    listing = run_cli("rules").stdout
    assert "VA303  video-not-in-split" in listing and "Release diff" in listing
    explained = run_cli("explain", "video-not-in-split").stdout
    assert explained.startswith("VA303 video-not-in-split [error]")
    assert "How to fix:" in explained
    as_json = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {r["code"] for r in as_json} >= {"VA101", "VA502", "VA604"}


def test_python_dash_m_and_several_outputs(broken: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    completed = run_cli("check", broken, "--format", "json", "--output", out,
                        "--format", "console")
    assert completed.returncode == 1 and "FAIL" in completed.stdout
    report = json.loads(out.read_text())
    for finding in report["findings"]:
        assert_located(finding)


def test_fingerprints_survive_insertions_and_reformatting(broken: Path) -> None:
    _, before = json_report(broken)
    assert not [f for f in before["findings"] if f["video_id"] in ("1", "999")]
    events = broken / "video_events_labels.json"
    text = events.read_text()
    events.write_text('{"999":[{"action":"contact","agent":"hand-object","frameNumber":1,'
                      '"pointX":1,"pointY":1}],' + text[1:])
    for split in ("train", "validation", "test"):
        path = broken / f"{split}_videos_ids_labeled.json"
        ids = json.loads(path.read_text())
        path.write_text(json.dumps(["1", *ids], indent=7))
    _, after = json_report(broken)
    # Every finding of before is still there with its fingerprint, each as often; the
    # only new ones are about the two inserted ids: 999 (events, but in no split, no
    # template, no manifest row) and 1 (in every split, without events).
    added = [f for f in after["findings"] if f["video_id"] in ("1", "999")]
    kept = [f for f in after["findings"] if f["video_id"] not in ("1", "999")]
    assert Counter((f["code"], f["fingerprint"]) for f in kept) == \
        Counter((f["code"], f["fingerprint"]) for f in before["findings"])
    assert sorted((f["code"], f["video_id"]) for f in added) == sorted(
        [("VA303", "999"), ("VA305", "999"), ("VA401", "999"), *[("VA304", "1")] * 3,
         *[("VA301", "1")] * 2])


def test_manifest_in_the_configuration_is_relative_to_that_file(tmp_path: Path) -> None:
    shutil.copytree(REPO / "metadata", tmp_path / "data" / "metadata")
    (tmp_path / "data" / "metadata" / "frame_manifest.csv").unlink()
    header, *rows = (REPO / "metadata" / "frame_manifest.csv").read_text().splitlines()
    video_id = rows[0].split(",")[0]
    (tmp_path / "frames.csv").write_text("\n".join([header, *rows[1:]]) + "\n")
    (tmp_path / "vidaudit.toml").write_text('manifest = "frames.csv"\n')
    (tmp_path / "sub").mkdir()
    code, report = json_report(tmp_path / "data" / "metadata", cwd=tmp_path / "sub")
    assert code == 1
    assert {(f["code"], f["video_id"]) for f in report["findings"]} == {("VA401", video_id)}


def test_float_encoded_values_are_shown_as_python_writes_them(tmp_path: Path) -> None:
    """VA206 names each float as repr writes it, sign of zero included: the values of a
    column are written once per distinct float, and -0.0 equals 0.0 but is not it."""
    target = tmp_path / "metadata"
    shutil.copytree(REPO / "tests" / "fixtures" / "rules" / "base", target)
    events_file = target / "video_events_labels.json"
    events = json.loads(events_file.read_text())
    written = iter([(-0.0, 0.0, 1e2), (0.0, -0.0, 100.0), (3e16, 7.0, -0.0)])
    for listed in events.values():
        for event in listed:
            frame, x, y = next(written, (event["frameNumber"], event["pointX"],
                                         event["pointY"]))
            event.update(frameNumber=frame, pointX=x, pointY=y)
    events_file.write_text(json.dumps(events))
    _, report = json_report(target, "--select", "VA206")
    assert [f["message"] for f in report["findings"]] == [
        "frameNumber, pointX, pointY written as a float (-0.0, 0.0, 100.0), not as an integer",
        "frameNumber, pointX, pointY written as a float (0.0, -0.0, 100.0), not as an integer",
        "frameNumber, pointX, pointY written as a float (3e+16, 7.0, -0.0), not as an integer"]
