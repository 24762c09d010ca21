"""Options shared by the commands (`check`, `audit`, `baseline`, `manifest`, `schema`),
and how they become a Config."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidaudit.config import Config


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("metadata_dir", nargs="?", default="metadata", metavar="METADATA_DIR",
                        help="folder holding the five metadata files (default: ./metadata)")
    frames = parser.add_mutually_exclusive_group()
    frames.add_argument("--manifest", metavar="FILE", action="append",
                        help="frame manifest CSV, or an mmaction2/TSM rawframes list, or a "
                             "folder of them; repeatable (default: "
                             "METADATA_DIR/frame_manifest.csv when it exists)")
    frames.add_argument("--frames", metavar="DIR", help="folder of extracted frames, "
                        "one sub-folder per video id")
    frames.add_argument("--videos", metavar="DIR", help="folder of video files named by id")
    parser.add_argument("--no-manifest", action="store_true",
                        help="do not pick up METADATA_DIR/frame_manifest.csv by itself")
    parser.add_argument("--reference", metavar="PATH", action="append",
                        help="SSv2's own annotation: the ssv2 profile's folder or files, or "
                             "rawframes lists with class indices; repeatable (for VA310, "
                             "VA311, VA313)")
    add_selection_arguments(parser)


def add_fail_on_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                        help="lowest severity that makes the exit code 1 (default: error)")


def add_probe_arguments(parser: argparse.ArgumentParser) -> None:
    """How frames and videos are probed: the same options for `check` and `manifest`."""
    parser.add_argument("--workers", type=int, metavar="N",
                        help="processes for probing frames or videos (default: CPU count)")
    parser.add_argument("--probe-timeout", type=float, metavar="SECONDS",
                        help="videos: seconds one video may take before its probe is stopped "
                             "and it is reported unreadable (default: 120)")
    parser.add_argument("--exact", action="store_true",
                        help="videos: count frames by decoding, not from the container")
    parser.add_argument("--deep", action="store_true",
                        help="decode every frame (finds corrupt frames in the middle and "
                             "frames of another size); slow")
    add_scheduler_argument(parser)


def add_scheduler_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="probe frames and videos on this dask.distributed cluster "
                             "(e.g. tcp://10.0.0.5:8786; needs vidaudit[dask]) instead of "
                             "local processes; the media must be on a file system the "
                             "workers share (default: the configuration's scheduler, else "
                             "local)")


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """--select, --ignore and --config: which rules run, and where settings come from."""
    parser.add_argument("--select", action="append", metavar="CODES",
                        help="only these rule codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--ignore", action="append", metavar="CODES",
                        help="skip these rule codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--config", metavar="FILE", help="vidaudit.toml or pyproject.toml "
                        "(default: the nearest one with vidaudit settings)")
    add_profile_argument(parser)


def add_profile_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="NAME",
                        help="the dataset format (default: detected from the folder; see "
                             "`vidaudit profiles`)")


def config_from_args(args: argparse.Namespace, *, baseline: str | None = None) -> Config:
    """The configuration with the selection options over it, as the API makes it (for
    `schema`, which reads no dataset folder)."""
    from vidaudit.api import CheckRequest, config_for

    return config_for(CheckRequest(
        profile=getattr(args, "profile", None), select=tuple(args.select or ()),
        ignore=tuple(args.ignore or ()), fail_on=getattr(args, "fail_on", None),
        baseline=baseline, config=getattr(args, "config", None)))


def probe_timeout(args: argparse.Namespace) -> dict[str, float]:
    """``{"timeout": seconds}`` when --probe-timeout was given (validated), else ``{}``."""
    from vidaudit.errors import UsageError

    seconds = getattr(args, "probe_timeout", None)
    if seconds is None:
        return {}
    if not seconds > 0:
        raise UsageError("--probe-timeout must be a positive number of seconds")
    return {"timeout": seconds}
