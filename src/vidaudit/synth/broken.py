"""Broken samples: a clean release with one planted problem per rule.

``broken_release()`` returns the files' texts and the list of planted problems
(code, file, JSON Pointer), which is what the tests assert vidaudit finds.
Problems are planted on videos chosen by position in a seeded clean release, so
the sample is reproducible byte for byte.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata

BROKEN_SEED = 11


@dataclass(frozen=True)
class Planted:
    code: str
    role: str
    pointer: str


@dataclass
class BrokenSample:
    texts: dict[str, bytes]
    """File name -> content (a missing file is simply absent)."""
    planted: list[Planted] = field(default_factory=list)


def _event(frame: Any = 3, x: Any = 10, y: Any = 20, action: Any = "contact",
           agent: Any = "hand-object") -> dict[str, Any]:
    return {"action": action, "agent": agent, "frameNumber": frame, "pointX": x, "pointY": y}


def broken_release() -> BrokenSample:
    """Every rule of the metadata families (VA103-VA105, VA2xx, VA3xx, VA5xx) at least once."""
    release = metadata.generate(seed=BROKEN_SEED, n_videos=40, n_templates=6)
    events = copy.deepcopy(release.events)
    templates = copy.deepcopy(release.templates)
    splits = copy.deepcopy(release.splits)
    planted: list[Planted] = []
    train = splits["train"]
    template_names = list(templates)

    entries: list[tuple[str, str, str | None, str, int]] = []

    def plant(code: str, role: str, pointer: str) -> None:
        planted.append(Planted(code, role, pointer))

    def plant_entry(code: str, role: str, template: str | None, video_id: str,
                    nth: int = 1) -> None:
        """A list entry, located once every mutation is done (positions shift)."""
        entries.append((code, role, template, video_id, nth))

    # Values of events (VA201, VA203-VA207).
    v = train[0]
    events[v][0]["confidence"] = 0.9
    plant("VA201", "events", f"/{v}/0")
    v = train[1]
    del events[v][0]["agent"]
    plant("VA201", "events", f"/{v}/0")
    v = train[2]
    events[v][0]["action"] = "touch"
    plant("VA203", "events", f"/{v}/0/action")
    v = train[3]
    events[v][0]["agent"] = "hand-hand"
    plant("VA204", "events", f"/{v}/0/agent")
    v = train[4]
    events[v][0]["frameNumber"] = 12.5
    plant("VA205", "events", f"/{v}/0/frameNumber")
    events[v][0]["pointY"] = "17"
    plant("VA205", "events", f"/{v}/0/pointY")
    v = train[5]
    events[v][0]["frameNumber"] = float(events[v][0]["frameNumber"])
    plant("VA206", "events", f"/{v}/0/frameNumber")
    v = train[6]
    events[v][0]["pointX"] = -3
    plant("VA207", "events", f"/{v}/0/pointX")

    # Ids and event lists (VA202, VA208).
    events["0042"] = [_event()]
    plant("VA202", "events", "/0042")
    plant("VA303", "events", "/0042")
    plant("VA305", "events", "/0042")
    splits["validation"].append("12a")
    plant_entry("VA202", "validation", None, "12a")
    plant_entry("VA304", "validation", None, "12a")  # and it has no events, of course
    v = train[7]
    events[v] = []
    plant("VA208", "events", f"/{v}")
    plant_entry("VA304", "train", None, v)
    template_of_v = next(t for t, ids in templates.items() if v in ids)
    plant_entry("VA306", "templates", template_of_v, v)

    # Splits (VA301-VA304).
    v = train[8]
    splits["test"].append(v)
    plant_entry("VA301", "test", None, v)
    v = train[9]
    train.append(v)
    plant_entry("VA302", "train", None, v, nth=2)
    v = train[10]
    train.remove(v)
    plant("VA303", "events", f"/{v}")
    splits["validation"].append("999999")
    plant_entry("VA304", "validation", None, "999999")

    # Templates (VA305-VA309, VA312).
    v = train[11]
    owner = next(t for t, ids in templates.items() if v in ids)
    templates[owner].remove(v)
    plant("VA305", "events", f"/{v}")
    first = template_names[0]
    templates[first].append("888888")
    plant_entry("VA306", "templates", first, "888888")
    v = train[12]
    owner = next(t for t, ids in templates.items() if v in ids)
    other = next(t for t in template_names if t != owner and v not in templates[t])
    templates[other].append(v)
    # Reported on each listing after the first in document order.
    later = other if template_names.index(other) > template_names.index(owner) else owner
    plant_entry("VA307", "templates", later, v)
    v = train[13]
    owner = next(t for t, ids in templates.items() if v in ids)
    templates[owner].append(v)
    plant_entry("VA308", "templates", owner, v, nth=2)
    typo = template_names[-1][:-1]
    renamed = {template_names[-1]: typo}
    templates = {renamed.get(t, t): ids for t, ids in templates.items()}
    plant("VA309", "templates", f"/{_escape(typo)}")
    empty = next(n for n in ssv2_classes() if n not in templates)
    templates[empty] = []
    plant("VA312", "templates", f"/{_escape(empty)}")

    # Plausibility (VA501, VA502).
    v = train[14]
    events[v].append(dict(events[v][0]))
    plant("VA501", "events", f"/{v}/{len(events[v]) - 1}")
    v = train[15]
    clash = dict(events[v][0])
    clash["action"] = "release" if clash["action"] == "contact" else "contact"
    events[v].append(clash)
    plant("VA502", "events", f"/{v}/{len(events[v]) - 1}")

    # Text-level problems (VA103-VA105).
    v = train[16]
    events_text = metadata.dumps("events", events)
    nan_video = train[17]
    events_text = events_text.replace(
        f'"{nan_video}":[{{"action"', f'"{nan_video}":[{{"nan":NaN,"action"', 1)
    plant("VA104", "events", f"/{nan_video}/0/nan")
    plant("VA201", "events", f"/{nan_video}/0")
    duplicate = json.dumps([_event(frame=1)], separators=(",", ":"))
    events_text = events_text[:-1] + f',"{v}":{duplicate}}}'
    plant("VA103", "events", f"/{v}")

    for code, role, template, video_id, nth in entries:
        if template is not None:
            template = renamed.get(template, template)
        ids = templates[template] if template is not None else splits[role]
        position = [i for i, x in enumerate(ids) if x == video_id][nth - 1]
        prefix = f"/{_escape(template)}" if template is not None else ""
        plant(code, role, f"{prefix}/{position}")

    texts = {DEFAULT_FILES["events"]: events_text.encode()}
    texts[DEFAULT_FILES["templates"]] = b"\xef\xbb\xbf" + \
        metadata.dumps("templates", templates).encode()
    plant("VA105", "templates", "")
    for split, ids in splits.items():
        texts[DEFAULT_FILES[split]] = metadata.dumps(split, ids).encode()
    texts[MANIFEST] = _broken_manifest(release, events, release.splits["train"][-4:],
                                       plant).encode()
    plant("VA401", "events", "/0042")  # the invalid id has no frames either
    unique = list(dict.fromkeys(planted))
    return BrokenSample(texts, unique)


MANIFEST = "frame_manifest.csv"
"""The role (and file name) of the broken sample's frame manifest."""


def _broken_manifest(release: metadata.Release, events: dict[str, list[dict[str, Any]]],
                     chosen: list[str], plant: Any) -> str:
    """The release's frame manifest with VA401-VA404 planted on four untouched videos:
    a missing row, a count that ends at the last event, a width that ends at the
    rightmost point, and a row that records a gap in the frame files."""
    from vidaudit.frames import csvio
    from vidaudit.frames.rows import MediaRow

    missing, short, narrow, gapped = chosen
    rows = {v: MediaRow(v, info.frame_count, info.width, info.height, first_index=0)
            for v, info in release.videos.items() if v != missing}
    plant("VA401", "events", f"/{missing}")
    rows[short].frame_count = max(e["frameNumber"] for e in events[short])
    rows[narrow].width = max(e["pointX"] for e in events[narrow])
    for video, column, limit in ((short, "frameNumber", rows[short].frame_count),
                                 (narrow, "pointX", rows[narrow].width)):
        for index, event in enumerate(events[video]):
            if event[column] >= limit:
                plant("VA402" if column == "frameNumber" else "VA403", "events",
                      f"/{video}/{index}")
    rows[gapped].gaps = 1
    plant("VA404", MANIFEST, "")
    return csvio.render(rows.values(), ("video_id", "frame_count", "width", "height",
                                        "first_index", "gaps"))


def unreadable_release() -> BrokenSample:
    """The file-level failures that make a file unusable: VA101, VA102, VA105 (error)."""
    release = metadata.generate(seed=BROKEN_SEED, n_videos=12, n_templates=3)
    texts = {DEFAULT_FILES[role]: metadata.dumps(role, content).encode()
             for role, content in release.file_contents().items()}
    del texts[DEFAULT_FILES["validation"]]
    test_text = texts[DEFAULT_FILES["test"]].decode()
    texts[DEFAULT_FILES["test"]] = test_text.rstrip().rstrip("]").encode()  # unclosed list
    texts[DEFAULT_FILES["templates"]] = texts[DEFAULT_FILES["templates"]].decode().encode(
        "utf-16")
    planted = [Planted("VA101", "validation", ""), Planted("VA102", "test", ""),
               Planted("VA105", "templates", "")]
    return BrokenSample(texts, planted)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
