"""What `--scheduler` costs per video, beside the local pool (issue 14, part 2).

Starts a dask.distributed LocalCluster on this machine (worker processes, loopback
only; as many workers as the local pool has processes, one thread each), then runs
`vidaudit manifest` over generated frame folders and generated videos, locally and
with `--scheduler`, interleaved, each cold (no previous manifest). Every run is
verified: exit code 0, one row written per video, and the cluster's manifest is
byte-identical to the local one. Prints the medians and the difference per video:
the scheduler's overhead (client connection, task round trips, and for videos the
guarded subprocess each task starts on its worker).

The cluster is started before the timings (it stands for an existing cluster), and
the frames are cached as in bench_manifest.py.

    python benchmarks/bench_cluster.py [--folders 2000] [--videos 64] [--runs 5] [--small]

``--small``: 100 folders, 4 videos, 1 run (a few seconds after the cluster is up).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import load, tool
from bench_manifest import FRAMES, HEIGHT, WIDTH, ensure_frames


def ensure_videos(cache: Path, count: int) -> Path:
    from vidaudit.synth.media import write_video
    from vidaudit.synth.metadata import VideoInfo

    root = cache / f"videos-{count}x{FRAMES}-{WIDTH - 1}x{HEIGHT}"
    done = cache / f"{root.name}.complete"
    if done.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    print(f"generating {count} videos under {root} (once) ...", file=sys.stderr)
    for i in range(count):
        video_id = str(300_000 + 11 * i)
        write_video(VideoInfo(video_id, FRAMES, WIDTH - 1, HEIGHT, "", "train"),
                    root / f"{video_id}.mp4")
    done.write_text("")
    return root


def run(command: list[str], output: Path) -> tuple[float, bytes]:
    """Wall time and the manifest written; SystemExit if the run did not do its work."""
    output.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit code {done.returncode}: "
                         f"{done.stderr.strip()}")
    return elapsed, output.read_bytes()


def compare(kind: str, root: Path, count: int, address: str, runs: int, scratch: Path
            ) -> None:
    local_out, remote_out = scratch / f"{kind}-local.csv", scratch / f"{kind}-cluster.csv"
    base = [tool("vidaudit"), "manifest", f"--{kind}", str(root)]
    times: dict[str, list[float]] = {"local pool": [], "--scheduler": []}
    for _ in range(runs):
        elapsed, local = run([*base, "-o", str(local_out)], local_out)
        times["local pool"].append(elapsed)
        elapsed, remote = run([*base, "-o", str(remote_out), "--scheduler", address],
                              remote_out)
        times["--scheduler"].append(elapsed)
        rows = local.count(b"\n") - 1
        if rows != count:
            raise SystemExit(f"{kind}: the local manifest has {rows} rows, not {count}")
        if remote != local:
            raise SystemExit(f"{kind}: the cluster's manifest differs from the local one")
    local_median = statistics.median(times["local pool"])
    remote_median = statistics.median(times["--scheduler"])
    print(f"{kind}: {count:,} {'folders' if kind == 'frames' else 'videos'}, "
          f"{runs} run{'s' if runs != 1 else ''} interleaved; each run wrote {count:,} "
          "rows, the cluster's manifest byte-identical to the local one")
    for name, values in times.items():
        print(f"  {name:<12} median {statistics.median(values):7.3f} s  "
              f"min {min(values):7.3f} s   {count / statistics.median(values):8.1f} videos/s")
    print(f"  overhead of --scheduler: {(remote_median - local_median) / count * 1000:+.2f} ms "
          f"per video ({remote_median / local_median:.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folders", type=int, default=2000)
    parser.add_argument("--videos", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small", action="store_true",
                        help="100 folders, 4 videos, 1 run")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "vidaudit-bench-frames")
    args = parser.parse_args()
    if args.small:
        args.folders, args.videos, args.runs = 100, 4, 1
    try:
        from distributed import LocalCluster
    except ImportError:
        print("needs Dask: pip install '.[dask]'", file=sys.stderr)
        return 2
    frames = ensure_frames(args.cache, args.folders)
    videos = ensure_videos(args.cache, args.videos)
    workers = len(os.sched_getaffinity(0))
    print(load())
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            tempfile.TemporaryDirectory() as scratch:
        print(f"LocalCluster of {workers} worker processes at {cluster.scheduler_address}; "
              f"local pool: {workers} processes")
        compare("frames", frames, args.folders, cluster.scheduler_address, args.runs,
                Path(scratch))
        compare("videos", videos, args.videos, cluster.scheduler_address, args.runs,
                Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
