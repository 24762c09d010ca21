"""`vidaudit baseline`: accept today's findings by writing them to a baseline file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vidaudit.commands.common import (
    add_dataset_arguments,
    check_metadata_dir,
    config_from_args,
    frame_source_from_args,
    inputs_of,
    profile_for,
    reference_for,
)


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
    from vidaudit.baseline import baseline_text, load_baseline, parse_date
    from vidaudit.engine import run_check
    from vidaudit.errors import ConfigError, UsageError
    from vidaudit.output import check_outside, write_atomic

    check_metadata_dir(args.metadata_dir)
    config = config_from_args(args)
    target = args.output or config.baseline
    if not target:
        raise UsageError("give the baseline file to write with -o FILE "
                         "(or set `baseline` in the configuration)")
    output = Path(target)
    expires = parse_date(args.expires, "--expires") if args.expires else None
    check_outside(output, inputs_of(args), args.allow_write_in_dataset)
    previous = None
    if output.exists():
        try:
            previous = load_baseline(output)
        except ConfigError as error:  # refuse to overwrite what is not a baseline
            raise UsageError(f"{error}; refusing to overwrite it (remove it or choose "
                             "another path)") from None
    result = run_check(args.metadata_dir, config, frame_source_from_args(args, config),
                       profile=profile_for(args.metadata_dir, config),
                       reference=reference_for(config))
    written = baseline_text(result.findings, result.dataset.profile, previous=previous,
                            reason=args.reason, expires=expires)
    write_atomic(output, written.text)
    counts = ", ".join(f"{n:,} {label}" for label, n in result.counts.items() if n)
    kept = f"; kept reason/expires of {written.carried:,}" if written.carried else ""
    print(f"vidaudit: wrote {written.entries:,} entries to {output} ({counts or 'no findings'})"
          f"{kept}", file=sys.stderr)
    return 0
