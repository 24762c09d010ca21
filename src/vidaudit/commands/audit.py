"""`vidaudit audit`: the release audit (see docs/audit.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.commands.common import (
    add_dataset_arguments,
    add_fail_on_argument,
    add_scheduler_argument,
)

if TYPE_CHECKING:
    from vidaudit.report import Report

DEFAULT_OUTPUT_DIR = "reports/audit"  # vidaudit.api.DEFAULT_AUDIT_DIR


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit", help="audit a release: every check, a diff against the previous release, "
        "a Great Expectations validation, checksums",
        description="Audit a release against the previous one. Either release may be a "
        "folder or a git revision of the dataset's repository: git:REV reads the files at "
        "REV (at the same path as METADATA_DIR, or git:REV:PATH) without touching the work "
        "tree.")
    add_dataset_arguments(parser)
    parser.add_argument("--previous", required=True, metavar="OLD",
                        help="the previous release: a folder, git:REV or git:REV:PATH")
    parser.add_argument("--output-dir", default=DEFAULT_OUTPUT_DIR, metavar="DIR",
                        help=f"where the audit is written (default: {DEFAULT_OUTPUT_DIR})")
    add_fail_on_argument(parser)
    parser.add_argument("--baseline", metavar="FILE",
                        help="suppress the findings accepted in this baseline file (a "
                             "deliberate split move can be accepted by its VA601 fingerprint)")
    parser.add_argument("--no-gx", action="store_true",
                        help="skip the Great Expectations validation and its Data Docs")
    parser.add_argument("--allow-write-in-dataset", action="store_true",
                        help="allow --output-dir inside a release folder")
    add_scheduler_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from vidaudit.api import run_audit
    from vidaudit.commands.check import request_from_args

    done = run_audit(request_from_args(args), args.previous, output_dir=args.output_dir,
                     gx=not args.no_gx, allow_write_in_dataset=args.allow_write_in_dataset)
    _print_summary(done.report, done.output_dir,
                   sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    return done.exit_code


def _print_summary(report: Report, out_dir: Path, color: bool) -> None:
    import sys

    from vidaudit.output import write_stdout

    write_stdout(report.render("console", color=color))
    print(f"vidaudit: wrote the audit to {out_dir}/ (open {out_dir / 'index.html'})",
          file=sys.stderr)
