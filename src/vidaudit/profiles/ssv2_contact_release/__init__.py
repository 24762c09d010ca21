"""Profile ``ssv2-contact-release``: the SSv2 contact/release interaction metadata.

Five JSON files: per-video event lists, a template -> video ids map and three split
lists (see DESIGN.md). Importing this package registers its rules.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from vidaudit.profiles.base import (
    FileSpec,
    Profile,
    Reference,
    SettingSpec,
    file_names,
    string_list,
)
from vidaudit.profiles.ssv2_contact_release import rules  # noqa: F401  (registers the rules)
from vidaudit.profiles.ssv2_contact_release.rules import NAME

if TYPE_CHECKING:
    from pathlib import Path

    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.rows import MediaRow
    from vidaudit.model import Finding
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.profiles.releaseview import ReleaseView
    from vidaudit.sources import SourceFile

SPLITS = ("train", "validation", "test")
ACTIONS = ("contact", "release")
AGENTS = ("hand-object", "object-surface", "object-object")
FILES = (
    FileSpec("events", "video_events_labels.json", "video_events_labels",
             description="video id -> its list of contact/release events"),
    FileSpec("templates", "template_to_video_ids_map.json", "template_to_video_ids_map",
             description="SSv2 template -> the ids of its videos"),
    *(FileSpec(split, f"{split}_videos_ids_labeled.json", "video_ids_split",
               description=f"the ids of the {split} split") for split in SPLITS),
)

DEFAULT_FILES = {spec.role: spec.name for spec in FILES}


class ContactReleaseProfile(Profile):
    name = NAME
    description = ("SSv2 contact/release interaction metadata: per-video events, "
                   "template map, split lists")
    files = FILES
    settings_spec = (
        SettingSpec("actions", string_list, ACTIONS, "the events' action vocabulary"),
        SettingSpec("agents", string_list, AGENTS, "the events' agent vocabulary"),
        SettingSpec("files", file_names(tuple(f.role for f in FILES)), {},
                    "file names by role, where they differ from the defaults"),
    )
    rule_prefixes = ("VA2", "VA3", "VA4", "VA5", "VA6")
    counts = (("videos", "videos"), ("events", "events"))

    def release_view(self, dataset: Dataset) -> ReleaseView:
        from vidaudit.profiles.ssv2_contact_release.release import release_view

        return release_view(dataset)

    def report_section(self, dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
                       frame_dir: Path | None) -> ReportSection | None:
        from vidaudit.profiles.ssv2_contact_release.report import report_section

        return report_section(dataset, findings, frame_dir)

    def gx_tables(self, dataset: Dataset) -> dict[str, Any]:
        from vidaudit.profiles.ssv2_contact_release.gx_tables import gx_frames

        return gx_frames(dataset)

    def gx_expectations(self, config: Config, frames: bool) -> list[Any]:
        from vidaudit.profiles.ssv2_contact_release.gx_suite import expectations

        return expectations(config, frames)

    def read_file(self, role: str, path: Path, display: str, config: Config,
                  root: Path | None) -> SourceFile:
        """The events file straight into columns when it is certainly clean
        (:mod:`.columnar`); everything else as any JSON file."""
        if role != "events":
            return super().read_file(role, path, display, config, root)
        from vidaudit.profiles.ssv2_contact_release.columnar import read_events

        return read_events(role, path, display, config.max_bytes, root)

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        from vidaudit.profiles.ssv2_contact_release.tables import build

        return build(root, sources, self.name)

    def schema(self, role: str, config: Config) -> dict[str, Any] | None:
        """The events schema carries the configured vocabularies."""
        schema = super().schema(role, config)
        if schema is None or role != "events":
            return schema
        settings = self.settings(config)
        properties = schema["$defs"]["event"]["properties"]
        if (tuple(properties["action"]["enum"]) == settings["actions"]
                and tuple(properties["agent"]["enum"]) == settings["agents"]):
            return schema
        schema = copy.deepcopy(schema)
        properties = schema["$defs"]["event"]["properties"]
        properties["action"]["enum"] = list(settings["actions"])
        properties["agent"]["enum"] = list(settings["agents"])
        return schema

    def quick_stats(self, sources: Iterable[SourceFile]) -> dict[str, int]:
        events = [s.data for s in sources if s.role == "events" and isinstance(s.data, dict)]
        return {"videos": sum(len(d) for d in events),
                "events": sum(len(v) for d in events for v in d.values()
                              if isinstance(v, list))}

    def video_at(self, source: SourceFile, pointer: str) -> str | None:
        """``/26864/0`` in the events file; ``/3`` in a split list and ``/<template>/3``
        in the template map are the ids listed there."""
        from vidaudit.jsonpos import unescape_token
        from vidaudit.values import is_video_id

        tokens = [unescape_token(t) for t in pointer.split("/")[1:]]
        found: Any = None
        if source.role == "events" and tokens:
            found = tokens[0]
        elif source.role in SPLITS and tokens and isinstance(source.data, list) \
                and tokens[0].isdigit() and int(tokens[0]) < len(source.data):
            found = source.data[int(tokens[0])]
        elif source.role == "templates" and len(tokens) >= 2 and isinstance(source.data, dict):
            listed = source.data.get(tokens[0])
            if isinstance(listed, list) and tokens[1].isdigit() and int(tokens[1]) < len(listed):
                found = listed[int(tokens[1])]
        return found if is_video_id(found) else None

    def message_context(self, config: Config) -> dict[str, Any]:
        settings = self.settings(config)
        return {"actions": ", ".join(settings["actions"]),
                "agents": ", ".join(settings["agents"])}

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        lists = dataset.tables["event_lists"]
        return [v for v, has in zip(lists["video_id"].tolist(), lists["has_events"].tolist(),
                                    strict=True) if has and isinstance(v, str)]

    def attach_reference(self, dataset: Dataset, reference: Reference) -> list[Finding]:
        from vidaudit.profiles.ssv2_contact_release.reference import attach_reference

        attach_reference(dataset, reference)
        return []

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        from vidaudit.frames.join import add_frame_columns, add_presence

        add_presence(dataset.tables["event_lists"], rows, missing)
        add_frame_columns(dataset.tables["events"], rows, where)


PROFILE = ContactReleaseProfile()
