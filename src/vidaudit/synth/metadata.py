"""A clean synthetic release in exactly the published SSv2 contact/release format.

Everything is drawn from one ``random.Random(seed)``, so the same arguments give
byte-identical files. Each video also gets a frame count and a frame size (SSv2
style: 240 px high, widths vary), from which the media generator makes frames
and videos and the manifest is written; every event lies inside its video.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES, SPLITS

ACTIONS = ("contact", "release")
AGENTS = ("hand-object", "object-surface", "object-object")
WIDTHS = (320, 352, 427, 428)
HEIGHT = 240


@dataclass(frozen=True)
class VideoInfo:
    video_id: str
    frame_count: int
    width: int
    height: int
    template: str
    split: str


@dataclass
class Release:
    """The five files' contents, and what the synthetic videos look like."""

    events: dict[str, list[dict[str, Any]]]
    templates: dict[str, list[str]]
    splits: dict[str, list[str]]
    videos: dict[str, VideoInfo] = field(default_factory=dict)

    def file_contents(self) -> dict[str, Any]:
        return {"events": self.events, "templates": self.templates, **self.splits}


def generate(seed: int = 7, n_videos: int = 120, n_templates: int = 12,
             min_frames: int = 24, max_frames: int = 60) -> Release:
    rng = random.Random(seed)
    templates = rng.sample(ssv2_classes(), n_templates)
    ids = sorted(rng.sample(range(1, 220_000), n_videos))
    splits_cycle = ["train"] * 8 + ["validation"] + ["test"]
    release = Release(events={}, templates={t: [] for t in templates},
                      splits={s: [] for s in SPLITS})
    for number in ids:
        video_id = str(number)
        frame_count = rng.randint(min_frames, max_frames)
        width = rng.choice(WIDTHS)
        template = rng.choice(templates)
        split = splits_cycle[number % len(splits_cycle)]
        info = VideoInfo(video_id, frame_count, width, HEIGHT, template, split)
        release.videos[video_id] = info
        release.events[video_id] = _events(rng, info)
        release.templates[template].append(video_id)
        release.splits[split].append(video_id)
    for split in SPLITS:  # every split non-empty, whatever the seed (n_videos >= 3)
        if not release.splits[split]:
            donor = max(release.splits.values(), key=len).pop()
            release.splits[split].append(donor)
            release.videos[donor] = _moved(release.videos[donor], split)
    release.templates = {t: ids for t, ids in release.templates.items() if ids}
    return release


def _moved(info: VideoInfo, split: str) -> VideoInfo:
    return VideoInfo(info.video_id, info.frame_count, info.width, info.height, info.template,
                     split)


def _events(rng: random.Random, info: VideoInfo) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    used: set[tuple[str, int]] = set()
    for _ in range(rng.randint(1, 4)):
        agent = rng.choice(AGENTS)
        frame = rng.randrange(info.frame_count)
        if (agent, frame) in used:
            continue  # keep the clean sample free of VA501/VA502
        used.add((agent, frame))
        events.append({"action": rng.choice(ACTIONS), "agent": agent, "frameNumber": frame,
                       "pointX": rng.randrange(info.width), "pointY": rng.randrange(info.height)})
    events.sort(key=lambda e: e["frameNumber"])
    return events


def dumps(role: str, content: Any) -> str:
    """Serialise like the published release: events on one line, the others indented."""
    if role == "events":
        return json.dumps(content, separators=(",", ":"))
    return json.dumps(content, indent=2) + "\n"


def write(release: Release, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for role, content in release.file_contents().items():
        (folder / DEFAULT_FILES[role]).write_text(dumps(role, content), encoding="utf-8")


def manifest_rows(release: Release) -> list[dict[str, Any]]:
    return [{"video_id": v.video_id, "frame_count": v.frame_count, "width": v.width,
             "height": v.height} for v in release.videos.values()]
