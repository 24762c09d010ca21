"""How long `vidaudit check --format html` takes on the real release, and how big the file is.

    python benchmarks/bench_html.py [METADATA_DIR] [--runs N]

Prints the median (and range) of N whole-process runs of the command, as a user
would run it, then one in-process breakdown: the check itself vs rendering the
HTML. The target is <= 3 s for the whole process and <= 10 MB for the file.

Each run also writes a JSON report (the same command with a second ``--format``),
checked against what the input implies (benchmarks/_expect.py), and must write the
HTML file afresh; a run that did not do that work makes the benchmark exit 1, saying
why. The in-process check is held to the same expectation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import run_guarded
from _expect import NotDone, release, verify

REAL = Path(__file__).resolve().parents[1].parent / "shared/data/ssv2-contact-release/metadata"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("metadata", nargs="?", default=str(REAL))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.metadata).is_dir():
        print(f"no metadata folder at {args.metadata}", file=sys.stderr)
        return 2
    manifest = Path(args.metadata) / "frame_manifest.csv"  # check picks it up by itself
    expected = release(Path(args.metadata), manifest if manifest.is_file() else None)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "report.html"
        report = Path(scratch) / "report.json"
        command = [sys.executable, "-m", "vidaudit", "check", args.metadata, "--format", "html",
                   "-o", str(out), "--format", "json", "-o", str(report)]
        times, cpu = [], []
        did = ""
        for _ in range(args.runs):
            out.unlink(missing_ok=True)
            report.unlink(missing_ok=True)
            before = os.times()
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            after = os.times()
            cpu.append(after.children_user - before.children_user
                       + after.children_system - before.children_system)
            did = verify(done.returncode, report.read_text() if report.exists() else None,
                         expected)
            if not out.is_file() or b"</html>" not in out.read_bytes()[-200:]:
                raise NotDone(f"no complete HTML report was written: {done.stderr[-500:]}")
        size = out.stat().st_size
    print(f"whole process: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs); "
          f"CPU time median {statistics.median(cpu):.2f} s (less sensitive to a busy machine)")
    print(f"file size: {size / 1e6:.2f} MB ({size:,} bytes); every run read {did}")

    from vidaudit.config import Config
    from vidaudit.engine import run_check
    from vidaudit.reporters import RenderOptions, html, json_report

    started = time.perf_counter()
    result = run_check(args.metadata, Config())
    checked = time.perf_counter()
    html.render(result, RenderOptions())
    rendered = time.perf_counter()
    as_json = json_report.render(result, RenderOptions())
    alone = release(Path(args.metadata))  # run_check alone does not pick up the manifest
    did = verify(1 if json.loads(as_json)["summary"]["error"] else 0, as_json, alone)
    print(f"in process: check {checked - started:.2f} s, render html {rendered - checked:.2f} s "
          f"({did})")
    return 0


if __name__ == "__main__":
    sys.exit(run_guarded(main))
