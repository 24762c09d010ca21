"""Baselines: accept today's findings, fail only on new ones, shrink as data is fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from gates_support import (
    REAL_METADATA,
    REPO,
    flawed_files,
    report,
    value_at,
    vidaudit,
    write_dataset,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES

EVENTS = DEFAULT_FILES["events"]
TRAIN = DEFAULT_FILES["train"]


@pytest.fixture(scope="module")
def accepted_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("accepted")
    dataset = write_dataset(folder / "metadata", flawed_files())
    baseline = folder / "baseline.json"
    written = vidaudit("baseline", dataset, "--no-manifest", "-o", baseline)
    assert written.returncode == 0, written.stderr
    assert f"wrote 3 entries to {baseline}" in written.stderr
    return folder


@pytest.fixture()
def accepted(accepted_once: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """A flawed dataset and the baseline that accepts its findings (a fresh copy)."""
    shutil.copytree(accepted_once, tmp_path, dirs_exist_ok=True)
    return tmp_path / "metadata", tmp_path / "baseline.json", flawed_files()


def codes(found: dict[str, Any]) -> list[str]:
    return sorted(f["code"] for f in found["findings"])


def test_the_flawed_dataset_fails_without_a_baseline(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    exit_code, found = report(dataset, "--no-manifest")
    assert exit_code == 1
    assert codes(found) == ["VA206", "VA303", "VA501"]


def test_baseline_file_lists_every_finding(accepted: tuple[Path, Path, dict[str, Any]]
                                           ) -> None:
    dataset, baseline, _ = accepted
    _, found = report(dataset, "--no-manifest")
    document = json.loads(baseline.read_text())
    assert document["baseline_version"] == 1
    entries = document["entries"]
    assert sorted((e["code"], e["fingerprint"]) for e in entries) == \
        sorted((f["code"], f["fingerprint"]) for f in found["findings"])
    for entry in entries:
        assert {"code", "fingerprint", "file", "pointer", "line", "message"} <= set(entry)
        assert "reason" not in entry and "expires" not in entry


def test_check_with_the_baseline_passes_and_counts_suppressed(
        accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, _ = accepted
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert exit_code == 0
    assert found["findings"] == []
    assert found["summary"]["suppressed"] == 3
    assert str(baseline) in [i["path"] for i in found["inputs"]]
    console = vidaudit("check", dataset, "--no-manifest", "--baseline", baseline)
    assert "3 suppressed by the baseline" in console.stdout


def test_survives_an_insertion_at_the_top_and_a_reindentation(
        accepted: tuple[Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    dataset, baseline, files = accepted
    events = files[EVENTS]
    new_id = str(max(int(v) for v in events) + 1)
    first = next(iter(events.values()))[0]
    files[EVENTS] = {new_id: [dict(first)], **events}
    files[TRAIN] = [new_id, *files[TRAIN]]
    template = next(iter(files[DEFAULT_FILES["templates"]]))
    files[DEFAULT_FILES["templates"]][template].insert(0, new_id)
    moved = write_dataset(tmp_path / "moved" / "metadata", files, indent=3)

    _, before = report(dataset, "--no-manifest")
    _, after = report(moved, "--no-manifest")
    # the same problems, at other lines and columns
    assert codes(after) == codes(before)
    assert [(f["line"], f["column"]) for f in after["findings"]] != \
        [(f["line"], f["column"]) for f in before["findings"]]

    exit_code, found = report(moved, "--no-manifest", "--baseline", baseline)
    assert (exit_code, found["findings"], found["summary"]["suppressed"]) == (0, [], 3)


def test_new_findings_are_still_reported(accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, files = accepted
    victim = files[TRAIN][0]
    files[TRAIN] = files[TRAIN][1:]
    write_dataset(dataset, files)
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert exit_code == 1
    assert [(f["code"], f["video_id"]) for f in found["findings"]] == [("VA303", victim)]
    assert found["summary"]["suppressed"] == 3


def test_a_fixed_problem_makes_its_entry_stale(accepted: tuple[Path, Path, dict[str, Any]]
                                               ) -> None:
    dataset, baseline, files = accepted
    _, before = report(dataset, "--no-manifest")
    unsplit = next(f for f in before["findings"] if f["code"] == "VA303")
    files[TRAIN].append(unsplit["video_id"])  # fixed
    write_dataset(dataset, files)

    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert exit_code == 0  # a stale entry is a warning
    assert codes(found) == ["VA902"]
    stale = found["findings"][0]
    assert stale["severity"] == "warning"
    assert stale["file"] == str(baseline)
    text = baseline.read_text()
    entry = value_at(text, stale["line"], stale["column"])
    assert entry == json.loads(text)["entries"][int(stale["pointer"].split("/")[-1])]
    assert (entry["code"], entry["fingerprint"]) == ("VA303", unsplit["fingerprint"])
    assert found["summary"]["suppressed"] == 2


def test_entries_of_rules_that_did_not_run_are_not_stale(
        accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, _ = accepted
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline,
                              "--select", "VA3")
    assert (exit_code, found["findings"], found["summary"]["suppressed"]) == (0, [], 1)


def _edit_entries(baseline: Path, code: str, **changes: str) -> dict[str, Any]:
    document = json.loads(baseline.read_text())
    entry: dict[str, Any] = next(e for e in document["entries"] if e["code"] == code)
    entry.update(changes)
    baseline.write_text(json.dumps(document, indent=2))
    return entry


def test_an_expired_entry_stops_suppressing_and_is_reported(
        accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, _ = accepted
    entry = _edit_entries(baseline, "VA303", expires="2001-02-03", reason="waiting for labels")
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert exit_code == 1  # the VA303 error is back
    assert codes(found) == ["VA303", "VA901"]
    expired = next(f for f in found["findings"] if f["code"] == "VA901")
    assert "2001-02-03" in expired["message"]
    assert value_at(baseline.read_text(), expired["line"], expired["column"]) == entry
    assert found["summary"]["suppressed"] == 2


def test_an_entry_expiring_in_the_future_still_suppresses(
        accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, _ = accepted
    _edit_entries(baseline, "VA303", expires="2999-12-31")
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert (exit_code, found["findings"]) == (0, [])


def test_regenerating_keeps_reasons_and_drops_fixed_entries(
        accepted: tuple[Path, Path, dict[str, Any]]) -> None:
    dataset, baseline, files = accepted
    _edit_entries(baseline, "VA206", reason="legacy floats", expires="2999-01-01")
    _, before = report(dataset, "--no-manifest")
    unsplit = next(f for f in before["findings"] if f["code"] == "VA303")
    files[TRAIN].append(unsplit["video_id"])
    write_dataset(dataset, files)

    again = vidaudit("baseline", dataset, "--no-manifest", "-o", baseline,
                     "--reason", "new today")
    assert again.returncode == 0, again.stderr
    entries = json.loads(baseline.read_text())["entries"]
    assert [(e["code"], e.get("reason"), e.get("expires")) for e in entries] == [
        ("VA206", "legacy floats", "2999-01-01"), ("VA501", "new today", None)]


def test_the_configuration_names_the_baseline_relative_to_itself(
        accepted: tuple[Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    dataset, baseline, _ = accepted
    (tmp_path / "vidaudit.toml").write_text(f'baseline = "{baseline.name}"\n')
    elsewhere = tmp_path / "sub"
    elsewhere.mkdir()
    exit_code, found = report(dataset, "--no-manifest", "--config", tmp_path / "vidaudit.toml",
                              cwd=elsewhere)
    assert (exit_code, found["findings"], found["summary"]["suppressed"]) == (0, [], 3)


@pytest.mark.parametrize(("content", "says"), [
    ("{not json", "invalid JSON"),
    ('{"baseline_version": 7, "entries": []}', "not a vidaudit baseline"),
    ('{"baseline_version": 1, "entries": [{"code": "VA303"}]}', "fingerprint"),
    ('{"baseline_version": 1, "entries": [{"code": "VA303", "fingerprint": "abcdef12", '
     '"expires": "2024-02-30"}]}', "2024-02-30"),
    ("[]", "not a vidaudit baseline"),
    # jsonschema's `$` matches before a final newline, JSON Schema's does not (this was an
    # internal error: the two validators disagreed)
    ('{"baseline_version": 1, "entries": [{"code": "VA303\\n", "fingerprint": "abcdef12"}]}',
     "must match pattern"),
])
def test_a_broken_baseline_is_a_one_line_usage_error(
        accepted: tuple[Path, Path, dict[str, Any]], content: str, says: str) -> None:
    dataset, baseline, _ = accepted
    baseline.write_text(content)
    completed = vidaudit("check", dataset, "--no-manifest", "--baseline", baseline)
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and str(baseline) in lines[0], lines


def test_a_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    completed = vidaudit("check", dataset, "--baseline", tmp_path / "nope.json")
    assert completed.returncode == 2
    assert "does not exist" in completed.stderr


def test_baseline_refuses_to_overwrite_what_is_not_a_baseline(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    precious = tmp_path / "notes.json"
    precious.write_text('{"mine": true}')
    completed = vidaudit("baseline", dataset, "-o", precious)
    assert completed.returncode == 2
    assert precious.read_text() == '{"mine": true}'


def test_baseline_needs_an_output(tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    completed = vidaudit("baseline", dataset, cwd=tmp_path)
    assert completed.returncode == 2
    assert "-o FILE" in completed.stderr


@pytest.mark.skipif(not REAL_METADATA.is_dir(), reason="real SSv2 contact/release data absent")
def test_real_data_baseline_survives_insertion_and_reindentation(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert vidaudit("baseline", REAL_METADATA, "-o", baseline).returncode == 0
    files = {p.name: json.loads(p.read_text()) for p in REAL_METADATA.glob("*.json")}
    files[EVENTS] = {"1": [{"action": "contact", "agent": "hand-object", "frameNumber": 0,
                            "pointX": 0, "pointY": 0}], **files[EVENTS]}
    moved = write_dataset(tmp_path / "metadata", files, indent=2)
    _, found = report(moved, "--baseline", baseline)
    entries = len(json.loads(baseline.read_text())["entries"])
    assert found["summary"]["suppressed"] == entries > 10_000
    # only the new video's own problems (no split, no template) are left
    assert {(f["code"], f["video_id"]) for f in found["findings"]} == \
        {("VA303", "1"), ("VA305", "1")}


def test_a_finding_about_a_key_with_a_lone_surrogate_can_be_baselined(tmp_path: Path) -> None:
    """A key written with a valid escape of a lone surrogate (\\ud800) cannot be written
    as UTF-8: the baseline writes the escape back (this run exited 2, 'internal error')."""
    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    events = dataset / EVENTS
    events.write_text(events.read_text()[:-1] + ', "\\ud800x": []}')
    baseline = tmp_path / "baseline.json"
    written = vidaudit("baseline", dataset, "--no-manifest", "-o", baseline)
    assert written.returncode == 0, written.stderr
    assert '"pointer": "/\\ud800x"' in baseline.read_text(encoding="utf-8")
    exit_code, found = report(dataset, "--no-manifest", "--baseline", baseline)
    assert exit_code == 0 and found["findings"] == []
    assert found["summary"]["suppressed"] == len(json.loads(baseline.read_text())["entries"])


def _schema_of_entries() -> dict[str, Any]:
    schema = json.loads((REPO / "schemas" / "vidaudit_baseline.schema.json").read_text())
    items: dict[str, Any] = schema["properties"]["entries"]["items"]
    return items


def test_the_entry_type_names_the_fields_the_schema_names() -> None:
    import msgspec

    from vidaudit.baseline import Entry

    items = _schema_of_entries()
    fields = msgspec.structs.fields(Entry)
    assert {f.name for f in fields} == set(items["properties"])
    assert {f.name for f in fields if f.required} == set(items["required"])
    assert items["additionalProperties"] is False


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(-3, 3, allow_nan=False),
    st.sampled_from(["", "VA206", "VA0001", "va206", "VA206\n", "abcdef12", "ABCDEF12",
                     "abcdef1", "2026-12-31", "2026-02-30", "2026-12-31T00:00:00", "x"]),
    st.lists(st.integers(), max_size=1))


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=st.dictionaries(
    st.sampled_from(["code", "fingerprint", "name", "file", "pointer", "line", "message",
                     "reason", "expires", "extra"]), _VALUES, max_size=6),
    base=st.booleans())
def test_the_entry_type_accepts_only_what_the_schema_accepts(
        item: dict[str, Any], base: bool, tmp_path: Path) -> None:
    """The fast way (msgspec) must never take an entry the schema refuses; an entry the
    schema accepts in a form the type does not take (a line written 3.0) goes the
    schema's way and loads all the same."""
    import jsonschema
    import msgspec

    from vidaudit.baseline import Entry, load_baseline
    from vidaudit.errors import ConfigError
    from vidaudit.schemacheck import is_valid

    if base:
        item = {"code": "VA206", "fingerprint": "abcdef12", **item}
    document = {"baseline_version": 1, "entries": [item]}
    schema = json.loads((REPO / "schemas" / "vidaudit_baseline.schema.json").read_text())
    # valid for both validators: jsonschema's `$` also matches before a final newline
    valid = jsonschema.Draft202012Validator(schema).is_valid(document) and \
        is_valid(schema, document)
    try:
        msgspec.convert([item], list[Entry])
        typed = True
    except msgspec.ValidationError:
        typed = False
    assert valid or not typed
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(document))
    try:
        loaded = load_baseline(path)
    except ConfigError:
        assert not valid or "expires" in item  # an impossible date passes the pattern
        return
    assert valid
    entry = loaded.entry(0)
    assert (loaded.codes, loaded.fingerprints) == ([item["code"]], [item["fingerprint"]])
    assert (entry.code, entry.fingerprint, entry.line, entry.message) == \
        (item["code"], item["fingerprint"], item.get("line"), item.get("message", ""))
    assert (0 in loaded.annotated) == ("reason" in item or "expires" in item)


def test_a_written_baseline_gives_its_text_every_time_it_is_asked(tmp_path: Path) -> None:
    """``baseline_text`` gives a Written whose parts are made as they are read: reading
    them (writing the file) must not leave ``text`` empty, nor a second ``text``."""
    from vidaudit.api import CheckRequest, result_of, run
    from vidaudit.baseline import baseline_text

    dataset = write_dataset(tmp_path / "metadata", flawed_files())
    result = result_of(run(CheckRequest(path=str(dataset), auto_manifest=False),
                           apply_baseline=False))
    written = baseline_text(result.findings, result.dataset.profile)
    first = written.text
    assert len(json.loads(first)["entries"]) == written.entries == 3
    assert written.text == first
    assert "".join(written.parts) == first
