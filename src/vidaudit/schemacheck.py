"""The JSON Schema pass: VA201 for structure, everything else left to the tables.

The engine calls this only for files whose flattening saw an unexpected
structure (``Dataset.well_formed``): a well-formed file can fail its schema
only on keywords that the table contracts report. Here a compiled validator
(fastjsonschema) first confirms the failure cheaply, then ``jsonschema``
collects every error with its path. An error raised by a keyword that the
schema tags with ``x-vidaudit-rules`` is reported by that rule's table
contract (with a more specific code and message), so it is skipped here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.jsonpos import escape_token
from vidaudit.model import Finding, Severity
from vidaudit.sources import SourceFile
from vidaudit.values import json_type
from vidaudit.values import with_article as _with_article

if TYPE_CHECKING:
    import jsonschema

# jsonschema and fastjsonschema are imported where they are used: most runs never
# need them (see the module docstring), and a pre-commit hook should not pay for them.



def schema_dir() -> Path:
    """Schemas ship inside the wheel; in a source checkout they live at the top level."""
    packaged = Path(str(resources.files("vidaudit"))) / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    with (schema_dir() / f"{name}.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@functools.cache
def _compiled(schema_json: str) -> Callable[[Any], Any]:
    schema = json.loads(schema_json)
    # fastjsonschema knows drafts 4-7; the keywords used here mean the same in 2020-12.
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    import fastjsonschema

    return fastjsonschema.compile(schema)


def compiled_validator(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """The schema compiled (fastjsonschema): it raises JsonSchemaException at the first
    error."""
    return _compiled(json.dumps(schema, sort_keys=True))


def is_valid(schema: dict[str, Any], data: Any) -> bool:
    import fastjsonschema

    try:
        compiled_validator(schema)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_findings(source: SourceFile, schema: dict[str, Any]) -> list[Finding]:
    """VA201 for each way ``source`` breaks ``schema`` (its profile's, customised)."""
    if not source.parsed:
        return []
    if is_valid(schema, source.data):
        return []
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors(source.data):
        for finding in _to_findings(error, source):
            # `required` fails once per missing key; the message already names them all.
            if (finding.pointer, finding.message) not in seen:
                seen.add((finding.pointer, finding.message))
                findings.append(finding)
    return findings


def _to_findings(error: jsonschema.ValidationError, source: SourceFile) -> list[Finding]:
    tagged = error.schema.get("x-vidaudit-rules", {}) if isinstance(error.schema, dict) else {}
    if error.validator in tagged:
        return []  # reported by that rule's table contract
    pointer = "".join("/" + escape_token(str(p)) for p in error.absolute_path)
    keyword = str(error.validator)
    message = f"{keyword}: {_describe(error)}"
    return [Finding(code="VA201", severity=Severity.ERROR, message=message, file=source.display,
                    pointer=pointer, identity=f"{pointer}|{keyword}|{error.validator_value!s:.80}")]


def _describe(error: jsonschema.ValidationError) -> str:
    where = f"at {'/'.join(str(p) for p in error.absolute_path)}" if error.absolute_path \
        else "at the top level"
    instance = error.instance
    found = json_type(instance)
    if error.validator == "type":
        expected = error.validator_value
        expected_text = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return f"expected {_with_article(expected_text)} {where}, found {_with_article(found)}"
    if error.validator == "required":
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [k for k in required if isinstance(instance, dict) and k not in instance]
        return f"missing required key {_short(', '.join(missing))} {where}"
    if error.validator == "additionalProperties" and isinstance(instance, dict) \
            and isinstance(error.schema, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed]
        return f"unexpected key {_short(', '.join(map(str, extra)))} {where}"
    return f"{_short(error.message)} {where}"


def _short(text: str, limit: int = 120) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
