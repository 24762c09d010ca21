"""`vidaudit manifest` (not yet implemented)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(subparsers: Any) -> None:
    parser = subparsers.add_parser("manifest", help="(not yet implemented)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from vidaudit.errors import UsageError

    raise UsageError("`vidaudit manifest` is not implemented yet")
