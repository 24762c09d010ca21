"""Profile ``something-else``: Something-Else per-frame boxes on SSv2 videos.

One file, ``annotations.json``: ``{video_id: [frame, ...]}``, each frame entry with
its ``name`` (``VIDEO/NNNN.jpg``, 1-based), ``labels`` (boxes with categories) and
``nr_instances`` (see ``../shared/FORMATS.md`` section 3). Frames extracted as
``DIR/VIDEO/NNNN.jpg`` are read with ``--frames DIR``. Importing this package
registers its rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.frames.paths import FrameNaming
from vidaudit.profiles.base import FileSpec, Profile, SettingSpec, file_names
from vidaudit.profiles.something_else import rules  # noqa: F401  (registers the rules)
from vidaudit.profiles.something_else.rules import NAME

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.rows import MediaRow
    from vidaudit.model import Finding
    from vidaudit.profiles.base import Reference
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.sources import SourceFile

FILES = (FileSpec("annotations", "annotations.json", "something_else_annotations",
                  description="video id -> annotated frames, each with its boxes"),)
SNIFF_BYTES = 1 << 16
SHOWN = 5


class SomethingElseProfile(Profile):
    name = NAME
    description = "Something-Else per-frame boxes on SSv2 videos (annotations.json)"
    files = FILES
    settings_spec = (
        SettingSpec("files", file_names(("annotations",)), {},
                    "file names by role, where they differ from the defaults"),
    )
    rule_prefixes = ("VA202", "VA313", "VA401", "VA402", "VA404", "VA405", "VA406",
                     "VA407", "VA408", "VA409", "VA410")
    counts = (("videos", "videos"), ("frames", "annotated frames"), ("boxes", "boxes"))
    frame_naming = FrameNaming(prefix="", digits=4, first=1)

    def detect(self, folder: Path, config: Config) -> bool:
        """``annotations.json`` is a common name: look for Something-Else's keys in its
        beginning too."""
        path = folder / self.file_names(config)["annotations"]
        try:
            with path.open("rb") as stream:
                head = stream.read(SNIFF_BYTES)
        except OSError:
            return False
        return head.lstrip()[:1] == b"{" and b'"labels"' in head and \
            (b'"box2d"' in head or b'"nr_instances"' in head)

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        from vidaudit.profiles.something_else.tables import build

        return build(root, sources, self.name)

    def video_at(self, source: SourceFile, pointer: str) -> str | None:
        from vidaudit.jsonpos import split_pointer
        from vidaudit.values import is_video_id

        tokens = split_pointer(pointer)
        return tokens[0] if tokens and is_video_id(tokens[0]) else None

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        videos = dataset.tables["videos"]
        return videos["video_id"][videos["frames_wanted"]].tolist()

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        from vidaudit.frames.join import add_frame_columns, add_presence

        add_presence(dataset.tables["videos"], rows, missing)
        add_frame_columns(dataset.tables["frames"], rows, where)
        add_frame_columns(dataset.tables["boxes"], rows, where)
        _note_unannotated(dataset, rows)

    def report_section(self, dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
                       frame_dir: Path | None) -> ReportSection | None:
        from vidaudit.profiles.something_else.report import report_section

        return report_section(dataset, findings, frame_dir)

    def attach_reference(self, dataset: Dataset, reference: Reference) -> list[Finding]:
        """VA313: every video is an SSv2 video. Something-Else's ``split`` names its own
        compositional splits (``80perc_95``), not SSv2's, so splits are not compared."""
        from vidaudit.profiles.ssv2_contact_release.reference import SSV2_SPLITS
        from vidaudit.values import is_video_id

        complete = set(reference.split_of.values()) >= set(SSV2_SPLITS)
        if not complete:
            dataset.notes.append("VA313 unknown-to-ssv2 was not judged: the reference "
                                 "lacks some of SSv2's splits")
        videos = dataset.tables["videos"]
        keys = videos["video_id"].tolist()
        videos["in_ssv2"] = [k in reference.split_of for k in keys]
        videos["ssv2_checkable"] = [complete and is_video_id(k) for k in keys]
        dataset.stats["reference_videos"] = len(reference.split_of)
        dataset.stats.setdefault("extra_inputs", []).extend(reference.inputs)
        return []


def _note_unannotated(dataset: Dataset, rows: Mapping[str, MediaRow]) -> None:
    """A note (not a finding): frames on disk that carry no annotation. Something-Else
    annotates a subset of each video's frames (video 151201: 23 of 33)."""
    import pandas as pd

    frames = dataset.tables["frames"]
    annotated: dict[str, set[int]] = {}
    for video, frame in zip(frames["video_id"], frames["frame"], strict=True):
        if isinstance(video, str) and not pd.isna(frame):
            annotated.setdefault(video, set()).add(int(frame))
    extra = []
    for video, done in annotated.items():
        row = rows.get(video)
        if row is not None and row.frame_count and row.frame_count > len(done):
            extra.append(f"{video} ({row.frame_count - len(done)} of {row.frame_count})")
    if extra:
        shown = ", ".join(extra[:SHOWN]) + (f" and {len(extra) - SHOWN} more"
                                            if len(extra) > SHOWN else "")
        dataset.notes.append(f"{len(extra)} video(s) have frames on disk without an "
                             f"annotation (not an error): {shown}")


PROFILE = SomethingElseProfile()
