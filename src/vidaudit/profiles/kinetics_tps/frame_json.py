"""Checking one Kinetics-TPS per-frame annotation (``img_%05d.json``) once parsed.

``{"humans": [{"number", "box": [x1, y1, x2, y2], "parts": ...}]}``. ``parts`` is
accepted in both published shapes: an object keyed by part name (the evaluation
toolkit's reading) or a list of objects carrying their ``name`` (another published
loader's). Each part has a ``box``, a state (``verb``) and optionally an object class
(``obj_class``) and object box (``obj_bbox``).

Problems are ``(code, pointer, message)``; the caller locates them. The common case
(well-formed boxes, known names) costs a few type checks per part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from vidaudit.rules.boxes import TOLERANCE, parse_box
from vidaudit.values import json_type, show

Problem = tuple[str, str, str]
PART_INSIDE_MIN = 0.5
"""VA503: a part box with less than this share of its area inside its person's box."""


@dataclass(frozen=True)
class Vocabulary:
    """The closed lists; None for a list that could not be read (not checked)."""

    parts: frozenset[str] | None
    states: frozenset[str] | None
    objects: frozenset[str] | None
    files: tuple[str, str, str]
    """The lists' file names, for messages (body parts, part states, objects)."""


@dataclass
class FrameStats:
    """What one video's frames hold, summed over its files."""

    humans: int = 0
    parts: int = 0
    boxes: int = 0
    shapes: dict[str, int] = field(default_factory=dict)
    """``parts`` shapes seen: "object" or "list" -> files."""
    max_x2: float = 0.0
    max_y2: float = 0.0


def _box(value: Any) -> tuple[float, float, float, float] | None:
    """The fast path of :func:`parse_box` for the common ``[x1, y1, x2, y2]``."""
    if type(value) is list and len(value) == 4:
        x1, y1, x2, y2 = value
        if type(x1) in (int, float) and type(y1) in (int, float) and \
                type(x2) in (int, float) and type(y2) in (int, float) and \
                -TOLERANCE <= x1 < x2 < math.inf and -TOLERANCE <= y1 < y2 < math.inf:
            return x1, y1, x2, y2
    return None


class FrameChecker:
    """Checks frames one after another, summing into ``stats``."""

    def __init__(self, vocabulary: Vocabulary, size: tuple[int, int] | None = None) -> None:
        self.vocabulary = vocabulary
        self.size = size
        self.stats = FrameStats()

    def check(self, data: Any) -> list[Problem]:
        problems: list[Problem] = []
        if type(data) is not dict or type(data.get("humans")) is not list:
            what = "has no humans list" if type(data) is dict else \
                f"is {json_type(data)}, not an object with a humans list"
            problems.append(("VA201", "", f"the frame's annotation {what}"))
            return problems
        for i, human in enumerate(data["humans"]):
            self._human(human, f"/humans/{i}", problems)
        return problems

    def _human(self, human: Any, at: str, problems: list[Problem]) -> None:
        self.stats.humans += 1
        if type(human) is not dict:
            problems.append(("VA201", at, f"a human is {json_type(human)}, not an object"))
            return
        person = self._checked_box(human.get("box"), f"{at}/box", None, problems, "box")
        parts = human.get("parts")
        shapes = self.stats.shapes
        if type(parts) is dict:
            shapes["object"] = shapes.get("object", 0) + 1
            for name, part in parts.items():
                self._part(name, part, f"{at}/parts/{_escape(name)}", person, problems,
                           keyed=True)
        elif type(parts) is list:
            shapes["list"] = shapes.get("list", 0) + 1
            for j, part in enumerate(parts):
                name = part.get("name") if type(part) is dict else None
                self._part(name, part, f"{at}/parts/{j}", person, problems, keyed=False)
        elif parts is not None:
            problems.append(("VA201", f"{at}/parts", f"parts is {json_type(parts)}, not an "
                             "object keyed by part name or a list of parts"))

    def _part(self, name: Any, part: Any, at: str,
              person: tuple[float, float, float, float] | None, problems: list[Problem],
              keyed: bool) -> None:
        self.stats.parts += 1
        vocabulary = self.vocabulary
        if type(part) is not dict:
            problems.append(("VA201", at, f"part {show(name, 40)} is {json_type(part)}, "
                             "not an object"))
            return
        if type(name) is not str:
            problems.append(("VA201", at if keyed else f"{at}/name",
                             f"a part's name is {json_type(name)}, not a string"))
        elif vocabulary.parts is not None and name not in vocabulary.parts:
            problems.append(("VA411", at if keyed else f"{at}/name",
                             f"part name {show(name, 60)} is not in {vocabulary.files[0]}"))
        label = _Label(name)
        box = self._checked_box(part.get("box"), f"{at}/box", label, problems, "box")
        verb = part.get("verb")
        if type(verb) is not str:
            problems.append(("VA201", f"{at}/verb", f"the {label}'s state (verb) is "
                             f"{json_type(verb)}, not a string"))
        elif vocabulary.states is not None and verb not in vocabulary.states:
            problems.append(("VA411", f"{at}/verb", f"the {label}'s state {show(verb, 60)} "
                             f"is not in {vocabulary.files[1]}"))
        if "obj_class" in part and part["obj_class"] is not None:
            obj = part["obj_class"]
            if type(obj) is not str:
                problems.append(("VA201", f"{at}/obj_class", f"the {label}'s object class is "
                                 f"{json_type(obj)}, not a string"))
            elif vocabulary.objects is not None and obj not in vocabulary.objects:
                problems.append(("VA411", f"{at}/obj_class", f"the {label}'s object class "
                                 f"{show(obj, 60)} is not in {vocabulary.files[2]}"))
        obj_box = part.get("obj_bbox")
        if obj_box is not None and obj_box != []:
            self._checked_box(obj_box, f"{at}/obj_bbox", label, problems, "object box")
        if box is not None and person is not None and not (
                box[0] >= person[0] and box[1] >= person[1] and box[2] <= person[2]
                and box[3] <= person[3]):  # the common case: inside
            outside = _outside_share(box, person)
            if outside > 1 - PART_INSIDE_MIN:
                problems.append(("VA503", f"{at}/box", f"the {label}'s box lies "
                                 f"{outside:.0%} outside its person's box"))

    def _checked_box(self, value: Any, at: str, owner: _Label | None,
                     problems: list[Problem], kind: str
                     ) -> tuple[float, float, float, float] | None:
        """``owner``: the part the box belongs to (None: the person); ``kind``: "box" or
        "object box". Names are only made into text for a message."""
        box = _box(value)
        if box is None:
            box, problem = parse_box(value)
            if box is None:
                problems.append(("VA409", at, f"{_what(owner, kind)} {problem}"))
                return None
        stats = self.stats
        stats.boxes += 1
        x2, y2 = box[2], box[3]
        if x2 > stats.max_x2:
            stats.max_x2 = x2
        if y2 > stats.max_y2:
            stats.max_y2 = y2
        size = self.size
        if size is not None and (x2 > size[0] + TOLERANCE or y2 > size[1] + TOLERANCE):
            parts = []
            if x2 > size[0] + TOLERANCE:
                parts.append(f"x2 = {show(value[2] if type(value) is list else x2)} is "
                             f"{x2 - size[0]:.4g} px beyond the {size[0]}-px width")
            if y2 > size[1] + TOLERANCE:
                parts.append(f"y2 = {show(value[3] if type(value) is list else y2)} is "
                             f"{y2 - size[1]:.4g} px beyond the {size[1]}-px height")
            problems.append(("VA408", at, f"{_what(owner, kind)} leaves its frame: "
                             f"{'; '.join(parts)}"))
        return box


class _Label:
    """A part's name, shown in a message only when there is one to write."""

    __slots__ = ("name",)

    def __init__(self, name: Any) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"part {show(self.name, 40)}"


def _what(owner: _Label | None, kind: str) -> str:
    return f"the person's {kind}" if owner is None else f"the {owner}'s {kind}"


def _outside_share(box: tuple[float, float, float, float],
                   person: tuple[float, float, float, float]) -> float:
    """The share of ``box``'s area outside ``person``."""
    width = min(box[2], person[2]) - max(box[0], person[0])
    height = min(box[3], person[3]) - max(box[1], person[1])
    inside = max(width, 0.0) * max(height, 0.0)
    area = (box[2] - box[0]) * (box[3] - box[1])
    return 1.0 - inside / area if area > 0 else 0.0


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
