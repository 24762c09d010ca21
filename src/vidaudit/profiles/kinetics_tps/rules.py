"""The ``kinetics-tps`` profile's rules (VA411, VA503) and how it checks the shared
ones.

Every finding of this profile comes from one table, ``problems``, filled while the
layout and the per-frame files are read (:mod:`.tables`, :mod:`.walk`) and when
frames are attached (:mod:`.media`): one row per problem, with its code. Each rule
is bound to that table by its code, so selection, severities, baselines and the
reporters treat them like any other table rule.
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import check, rule

NAME = "kinetics-tps"

rule(
    "VA411", "unknown-vocabulary", Severity.ERROR,
    "a part name, part state, object class or class folder not in its list",
    """
    Kinetics-TPS closes its vocabularies: the body parts (`list/body_part.txt`), the
    part states (`list/part_stat.txt`), the objects (`list/object.txt`) and the 24
    action classes (the class folders). A name outside its list is a typo or a
    renamed entry; evaluation maps it to no class and scores it as wrong. The state
    `others` and the object `none` are in the lists for what lies outside them.
    The message names the list.
    """,
    "Correct the name to an entry of its list (spelling, case, `_` and spaces matter), "
    "or add it to the list.", profile=NAME)

rule(
    "VA503", "part-outside-person", Severity.WARNING,
    "a body part's box lies mostly outside its person's box",
    """
    A part (an arm, a foot) belongs to the person whose box encloses it. A part box
    with more than half of its area outside that box was drawn for another person,
    or on another frame, or with swapped coordinates. Parts reaching a little past
    the person's box (a raised hand) are common and not reported.
    """,
    "Check the part against the frame; move it to its person or correct the box.",
    profile=NAME)

CODES = ("VA102", "VA104", "VA105", "VA106", "VA107", "VA201", "VA301", "VA302", "VA401",
         "VA402", "VA406", "VA408", "VA409", "VA411", "VA503")
"""The codes the ``problems`` table carries."""

for _code in CODES:
    check(_code, profile=NAME, tables="problems",
          predicate=lambda t, c, code=_code: t["code"] != code,
          message="{message}")
