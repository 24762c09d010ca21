"""`vidaudit rules` and `vidaudit explain CODE`: the catalogue, from the registry."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parsers(subparsers: Any) -> None:
    rules = subparsers.add_parser("rules", help="list every rule with its default severity")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument("--profile", metavar="NAME", help="only the rules of this profile")
    rules.set_defaults(run=run_rules)
    explain = subparsers.add_parser("explain", help="what a rule means and how to fix it")
    explain.add_argument("code", help="a rule code (VA303) or name (video-not-in-split)")
    explain.set_defaults(run=run_explain)
    profiles = subparsers.add_parser(
        "profiles", help="list the dataset formats, and the files each expects")
    profiles.add_argument("--format", choices=("text", "json"), default="text")
    profiles.set_defaults(run=run_profiles)


def run_profiles(args: argparse.Namespace) -> int:
    from vidaudit.engine import profile_rules
    from vidaudit.output import write_stdout
    from vidaudit.profiles import available

    profiles = available()
    if args.format == "json":
        write_stdout(json.dumps([{
            "name": p.name, "description": p.description,
            "files": [{"role": f.role, "name": f.name, "required": f.required,
                       "schema": f"{f.schema}.schema.json" if f.schema else None,
                       "description": f.description} for f in p.files],
            "rules": profile_rules(p)} for p in profiles.values()], indent=1) + "\n")
        return 0
    lines = []
    for profile in profiles.values():
        lines.append(f"{profile.name}: {profile.description}")
        for spec in profile.files:
            need = "required" if spec.required else "optional"
            lines.append(f"  {spec.name:<40} {need:<9} {spec.description}")
        codes = profile_rules(profile)
        lines.append(f"  rules: {len(codes)} ({codes[0]}-{codes[-1]}; `vidaudit rules "
                     f"--profile {profile.name}`)")
        lines.append("")
    lines.append("Without --profile, vidaudit picks the profile whose required files are in "
                 "the folder.")
    write_stdout("\n".join(lines) + "\n")
    return 0


def run_rules(args: argparse.Namespace) -> int:
    from vidaudit.api import rules
    from vidaudit.output import write_stdout
    from vidaudit.rules.registry import FAMILIES

    ordered = rules(args.profile)
    if args.format == "json":
        write_stdout(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                                  "summary": r.summary, "family": r.family,
                                  "needs": r.needs, "profiles": list(r.profiles)}
                                 for r in ordered], indent=1) + "\n")
        return 0
    lines: list[str] = []
    family = None
    for rule in ordered:
        if rule.family != family:
            family = rule.family
            lines.append(f"\n## {family}\n" if args.format == "markdown" else f"\n{family}")
            if args.format == "markdown":
                lines += ["| code | name | severity | summary | profiles |",
                          "|---|---|---|---|---|"]
        needs = f" (needs {rule.needs})" if rule.needs else ""
        if args.format == "markdown":
            lines.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | "
                         f"{rule.summary}{needs} | {', '.join(rule.profiles)} |")
        else:
            lines.append(f"  {rule.code}  {rule.name:<32} {rule.severity:<8} "
                         f"{rule.summary}{needs}")
    assert set(FAMILIES.values()) >= {r.family for r in ordered}
    header = ("# Rule catalogue\n\nGenerated from the registry by `vidaudit rules --format "
              "markdown > docs/rules.md`\n(a test keeps it current). `vidaudit explain CODE` "
              "gives the full explanation.\n") if args.format == "markdown" else ""
    write_stdout(header + "\n".join(lines).lstrip("\n" if not header else "") + "\n")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from vidaudit.api import explain
    from vidaudit.output import write_stdout

    write_stdout(explain(args.code))
    return 0
