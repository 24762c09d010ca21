"""A synthetic Kinetics-TPS release: layout, vocabularies, frame lists, per-frame JSON
(both published shapes of ``parts``) and, optionally, real JPEG frames (OpenCV).

No real per-frame file could be found; this follows ``../shared/FORMATS.md`` section 5
and the evaluation toolkit's description. Everything comes from a seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidaudit.profiles.kinetics_tps.tables import classes

PARTS = ("head", "torso", "left_arm", "right_arm", "left_hand", "right_hand", "left_leg",
         "right_leg", "left_foot", "right_foot")
STATES = ("none", "others", "bend", "unbend", "hold", "grab", "step_on", "lift", "swing",
          "push", "kick", "jump")
OBJECTS = ("none", "ball", "bicycle", "ski", "dumbbell", "rope", "skateboard", "barbell")
SIZE = (64, 48)
"""Frame size of the synthetic frames (small: the samples stay small)."""


@dataclass
class Video:
    klass: str
    name: str
    split: str
    frames: int
    shape: str = "object"
    """How its per-frame files write ``parts``: "object" or "list"."""
    annotated: bool = True


@dataclass
class Release:
    videos: list[Video]
    files: dict[str, bytes] = field(default_factory=dict)
    """Path relative to the release root -> content."""


def video_name(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
    start = rng.randrange(0, 300)
    return "".join(rng.choice(alphabet) for _ in range(11)) + \
        f"_{start:06d}_{start + 10:06d}"


def plan(seed: int, n_videos: int, frames: int, n_test: int = 0) -> list[Video]:
    """Videos across the first classes; shapes alternate so both are used."""
    rng = random.Random(seed)
    names = sorted(classes())
    videos = []
    for i in range(n_videos + n_test):
        split = "train" if i < n_videos else "test"
        videos.append(Video(names[i % 6], video_name(rng), split, frames,
                            "object" if i % 2 == 0 else "list", split == "train"))
    return videos


def frame_annotation(rng: random.Random, shape: str, size: tuple[int, int] = SIZE
                     ) -> dict[str, Any]:
    """One frame: one or two persons, each with a few parts inside its box."""
    width, height = size
    humans = []
    for number in range(1, rng.randint(1, 2) + 1):
        x1, y1 = rng.uniform(0, width / 3), rng.uniform(0, height / 3)
        x2, y2 = rng.uniform(2 * width / 3, width), rng.uniform(2 * height / 3, height)
        parts: dict[str, Any] = {}
        for k, name in enumerate(rng.sample(PARTS, 4)):
            px1 = rng.uniform(x1, (x1 + x2) / 2)
            py1 = rng.uniform(y1, (y1 + y2) / 2)
            part: dict[str, Any] = {
                "number": k + 1, "name": name,
                "box": [round(px1, 2), round(py1, 2),
                        round(rng.uniform(px1 + 1, x2), 2), round(rng.uniform(py1 + 1, y2), 2)],
                "verb": rng.choice(STATES)}
            if rng.random() < 0.5:
                part["obj_class"] = rng.choice(OBJECTS[1:])
                part["obj_bbox"] = [0, 0, round(rng.uniform(1, width), 2),
                                    round(rng.uniform(1, height), 2)]
            parts[name] = part
        listed: Any = parts if shape == "object" else \
            [{"name": n, **{k: v for k, v in p.items() if k != "name"}} for n, p in parts.items()]
        humans.append({"number": number, "box": [round(x1, 2), round(y1, 2), round(x2, 2),
                                                 round(y2, 2)], "parts": listed})
    return {"humans": humans}


def dumps(document: Any) -> bytes:
    return json.dumps(document, indent=1).encode()


def jpeg(size: tuple[int, int], shade: int) -> bytes:
    import cv2
    import numpy as np

    image = np.full((size[1], size[0], 3), shade % 256, dtype=np.uint8)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 50])
    assert ok
    return bytes(encoded.tobytes())


def generate(seed: int, videos: list[Video], frames_folder: str | None = "rawframes",
             every: int = 1) -> Release:
    """The release's files; annotations on every ``every``-th frame (1, 6, 11, ... for 5),
    frames (real JPEGs) under ``frames_folder`` when given."""
    rng = random.Random(seed)
    release = Release(videos)
    files = release.files
    files["list/body_part.txt"] = "".join(f"{p}\n" for p in PARTS).encode()
    files["list/part_stat.txt"] = "".join(f"{i} {s}\n" for i, s in enumerate(STATES)).encode()
    files["list/object.txt"] = "".join(f"{o}\t{i}\n" for i, o in enumerate(OBJECTS)).encode()
    for split in ("train", "test"):
        lines = ["video,frames"] + [f"{v.name},{v.frames}" for v in videos if v.split == split]
        files[f"list/video_{split}_flist.csv"] = ("\n".join(lines) + "\n").encode()
    frame = jpeg(SIZE, 90) if frames_folder else b""
    for video in videos:
        if video.annotated:
            for index in range(1, video.frames + 1, every):
                files[f"train_annotations/{video.klass}/{video.name}/img_{index:05d}.json"] = \
                    dumps(frame_annotation(rng, video.shape))
        if frames_folder:
            for index in range(1, video.frames + 1):
                files[f"{frames_folder}/{video.klass}/{video.name}/img_{index:05d}.jpg"] = frame
    return release


def write(release: Release, root: Path) -> None:
    for relative, content in release.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


CLEAN_SEED = 21
BROKEN_SEED = 22
Planted = tuple[str, str, str]
"""(code, file relative to the release root, JSON Pointer)."""


def clean_sample() -> Release:
    """Six train videos (both ``parts`` shapes), two test videos, frames included."""
    return generate(CLEAN_SEED, plan(CLEAN_SEED, 6, 6, n_test=2))


def broken_sample() -> tuple[Release, set[Planted]]:
    """Every rule of the profile planted once (with ``--frames <root>/rawframes``)."""
    videos = plan(BROKEN_SEED, 6, 6, n_test=2)
    release = generate(BROKEN_SEED, videos)
    files = release.files
    planted: set[Planted] = set()
    v0, v1, v2, v3, v4, v5 = videos[:6]

    def ann(video: Video, index: int) -> str:
        return f"train_annotations/{video.klass}/{video.name}/img_{index:05d}.json"

    def edit(path: str, change: Any) -> None:
        document = json.loads(files[path])
        change(document)
        files[path] = dumps(document)

    def first(parts: Any) -> str:
        return str(next(iter(parts)))

    def rename_part(d: Any) -> None:
        parts = d["humans"][0]["parts"]
        parts["left_elbow"] = parts.pop(first(parts))
    edit(ann(v0, 1), rename_part)
    planted.add(("VA411", ann(v0, 1), "/humans/0/parts/left_elbow"))

    def unknown_state(d: Any) -> None:
        d["humans"][0]["parts"][0]["verb"] = "twirl"
    edit(ann(v1, 1), unknown_state)
    planted.add(("VA411", ann(v1, 1), "/humans/0/parts/0/verb"))

    key: list[str] = []

    def unknown_object(d: Any) -> None:
        parts = d["humans"][0]["parts"]
        key.append(first(parts))
        parts[key[0]]["obj_class"] = "lightsaber"
        parts[key[0]]["obj_bbox"] = [1, 1, 5, 5]
    edit(ann(v0, 2), unknown_object)
    planted.add(("VA411", ann(v0, 2), f"/humans/0/parts/{key[0]}/obj_class"))

    files["train_annotations/dancing_queen/abcdefghijk_000001_000011/img_00001.json"] = \
        dumps({"humans": []})
    planted.add(("VA411", "train_annotations/dancing_queen", ""))

    def inverted(d: Any) -> None:
        box = d["humans"][0]["box"]
        box[0], box[2] = box[2], box[0]
    edit(ann(v2, 1), inverted)
    planted.add(("VA409", ann(v2, 1), "/humans/0/box"))

    def beyond(d: Any) -> None:
        human = d["humans"][0]
        key[0] = first(human["parts"])
        human["parts"][key[0]]["box"] = [human["box"][0], human["box"][1], SIZE[0] + 6,
                                         human["box"][3]]
    edit(ann(v2, 2), beyond)
    planted.add(("VA408", ann(v2, 2), f"/humans/0/parts/{key[0]}/box"))

    def outside(d: Any) -> None:
        human = d["humans"][0]
        human["box"] = [0, 0, 20, 20]
        for part in human["parts"]:
            part["box"] = [1, 1, 10, 10]
        human["parts"][0]["box"] = [30, 30, 40, 40]
    edit(ann(v3, 1), outside)
    planted.add(("VA503", ann(v3, 1), "/humans/0/parts/0/box"))

    files[ann(v4, 3)] = b'{"humans": [}\n'
    planted.add(("VA102", ann(v4, 3), ""))
    files[ann(v4, 4)] = b'{"humans": [{"number": 1, "box": [1, 2, NaN, 4], "parts": {}}]}\n'
    planted.add(("VA104", ann(v4, 4), ""))
    files[ann(v5, 1)] = dumps({"people": []})
    planted.add(("VA201", ann(v5, 1), ""))
    stray = f"train_annotations/{v5.klass}/{v5.name}/img_1.json"
    files[stray] = dumps({"humans": []})
    planted.add(("VA201", stray, ""))
    files[ann(v3, 7)] = dumps({"humans": []})
    planted.add(("VA402", ann(v3, 7), ""))

    train = [f"{v.name},{v.frames}" for v in videos if v.split == "train" and v is not v4]
    train[-1] = f"{v5.name},{v5.frames + 1}"  # VA406: the frames folder has one fewer
    train.append(f"{v0.name},{v0.frames}")  # VA302: listed twice
    train.append("ghostvideo0_000001_000011,6")  # VA201: no annotation folder
    test = [f"{v.name},{v.frames}" for v in videos if v.split == "test"]
    test += [f"{v5.name},{v5.frames}", "oops"]  # VA301 (v5 is a train video), VA201
    flist = "list/video_train_flist.csv"
    files[flist] = ("\n".join(["video,frames", *train]) + "\n").encode()
    files["list/video_test_flist.csv"] = ("\n".join(["video,frames", *test]) + "\n").encode()
    planted |= {("VA406", flist, ""), ("VA302", flist, ""), ("VA201", flist, ""),
                ("VA301", "list/video_test_flist.csv", ""),
                ("VA201", "list/video_test_flist.csv", ""),
                ("VA201", f"train_annotations/{v4.klass}/{v4.name}", "")}

    for index in range(1, v1.frames + 1):  # VA401: no frames folder
        del files[f"rawframes/{v1.klass}/{v1.name}/img_{index:05d}.jpg"]
    planted.add(("VA401", f"train_annotations/{v1.klass}/{v1.name}", ""))
    files[f"rawframes/{v2.klass}/{v2.name}/thumb.jpg"] = jpeg(SIZE, 10)  # VA404
    planted.add(("VA404", f"rawframes/{v2.klass}/{v2.name}", ""))
    last = f"rawframes/{v3.klass}/{v3.name}/img_{v3.frames:05d}.jpg"
    files[last] = files[last][:40]  # VA405: truncated
    planted.add(("VA405", f"rawframes/{v3.klass}/{v3.name}", ""))
    return release, planted
