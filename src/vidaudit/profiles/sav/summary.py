"""What a run over many videos keeps: counts, a few flagged masks, the inputs. Folded
one video at a time, so it grows with findings and files, not with masks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vidaudit.model import Finding

FLAGGED_KEPT = 6


@dataclass
class Summary:
    videos: int = 0
    train_videos: int = 0
    files: Counter[str] = field(default_factory=Counter)
    """manual / auto files checked."""
    masklets: Counter[str] = field(default_factory=Counter)
    """manual / auto masklets."""
    buckets: Counter[str] = field(default_factory=Counter)
    per_video: Counter[int] = field(default_factory=Counter)
    """Masklets per video (manual + auto) -> number of videos."""
    layouts: Counter[str] = field(default_factory=Counter)
    masks: int = 0
    flagged: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    frames: list[tuple[Any, str]] = field(default_factory=list)
    """Val/test: each video's probed frames folder (MediaRow) and its path."""
    train_ids: set[str] = field(default_factory=set)
    """The train videos (for ``--videos``: which videos to probe)."""
    provides: set[str] = field(default_factory=set)
    """What the folder held, for the rules' ``needs`` (see .rules)."""

    def add(self, result: Any) -> None:
        self.videos += 1
        self.findings.extend(result.findings)
        self.inputs.extend(result.inputs)
        self.layouts[result.layout] += 1
        if result.layout == "train":
            self.train_videos += 1
            self.train_ids.add(result.video_id)
            for kind, number in result.masklets.items():
                self.files[kind] += 1
                self.masklets[kind] += number
            self.buckets.update(result.buckets)
            self.per_video[sum(result.masklets.values())] += 1
        self.masks += getattr(result, "masks", 0)
        if getattr(result, "frames", None) is not None:
            self.frames.append(result.frames)
        if result.flagged and len(self.flagged) < FLAGGED_KEPT:
            file, frame, obj = result.flagged
            self.flagged.append({"video_id": result.video_id, "file": file, "frame": frame,
                                 "object": obj})
