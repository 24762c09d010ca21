"""A clean release of a given size, written as a stream: for memory and size-limit tests.

:func:`vidaudit.synth.metadata.generate` draws ids below 220,000 and builds the
whole release in memory; a 200 MB events file needs over a million videos, so this
writes them directly, in the published layout (events on one line), with values
from arithmetic rather than a random generator. Every event is valid and every video
is in one split and one template, so a check of it reports nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES

AGENTS = ("hand-object", "object-surface", "object-object")
_EVENT = '{{"action":"{action}","agent":"{agent}","frameNumber":{frame},"pointX":{x},' \
         '"pointY":{y}}}'


def _events(number: int) -> str:
    first = _EVENT.format(action="contact", agent=AGENTS[number % 3], frame=number % 17,
                          x=number % 320, y=number % 240)
    second = _EVENT.format(action="release", agent=AGENTS[number % 3], frame=17 + number % 23,
                           x=(number * 7) % 320, y=(number * 3) % 240)
    return f'"{number}":[{first},{second}]'


def videos_for(target_bytes: int) -> int:
    """How many videos make an events file of about ``target_bytes``."""
    return max(1, target_bytes // len(_events(1_000_000) + ","))


def write(folder: Path, n_videos: int, chunk: int = 20_000) -> None:
    """The five files for videos ``1 .. n_videos`` (80/10/10 splits, all 174 templates)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / DEFAULT_FILES["events"]).open("w", encoding="utf-8") as events:
        events.write("{")
        for start in range(1, n_videos + 1, chunk):
            stop = min(start + chunk, n_videos + 1)
            events.write(("," if start > 1 else "") + ",".join(map(_events, range(start, stop))))
        events.write("}")
    splits: dict[str, list[str]] = {"train": [], "validation": [], "test": []}
    classes = ssv2_classes()
    templates: dict[str, list[str]] = {name: [] for name in classes}
    for number in range(1, n_videos + 1):
        video = str(number)
        splits["train" if number % 10 < 8 else "validation" if number % 10 == 8
               else "test"].append(video)
        templates[classes[number % len(classes)]].append(video)
    for split, ids in splits.items():
        (folder / DEFAULT_FILES[split]).write_text(json.dumps(ids, indent=1) + "\n")
    used = {name: ids for name, ids in templates.items() if ids}
    (folder / DEFAULT_FILES["templates"]).write_text(json.dumps(used, indent=1) + "\n")
