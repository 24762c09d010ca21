"""Profile ``sav``: SA-V masklets (train JSON, val/test frame and mask folders).

Train: ``sav_NNNNNN_manual.json`` and ``sav_NNNNNN_auto.json`` per video (``.mp4``
beside them optional). Val/test: ``sav_val.txt`` / ``sav_test.txt``,
``JPEGImages_24fps/{video}/{frame:05d}.jpg`` and
``Annotations_6fps/{video}/{object:03d}/{frame:05d}.png`` (or the DAVIS layout, one
multi-object PNG per frame). See ``../shared/FORMATS.md`` section 4 and ``docs/sav.md``.

The checks run per video in worker processes (:mod:`.parallel`) while the files are
read, and hand back located findings; the tables stay empty, so memory does not grow
with the number of videos.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import ConfigError, UsageError
from vidaudit.profiles.base import FileSpec, Profile, SettingSpec
from vidaudit.profiles.sav import rules  # noqa: F401  (registers the rules)
from vidaudit.profiles.sav.rules import NAME

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.paths import Entry
    from vidaudit.frames.rows import MediaRow
    from vidaudit.model import Finding
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.sources import SourceFile

ROLE = "masklets"
FILES = (
    FileSpec("manual", "sav_NNNNNN_manual.json", "sav_masklets", required=False,
             description="train: per video, manual masklets (COCO RLE, every 4th frame) "
                         "and their statistics"),
    FileSpec("auto", "sav_NNNNNN_auto.json", "sav_masklets", required=False,
             description="train: per video, automatic masklets (most videos)"),
    FileSpec("val", "sav_val.txt", None, required=False, kind="text",
             description="val: video ids, with JPEGImages_24fps/ and Annotations_6fps/"),
    FileSpec("test", "sav_test.txt", None, required=False, kind="text",
             description="test: video ids, with JPEGImages_24fps/ and Annotations_6fps/"),
)
"""What ``vidaudit profiles`` lists; the folder is read by :mod:`.layout` (names vary)."""


def _workers(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{where} must be a positive integer")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false")
    return value


def _folder(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a folder path")
    return value


class SavProfile(Profile):
    name = NAME
    description = "SA-V masklets: train JSON with COCO RLE masks, val/test frames and masks"
    files = FILES
    settings_spec = (
        SettingSpec("workers", _workers, None, "worker processes (default: CPU count)"),
        SettingSpec("deep", _flag, False, "decode every mask with pycocotools"),
        SettingSpec("videos", _folder, None, "folder of the train .mp4 videos, when they "
                    "are not beside the JSON files (VA812)"),
    )
    rule_prefixes = ("VA8", "VA404", "VA405", "VA406")
    counts = (("videos", "videos"), ("masklets", "masklets"), ("masks", "masks"))

    def detect(self, folder: Path, config: Config) -> bool:
        from vidaudit.profiles.sav.layout import looks_like_sav

        return looks_like_sav(folder)

    def schema(self, role: str, config: Config) -> dict[str, Any] | None:
        return None  # checked per file in the workers (see .train)

    def read_sources(self, root: str, config: Config,
                     files: Mapping[str, Path] | None = None) -> dict[str, SourceFile]:
        """Check every video while reading it; the one source returned carries the
        findings and the run's :class:`~.summary.Summary`."""
        from vidaudit.profiles.sav.run import check_folder
        from vidaudit.sources import SourceFile

        if files is not None:
            raise UsageError(f"profile {NAME} reads a folder on disk, not a git revision")
        summary = check_folder(root, config, self.settings(config))
        return {ROLE: SourceFile(role=ROLE, path=Path(root), display=root, data=summary,
                                 findings=summary.findings)}

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        from vidaudit.dataset import Dataset
        from vidaudit.profiles.sav.rules import TRAIN_VIDEOS
        from vidaudit.profiles.sav.summary import Summary

        summary = sources[ROLE].data
        assert isinstance(summary, Summary)
        summary.findings = []  # handed to the engine already
        masklets = sum(summary.masklets.values())
        stats: dict[str, Any] = {"videos": summary.videos, "masklets": masklets,
                                 "masks": summary.masks, "extra_inputs": summary.inputs,
                                 "sav": summary,
                                 "sav_reading": (config.max_bytes, config.follow_links)}
        dataset = Dataset(root=root, profile=NAME, sources={}, stats=stats)
        dataset.notes.extend(summary.notes)
        dataset.inputs.update(summary.provides)
        if summary.frames:  # val/test frames: VA404-VA406 by the shared manifest checks
            from vidaudit.frames.manifest_table import manifest_table
            from vidaudit.profiles.sav.valtest import FRAME_NAMING

            rows, files = zip(*summary.frames, strict=True)
            dataset.tables["manifest"] = manifest_table(list(rows), list(files), FRAME_NAMING)
            dataset.stats["sav_frames_table"] = dataset.tables["manifest"]
        if TRAIN_VIDEOS in summary.provides:  # VA812 was checked in the workers
            from vidaudit.profiles.sav.videos import TABLE, empty_table

            dataset.tables[TABLE] = empty_table()
        return dataset

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        summary = dataset.stats.get("sav")
        return sorted(summary.train_ids) if summary is not None else []

    def media_entries(self, dataset: Dataset, root: Path, kind: str
                      ) -> dict[str, Entry] | None:
        """``--videos``: the train videos ``{id}.mp4`` (VA812); ``--frames``: none (the
        val/test frames are part of the folder)."""
        from vidaudit.profiles.sav import videos

        summary = dataset.stats.get("sav")
        if kind != "videos" or summary is None:
            return {}
        try:
            return videos.media_entries(dataset, root, summary.train_ids)
        except OSError as error:
            raise UsageError(f"cannot list {root}: {error.strerror or error}") from None

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        from vidaudit.profiles.sav import videos
        from vidaudit.profiles.sav.rules import TRAIN_VIDEOS

        if rows:
            dataset.inputs.add(TRAIN_VIDEOS)
        frames = dataset.stats.get("sav_frames_table")
        if frames is not None:  # the val/test frames' rows stay beside the videos' rows
            import pandas as pd

            dataset.tables["manifest"] = pd.concat([frames, dataset.tables["manifest"]],
                                                   ignore_index=True)
        max_bytes, follow_links = dataset.stats["sav_reading"]
        videos.attach(dataset, rows, max_bytes, follow_links)

    def report_section(self, dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
                       frame_dir: Path | None) -> ReportSection | None:
        from vidaudit.profiles.sav.report import section

        return section(dataset, findings, frame_dir)


PROFILE = SavProfile()
