"""Regenerate the bundled samples: ``python -m vidaudit.synth [--check]``.

Writes ``metadata/`` (the clean sample, the default input of ``vidaudit check``)
and ``examples/`` (broken samples) in the repository. With ``--check`` nothing
is written; the exit code says whether the committed files are up to date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vidaudit.synth.samples import sample_files


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m vidaudit.synth")
    parser.add_argument("--root", default=".", help="repository root (default: .)")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args()
    stale = []
    for relative, content in sample_files().items():
        path = Path(args.root) / relative
        current = path.read_bytes() if path.exists() else None
        if current == content:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    verb = "out of date" if args.check else "written"
    for relative in stale:
        print(f"{verb}: {relative}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
