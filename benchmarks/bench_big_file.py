"""`vidaudit check` on a clean release whose events file is ~200 MB (issue 7).

Generates the release in a temporary folder (vidaudit.synth.large: 1.15 million
videos, 2.3 million events for 200 MB; nothing is committed), then prints the median
wall time and the peak RSS of `vidaudit check --format json` over --runs runs, and the
same for a file over the size limit (refused unread, VA107). The real dataset's events
file is 2.3 MB; the default limit, max-file-mb = 256, lets a 200 MB file through.

Every run's exit code and JSON report are checked: the full check must count every
video and event of the file (counted with the json module) and find nothing, exit 0;
the refused run must give exactly one VA107, exit 1. A run that did not do that work
makes the benchmark exit 1, saying why.

    python benchmarks/bench_big_file.py [--mb 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from _common import Timed, load, median_runs, run_guarded
from _expect import Expected, release, verify

from vidaudit.synth import large


def reported(command: list[str], report: Path, expected: Expected) -> Timed:
    """``command`` writing its JSON report to ``report``, checked after each run."""
    def check(code: int) -> str:
        text = report.read_text() if report.exists() else None
        report.unlink(missing_ok=True)
        return verify(code, text, expected)
    return Timed([*command, "--format", "json", "--output", str(report)], check)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="events file size (MB, >= 2)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.mb < 2:
        parser.error("--mb must be at least 2 (the refused run needs a limit of half of it)")
    with tempfile.TemporaryDirectory(prefix="vidaudit-big-") as temporary:
        root = Path(temporary)
        n_videos = large.videos_for(int(args.mb * 1024 * 1024))
        large.write(root / "metadata", n_videos)
        size = (root / "metadata" / "video_events_labels.json").stat().st_size
        limit = root / "vidaudit.toml"
        limit.write_text(f"max-file-mb = {max(1, int(args.mb) // 2)}\n")
        check = [sys.executable, "-m", "vidaudit", "check", str(root / "metadata")]
        report = root / "report.json"
        full = release(root / "metadata")
        refused = Expected(1, 0, 0, Counter({"VA107": 1}))
        results = median_runs({"check": reported(check, report, full),
                               "refused": reported([*check, "--config", str(limit)], report,
                                                   refused)}, args.runs)
    print(f"events file: {size / 1e6:,.0f} MB, {n_videos:,} videos, {2 * n_videos:,} events; "
          f"{load()}")
    for name, run in results.items():
        what = "full check" if name == "check" else f"over max-file-mb ({args.mb // 2:g})"
        print(f"  {what:<28} median {run.median:6.2f} s (min {run.fastest:.2f} s)   "
              f"peak RSS {run.rss:,} MB ({run.rss * 1024 * 1024 / size:.1f}x the file)   "
              f"({run.did})")
    return 0


if __name__ == "__main__":
    sys.exit(run_guarded(main))
