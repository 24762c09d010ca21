"""The Expectation Suites, generated from the rule catalogue and the vocabularies.

Each expectation carries the code of the rule it restates in ``meta.rule``; the
vocabularies (actions, agents, SSv2's class names) come from the configuration
and the profile, exactly as the rules use them. The suites are plain data here
(GX's JSON form, without ids), so they can be exported for code review
(``python -m vidaudit.audit.gx.suite``, which writes ``checks/gx/``) and compared
with the committed export without importing Great Expectations.

Not restated, because GX checks tables and these are about files or need more
than one row: VA1xx (reading files), VA201 (the JSON Schemas), VA502
(contradictory events), VA404-VA406 (frames on disk) and VA6xx (the diff).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidaudit.audit.gx.frames import NUMBERS, TABLES
from vidaudit.config import Config
from vidaudit.profiles.ssv2_contact_release import NAME, ssv2_classes
from vidaudit.rules.registry import RULES

PREFIX = NAME.replace("-", "_")
VIDEO_ID_JSON = r'^"(0|[1-9][0-9]*)"$'
"""A video id's JSON text: a string of ASCII digits without leading zeros."""
WHOLE = ["integer", "integral float"]
VIDEOS_WITH_EVENTS = {"type": "comparison", "column": {"name": "n_events"}, "operator": ">",
                      "parameter": 0}
"""``Column("n_events") > 0``, GX's row condition, in its JSON form."""
SEVERITIES = {"error": "critical", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class Expectation:
    table: str
    type: str
    kwargs: dict[str, Any]
    rule: str

    def document(self) -> dict[str, Any]:
        rule = RULES[self.rule]
        return {"type": self.type, "kwargs": self.kwargs,
                "severity": SEVERITIES[rule.severity.label],
                "meta": {"rule": self.rule, "name": rule.name, "severity": rule.severity.label,
                         "summary": rule.summary}}


def _e(table: str, kind: str, rule: str, **kwargs: Any) -> Expectation:
    return Expectation(table, f"expect_{kind}", kwargs, rule)


def _with_events(**kwargs: Any) -> dict[str, Any]:
    return {**kwargs, "row_condition": VIDEOS_WITH_EVENTS}


def _ids(table: str) -> Expectation:
    return _e(table, "column_values_to_match_regex", "VA202", column="video_id_json",
              regex=VIDEO_ID_JSON)


# Rule code -> the expectations that restate it (vocabularies come from the config).
RESTATED: dict[str, Callable[[Config], list[Expectation]]] = {
    "VA202": lambda c: [_ids("videos"), _ids("split_entries"), _ids("template_entries")],
    "VA203": lambda c: [_e("events", "column_values_to_be_in_set", "VA203", column="action",
                           value_set=list(c.actions))],
    "VA204": lambda c: [_e("events", "column_values_to_be_in_set", "VA204", column="agent",
                           value_set=list(c.agents))],
    "VA205": lambda c: [_e("events", "column_values_to_be_in_set", "VA205",
                           column=f"{n}_kind", value_set=WHOLE) for n in NUMBERS],
    "VA206": lambda c: [_e("events", "column_values_to_not_be_in_set", "VA206",
                           column=f"{n}_kind", value_set=["integral float"]) for n in NUMBERS],
    "VA207": lambda c: [_e("events", "column_values_to_be_between", "VA207", column=n,
                           min_value=0) for n in NUMBERS],
    "VA208": lambda c: [_e("videos", "column_values_to_be_between", "VA208",
                           column="n_events", min_value=1)],
    "VA301": lambda c: [_e("split_entries", "column_values_to_be_between", "VA301",
                           column="n_splits", max_value=1)],
    "VA302": lambda c: [_e("split_entries", "compound_columns_to_be_unique", "VA302",
                           column_list=["split", "video_id_json"])],
    "VA303": lambda c: [_e("videos", "column_values_to_be_between", "VA303",
                           **_with_events(column="n_splits", min_value=1))],
    "VA304": lambda c: [_e("split_entries", "column_values_to_be_between", "VA304",
                           column="n_events", min_value=1)],
    "VA305": lambda c: [_e("videos", "column_values_to_be_between", "VA305",
                           **_with_events(column="n_templates", min_value=1))],
    "VA306": lambda c: [_e("template_entries", "column_values_to_be_between", "VA306",
                           column="n_events", min_value=1)],
    "VA307": lambda c: [_e("template_entries", "column_values_to_be_between", "VA307",
                           column="n_templates", max_value=1)],
    "VA308": lambda c: [_e("template_entries", "compound_columns_to_be_unique", "VA308",
                           column_list=["template", "video_id_json"])],
    "VA309": lambda c: [_e("templates", "column_values_to_be_in_set", "VA309",
                           column="template", value_set=list(ssv2_classes()))],
    "VA312": lambda c: [_e("templates", "column_values_to_be_between", "VA312",
                           column="n_videos", min_value=1)],
    "VA501": lambda c: [_e("events", "compound_columns_to_be_unique", "VA501",
                           column_list=["video_id", "action", "agent", *NUMBERS])],
}

# With a frame source: the joined frame count and size bound the events.
RESTATED_WITH_FRAMES: dict[str, Callable[[Config], list[Expectation]]] = {
    "VA401": lambda c: [_e("videos", "column_values_to_not_be_null", "VA401",
                           **_with_events(column="frame_count"))],
    "VA402": lambda c: [_e("events", "column_pair_values_a_to_be_greater_than_b", "VA402",
                           column_A="frame_count", column_B="frameNumber", or_equal=False,
                           ignore_row_if="either_value_is_missing")],
    "VA403": lambda c: [_e("events", "column_pair_values_a_to_be_greater_than_b", "VA403",
                           column_A=size, column_B=point, or_equal=False,
                           ignore_row_if="either_value_is_missing")
                        for size, point in (("width", "pointX"), ("height", "pointY"))],
}


def expectations(config: Config, frames: bool) -> list[Expectation]:
    """The selected rules' expectations (with the frame rules when frames are known)."""
    restated = {**RESTATED, **(RESTATED_WITH_FRAMES if frames else {})}
    selection = config.selection
    return [e for code, make in restated.items() if code in selection for e in make(config)]


def covered(config: Config, frames: bool) -> list[str]:
    return sorted({e.rule for e in expectations(config, frames)})


def suite_name(table: str) -> str:
    return f"{PREFIX}.{table}"


def suite_documents(config: Config, frames: bool) -> dict[str, dict[str, Any]]:
    """Suite name -> the suite in GX's JSON form (name, expectations, meta; no ids)."""
    by_table: dict[str, list[Expectation]] = {table: [] for table in TABLES}
    for expectation in expectations(config, frames):
        by_table[expectation.table].append(expectation)
    return {suite_name(table): {
        "name": suite_name(table),
        "expectations": [e.document() for e in found],
        "meta": {"generated_by": "vidaudit (vidaudit.audit.gx.suite)",
                 "table": table, "profile": NAME,
                 "notes": "Generated from vidaudit's rule catalogue; each expectation's "
                          "meta.rule names the rule it restates. Do not edit by hand: "
                          "run python -m vidaudit.audit.gx.suite."}}
        for table, found in by_table.items() if found}


def export_files() -> dict[str, str]:
    """File name under checks/gx/ -> content, for the default configuration, with frames."""
    return {f"{name}.suite.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            for name, document in suite_documents(Config(), frames=True).items()}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m vidaudit.audit.gx.suite",
                                     description="Write (or --check) the suites in checks/gx/.")
    parser.add_argument("--root", default=".", help="repository root (default: .)")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args()
    folder = Path(args.root) / "checks" / "gx"
    stale = [name for name, text in export_files().items()
             if not (folder / name).is_file() or (folder / name).read_text("utf-8") != text]
    if not args.check:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in export_files().items():
            (folder / name).write_text(text, encoding="utf-8")
    for name in stale:
        print(f"{'out of date' if args.check else 'written'}: checks/gx/{name}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
