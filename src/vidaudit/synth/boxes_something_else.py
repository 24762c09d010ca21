"""A synthetic Something-Else ``annotations.json`` (and its frame manifest), clean or
with every rule of the profile planted once, from fixed seeds."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("pillow", "bottle", "cup", "box", "phone")
SIZE = (427, 240)


@dataclass
class Sample:
    annotations: dict[str, list[dict[str, Any]]]
    manifest: dict[str, tuple[int, int, int]]
    """video id -> (frame count, width, height)."""
    planted: set[tuple[str, str, str]] = field(default_factory=set)
    """(code, file name, JSON Pointer) of each planted finding."""

    def files(self) -> dict[str, bytes]:
        lines = ["video_id,frame_count,width,height"] + [
            f"{v},{n},{w},{h}" for v, (n, w, h) in self.manifest.items()]
        return {"annotations.json": (json.dumps(self.annotations, indent=1) + "\n").encode(),
                "frame_manifest.csv": ("\n".join(lines) + "\n").encode()}


def frame(rng: random.Random, video: str, index: int, placeholders: list[str],
          size: tuple[int, int] = SIZE) -> dict[str, Any]:
    """One annotated frame: a hand and one object per placeholder."""
    width, height = size
    labels = []
    for k, category in enumerate([*placeholders, "hand"]):
        x1, y1 = rng.uniform(0, width / 2), rng.uniform(0, height / 2)
        labels.append({"box2d": {"x1": x1, "y1": y1, "x2": rng.uniform(x1 + 1, width),
                                 "y2": rng.uniform(y1 + 1, height)},
                       "category": category,
                       "gt_annotation": "hand" if category == "hand" else f"object {k}",
                       "standard_category": "hand" if category == "hand" else f"{k:04d}"})
    return {"name": f"{video}/{index:04d}.jpg", "labels": labels,
            "gt_placeholders": placeholders, "nr_instances": len(labels),
            "split": "80perc_1", "url": f"https://example.invalid/{video}/{index:04d}.jpg",
            "task_index": index}


def clean(seed: int = 11, n_videos: int = 4, n_frames: int = 6) -> Sample:
    rng = random.Random(seed)
    annotations: dict[str, list[dict[str, Any]]] = {}
    manifest = {}
    for _ in range(n_videos):
        video = str(rng.randrange(1, 220_000))
        placeholders = rng.sample(CATEGORIES, rng.randint(1, 2))
        annotations[video] = [frame(rng, video, i, placeholders)
                              for i in range(1, n_frames + 1)]
        manifest[video] = (n_frames + rng.randint(0, 3), *SIZE)
    # the real file's floating-point noise at the edge is not a finding
    first = next(iter(annotations.values()))
    first[0]["labels"][0]["box2d"]["x2"] = 427.00000000000006
    return Sample(annotations, manifest)


def broken() -> Sample:
    """Every rule of the profile, planted once (VA409 once per kind of bad box)."""
    sample = clean(seed=12, n_videos=5)
    data, planted = sample.annotations, sample.planted
    videos = list(data)
    a, b, c, d, e = videos
    name = "annotations.json"

    def plant(code: str, pointer: str) -> None:
        planted.add((code, name, pointer))

    data[a][1]["labels"][0]["box2d"]["x2"] = SIZE[0] + 12.5
    plant("VA408", f"/{a}/1/labels/0/box2d")
    data[a][2]["labels"][0]["box2d"]["y2"] = SIZE[1] + 3
    plant("VA408", f"/{a}/2/labels/0/box2d")
    box = data[b][0]["labels"][0]["box2d"]
    box["x1"], box["x2"] = box["x2"], box["x1"]
    plant("VA409", f"/{b}/0/labels/0/box2d")
    data[b][1]["labels"][0]["box2d"]["y1"] = -4
    plant("VA409", f"/{b}/1/labels/0/box2d")
    data[b][2]["labels"][0]["box2d"] = [1, 2, 3]
    plant("VA409", f"/{b}/2/labels/0/box2d")
    data[b][3]["labels"][0]["box2d"]["x2"] = "12"
    plant("VA409", f"/{b}/3/labels/0/box2d")
    data[c][0]["nr_instances"] += 1
    plant("VA410", f"/{c}/0/nr_instances")
    data[c][1]["name"] = f"{c}/12.jpg"
    plant("VA201", f"/{c}/1/name")
    data[c][2]["name"] = f"{a}/0003.jpg"
    plant("VA201", f"/{c}/2/name")
    count = sample.manifest[c][0]
    data[c][3]["name"] = f"{c}/{count + 1:04d}.jpg"
    plant("VA402", f"/{c}/3/name")
    del sample.manifest[d]
    plant("VA401", f"/{d}")
    data[f"0{e}"] = data.pop(e)
    for entry in data[f"0{e}"]:
        entry["name"] = f"0{entry['name']}"
    plant("VA202", f"/0{e}")
    return sample
