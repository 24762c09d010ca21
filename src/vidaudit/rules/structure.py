"""VA2xx shared by every profile: schema violations and video ids.

The other VA2xx rules name one format's fields (actions, frame numbers) and live
with that format's profile.
"""

from __future__ import annotations

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

ERROR = Severity.ERROR

rule("VA201", "schema-violation", ERROR,
     "wrong type, missing or extra key, or wrong top-level shape",
     """
     The file does not match its published JSON Schema (see `schemas/`). The message
     names the JSON Schema keyword that failed (`type`, `required`,
     `additionalProperties`, ...). Values with a rule of their own (an unknown action,
     a negative frame number, ...) are reported under that rule instead.
     """,
     "Make the value match the schema; `vidaudit explain` on the schema keyword's rule "
     "and the schema file itself say what is expected.")

rule(
    "VA202", "invalid-video-id", ERROR,
    "a video id that is not a string of decimal digits without leading zeros",
    """
    Video ids join the five files together and name the frame folders on disk
    (`<frames>/<video_id>/`). An id like `0042`, `42 ` or `../x` matches nothing, or
    worse, names a path outside the dataset; vidaudit never builds a path from one.
    """,
    "Write the id exactly as SSv2 does: decimal digits, no sign, no leading zeros, as a "
    "JSON string.", per_profile=True)
