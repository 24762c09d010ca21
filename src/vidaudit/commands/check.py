"""`vidaudit check`: run every selected rule and report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.commands.common import (
    add_dataset_arguments,
    add_fail_on_argument,
    add_probe_arguments,
)

if TYPE_CHECKING:
    from vidaudit.api import CheckRequest

FORMAT_CHOICES = ("console", "json", "junit", "sarif", "github", "html")


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser("check", help="check a metadata release",
                                   description="Check a metadata release and report findings.")
    add_dataset_arguments(parser)
    add_output_arguments(parser)
    add_fail_on_argument(parser)
    parser.add_argument("--baseline", metavar="FILE",
                        help="suppress the findings accepted in this baseline file")
    add_probe_arguments(parser)
    parser.set_defaults(run=run)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", action="append", choices=FORMAT_CHOICES, metavar="FORMAT",
                        help=f"{'|'.join(FORMAT_CHOICES)}; repeat for several "
                             "(default: console)")
    parser.add_argument("-o", "--output", action="append", metavar="PATH",
                        help="where the format of the same position goes (default: standard "
                             "output; html: reports/vidaudit.html)")
    parser.add_argument("--allow-write-in-dataset", action="store_true",
                        help="allow output paths inside METADATA_DIR")


def plan_outputs(formats: list[str] | None, outputs: list[str] | None
                 ) -> list[tuple[str, str | None]]:
    """Pair each --format with its --output (by position) or its default."""
    from vidaudit.errors import UsageError
    from vidaudit.reporters import DEFAULT_OUTPUTS

    formats = formats or ["console"]
    outputs = outputs or []
    if len(outputs) > len(formats):
        raise UsageError("more --output than --format options")
    plan = [(fmt, outputs[i] if i < len(outputs) else DEFAULT_OUTPUTS.get(fmt))
            for i, fmt in enumerate(formats)]
    if sum(1 for _, out in plan if out in (None, "-")) > 1:
        raise UsageError("only one format can go to standard output; give --output for others")
    return plan


def write_reports(result: Any, plan: list[tuple[str, str | None]], protected: list[Path],
                  allow: bool, frame_dir: str | None = None) -> None:
    from vidaudit.output import check_outside, write_atomic, write_stdout
    from vidaudit.reporters import RenderOptions, render_parts

    for _, output in plan:
        if output not in (None, "-"):
            check_outside(Path(output), protected, allow)
    for fmt, output in plan:
        to_stdout = output in (None, "-")
        color = fmt == "console" and to_stdout and sys.stdout.isatty() \
            and not os.environ.get("NO_COLOR")
        options = RenderOptions(color=color, output=None if to_stdout else output,
                                frame_dir=frame_dir)
        parts = render_parts(fmt, result, options)
        if to_stdout:
            for part in parts:
                write_stdout(part)
        else:
            assert output is not None
            write_atomic(Path(output), parts)
            if fmt == "html":
                print(f"vidaudit: wrote {output}", file=sys.stderr)


def request_from_args(args: argparse.Namespace) -> CheckRequest:
    """The API's request for the options of `check`, `baseline` and `audit`."""
    from vidaudit.api import CheckRequest

    return CheckRequest(
        path=args.metadata_dir, profile=getattr(args, "profile", None),
        manifest=tuple(args.manifest or ()), frames=args.frames, videos=args.videos,
        reference=tuple(args.reference or ()), select=tuple(args.select or ()),
        ignore=tuple(args.ignore or ()), fail_on=getattr(args, "fail_on", None),
        baseline=getattr(args, "baseline", None), config=args.config,
        auto_manifest=not args.no_manifest, deep=getattr(args, "deep", False),
        exact=getattr(args, "exact", False), workers=getattr(args, "workers", None),
        probe_timeout=getattr(args, "probe_timeout", None),
        scheduler=getattr(args, "scheduler", None))


def run(args: argparse.Namespace) -> int:
    from vidaudit import api

    api.check_folder(args.metadata_dir)
    plan = plan_outputs(args.format, args.output)
    report = api.run(request_from_args(args))
    write_reports(api.result_of(report), plan, list(report.protected),
                  args.allow_write_in_dataset, frame_dir=args.frames)
    return report.exit_code
