"""The package's structure: the layers declared in pyproject.toml hold, no two modules
import each other (directly or round a cycle), and nothing outside a profile's package
names a dataset's files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

from support import REPO

SOURCE = REPO / "src" / "vidaudit"


def test_import_layers_hold() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    done = subprocess.run([lint, "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_no_import_cycles_between_modules() -> None:
    graph = grimp.build_graph("vidaudit")
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.add(tuple(sorted((module, imported))))
    # A package's __init__ importing its own modules (to register them) is not a cycle
    # of the kind that hides a missing layer.
    cycles = {c for c in cycles if not any(m.endswith(("__init__",)) or
                                          c[1].startswith(c[0] + ".") or
                                          c[0].startswith(c[1] + ".") for m in c)}
    assert not cycles, sorted(cycles)


def test_only_profiles_name_dataset_files() -> None:
    names = ("video_events_labels", "template_to_video_ids_map", "_videos_ids_labeled",
             "something-something-v2-", "event_lists", "split_entries", "template_entries",
             "frameNumber")
    offenders = []
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith(("profiles/", "synth/")):
            continue
        text = path.read_text("utf-8")
        offenders += [f"{relative}: {name}" for name in names if name in text]
    assert not offenders, offenders
