"""`vidaudit schema FILE...`: structure only, one file at a time (the vidaudit-schema hook)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gates_support import clean_release, report, value_at, vidaudit, write_dataset

from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES

EVENTS = DEFAULT_FILES["events"]


def schema_report(*args: str | Path, cwd: Path | None = None) -> tuple[int, dict[str, Any]]:
    completed = vidaudit("schema", *args, "--format", "json", cwd=cwd)
    assert completed.returncode in (0, 1), completed.stderr
    return completed.returncode, json.loads(completed.stdout)


def broken_events(folder: Path) -> tuple[Path, list[str]]:
    """The clean release with an unknown action and an object member of the wrong type."""
    files, _ = clean_release()
    events = files[EVENTS]
    first, second = list(events)[:2]
    events[first][0]["action"] = "touch"
    events[second][0]["agent"] = ["hand-object"]
    write_dataset(folder / "metadata", files)
    return folder / "metadata" / EVENTS, [first, second]


def test_no_arguments_checks_the_published_layout(tmp_path: Path) -> None:
    write_dataset(tmp_path / "metadata", clean_release()[0])
    exit_code, found = schema_report(cwd=tmp_path)
    assert exit_code == 0 and found["findings"] == []
    assert sorted(Path(i["path"]).name for i in found["inputs"]) == sorted(DEFAULT_FILES.values())
    assert found["summary"]["videos"] == 40


def test_reports_structure_problems_at_their_place(tmp_path: Path) -> None:
    events, (first, second) = broken_events(tmp_path)
    exit_code, found = schema_report(events)
    assert exit_code == 1
    assert [(f["code"], f["pointer"]) for f in found["findings"]] == [
        ("VA203", f"/{first}/0/action"), ("VA204", f"/{second}/0/agent")]
    text = events.read_text()
    for finding in found["findings"]:
        assert value_at(text, finding["line"], finding["column"]) in ("touch", ["hand-object"])
    assert "VA303" not in found["rules_run"]  # no cross-file rule


def test_an_unparseable_file_is_a_finding(tmp_path: Path) -> None:
    split = tmp_path / DEFAULT_FILES["train"]
    split.write_text('["1", "2",\n]')
    exit_code, found = schema_report(split)
    assert exit_code == 1
    (finding,) = found["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("VA102", 2, 1)


def test_an_unknown_file_name_is_a_usage_error(tmp_path: Path) -> None:
    other = tmp_path / "labels.json"
    other.write_text("{}")
    completed = vidaudit("schema", other)
    assert completed.returncode == 2
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "labels.json" in completed.stderr


def test_file_names_come_from_the_configuration(tmp_path: Path) -> None:
    renamed = tmp_path / "events.json"
    renamed.write_text('{"12": []}')
    (tmp_path / "vidaudit.toml").write_text('[files]\nevents = "events.json"\n')
    exit_code, found = schema_report(renamed, "--config", tmp_path / "vidaudit.toml")
    assert exit_code == 1
    assert [f["code"] for f in found["findings"]] == ["VA208"]


def test_select_ignore_and_fail_on(tmp_path: Path) -> None:
    events, _ = broken_events(tmp_path)
    _, found = schema_report(events, "--ignore", "VA203")
    assert [f["code"] for f in found["findings"]] == ["VA204"]
    assert vidaudit("schema", events, "--fail-on", "never").returncode == 0


def test_one_baseline_serves_check_and_the_schema_hook(tmp_path: Path) -> None:
    events, _ = broken_events(tmp_path)
    baseline = tmp_path / "baseline.json"
    assert vidaudit("baseline", events.parent, "--no-manifest", "-o", baseline).returncode == 0
    exit_code, found = schema_report(events, "--baseline", baseline)
    # the schema hook reports the same two problems with the same fingerprints
    assert (exit_code, found["findings"], found["summary"]["suppressed"]) == (0, [], 2)
    _, checked = report(events.parent, "--no-manifest", "--baseline", baseline)
    assert checked["findings"] == []
