"""The published JSON Schemas, and the fast path that lets the check skip them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from support import REPO
from vidaudit.config import Config
from vidaudit.profiles import get
from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.schemacheck import is_valid, load_schema, schema_dir
from vidaudit.sources import read_json_source

profile = get("ssv2-contact-release")
SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))
FIXTURES = REPO / "tests" / "fixtures" / "rules"


def test_the_package_reads_the_published_schemas() -> None:
    published = {p.name: p.read_bytes() for p in SCHEMAS}
    shipped = {p.name: p.read_bytes() for p in schema_dir().glob("*.schema.json")}
    assert published == shipped
    assert {"video_events_labels.schema.json", "template_to_video_ids_map.schema.json",
            "video_ids_split.schema.json", "vidaudit_baseline.schema.json"} <= set(published)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12_with_an_id(path: Path) -> None:
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:vidaudit:schema:")
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("role", list(DEFAULT_FILES))
def test_bundled_sample_is_valid_against_its_schema(role: str) -> None:
    document = json.loads((REPO / "metadata" / DEFAULT_FILES[role]).read_text())
    schema = profile.schema(role, Config())
    jsonschema.Draft202012Validator(schema).validate(document)


def test_template_schema_lists_exactly_the_packaged_ssv2_classes() -> None:
    schema = load_schema("template_to_video_ids_map")
    assert tuple(schema["propertyNames"]["enum"]) == ssv2_classes()
    assert len(ssv2_classes()) == 174


def datasets(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folders = [REPO / "metadata", REPO / "examples" / "broken"]
    for rule in sorted(p for p in FIXTURES.iterdir() if (p / "fail").is_dir()):
        target = tmp_path_factory.mktemp(rule.name)
        shutil.copytree(FIXTURES / "base", target, dirs_exist_ok=True)
        for item in (rule / "fail").iterdir():
            if item.is_file() and (target / item.name).is_file():
                shutil.copy2(item, target / item.name)
        folders.append(target)
    return folders


def uncovered_errors(schema: dict, document: object) -> list[str]:  # type: ignore[type-arg]
    errors = jsonschema.Draft202012Validator(schema).iter_errors(document)
    return [e.message for e in errors
            if e.validator not in (e.schema.get("x-vidaudit-rules", {})
                                   if isinstance(e.schema, dict) else {})]


def test_fast_path_is_sound(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whenever a file breaks its schema on a keyword no table rule reports (VA201),
    the flattener must have flagged it, so the schema pass runs for it."""
    checked = 0
    for folder in datasets(tmp_path_factory):
        sources = profile.read_sources(str(folder), Config())
        dataset = profile.build(str(folder), sources, Config())
        for role, source in sources.items():
            if not source.parsed:
                continue
            schema = profile.schema(role, Config())
            if uncovered_errors(schema, source.data):
                assert not dataset.well_formed[role], (folder, role)
            valid = not list(jsonschema.Draft202012Validator(schema).iter_errors(source.data))
            assert is_valid(schema, source.data) == valid, (folder, role)
            checked += 1
    assert checked > 100


def test_schema_findings_name_the_keyword(tmp_path: Path) -> None:
    path = tmp_path / "train_videos_ids_labeled.json"
    path.write_text('{"ids": ["1"]}')
    source = read_json_source("train", path, path.name)
    from vidaudit.schemacheck import schema_findings
    (finding,) = schema_findings(source, load_schema("video_ids_split"))
    assert finding.code == "VA201" and finding.message.startswith("type: expected an array")


def test_several_missing_keys_are_one_finding(tmp_path: Path) -> None:
    from vidaudit.schemacheck import schema_findings

    path = tmp_path / "video_events_labels.json"
    path.write_text('{"1": [{"action": "contact"}]}')
    source = read_json_source("events", path, path.name)
    (finding,) = schema_findings(source, load_schema("video_events_labels"))
    assert finding.message.startswith("required: missing required key agent, frameNumber")


def test_schema_findings_name_the_video_they_lie_under(tmp_path: Path) -> None:
    """VA201 under a video's key carries the video id, as table findings do."""
    import shutil

    from support import json_report

    folder = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", folder)
    events_path = folder / DEFAULT_FILES["events"]
    events = json.loads(events_path.read_text())
    video = sorted(events)[3]
    events[video][0]["extra"] = 1          # additionalProperties, under /<video>/0
    events_path.write_text(json.dumps(events))
    _, report = json_report(folder, "--no-manifest")
    (finding,) = [f for f in report["findings"] if f["code"] == "VA201"]
    assert finding["pointer"] == f"/{video}/0" and finding["video_id"] == video
