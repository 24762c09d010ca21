"""JUnit XML for CI test-report viewers: one test case per rule that ran.

A rule fails its test case when it has findings at or above ``--fail-on``, so
the viewer's red/green agrees with the exit code; findings below the threshold
are listed in the test case's ``system-out``. Locations are capped per rule
(the JSON report lists them all): CI viewers choke on megabytes of text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vidaudit.findingtable import field_values
from vidaudit.model import Finding
from vidaudit.reporters.common import by_rule, reported_codes, severity_of, xml_safe
from vidaudit.rules.registry import RULES

if TYPE_CHECKING:
    from vidaudit.engine import Result
    from vidaudit.reporters import RenderOptions

LISTED_PER_RULE = 1000
FAMILY_CLASSES = {"1": "files", "2": "structure", "3": "references", "4": "frames",
                  "5": "plausibility", "6": "release", "9": "baseline"}


def render(result: Result, options: RenderOptions) -> str:
    groups = by_rule(result.findings)
    threshold = result.config.fail_on
    codes = reported_codes(result)
    suite_name = f"vidaudit {result.dataset.profile}"
    total = f"{result.timings.get('total', 0.0):.3f}"
    suites = ET.Element("testsuites", name="vidaudit", time=total)
    suite = ET.SubElement(suites, "testsuite", name=suite_name, time=total)
    properties = ET.SubElement(suite, "properties")
    for name, value in (("metadata", result.dataset.root),
                        ("fail-on", threshold.label if threshold else "never"),
                        ("vidaudit-version", result.tool["version"])):
        ET.SubElement(properties, "property", name=name, value=xml_safe(value))

    failures = 0
    for code in codes:
        rule = RULES[code]
        found = groups.get(code, [])
        case = ET.SubElement(suite, "testcase", name=f"{code} {rule.name}",
                             classname=f"vidaudit.{FAMILY_CLASSES.get(code[2], 'other')}",
                             time="0")
        if threshold is not None and any(severity >= threshold
                                         for severity in field_values(found, "severity")):
            failures += 1
            severity = severity_of(code, found, result)
            failure = ET.SubElement(case, "failure", type=code, message=xml_safe(
                f"{len(found):,} {severity.label}{'s' if len(found) != 1 else ''}: "
                f"{rule.summary}"))
            failure.text = _listing(found, code)
        elif found:
            ET.SubElement(case, "system-out").text = _listing(found, code)
    for code, why in sorted(result.rules_skipped.items()):
        case = ET.SubElement(suite, "testcase", name=f"{code} {RULES[code].name}",
                             classname=f"vidaudit.{FAMILY_CLASSES.get(code[2], 'other')}",
                             time="0")
        ET.SubElement(case, "skipped", message=xml_safe(f"not run: {why}"))
    tests = len(codes) + len(result.rules_skipped)
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0",
              "skipped": str(len(result.rules_skipped))}
    suite.attrib.update(counts)
    suites.attrib.update(counts)
    ET.indent(suites, space="  ")
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _listing(found: Sequence[Finding], code: str) -> str:
    lines = [f"{f.location()}: {f.severity.label}: {f.message}"
             + (f" [{f.pointer}]" if f.pointer else "") for f in found[:LISTED_PER_RULE]]
    if len(found) > LISTED_PER_RULE:
        lines.append(f"… and {len(found) - LISTED_PER_RULE:,} more "
                     f"(the JSON report lists all; `vidaudit explain {code}`)")
    return xml_safe("\n".join(lines)) + "\n"
