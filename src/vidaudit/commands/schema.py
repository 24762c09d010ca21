"""`vidaudit schema FILE...`: check only the structure of single metadata files.

Each file is read (VA1xx) and validated against the JSON Schema its name
implies (VA201, and the rules the schemas tag with ``x-vidaudit-rules``, such
as VA202-VA208). No tables are built and no cross-file rule runs, so this is
what the ``vidaudit-schema`` pre-commit hook runs on the files a commit changes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.commands.check import add_output_arguments, plan_outputs, write_reports
from vidaudit.commands.common import add_fail_on_argument, add_selection_arguments

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.profiles.base import Profile
    from vidaudit.sources import SourceFile

FILE_RULES = ("VA101", "VA102", "VA103", "VA104", "VA105", "VA106", "VA107", "VA201")


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema", help="check the structure of single metadata files (JSON + JSON Schema)",
        description="Parse each file and validate it against the JSON Schema its name "
        "implies (any JSON file of a profile: see `vidaudit profiles`, or the names set "
        "with `files` in the configuration). Cross-file rules do not run: use "
        "`vidaudit check`.")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="metadata files (default: the five files in ./metadata)")
    add_selection_arguments(parser)
    add_output_arguments(parser)
    add_fail_on_argument(parser)
    parser.add_argument("--baseline", metavar="FILE",
                        help="suppress the findings accepted in this baseline file (only its "
                             "entries about the given files count)")
    parser.set_defaults(run=run)


def schema_roles(config: Config) -> dict[str, tuple[Profile, str]]:
    """File name -> (profile, role), over the JSON files of the configured profile (or of
    every profile)."""
    from vidaudit.profiles import available, get

    profiles = [get(config.profile)] if config.profile else list(available().values())
    return {name: (profile, role) for profile in profiles
            for role, name in profile.file_names(config).items()
            if profile.spec(role).schema is not None}


def run(args: argparse.Namespace) -> int:
    from vidaudit.commands.common import config_from_args
    from vidaudit.engine import Result, finalize
    from vidaudit.errors import UsageError
    from vidaudit.schemacheck import schema_findings
    from vidaudit.sources import read_json_source

    plan = plan_outputs(args.format, args.output)
    config = config_from_args(args, baseline=args.baseline)
    roles = schema_roles(config)
    if not args.files:
        from vidaudit.api import profile_of

        default = profile_of("metadata", config)
        given = [str(Path("metadata") / default.file_names(config)[spec.role])
                 for spec in default.files if spec.schema is not None]
    else:
        given = args.files
    files = list(dict.fromkeys(given))
    unknown = [f for f in files if Path(f).name not in roles]
    if unknown:
        raise UsageError(f"cannot tell which schema {unknown[0]} follows: its name is none of "
                         f"{', '.join(sorted(roles))} (see `files` in the configuration)")
    sources = {}
    findings = []
    tagged: set[str] = set()
    used: list[Profile] = []
    for display in files:
        profile, role = roles[Path(display).name]
        used.append(profile)
        source = read_json_source(role, Path(display), display, config.max_bytes)
        findings.extend(source.findings)
        schema = profile.schema(role, config)
        assert schema is not None
        findings.extend(schema_findings(source, schema))
        findings.extend(tagged_findings(source, schema))
        tagged |= _tagged_codes(schema)
        sources[display] = source
    dataset = _dataset(sources, ", ".join(p.name for p in dict.fromkeys(used)))
    for profile in dict.fromkeys(used):
        dataset.stats.update(profile.quick_stats(sources.values()))
    selection = config.selection
    ran = [c for c in sorted({*FILE_RULES, *tagged}) if c in selection]
    result = Result(dataset, config, finalize(findings, sources.values(), config), ran)
    if config.baseline:
        from vidaudit.baseline import apply_baseline

        apply_baseline(result, Path(config.baseline), files=files)
    folders = {Path(f).parent for f in files} - {Path(".")}
    protected = [*sorted(folders), *map(Path, files), *map(Path, filter(None, [config.baseline]))]
    write_reports(result, plan, protected, args.allow_write_in_dataset)
    return 1 if result.failed else 0


def _dataset(sources: dict[str, Any], profile: str) -> Any:
    from vidaudit.dataset import Dataset

    dataset = Dataset(root="", profile=profile, sources=sources)
    dataset.notes.append(f"structure only: {len(sources)} file(s) against their JSON Schemas; "
                         "`vidaudit check` runs the cross-file rules")
    return dataset


def tagged_findings(source: SourceFile, schema: dict[str, Any]) -> list[Any]:
    """The failures of keywords the schema tags with ``x-vidaudit-rules``, under their rule's
    code. (`vidaudit check` reports them from its tables instead, with the same identities
    for the events file, so one baseline serves both.)"""
    import jsonschema

    from vidaudit.jsonpos import escape_token
    from vidaudit.model import Finding
    from vidaudit.rules.registry import get
    from vidaudit.schemacheck import is_valid

    if not source.parsed or is_valid(schema, source.data):
        return []
    findings = []
    for error in jsonschema.Draft202012Validator(schema).iter_errors(source.data):
        tags = error.schema.get("x-vidaudit-rules", {}) if isinstance(error.schema, dict) else {}
        if error.validator not in tags:
            continue  # VA201, from schema_findings
        code = str(tags[error.validator])
        pointer = "".join("/" + escape_token(str(p)) for p in error.absolute_path)
        finding = Finding(code=code, severity=get(code).severity, file=source.display,
                          message=f"{error.validator}: {_short(error.message)}",
                          pointer=pointer, identity=pointer[1:])
        if "propertyNames" in error.relative_schema_path and isinstance(error.instance, str):
            # A bad key: point at the key; its identity is the key, as in the tables.
            finding.pointer = f"{pointer}/{escape_token(error.instance)}"
            finding.identity = error.instance
            finding.extra["at_key"] = True
        findings.append(finding)
    return findings


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _tagged_codes(schema: Any) -> set[str]:
    """Codes named by ``x-vidaudit-rules`` anywhere in a schema."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            tags = node.get("x-vidaudit-rules")
            if isinstance(tags, dict):
                found.update(str(code) for code in tags.values())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
