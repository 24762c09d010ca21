"""`vidaudit check` on a clean release whose events file is ~200 MB (issue 7).

Generates the release in a temporary folder (vidaudit.synth.large: 1.15 million
videos, 2.3 million events for 200 MB; nothing is committed), then prints the median
wall time and the peak RSS of `vidaudit check --format json` over --runs runs, and the
same for a file over the size limit (refused unread, VA107). The real dataset's events
file is 2.3 MB; the default limit, max-file-mb = 256, lets a 200 MB file through.

    python benchmarks/bench_big_file.py [--mb 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import load, median_runs

from vidaudit.synth import large


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=200.0, help="events file size (MB)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidaudit-big-") as temporary:
        root = Path(temporary)
        n_videos = large.videos_for(int(args.mb * 1024 * 1024))
        large.write(root / "metadata", n_videos)
        size = (root / "metadata" / "video_events_labels.json").stat().st_size
        limit = root / "vidaudit.toml"
        limit.write_text(f"max-file-mb = {max(1, int(args.mb) // 2)}\n")
        check = [sys.executable, "-m", "vidaudit", "check", str(root / "metadata"),
                 "--format", "json", "--output", str(root / "report.json")]
        results = median_runs({"check": check, "refused": [*check, "--config", str(limit)]},
                              args.runs)
    print(f"events file: {size / 1e6:,.0f} MB, {n_videos:,} videos, {2 * n_videos:,} events; "
          f"{load()}")
    for name, (median, fastest, rss) in results.items():
        what = "full check" if name == "check" else f"over max-file-mb ({args.mb // 2:g})"
        print(f"  {what:<28} median {median:6.2f} s (min {fastest:.2f} s)   "
              f"peak RSS {rss:,} MB ({rss * 1024 * 1024 / size:.1f}x the file)")


if __name__ == "__main__":
    main()
