"""`vidaudit manifest`: probe frame folders or videos once, write the frame manifest."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vidaudit.commands.common import add_probe_arguments, probe_timeout


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "manifest", help="build the frame manifest from frame folders or videos",
        description="Probe every frames folder (<DIR>/<video_id>/frame_00000.jpg ...) or "
                    "video (<DIR>/<video_id>.webm|.mp4|...) and write one CSV row per video: "
                    "frame count, size and what was wrong. Rows of media unchanged since the "
                    "previous run (same size and mtime) are reused from the existing output.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--frames", metavar="DIR", help="folder of extracted frames, one "
                        "sub-folder per video id")
    source.add_argument("--videos", metavar="DIR", help="folder of video files named by id")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the manifest to write (e.g. metadata/frame_manifest.csv)")
    parser.add_argument("--allow-write-in-dataset", action="store_true",
                        help="allow the output inside the frames or videos folder")
    add_probe_arguments(parser)
    parser.set_defaults(run=run)


def scheduler(args: argparse.Namespace) -> str | None:
    """--scheduler, else the configuration's ``scheduler`` (or None: probe locally).

    The configuration module imports the rule catalogue and a TOML parser, which
    `manifest` otherwise never needs: it is loaded only when a file that may hold the
    configuration lies on the way up (a few stat calls), as vidaudit.config looks."""
    if args.scheduler:
        return str(args.scheduler)
    from pathlib import Path

    here = Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / "vidaudit.toml").is_file() or (folder / "pyproject.toml").is_file():
            from vidaudit.config import load_config

            return load_config(None).scheduler
        if (folder / ".git").exists():
            break
    return None


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from vidaudit.errors import UsageError
    from vidaudit.frames.build import build, read_previous
    from vidaudit.frames.paths import DEFAULT_NAMING
    from vidaudit.frames.probe import ProbeOptions
    from vidaudit.output import check_outside, write_atomic

    kind, root = ("frames", args.frames) if args.frames else ("videos", args.videos)
    if not Path(root).is_dir():
        raise UsageError(f"{kind} folder {root} does not exist or is not a folder")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    output = Path(args.output)
    check_outside(output, [Path(root)], args.allow_write_in_dataset)
    if output.is_dir():
        raise UsageError(f"{output} is a folder; give the manifest file to write")
    previous = read_previous(output)
    if previous is None:
        raise UsageError(f"{output} exists and is not a frame manifest; not overwriting it")
    # A manifest is built without a profile: vidaudit's own frame naming.
    options = ProbeOptions(kind, Path(root), deep=args.deep, exact=args.exact,
                           naming=DEFAULT_NAMING, **probe_timeout(args))
    try:
        built = build(options, previous, args.workers, scheduler=scheduler(args))
    except OSError as error:
        raise UsageError(f"cannot list {root}: {error.strerror or error}") from None
    if built.unchanged:
        verb = "kept"  # nothing changed: leave the file (and its mtime) alone
    else:
        write_atomic(output, built.text())
        verb = "wrote"
    parts = [f"{len(built.records):,} videos", f"{built.probed:,} probed",
             f"{built.reused:,} unchanged"]
    if built.skipped:
        parts.append(f"{built.skipped:,} entries skipped (not named by a video id)")
    print(f"vidaudit: {verb} {output}: {', '.join(parts)}", file=sys.stderr)
    if built.problems:
        print(f"vidaudit: {built.problems:,} videos have problems (gaps, unreadable "
              "frames, size mismatches); `vidaudit check --manifest` reports them",
              file=sys.stderr)
    return 0
