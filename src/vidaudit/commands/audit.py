"""`vidaudit audit`: the release audit (see docs/audit.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vidaudit.commands.common import (
    add_dataset_arguments,
    add_fail_on_argument,
    add_scheduler_argument,
    config_from_args,
)

DEFAULT_OUTPUT_DIR = "reports/audit"


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
    import time

    from vidaudit.audit.outputs import AuditOptions, prepare_output_dir, write_outputs
    from vidaudit.audit.progress import Steps
    from vidaudit.audit.run import audit
    from vidaudit.commands.common import frame_source_from_args, inputs_of

    started = time.time()
    out_dir = Path(args.output_dir)
    prepare_output_dir(out_dir, inputs_of(args), args.allow_write_in_dataset)
    config = config_from_args(args, baseline=args.baseline)
    if not args.no_gx:
        from vidaudit.audit.gx import require_gx

        require_gx()  # before the slow steps: a missing extra is a usage error
    frame_source = frame_source_from_args(args, config)
    steps = Steps()
    result = audit(args.metadata_dir, args.previous, config, frame_source, steps)
    if not args.no_gx:
        from vidaudit.audit.gx.run import run_gx

        result.gx = run_gx(result.result, out_dir, steps)
    options = AuditOptions(metadata_dir=args.metadata_dir, previous=args.previous,
                           output_dir=str(out_dir), manifest=args.manifest, frames=args.frames,
                           videos=args.videos, gx=not args.no_gx, started=started,
                           config_source=config.source, select=list(config.select),
                           ignore=list(config.ignore),
                           fail_on=config.fail_on.label if config.fail_on else "never")
    write_outputs(result, out_dir, options)
    _print_summary(result, out_dir)
    return 1 if result.result.failed else 0


def _print_summary(result: Any, out_dir: Path) -> None:
    import os
    import sys

    from vidaudit.output import write_stdout
    from vidaudit.reporters import RenderOptions, console

    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    write_stdout(console.render(result.result, RenderOptions(color=color)))
    print(f"vidaudit: wrote the audit to {out_dir}/ (open {out_dir / 'index.html'})",
          file=sys.stderr)
