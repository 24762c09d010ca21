"""`vidaudit baseline`: accept today's findings by writing them to a baseline file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidaudit.commands.common import add_dataset_arguments


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "baseline", help="accept today's findings: write them to a baseline file",
        description="Run the same checks as `vidaudit check` and write every finding to a "
        "baseline file; `vidaudit check --baseline FILE` then reports only new findings. "
        "When FILE already exists, the `reason` and `expires` of its entries that still "
        "match are kept.")
    add_dataset_arguments(parser)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="the baseline file to write (default: `baseline` from the "
                             "configuration)")
    parser.add_argument("--reason", metavar="TEXT",
                        help="why the findings are accepted (stored on new entries)")
    parser.add_argument("--expires", metavar="YYYY-MM-DD",
                        help="last day on which new entries suppress their finding")
    parser.add_argument("--allow-write-in-dataset", action="store_true",
                        help="allow writing the baseline inside METADATA_DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from vidaudit.api import write_baseline
    from vidaudit.commands.check import request_from_args

    report, output, written = write_baseline(
        request_from_args(args), args.output, reason=args.reason, expires=args.expires,
        allow_write_in_dataset=args.allow_write_in_dataset)
    counts = ", ".join(f"{n:,} {label}" for label, n in report.counts.items() if n)
    kept = f"; kept reason/expires of {written.carried:,}" if written.carried else ""
    print(f"vidaudit: wrote {written.entries:,} entries to {output} ({counts or 'no findings'})"
          f"{kept}", file=sys.stderr)
    return 0
