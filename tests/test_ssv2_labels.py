"""vidaudit's two copies of SSv2's 174 class names (the template schema's enum and the
list VA309 checks against) against SSv2's own published labels file in
``../shared/data`` (not against each other)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import REPO, SHARED_DATA, json_report

LABELS = SHARED_DATA / "ssv2" / "annotations" / "something-something-v2-labels.json"
TEMPLATES = "template_to_video_ids_map.json"
pytestmark = pytest.mark.skipif(not LABELS.is_file(), reason="../shared/data is absent")


def real_classes() -> list[str]:
    """The labels file maps each name to its index, written as a string."""
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    by_index = {int(index): name for name, index in labels.items()}
    assert sorted(by_index) == list(range(174))
    return [by_index[i] for i in range(174)]


def test_the_template_schema_lists_the_real_classes_in_index_order() -> None:
    schema = json.loads((REPO / "schemas" / "template_to_video_ids_map.schema.json")
                        .read_text(encoding="utf-8"))
    assert schema["propertyNames"]["enum"] == real_classes()


def test_every_real_class_is_a_known_template_and_nothing_else_is(tmp_path: Path) -> None:
    metadata = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", metadata)
    (metadata / "frame_manifest.csv").unlink()
    events = json.loads((metadata / "video_events_labels.json").read_text())
    names = real_classes()
    ids = sorted(events, key=int)
    assert len(ids) < len(names)
    # One video per class as far as they go, the other classes empty (VA312), and one
    # video under a name one character off a real one (VA309).
    templates: dict[str, list[str]] = {name: [] for name in names}
    for video, name in zip(ids[:-1], names, strict=False):
        templates[name].append(video)
    near_miss = names[0] + "s"
    templates[near_miss] = [ids[-1]]
    (metadata / TEMPLATES).write_text(json.dumps(templates, indent=1))
    _, report = json_report(metadata, "--select", "VA309,VA312")
    unknown = [f["pointer"] for f in report["findings"] if f["code"] == "VA309"]
    empty = [f for f in report["findings"] if f["code"] == "VA312"]
    assert unknown == ["/" + near_miss]
    assert len(empty) == len(names) - (len(ids) - 1)
