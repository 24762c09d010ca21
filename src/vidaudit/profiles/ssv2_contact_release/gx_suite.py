"""The contact/release profile's Great Expectations suites: each expectation restates one
rule on the tables of :mod:`.gx_tables`, with the vocabularies the rules use.

Not restated, because GX checks tables and these are about files or need more
than one row: VA1xx (reading files), VA201 (the JSON Schemas), VA502
(contradictory events), VA404-VA406 (frames on disk) and VA6xx (the diff).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vidaudit.config import Config
from vidaudit.profiles.parts import Expectation, expectation
from vidaudit.profiles.ssv2.vocabulary import ssv2_classes
from vidaudit.profiles.ssv2_contact_release.gx_tables import NUMBERS

VIDEO_ID_JSON = r'^"(0|[1-9][0-9]*)"$'
"""A video id's JSON text: a string of ASCII digits without leading zeros."""
WHOLE = ["integer", "integral float"]
VIDEOS_WITH_EVENTS = {"type": "comparison", "column": {"name": "n_events"}, "operator": ">",
                      "parameter": 0}
"""``Column("n_events") > 0``, GX's row condition, in its JSON form."""


def _settings(config: Config) -> dict[str, Any]:
    from vidaudit.profiles import get

    return get("ssv2-contact-release").settings(config)


_e = expectation


def _with_events(**kwargs: Any) -> dict[str, Any]:
    return {**kwargs, "row_condition": VIDEOS_WITH_EVENTS}


def _ids(table: str) -> Expectation:
    return _e(table, "column_values_to_match_regex", "VA202", column="video_id_json",
              regex=VIDEO_ID_JSON)


# Rule code -> the expectations that restate it (vocabularies come from the config).
RESTATED: dict[str, Callable[[Config], list[Expectation]]] = {
    "VA202": lambda c: [_ids("videos"), _ids("split_entries"), _ids("template_entries")],
    "VA203": lambda c: [_e("events", "column_values_to_be_in_set", "VA203", column="action",
                           value_set=list(_settings(c)["actions"]))],
    "VA204": lambda c: [_e("events", "column_values_to_be_in_set", "VA204", column="agent",
                           value_set=list(_settings(c)["agents"]))],
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
