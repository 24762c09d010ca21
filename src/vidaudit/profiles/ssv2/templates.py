"""SSv2 templates: bracketed slots, the class name, and the label they spell.

A template such as ``Putting [something] on [something]`` has two slots; its class
name is the template with the brackets removed, and a row's label is the template
with each slot replaced, in order, by that row's placeholder. Everything here is
cached per template: a split has ~170 distinct templates and ~170,000 rows.
"""

from __future__ import annotations

import functools
import re
from typing import Any

SLOT = re.compile(r"\[([^\[\]]*)\]")


@functools.cache
def parts(template: str) -> tuple[str, ...]:
    """The literal text around the slots: one more part than there are slots."""
    return tuple(SLOT.split(template)[0::2])


def slot_count(template: str) -> int:
    return len(parts(template)) - 1


@functools.cache
def class_name(template: str) -> str:
    """The class name a template belongs to: the template without its brackets."""
    return template.replace("[", "").replace("]", "")


def normalised(text: str) -> str:
    """Case-folded, runs of whitespace as one space, no leading/trailing space."""
    return " ".join(text.split()).casefold()


def fill(template: str, placeholders: list[str]) -> str:
    """The template with its slots replaced by ``placeholders`` (as many as slots)."""
    literal = parts(template)
    pieces = [literal[0]]
    for placeholder, after in zip(placeholders, literal[1:], strict=True):
        pieces.append(placeholder)
        pieces.append(after)
    return "".join(pieces)


def same_text(filled: str, label: str) -> bool:
    """Whether ``label`` is the filled template, ignoring case and whitespace runs."""
    return filled == label or filled.casefold() == label.casefold() \
        or normalised(filled) == normalised(label)


def is_text_list(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value)
