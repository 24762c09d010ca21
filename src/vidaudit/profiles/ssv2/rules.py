"""The ``ssv2`` profile's rules (VA701-VA706, "SSv2 annotations") and how it checks the
shared ones (VA202, VA301, VA302, VA401) on its tables.

The predicates read columns :mod:`vidaudit.profiles.ssv2.tables` computes when it
builds the tables (``class_known``, ``slots_ok``, ``label_ok``, ``answer_ok``, ...).
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.frames import frames_present
from vidaudit.rules.registry import check, table_rule

NAME = "ssv2"
ERROR = Severity.ERROR


table_rule(
    "VA701", "labels-malformed", ERROR,
    "labels.json is not an object of class name -> index string, \"0\" to \"N-1\" once each",
    """
    `something-something-v2-labels.json` maps each of SSv2's 174 class names (the
    templates with their brackets removed) to its class index, written as a string:
    `{"Approaching something with your camera": "0", ...}`. Models are trained and
    evaluated on those indices, so an index used twice or skipped, a number instead
    of a string, or a repeated name shifts or merges classes silently. A file mapping
    index to name (`{"0": "Approaching ..."}`) circulates too; code that reads the
    real one looks every class up by name and fails on it.

    When labels.json is not an object of class names at all (another type, empty, or
    the index -> name shape), the rules that need the class list (VA702) are not
    checked, with a note, rather than reported on every row.
    """,
    "Use SSv2's own labels.json; if you changed the class list, give every class one "
    "index, \"0\" to \"N-1\", as a string.",
    tables="label_problems",
    predicate=lambda t, c: t["ok"],
    message="{problem}",
    profile=NAME)

table_rule(
    "VA702", "unknown-class", ERROR,
    "a row's template (brackets removed) or a test answer is not a labels.json class",
    """
    A row's class is its template with the brackets removed, and a test answer names
    its class; both must be a name of labels.json, or the row gets no class index
    (a KeyError in most loaders, or a silently dropped video).
    """,
    "Correct the template or the answer to the exact class name (spelling, case and "
    "spaces matter), or add the class to labels.json.",
    tables=("rows", "answers"),
    predicate=lambda t, c: t["class_known"],
    message="{class_what} {class_shown} is not a class of {labels_file}{class_hint}",
    pointer_column="class_pointer",
    requires=("labels",),
    profile=NAME)

table_rule(
    "VA703", "placeholder-count", ERROR,
    "a template's bracketed slots and the row's placeholders differ in number",
    """
    Each bracketed slot of the template (`[something]`, `[number of]`, ...) is filled
    by one placeholder, in order. With more or fewer placeholders than slots, the
    objects of the video cannot be matched to their roles.
    """,
    "Give the row one placeholder per slot of its template, in order.",
    tables="rows",
    predicate=lambda t, c: t["slots_ok"],
    message="template {template_shown} has {n_slots} slot(s) but the row has "
            "{n_placeholders} placeholder(s)",
    pointer_column="placeholders_pointer",
    profile=NAME)

table_rule(
    "VA704", "label-text-mismatch", ERROR,
    "the label is not the template with its slots filled by the placeholders",
    """
    SSv2's label is its template with each slot replaced, in order, by the row's
    placeholder (compared here ignoring case and runs of whitespace). A label that
    says something else means the placeholders, the template or the label were
    edited without the others.
    """,
    "Regenerate the label from the template and placeholders, or correct whichever "
    "of the three is wrong.",
    tables="rows",
    predicate=lambda t, c: t["label_ok"],
    message="label {label_shown} is not the template filled with the placeholders "
            "({expected_label})",
    pointer_column="label_pointer",
    profile=NAME)

table_rule(
    "VA705", "test-answers-mismatch", ERROR,
    "a test video without an answer, an answer for a video not in test, or two answers",
    """
    The test answers give one class per test video. A test video without an answer
    cannot be scored; an answer for another video, or a second answer for one, makes
    the score depend on which line a scorer reads.
    """,
    "Give each test video exactly one line `id;class name`, and no other video.",
    tables=("rows", "answers"),
    predicate=lambda t, c: t["answer_ok"],
    message="{answer_detail}",
    pointer_column="answer_pointer",
    requires=("test", "answers"),
    profile=NAME)

table_rule(
    "VA706", "test-label-leak", ERROR,
    "a test row carries a key other than id",
    """
    SSv2's test list gives only `{"id": ...}` per video; its classes are withheld in a
    separate answers file. A label, template or placeholders in a test row leaks the
    answer to every model trained or evaluated on the list.
    """,
    "Remove every key but `id` from the test rows (keep the answers apart).",
    tables="rows",
    predicate=lambda t, c: t["leak_ok"],
    message="test video {video_id} carries the key {leak_key}",
    pointer_column="leak_pointer",
    profile=NAME)


# --- shared rules on this profile's tables ---------------------------------------------

check(
    "VA202", profile=NAME,
    tables=("rows", "answers"),
    predicate=lambda t, c: t["id_ok"],
    message="video id {id_shown} is not a string of decimal digits without leading zeros",
    pointer_column="id_pointer")

check(
    "VA301", profile=NAME,
    tables="rows",
    predicate=lambda t, c: ~t["has_key"] | (t["split"] == t["first_split"]),
    message="video {video_id} is in several splits ({splits})",
    pointer_column="id_pointer")

check(
    "VA302", profile=NAME,
    tables="rows",
    predicate=lambda t, c: t["occurrence"] <= 1,
    message="video {video_id} is listed {n_occurrences} times in the {split} split",
    pointer_column="id_pointer")

check(
    "VA401", profile=NAME,
    tables="rows", predicate=frames_present("frames_wanted"),
    message="video {video_id} of the {split} split has no frames: {missing_detail}",
    pointer_column="id_pointer")
