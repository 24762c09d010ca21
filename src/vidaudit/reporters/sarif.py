"""SARIF 2.1.0 (OASIS): the format code-scanning tools and editors read.

One run; the driver lists every rule that ran with its help text and default
level; each finding is a result with a physical location (the file as the user
gave it, line and column when known), its JSON Pointer as the logical location,
and the finding's fingerprint as a partial fingerprint so that viewers track a
finding across edits elsewhere in the file.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from vidaudit.findingtable import field_values
from vidaudit.model import Finding, Severity
from vidaudit.reporters.common import reported_codes
from vidaudit.rules.registry import RULES, Rule

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "vidaudit/v1"


def render(result: Result, options: RenderOptions) -> str:
    return "".join(render_parts(result, options))


CHUNK = 10_000
"""Results per part of :func:`render_parts`."""


def render_parts(result: Result, options: RenderOptions) -> Iterator[str]:
    """The log of :func:`render` in parts of :data:`CHUNK` results, each encoded as the
    whole log's encoding writes it: a full-size release has a third of a million results,
    whose objects, made all at once, took a gigabyte."""
    codes = reported_codes(result)
    rule_index = {code: i for i, code in enumerate(codes)}
    inputs = result.inputs()
    artifact_index = {item["path"]: i for i, item in enumerate(inputs)}
    per_rule = Counter(field_values(result.findings, "code"))
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "vidaudit",
            "version": result.tool["version"],
            "semanticVersion": result.tool["version"],
            "rules": [_descriptor(RULES[code]) for code in codes],
        }},
        "invocations": [{"executionSuccessful": True,
                         "exitCode": 1 if result.failed else 0,
                         **({"toolExecutionNotifications": [
                             {"level": "note", "descriptor": {"id": code},
                              "message": {"text": f"{code} {RULES[code].name} was not run: "
                                                  f"{why}"}}
                             for code, why in sorted(result.rules_skipped.items())]}
                            if result.rules_skipped else {})}],
        "artifacts": [_artifact(item) for item in inputs],
        "columnKind": "unicodeCodePoints",
        "results": [],
        "properties": {"profile": result.dataset.profile, "summary": result.summary(),
                       "rulesNotRun": dict(sorted(result.rules_skipped.items())),
                       "findingsPerRule": {code: per_rule[code] for code in codes}},
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # The one "results" member: every other "results" in the text is inside a string,
    # where its quotes are escaped.
    head, _, tail = _encode(log).partition('"results":[]')
    yield head + '"results":['
    findings = iter(result.findings)
    separator = ""
    while chunk := list(islice(findings, CHUNK)):
        yield separator + ",".join(_encode(_result(f, rule_index, artifact_index))
                                   for f in chunk)
        separator = ","
    yield "]" + tail + "\n"


_encode = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


@functools.lru_cache(maxsize=1024)
def uri(path: str) -> str:
    """A path as given -> a URI reference: relative stays relative, ``\\`` becomes ``/``
    (remembered: the results of a run name a handful of files)."""
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {
            "text": f"{rule.explanation}\n\nHow to fix: {rule.fix}",
            "markdown": f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.explanation}"
                        f"\n\n**How to fix:** {rule.fix}\n\n"
                        f"More: `vidaudit explain {rule.code}`",
        },
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family], **({"needs": rule.needs} if rule.needs else {})},
    }


def _artifact(item: dict[str, Any]) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": {"uri": uri(str(item["path"]))},
                                "roles": ["analysisTarget"]}
    if item.get("bytes") is not None:
        artifact["length"] = int(item["bytes"])
    if item.get("sha256"):
        artifact["hashes"] = {"sha-256": item["sha256"]}
    return artifact


def _result(finding: Finding, rule_index: dict[str, int],
            artifact_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    location: dict[str, Any] = {}
    if finding.file:
        artifact: dict[str, Any] = {"uri": uri(finding.file)}
        if finding.file in artifact_index:
            artifact["index"] = artifact_index[finding.file]
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line,
                                  "startColumn": finding.column or 1}
        location["physicalLocation"] = physical
    if finding.pointer:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.pointer}]
    if location:
        result["locations"] = [location]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.video_id is not None:
        result["properties"] = {"videoId": finding.video_id}
    return result
