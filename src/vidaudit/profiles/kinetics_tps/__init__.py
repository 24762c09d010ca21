"""Profile ``kinetics-tps``: Kinetics-TPS part-level boxes (per-frame JSON).

A ``Kinetics-TPS/`` root: ``list/`` (the vocabularies ``body_part.txt``,
``part_stat.txt``, ``object.txt`` and the frame lists ``video_{train,test}_flist.csv``),
``train_annotations/<class>/<video>/img_%05d.json`` (one file per annotated frame),
``train_videos/`` and ``test_videos/`` (see ``../shared/FORMATS.md`` section 5). No
real annotation file could be found: the profile follows the published descriptions
and accepts both published shapes of ``parts``. Importing this package registers its
rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import ConfigError
from vidaudit.frames.paths import FrameNaming
from vidaudit.profiles.base import FileSpec, Profile, SettingSpec
from vidaudit.profiles.kinetics_tps import rules  # noqa: F401  (registers the rules)
from vidaudit.profiles.kinetics_tps.rules import CODES, NAME

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.paths import Entry
    from vidaudit.frames.rows import MediaRow
    from vidaudit.model import Finding
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.sources import SourceFile

FILES = (
    FileSpec("body_part", "list/body_part.txt", description="the 10 body parts",
             kind="text"),
    FileSpec("part_stat", "list/part_stat.txt", description="the 74 part states",
             kind="text"),
    FileSpec("object", "list/object.txt", description="the 75 objects", kind="text"),
    FileSpec("train_flist", "list/video_train_flist.csv", required=False, kind="text",
             description="video,frames for each train video"),
    FileSpec("test_flist", "list/video_test_flist.csv", required=False, kind="text",
             description="video,frames for each test video"),
)


def _workers(value: Any, where: str) -> int:
    if type(value) is not int or value < 1:
        raise ConfigError(f"{where} must be a whole number of at least 1")
    return value


class KineticsTpsProfile(Profile):
    name = NAME
    description = "Kinetics-TPS per-frame boxes of persons, body parts, states and objects"
    files = FILES
    settings_spec = (
        SettingSpec("workers", _workers, None, "processes reading the per-frame files "
                    "(default: one per core; 1: no pool)"),
    )
    rule_prefixes = (*CODES, "VA404", "VA405", "VA407")
    counts = (("videos", "videos"), ("files", "per-frame files"), ("boxes", "boxes"))
    frame_naming = FrameNaming(prefix="img_", digits=5, first=1)

    def detect(self, folder: Path, config: Config) -> bool:
        return (folder / "list").is_dir() and (folder / "train_annotations").is_dir()

    def read_file(self, role: str, path: Path, display: str, config: Config,
                  root: Path | None) -> SourceFile:
        from vidaudit.profiles.kinetics_tps.lists import read_text

        kind = "flist" if role.endswith("_flist") else "names"
        return read_text(role, path, display, config.max_bytes, root, kind)

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        from vidaudit.profiles.kinetics_tps.tables import build

        return build(root, sources, self.name, config.max_bytes,
                     self.settings(config)["workers"], config.follow_links, config.scheduler)

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        from vidaudit.profiles.kinetics_tps.media import wanted

        return wanted(dataset)

    def media_entries(self, dataset: Dataset, root: Path, kind: str
                      ) -> dict[str, Entry] | None:
        from vidaudit.profiles.kinetics_tps.media import entries

        return entries(dataset, root, kind)

    def report_section(self, dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
                       frame_dir: Path | None) -> ReportSection | None:
        from vidaudit.profiles.kinetics_tps.report import report_section

        return report_section(dataset, findings, frame_dir)

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        from vidaudit.profiles.kinetics_tps.media import attach

        attach(dataset, rows, where, missing)


PROFILE = KineticsTpsProfile()
