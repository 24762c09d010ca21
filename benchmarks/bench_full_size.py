"""`vidaudit check` on a contact/release release at SSv2's full size (issue 14, "Scale").

Builds, in a temporary folder, a release of every SSv2 video id (220,847: the ids of
SSv2's train rawframes list, of its validation annotation and of its test answers),
each given the event list of a real video of the contact/release metadata, cycling
through them (about 528k events, a ~50 MB events file). The event lists are copied
value for value, so the real files' mix of integers and floats written as integers
(``10.0``: VA206 warnings) is kept. Splits are SSv2's own split of each id, templates
SSv2's class of each id (bracket-free names); no frame manifest.

Then times, as whole processes, interleaved, medians of ``--runs``:
- ``vidaudit check --format json`` on that release;
- ``check-jsonschema`` validating only its events file against vidaudit's schema;
each in a fresh subprocess whose ``resource.getrusage(RUSAGE_CHILDREN)`` gives the
run's peak RSS. Every run is verified (benchmarks/_expect.py: exit code, videos and
events counted from the JSON report, findings by code, no error finding); a run that
did not do its work makes the benchmark exit 1, saying why.

Targets (issue 14): vidaudit <= 0.1x check-jsonschema on the events file alone, peak
RSS <= 1 GB (on the real metadata, <= 0.6x: bench_check.py prints that ratio).

Then, for the record (no target), ``vidaudit baseline`` writing every finding to a
baseline and ``check --baseline`` with it, verified the same way: as many entries as
findings, then every finding suppressed and exit 0; and ``vidaudit audit --no-gx`` of
the release against itself (a re-audit), verified from its ``audit.json`` and
``diff.json``: the expected counts and findings, exit 0, nothing changed.

    python benchmarks/bench_full_size.py [--runs 3] [--small] [--keep DIR]

``--small`` builds a release of the first 3,000 ids (numeric order) and runs once: a
few seconds, to see that the script works.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from _common import REAL_METADATA, REPO, load, run_guarded, tool
from _expect import FILES, Expected, NotDone, release, verify

SSV2 = REPO.parent / "shared" / "data" / "ssv2"
SMALL = 3000
TARGET_RATIO = 0.1
TARGET_RSS_MB = 1024

# One run of a command in a fresh interpreter: its wall time, exit code and peak RSS
# (the only child of that interpreter, so RUSAGE_CHILDREN is the command's own).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "code": code, "rss_mb": peak // 1024}))
"""


def ssv2_classes() -> tuple[dict[str, str], dict[str, str]]:
    """SSv2's split and class (bracket-free template name) of each of its video ids."""
    names = json.loads((SSV2 / "labels.json").read_text())
    by_index = {int(index): name.replace("[", "").replace("]", "")
                for name, index in names.items()}
    split: dict[str, str] = {}
    template: dict[str, str] = {}
    for line in (SSV2 / "rawframe-lists" / "train.txt").read_text().splitlines():
        video, _frames, label = line.split()
        split[video], template[video] = "train", by_index[int(label)]
    annotations = SSV2 / "annotations"
    for item in json.loads((annotations / "something-something-v2-validation.json").read_text()):
        video = item["id"]
        split[video] = "validation"
        template[video] = item["template"].replace("[", "").replace("]", "")
    with (annotations / "something-something-v2-test-answers.csv").open(newline="") as handle:
        for video, name in csv.reader(handle, delimiter=";"):
            split[video], template[video] = "test", name
    return split, template


def build(folder: Path, small: bool) -> None:
    """Write the full-size (or small) release into ``folder``."""
    split, template = ssv2_classes()
    ids = sorted(split, key=int)[:SMALL] if small else sorted(split, key=int)
    real = json.loads((REAL_METADATA / FILES["events"]).read_text())
    lists = cycle([events for events in real.values() if events])
    folder.mkdir(parents=True, exist_ok=True)
    # Written like the real file (compact); json keeps 10.0 a float and 10 an int.
    with (folder / FILES["events"]).open("w") as handle:
        handle.write("{")
        for n, video in enumerate(ids):
            handle.write(("," if n else "") + json.dumps(video) + ":"
                         + json.dumps(next(lists), separators=(",", ":")))
        handle.write("}")
    for role in ("train", "validation", "test"):
        (folder / FILES[role]).write_text(
            json.dumps([v for v in ids if split[v] == role], indent=2))
    templates: dict[str, list[str]] = {}
    for video in ids:
        templates.setdefault(template[video], []).append(video)
    (folder / FILES["templates"]).write_text(json.dumps(templates, indent=2))


def measure(command: list[str | Path]) -> tuple[float, int, int]:
    """Wall time (s), exit code and peak RSS (MB) of one run, in a fresh subprocess."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, command)],
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    return figures["seconds"], figures["code"], figures["rss_mb"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true",
                        help=f"the first {SMALL:,} SSv2 ids, 1 run")
    parser.add_argument("--keep", type=Path, help="build the release here and keep it")
    args = parser.parse_args()
    if not (REAL_METADATA / FILES["events"]).exists() or not SSV2.is_dir():
        print(f"no metadata at {REAL_METADATA} or no SSv2 files at {SSV2}", file=sys.stderr)
        return 2
    runs = 1 if args.small else args.runs
    print(load())
    with tempfile.TemporaryDirectory() as scratch:
        metadata = args.keep or Path(scratch) / "metadata"
        build(metadata, args.small)
        expected = release(metadata)
        if expected.exit_code != 0:
            raise NotDone(f"the built release has error findings: {expected.describe()}")
        events_file = metadata / FILES["events"]
        size = events_file.stat().st_size / 1e6
        print(f"built {metadata}: {expected.videos:,} videos, {expected.events:,} events, "
              f"events file {size:.1f} MB")
        report = Path(scratch) / "report.json"

        def checked(code: int) -> str:
            text = report.read_text() if report.exists() else None
            report.unlink(missing_ok=True)
            return verify(code, text, expected)

        def exit_zero(code: int) -> str:
            if code != 0:
                raise NotDone(f"exit {code}, expected 0 (the events file is valid)")
            return "exit 0 as expected"

        commands: dict[str, tuple[list[str | Path], Callable[[int], str]]] = {
            "vidaudit check --format json": (
                [tool("vidaudit"), "check", metadata, "--no-manifest", "--format", "json",
                 "--output", report], checked),
            "check-jsonschema (events file only)": (
                [tool("check-jsonschema"), "--schemafile",
                 REPO / "schemas" / "video_events_labels.schema.json", events_file],
                exit_zero),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        rss: dict[str, int] = dict.fromkeys(commands, 0)
        did: dict[str, str] = {}
        for _ in range(runs):
            for name, (command, check) in commands.items():
                seconds, code, peak = measure(command)
                try:
                    did[name] = check(code)
                except NotDone as failure:
                    raise NotDone(f"{name}: {failure}") from None
                times[name].append(seconds)
                rss[name] = max(rss[name], peak)
        baselines = _baselines(metadata, Path(scratch), expected, runs)
        baselines.update(_audit(metadata, Path(scratch), expected, runs))
    print(f"whole process, {runs} run{'s' if runs != 1 else ''} interleaved:")
    for name in commands:
        print(f"  {name:<38} median {statistics.median(times[name]):7.2f} s  "
              f"min {min(times[name]):7.2f} s  peak RSS {rss[name]:5d} MB")
    print(f"vidaudit: every run read {did['vidaudit check --format json']}")
    ours, theirs = (statistics.median(t) for t in times.values())
    ratio = ours / theirs
    peak = rss["vidaudit check --format json"]
    verdict = "within" if ratio <= TARGET_RATIO and peak <= TARGET_RSS_MB else "OVER"
    print(f"vidaudit / check-jsonschema: {ratio:.3f} (target <= {TARGET_RATIO}); "
          f"vidaudit peak RSS {peak} MB (target <= {TARGET_RSS_MB} MB): {verdict} target"
          + (" (small release: the targets are for the full size)" if args.small else ""))
    print("a baseline of every finding, and a re-audit (no targets; for the record), run "
          "after the above:")
    for name, (seconds, peak_mb, did_it) in baselines.items():
        print(f"  {name:<38} median {seconds:7.2f} s  peak RSS {peak_mb:5d} MB  ({did_it})")
    return 0


def _baselines(metadata: Path, scratch: Path, expected: Expected, runs: int
               ) -> dict[str, tuple[float, int, str]]:
    """``vidaudit baseline`` writing every finding, then ``check --baseline`` with it (each
    verified: every finding an entry; every finding suppressed, none left, exit 0)."""
    baseline = scratch / "baseline.json"
    report = scratch / "suppressed.json"
    total = sum(expected.findings.values())

    def written(code: int) -> str:
        entries = len(json.loads(baseline.read_bytes())["entries"]) if code == 0 else -1
        if entries != total:
            raise NotDone(f"vidaudit baseline: exit {code}, {entries:,} entries, "
                          f"expected exit 0 and {total:,}")
        return f"{entries:,} entries"

    def suppressed(code: int) -> str:
        found = json.loads(report.read_bytes()) if report.exists() else {}
        report.unlink(missing_ok=True)
        kept = found.get("summary", {}).get("suppressed")
        if code != 0 or kept != total or found.get("findings") != []:
            raise NotDone(f"check --baseline: exit {code}, {kept} suppressed, expected exit 0, "
                          f"{total:,} suppressed and no finding left")
        return f"{kept:,} suppressed"

    steps: dict[str, tuple[list[str | Path], Callable[[int], str]]] = {
        "vidaudit baseline (writes it)": (
            [tool("vidaudit"), "baseline", metadata, "--no-manifest", "--output", baseline],
            written),
        "vidaudit check --baseline": (
            [tool("vidaudit"), "check", metadata, "--no-manifest", "--baseline", baseline,
             "--format", "json", "--output", report], suppressed),
    }
    figures: dict[str, tuple[list[float], int, str]] = {}
    for _ in range(runs):
        for name, (command, check) in steps.items():
            if name.endswith("(writes it)"):
                baseline.unlink(missing_ok=True)  # a fresh file each time, not a rewrite
            seconds, code, peak = measure(command)
            did_it = check(code)
            times, most, _ = figures.get(name, ([], 0, ""))
            figures[name] = ([*times, seconds], max(most, peak), did_it)
    return {name: (statistics.median(times), most, did_it)
            for name, (times, most, did_it) in figures.items()}


def _audit(metadata: Path, scratch: Path, expected: Expected, runs: int
           ) -> dict[str, tuple[float, int, str]]:
    """``vidaudit audit --no-gx`` of the release against itself, verified: its verdict
    counts the expected videos, events and findings (exit 0), and its diff is empty."""
    out = scratch / "audit"

    def audited(code: int) -> str:
        try:
            verdict = json.loads((out / "audit.json").read_bytes())["verdict"]
            diff = json.loads((out / "diff.json").read_bytes())
        except (OSError, ValueError, KeyError) as error:
            raise NotDone(f"vidaudit audit: exit {code}, no audit.json/diff.json ({error})"
                          ) from None
        counts = {code: rule["count"] for code, rule in verdict["by_rule"].items()}
        changed = [key for key in ("added", "removed", "split_moves", "template_moves",
                                   "event_changes") if diff[key]]
        summary = verdict["summary"]
        if (code, verdict["exit_code"]) != (0, 0) or counts != dict(expected.findings) \
                or (summary["videos"], summary["events"]) != (expected.videos,
                                                              expected.events) or changed:
            raise NotDone(f"vidaudit audit: exit {code}, {summary}, findings {counts}, "
                          f"changed {changed}; expected {expected.describe()}, no change")
        return f"{summary['videos']:,} videos, {sum(counts.values()):,} findings, no change"

    command: list[str | Path] = [tool("vidaudit"), "audit", metadata, "--previous", metadata,
                                 "--no-manifest", "--no-gx", "--output-dir", out]
    times: list[float] = []
    most = 0
    did_it = ""
    for _ in range(runs):
        seconds, code, peak = measure(command)
        did_it = audited(code)
        times.append(seconds)
        most = max(most, peak)
    return {"vidaudit audit --no-gx (against itself)": (statistics.median(times), most,
                                                        did_it)}


if __name__ == "__main__":
    sys.exit(run_guarded(main))
