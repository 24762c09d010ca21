"""The audit on the real SSv2 contact/release metadata against a copy edited by hand
(skipped when ../shared/data is absent)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from audit_support import audit
from support import REAL_METADATA, assert_located

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REAL_METADATA.is_dir(), reason="no ../shared/data")]


def _save(path: Path, data: object, **dump: object) -> None:
    path.write_text(json.dumps(data, **dump))  # type: ignore[arg-type]


def test_a_moved_a_removed_and_an_edited_video(tmp_path: Path) -> None:
    shutil.copytree(REAL_METADATA, tmp_path / "new")
    for path in (tmp_path / "new").iterdir():
        path.chmod(0o644)
    new = tmp_path / "new"
    train = json.loads((new / "train_videos_ids_labeled.json").read_text())
    test = json.loads((new / "test_videos_ids_labeled.json").read_text())
    events = json.loads((new / "video_events_labels.json").read_text())
    templates = json.loads((new / "template_to_video_ids_map.json").read_text())
    moved, gone, edited = train[100], train[201], train[302]
    train.remove(moved)
    test.append(moved)
    train.remove(gone)
    del events[gone]
    for ids in templates.values():
        if gone in ids:
            ids.remove(gone)
    events[edited][0]["frameNumber"] += 2
    _save(new / "train_videos_ids_labeled.json", train, indent=2)
    _save(new / "test_videos_ids_labeled.json", test, indent=2)
    _save(new / "template_to_video_ids_map.json", templates, indent=2)
    _save(new / "video_events_labels.json", events, separators=(",", ":"))

    completed, report = audit("new", "--previous", REAL_METADATA, cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    found = [f for f in report["findings"] if f["code"].startswith("VA6")]
    assert sorted(f["code"] for f in found) == ["VA601", "VA602", "VA604"], found
    release = {f["code"]: f for f in found}
    assert release["VA601"]["video_id"] == moved
    assert release["VA601"]["file"] == "new/test_videos_ids_labeled.json"
    assert release["VA602"]["video_id"] == gone
    assert release["VA602"]["file"] == str(REAL_METADATA / "video_events_labels.json")
    assert release["VA604"]["pointer"] == f"/{edited}/0"
    for finding in release.values():
        assert_located(finding, base=tmp_path)
    diff = json.loads((tmp_path / "reports" / "audit" / "diff.json").read_text())
    assert diff["totals"]["videos"] == {"before": 10_130, "after": 10_129}
    assert diff["splits"]["test"]["videos"]["after"] == \
        diff["splits"]["test"]["videos"]["before"] + 1
