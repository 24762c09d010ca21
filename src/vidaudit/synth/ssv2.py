"""Synthetic SSv2 annotation folders: the clean and broken samples, and a full-size
train list made from a real rawframes list (for tests and the benchmark; never
committed).

The samples use made-up but well-formed classes: each template has one to three
bracketed slots, its class name is the template without brackets. Files are written
the way SSv2 writes them (one row per line in the lists, ``id;class`` answers).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidaudit.profiles.ssv2 import FILES
from vidaudit.profiles.ssv2.templates import class_name, fill

NAMES = {spec.role: spec.name for spec in FILES}
CLEAN_SEED = 23
BROKEN_SEED = 29
VERBS = ("Lifting", "Dropping", "Pushing", "Turning", "Sliding", "Tilting", "Folding",
         "Spinning", "Poking", "Holding", "Rolling", "Squeezing", "Wiping", "Stacking",
         "Tapping", "Shaking", "Hiding", "Covering", "Pulling", "Opening")
PATTERNS = ("{verb} [something]", "{verb} [something] onto [something]",
            "{verb} [something] behind [something]", "{verb} [number of] [something]",
            "{verb} [something] until it stops", "{verb} [Something] next to [something] "
            "[somewhere]")
OBJECTS = ("a cup", "pen", "the red box", "keys", "a book", "phone", "spoon", "2",
           "a bottle cap", "towel", "the table", "shelf", "a \"smart\" speaker")


@dataclass
class Sample:
    texts: dict[str, bytes]
    """File name -> content."""
    planted: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    """(code, file name, pointer, line) of each planted finding."""


def templates(rng: random.Random, n_classes: int) -> list[str]:
    verbs = rng.sample(VERBS, n_classes)
    return sorted(rng.choice(PATTERNS).format(verb=verb) for verb in verbs)


def row(rng: random.Random, video_id: str, template: str) -> dict[str, Any]:
    slots = template.count("[")
    placeholders = [rng.choice(OBJECTS) for _ in range(slots)]
    return {"id": video_id, "label": fill(template, placeholders).lower(),
            "template": template, "placeholders": placeholders}


@dataclass
class Content:
    labels: dict[str, str]
    splits: dict[str, list[dict[str, Any]]]
    answers: list[tuple[str, str]]


def generate(seed: int, n_classes: int = 20, sizes: tuple[int, int, int] = (50, 20, 15)
             ) -> Content:
    rng = random.Random(seed)
    chosen = templates(rng, n_classes)
    labels = {class_name(t): str(i) for i, t in enumerate(chosen)}
    ids = [str(i) for i in rng.sample(range(1, 220_000), sum(sizes))]
    splits: dict[str, list[dict[str, Any]]] = {}
    answers: list[tuple[str, str]] = []
    start = 0
    for split, size in zip(("train", "validation", "test"), sizes, strict=True):
        part = ids[start:start + size]
        start += size
        if split == "test":
            splits[split] = [{"id": v} for v in part]
            answers = [(v, class_name(rng.choice(chosen))) for v in part]
        else:
            splits[split] = [row(rng, v, rng.choice(chosen)) for v in part]
    return Content(labels, splits, answers)


def dumps_labels(labels: dict[str, Any]) -> str:
    lines = [f" {json.dumps(k)}:{json.dumps(v)}" for k, v in labels.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def dumps_rows(rows: list[Any]) -> str:
    """SSv2's layout: one compact row per line."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def dumps_answers(answers: list[tuple[str, str]]) -> str:
    return "".join(f"{v};{c}\n" for v, c in answers)


def texts(content: Content) -> dict[str, bytes]:
    files = {NAMES["labels"]: dumps_labels(content.labels)}
    for split, rows in content.splits.items():
        files[NAMES[split]] = dumps_rows(rows)
    files[NAMES["answers"]] = dumps_answers(content.answers)
    return {name: text.encode() for name, text in files.items()}


def clean_sample() -> Sample:
    return Sample(texts(generate(CLEAN_SEED)))


def broken_sample() -> Sample:
    """The clean layout with VA201, VA202, VA301, VA302 and every VA70x planted."""
    content = generate(BROKEN_SEED, n_classes=8, sizes=(12, 8, 8))
    labels, splits, answers = content.labels, content.splits, content.answers
    train, validation, test = splits["train"], splits["validation"], splits["test"]
    planted: list[tuple[str, str, str, int | None]] = []

    def plant(code: str, role: str, pointer: str, line: int | None = None) -> None:
        planted.append((code, NAMES[role], pointer, line))

    names = list(labels)
    labels[names[2]] = labels[names[1]]  # VA701: an index twice, so one index unused
    plant("VA701", "labels", "/" + names[2].replace("~", "~0").replace("/", "~1"))
    plant("VA701", "labels", "")
    train[1]["template"] = "Levitating [something]"  # VA702 (the label follows it)
    train[1]["label"] = fill("Levitating [something]", train[1]["placeholders"]).lower()
    plant("VA702", "train", "/1/template")
    train[2]["label"] = "something else entirely"  # VA704
    plant("VA704", "train", "/2/label")
    del train[3]["placeholders"]  # VA201 (required)
    plant("VA201", "train", "/3")
    validation[1]["placeholders"] = [*validation[1]["placeholders"], "one too many"]  # VA703
    plant("VA703", "validation", "/1/placeholders")
    validation[2]["id"] = "0" + validation[2]["id"]  # VA202
    plant("VA202", "validation", "/2/id")
    validation[3]["id"] = train[4]["id"]  # VA301, reported on the later split
    plant("VA301", "validation", "/3/id")
    test[1]["label"] = answers[1][1]  # VA706
    plant("VA706", "test", "/1/label")
    test.append({"id": test[2]["id"]})  # VA302
    plant("VA302", "test", f"/{len(test) - 1}/id")
    missing = answers.pop(3)  # VA705: a test video without an answer
    plant("VA705", "test", "/3/id")
    del missing
    answers.append(("200001", answers[0][1]))  # VA705: not a test video
    answers.append((answers[4][0], answers[4][1]))  # VA705: answered twice
    answers.append((answers[5][0], "Juggling something"))  # VA702 (and answered twice)
    for line in (len(answers) - 2, len(answers) - 1, len(answers)):
        plant("VA705", "answers", "", line)
    plant("VA702", "answers", "", len(answers))
    return Sample(texts(content), planted)


def full_train(rawframes: Path, labels: Path, validation: Path, out: Path) -> int:
    """Write a full-size ``something-something-v2-train.json`` from a rawframes list
    (``id num_frames class_index``): each row gets its class's template, placeholders
    and label from a real validation row of the same class. Returns the row count."""
    classes = {int(index): name for name, index in
               json.loads(labels.read_text(encoding="utf-8")).items()}
    model: dict[str, dict[str, Any]] = {}
    for item in json.loads(validation.read_text(encoding="utf-8")):
        model.setdefault(class_name(item["template"]), item)
    rows = []
    with rawframes.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) != 3:
                continue
            like = model[classes[int(fields[2])]]
            rows.append({"id": fields[0], "label": like["label"], "template": like["template"],
                         "placeholders": like["placeholders"]})
    out.write_text(dumps_rows(rows), encoding="utf-8")
    return len(rows)
