"""The Expectation Suites, generated from the rule catalogue by each profile.

Each expectation carries the code of the rule it restates in ``meta.rule``; a
profile builds them (``Profile.gx_expectations``) with the vocabularies its rules
use. The suites are plain data here (GX's JSON form, without ids), so they can be
exported for code review (``python -m vidaudit.audit.gx.suite``, which writes
``checks/gx/``) and compared with the committed export without importing Great
Expectations.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.config import Config
from vidaudit.profiles.parts import Expectation

if TYPE_CHECKING:
    from vidaudit.profiles.base import Profile

def expectations(profile: Profile, config: Config, frames: bool) -> list[Expectation]:
    return profile.gx_expectations(config, frames) or []


def covered(profile: Profile, config: Config, frames: bool) -> list[str]:
    return sorted({e.rule for e in expectations(profile, config, frames)})


def suite_name(profile: Profile, table: str) -> str:
    return f"{profile.name.replace('-', '_')}.{table}"


def suite_documents(profile: Profile, config: Config, frames: bool
                    ) -> dict[str, dict[str, Any]]:
    """Suite name -> the suite in GX's JSON form (name, expectations, meta; no ids)."""
    by_table: dict[str, list[Expectation]] = {}
    for item in expectations(profile, config, frames):
        by_table.setdefault(item.table, []).append(item)
    return {suite_name(profile, table): {
        "name": suite_name(profile, table),
        "expectations": [e.document() for e in found],
        "meta": {"generated_by": "vidaudit (vidaudit.audit.gx.suite)",
                 "table": table, "profile": profile.name,
                 "notes": "Generated from vidaudit's rule catalogue; each expectation's "
                          "meta.rule names the rule it restates. Do not edit by hand: "
                          "run python -m vidaudit.audit.gx.suite."}}
        for table, found in by_table.items() if found}


def export_files() -> dict[str, str]:
    """File name under checks/gx/ -> content, for every profile with suites, the default
    configuration, with frames."""
    from vidaudit.profiles import available

    return {f"{name}.suite.json": json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            for profile in available().values()
            for name, document in suite_documents(profile, Config(), frames=True).items()}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m vidaudit.audit.gx.suite",
                                     description="Write (or --check) the suites in checks/gx/.")
    parser.add_argument("--root", default=".", help="repository root (default: .)")
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args()
    folder = Path(args.root) / "checks" / "gx"
    stale = [name for name, text in export_files().items()
             if not (folder / name).is_file() or (folder / name).read_text("utf-8") != text]
    if not args.check:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in export_files().items():
            (folder / name).write_text(text, encoding="utf-8")
    for name in stale:
        print(f"{'out of date' if args.check else 'written'}: checks/gx/{name}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
