"""Profile ``ssv2``: Something-Something V2's official annotation files.

``something-something-v2-labels.json`` (required) and any of the train, validation
and test lists and the test answers (see ``../shared/FORMATS.md`` section 2).
Importing this package registers its rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.profiles.base import FileSpec, Profile, SettingSpec, file_names
from vidaudit.profiles.ssv2 import rules  # noqa: F401  (registers the rules)
from vidaudit.profiles.ssv2.rules import NAME

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.rows import MediaRow
    from vidaudit.sources import SourceFile

SPLITS = ("train", "validation", "test")
FILES = (
    FileSpec("labels", "something-something-v2-labels.json", "ssv2_labels",
             description="class name -> class index (a string), 174 classes"),
    FileSpec("train", "something-something-v2-train.json", "ssv2_rows", required=False,
             description="train videos: id, label, template, placeholders"),
    FileSpec("validation", "something-something-v2-validation.json", "ssv2_rows",
             required=False, description="validation videos: id, label, template, "
             "placeholders"),
    FileSpec("test", "something-something-v2-test.json", "ssv2_test", required=False,
             description="test videos: id only"),
    FileSpec("answers", "something-something-v2-test-answers.csv", None, required=False,
             description="id;class name for each test video, no header", kind="text"),
)


class SSv2Profile(Profile):
    name = NAME
    description = "Something-Something V2's official annotation files (labels, splits, " \
                  "test answers)"
    files = FILES
    settings_spec = (
        SettingSpec("files", file_names(tuple(f.role for f in FILES)), {},
                    "file names by role, where they differ from the defaults"),
    )
    # VA402/VA403 need frame numbers or points, which SSv2's files do not have.
    rule_prefixes = ("VA202", "VA301", "VA302", "VA401", "VA404", "VA405", "VA406", "VA407",
                     "VA7")
    counts = (("videos", "videos"), ("classes", "classes"))

    def read_file(self, role: str, path: Path, display: str, config: Config,
                  root: Path | None) -> SourceFile:
        """The JSON files as usual (large lists faster, :mod:`.jsonread`), the answers
        CSV with :mod:`.answers`. (The engine reads and builds without the cyclic garbage
        collector, which would otherwise rescan a 170,000-row list again and again.)"""
        from vidaudit.profiles.ssv2.answers import read_answers
        from vidaudit.profiles.ssv2.jsonread import read_json

        read = read_answers if self.spec(role).kind == "text" else read_json
        return read(role, path, display, config.max_bytes, root)

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        from vidaudit.profiles.ssv2.tables import build

        return build(root, sources, self.name)

    def video_at(self, source: SourceFile, pointer: str) -> str | None:
        """``/3/...`` in a train, validation or test list is the row with that index."""
        from vidaudit.values import is_video_id

        first = pointer.split("/")[1] if pointer.count("/") >= 1 else ""
        rows = source.data
        if source.role not in SPLITS or not isinstance(rows, list) or not first.isdigit() \
                or int(first) >= len(rows) or not isinstance(rows[int(first)], dict):
            return None
        found = rows[int(first)].get("id")
        return found if is_video_id(found) else None

    def message_context(self, config: Config) -> dict[str, Any]:
        return {"labels_file": self.file_names(config)["labels"]}

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        rows = dataset.tables["rows"]
        return rows["key"][rows["frames_wanted"]].tolist()

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        from vidaudit.frames.join import add_presence

        add_presence(dataset.tables["rows"], rows, missing)


PROFILE = SSv2Profile()
