"""Hostile versions of a valid dataset, as hypothesis strategies.

A dataset starts as the five files of a small clean synthetic release
(:func:`vidaudit.synth.metadata.generate`) plus its frame manifest. Each file is
held as a tree in which objects are lists of (key, value) pairs, so that a
mutation can repeat a key, and in which :class:`Raw` holds number tokens that
Python cannot round-trip (``NaN``, ``1e999``, a 5,000-digit integer, ``-0``).

Structure-level mutations edit the trees (wrong types, missing and extra keys,
deleted and duplicated entries, hostile numbers and strings, deep nesting, empty
containers, ids in several places); byte-level mutations edit the serialised
bytes (truncation, random bytes, byte-order marks, invalid UTF-8, NaN/Infinity,
an empty file, other line endings).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import metadata

MANIFEST = "frame_manifest.csv"
ROLES = tuple(DEFAULT_FILES)
PROBE = "<i id=vidaudit-probe>"
"""Markup that must never appear unescaped in an HTML report."""


@dataclass(frozen=True)
class Raw:
    """A JSON token written as is (no Python value round-trips to it)."""

    token: str


class Obj(list[tuple[str, Any]]):
    """A JSON object as its members in order; keys may repeat."""


# -- trees ---------------------------------------------------------------------------

def to_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return Obj((k, to_tree(v)) for k, v in value.items())
    if isinstance(value, list):
        return [to_tree(v) for v in value]
    return value


@dataclass(frozen=True)
class Style:
    """How a tree is written: layout, escaping, line endings."""

    indent: int | str | None = None
    compact: bool = True
    ascii_only: bool = False
    newline: str = "\n"


def dumps(tree: Any, style: Style = Style()) -> str:
    parts: list[str] = []
    _write(tree, style, 0, parts)
    text = "".join(parts)
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return text


def _scalar(value: Any, style: Style) -> str:
    if isinstance(value, Raw):
        return value.token
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    return json.dumps(value, ensure_ascii=style.ascii_only)


def _write(node: Any, style: Style, depth: int, out: list[str]) -> None:
    # An explicit stack: the trees may be nested thousands of levels deep.
    stack: list[tuple[str, Any, int]] = [("node", node, depth)]
    while stack:
        kind, item, level = stack.pop()
        if kind == "text":
            out.append(item)
            continue
        if not isinstance(item, list):
            out.append(_scalar(item, style))
            continue
        is_object = isinstance(item, Obj)
        opener, closer = ("{", "}") if is_object else ("[", "]")
        if not item:
            out.append(opener + closer)
            continue
        if style.indent is None:
            inner = outer = ""
            comma = "," if style.compact else ", "
        else:
            unit = style.indent if isinstance(style.indent, str) else " " * style.indent
            inner, outer = "\n" + unit * (level + 1), "\n" + unit * level
            comma = ","
        colon = ":" if style.compact else ": "
        pending: list[tuple[str, Any, int]] = [("text", opener + inner, level)]
        for index, member in enumerate(item):
            if index:
                pending.append(("text", comma + inner, level))
            if is_object:
                key, value = member
                pending.append(("text", json.dumps(key, ensure_ascii=style.ascii_only) + colon,
                                level))
                pending.append(("node", value, level + 1))
            else:
                pending.append(("node", member, level + 1))
        pending.append(("text", outer + closer, level))
        stack.extend(reversed(pending))


def paths(tree: Any) -> list[tuple[Any, ...]]:
    """Every position in the tree: a tuple of member indices from the root."""
    found: list[tuple[Any, ...]] = [()]
    stack: list[tuple[tuple[Any, ...], Any]] = [((), tree)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, list) and len(found) < 5000:
            for index, member in enumerate(node):
                child = member[1] if isinstance(node, Obj) else member
                found.append((*path, index))
                stack.append(((*path, index), child))
    return found


def get(tree: Any, path: tuple[int, ...]) -> Any:
    node = tree
    for index in path:
        node = node[index][1] if isinstance(node, Obj) else node[index]
    return node


def put(tree: Any, path: tuple[int, ...], value: Any) -> Any:
    """The tree with the node at ``path`` replaced (in place; returns the root)."""
    if not path:
        return value
    parent = get(tree, path[:-1])
    index = path[-1]
    if isinstance(parent, Obj):
        parent[index] = (parent[index][0], value)
    else:
        parent[index] = value
    return tree


# -- hostile values --------------------------------------------------------------------

HUGE_DIGITS = "9" * 5000
"""More digits than Python converts to int by default (4,300)."""
ID_LIKE = [
    "0", "00", "007", "-1", "+1", "1.0", "1e3", " 12", "12 ", "12\n", "\u0661\u0662",
    "\u00b2", "\uff11", "1_000", "0x1f", "../../etc", "/abs/path", "1/../2", "..", ".",
    "~0~1", "a/b~c", "", "\x00", "\ud800", "\u202e12", "1" * 300, "9" * 5000,
    PROBE, "<script>alert(1)</script>", "&amp;", "\"", "\\", "\r\n::error::injected",
]
HOSTILE_TEXT = [
    "contact", "release", "hand-object", "Contact", "contact ", "\u0000", "\x1b[31mred",
    "\ud83d", "\udfff", "\U0001f600", "\u2028", "\u00e9", "e\u0301", "{{ 7*7 }}",
    "%0A::warning::x", "${HOME}", "a" * 20_000, PROBE, "</script><script>alert(1)</script>",
    "Putting [something] on [something]", "Putting something on a surface",
]
RAW_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1E+400", "1e-400", "-0",
               "-0.0", "10.0", "1.5", "0.0", "2e1", "1" + "0" * 30, HUGE_DIGITS,
               "-" + HUGE_DIGITS, "0." + HUGE_DIGITS]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT + ID_LIKE),
        st.text(max_size=12),
        st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]),
                min_size=1, max_size=3),
        st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co", "Mn"]), max_size=6),
        st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=4),
        st.text(st.sampled_from("0123456789"), min_size=1, max_size=400),
    )


def _numbers() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(),
        st.sampled_from([-1, 0, 2**31, 2**63, 2**64, -(2**63) - 1, 10**300, -(10**30)]),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([10.0, 0.5, -0.0, 1e308, 5e-324]),
        st.sampled_from(RAW_NUMBERS).map(Raw),
    )


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), _numbers(), _text())


def deep(depth: int, leaf: Any = 1, objects: bool = False) -> Any:
    node = leaf
    for _ in range(depth):
        node = Obj([("a", node)]) if objects else [node]
    return node


def values() -> st.SearchStrategy[Any]:
    """Any JSON value a hostile file might hold where the format expects something else."""
    nested = st.recursive(
        _scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.lists(st.tuples(_text(), children), max_size=4).map(Obj),
        ),
        max_leaves=12,
    )
    return st.one_of(
        nested,
        st.just([]), st.just(Obj()),
        st.builds(deep, st.integers(1, 3000), st.none(), st.booleans()),
    )


# -- mutations ----------------------------------------------------------------------------

@dataclass(repr=False)
class Dataset:
    """The files of one case: trees (JSON), rows (the manifest), or bytes once broken."""

    trees: dict[str, Any]
    styles: dict[str, Style]
    manifest: list[list[str]]
    raw: dict[str, bytes] = field(default_factory=dict)
    """Files whose bytes were mutated directly (role -> bytes); these win."""
    log: list[str] = field(default_factory=list)
    clean: dict[str, bytes] = field(default_factory=dict)
    """The files before any mutation (file name -> bytes)."""

    def __repr__(self) -> str:
        # Short: the trees can be thousands of levels deep (no printer recurses that far).
        return f"Dataset(<{'; '.join(self.log)}>)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def files(self) -> dict[str, bytes]:
        result = {}
        for role, tree in self.trees.items():
            result[DEFAULT_FILES[role]] = dumps(tree, self.styles[role]).encode(
                "utf-8", "surrogatepass")
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(self.manifest)
        result[MANIFEST] = buffer.getvalue().encode("utf-8", "surrogatepass")
        for role, data in self.raw.items():
            result[DEFAULT_FILES.get(role, role)] = data
        return result


Mutation = Callable[[st.DrawFn, Dataset], None]


def _pick_path(draw: st.DrawFn, tree: Any) -> tuple[int, ...]:
    return draw(st.sampled_from(paths(tree)))


def replace_value(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    path = _pick_path(draw, data.trees[role])
    data.trees[role] = put(data.trees[role], path, draw(values()))
    data.log.append(f"replace {role}{list(path)}")


def delete_member(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    path = _pick_path(draw, data.trees[role])
    if not path:
        data.trees[role] = draw(st.sampled_from([[], Obj(), None, ""]))
    else:
        del get(data.trees[role], path[:-1])[path[-1]]
    data.log.append(f"delete {role}{list(path)}")


def duplicate_member(draw: st.DrawFn, data: Dataset) -> None:
    """Repeat a member: an id or event twice in a list, a key twice in an object."""
    role = draw(st.sampled_from(ROLES))
    path = _pick_path(draw, data.trees[role])
    if not path:
        return
    parent = get(data.trees[role], path[:-1])
    member = parent[path[-1]]
    parent.insert(draw(st.integers(0, len(parent))), member)
    data.log.append(f"duplicate {role}{list(path)}")


def add_member(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    tree = data.trees[role]
    containers = [p for p in paths(tree) if isinstance(get(tree, p), list)]
    if not containers:
        return
    path = draw(st.sampled_from(containers))
    node = get(tree, path)
    item = (draw(_text()), draw(values())) if isinstance(node, Obj) else draw(values())
    node.insert(draw(st.integers(0, len(node))), item)
    data.log.append(f"add to {role}{list(path)}")


def rename_key(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    tree = data.trees[role]
    keyed = [p for p in paths(tree) if p and isinstance(get(tree, p[:-1]), Obj)]
    if not keyed:
        return
    path = draw(st.sampled_from(keyed))
    parent = get(tree, path[:-1])
    key = draw(st.one_of(_text(), st.sampled_from([k for k, _ in parent])))
    parent[path[-1]] = (key, parent[path[-1]][1])
    data.log.append(f"rename {role}{list(path)} -> {key!r:.40}")


def spread_id(draw: st.DrawFn, data: Dataset) -> None:
    """Put a video id (or an id-like string) into another list: several splits, templates."""
    events = data.trees["events"]
    known = [k for k, _ in events] if isinstance(events, Obj) else []
    video_id = draw(st.one_of(st.sampled_from(known), st.sampled_from(ID_LIKE))
                    if known else st.sampled_from(ID_LIKE))
    role = draw(st.sampled_from(ROLES))
    tree = data.trees[role]
    lists = [p for p in paths(tree) if isinstance(get(tree, p), list)
             and not isinstance(get(tree, p), Obj)]
    if role == "events" and isinstance(tree, Obj):
        tree.insert(draw(st.integers(0, len(tree))), (video_id, draw(st.sampled_from(
            [get(tree, (0,)) if tree else [], [], [Obj()]]))))
    elif lists:
        target = get(tree, draw(st.sampled_from(lists)))
        target.insert(draw(st.integers(0, len(target))), video_id)
    data.log.append(f"spread {video_id!r:.40} into {role}")


def nest_deeply(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    path = _pick_path(draw, data.trees[role])
    depth = draw(st.integers(1, 5000))
    data.trees[role] = put(data.trees[role], path,
                           deep(depth, get(data.trees[role], path), draw(st.booleans())))
    data.log.append(f"nest {role}{list(path)} {depth} deep")


def restyle(draw: st.DrawFn, data: Dataset) -> None:
    role = draw(st.sampled_from(ROLES))
    data.styles[role] = draw(styles())
    data.log.append(f"restyle {role}")


def mutate_manifest(draw: st.DrawFn, data: Dataset) -> None:
    rows = data.manifest
    if len(rows) < 2:
        rows.append(["video_id", "frame_count", "width", "height"])
        return
    row = draw(st.integers(0, len(rows) - 1))
    action = draw(st.sampled_from(["cell", "delete", "duplicate", "extra", "short"]))
    if action == "cell" and rows[row]:
        column = draw(st.integers(0, len(rows[row]) - 1))
        rows[row][column] = draw(st.one_of(
            _text(), st.integers().map(str), st.sampled_from(RAW_NUMBERS + ID_LIKE)))
    elif action == "delete":
        del rows[row]
    elif action == "duplicate":
        rows.insert(draw(st.integers(0, len(rows))), list(rows[row]))
    elif action == "extra":
        rows[row].append(draw(_text()))
    elif rows[row]:
        rows[row].pop()
    data.log.append(f"manifest {action} row {row}")


STRUCTURE: list[Mutation] = [replace_value, delete_member, duplicate_member, add_member,
                             rename_key, spread_id, nest_deeply, restyle, mutate_manifest]

INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf",
                b"\xf4\x90\x80\x80", b"\x80"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def byte_edit(draw: st.DrawFn, data: Dataset) -> None:
    names = [*ROLES, MANIFEST]
    role = draw(st.sampled_from(names))
    current = data.raw.get(role)
    if current is None:
        current = data.files()[DEFAULT_FILES.get(role, role)]
    position = draw(st.integers(0, len(current)))
    action = draw(st.sampled_from(["truncate", "insert", "overwrite", "cut", "bom", "utf16",
                                   "invalid-utf8", "non-finite", "empty", "whitespace",
                                   "newlines", "nul"]))
    if action == "truncate":
        current = current[:position]
    elif action == "insert":
        current = current[:position] + draw(st.binary(min_size=1, max_size=8)) \
            + current[position:]
    elif action == "overwrite" and current:
        at = min(position, len(current) - 1)
        current = current[:at] + bytes([draw(st.integers(0, 255))]) + current[at + 1:]
    elif action == "cut":
        end = draw(st.integers(position, len(current)))
        current = current[:position] + current[end:]
    elif action == "bom":
        current = draw(st.sampled_from(BOMS)) + current
    elif action == "utf16":
        text = current.decode("utf-8", "replace")
        current = text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32"])),
                              "surrogatepass")
    elif action == "invalid-utf8":
        current = current[:position] + draw(st.sampled_from(INVALID_UTF8)) + current[position:]
    elif action == "non-finite":
        numbers = list(_NUMBER.finditer(current))
        if numbers:
            match = draw(st.sampled_from(numbers))
            token = draw(st.sampled_from([b"NaN", b"Infinity", b"-Infinity", b"1e999",
                                          HUGE_DIGITS.encode()]))
            current = current[:match.start()] + token + current[match.end():]
    elif action == "empty":
        current = b""
    elif action == "whitespace":
        current = draw(st.sampled_from([b" ", b"\n\n", b"\t \r\n"]))
    elif action == "newlines":
        current = current.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"])))
    elif action == "nul":
        current = current[:position] + b"\x00" + current[position:]
    data.raw[role] = current
    data.log.append(f"bytes {action} {role} at {position}")


def styles() -> st.SearchStrategy[Style]:
    return st.builds(Style, indent=st.sampled_from([None, None, 1, 2, "\t"]),
                     compact=st.booleans(), ascii_only=st.booleans(),
                     newline=st.sampled_from(["\n", "\n", "\r\n", "\r"]))


@st.composite
def clean_datasets(draw: st.DrawFn, release: metadata.Release | None = None) -> Dataset:
    """A small clean release (``release``, or one drawn from a seed) and its manifest."""
    if release is None:
        release = metadata.generate(seed=draw(st.integers(0, 10_000)),
                                    n_videos=draw(st.integers(3, 6)),  # fills every split
                                    n_templates=draw(st.integers(1, 3)), min_frames=2,
                                    max_frames=40)
    trees = {role: to_tree(content) for role, content in release.file_contents().items()}
    rows = [["video_id", "frame_count", "width", "height"]]
    rows += [[r["video_id"], str(r["frame_count"]), str(r["width"]), str(r["height"])]
             for r in metadata.manifest_rows(release)]
    styles = {role: Style(indent=None if role == "events" else 2) for role in ROLES}
    data = Dataset(trees, styles, rows)
    data.clean = data.files()
    return data


@st.composite
def structure_cases(draw: st.DrawFn, release: metadata.Release | None = None) -> Dataset:
    data = draw(clean_datasets(release))
    for mutation in draw(st.lists(st.sampled_from(STRUCTURE), min_size=1, max_size=4)):
        mutation(draw, data)
    return data


@st.composite
def byte_cases(draw: st.DrawFn, release: metadata.Release | None = None) -> Dataset:
    data = draw(clean_datasets(release))
    if draw(st.booleans()):
        draw(st.sampled_from(STRUCTURE))(draw, data)
    for _ in range(draw(st.integers(1, 3))):
        byte_edit(draw, data)
    return data


def any_cases(release: metadata.Release | None = None) -> st.SearchStrategy[Dataset]:
    return st.one_of(structure_cases(release), byte_cases(release))
