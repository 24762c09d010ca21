"""The bundled samples: the clean one passes, the broken ones fail exactly as planted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO, assert_located, json_report
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth.broken import MANIFEST, broken_release, unreadable_release


def test_committed_samples_are_what_the_generator_makes() -> None:
    completed = subprocess.run([sys.executable, "-m", "vidaudit.synth", "--check"], cwd=REPO,
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_clean_sample_passes() -> None:
    code, report = json_report("metadata", cwd=REPO)
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["videos"] >= 100
    assert report["summary"]["events"] > report["summary"]["videos"]


@pytest.mark.parametrize("folder, make", [("examples/broken", broken_release),
                                          ("examples/unreadable", unreadable_release)])
def test_broken_samples_report_exactly_what_was_planted(folder: str, make) -> None:  # type: ignore[no-untyped-def]
    code, report = json_report(folder, cwd=REPO)  # with its frame_manifest.csv, if any
    assert code == 1
    got = {(f["code"], Path(f["file"]).name, f["pointer"]) for f in report["findings"]}
    files = {**DEFAULT_FILES, MANIFEST: MANIFEST}
    planted = {(p.code, files[p.role], p.pointer) for p in make().planted}
    assert got == planted
    for finding in report["findings"]:
        assert finding["file"].startswith(folder + "/")  # paths as given
        assert_located(finding, base=REPO)


def test_broken_sample_covers_every_metadata_rule() -> None:
    planted = {p.code for p in broken_release().planted} | \
        {p.code for p in unreadable_release().planted}
    wanted = {"VA101", "VA102", "VA103", "VA104", "VA105", *(f"VA20{i}" for i in range(1, 9)),
              *(f"VA30{i}" for i in range(1, 10)), "VA312", "VA401", "VA402", "VA403",
              "VA404", "VA501", "VA502"}
    assert wanted <= planted


def test_ssv2_samples_report_exactly_what_was_planted() -> None:
    from vidaudit.synth.ssv2 import broken_sample

    code, report = json_report("examples/ssv2", cwd=REPO)
    assert (code, report["profile"], report["findings"]) == (0, "ssv2", [])
    code, report = json_report("examples/ssv2-broken", cwd=REPO)
    assert code == 1 and report["profile"] == "ssv2"
    got = {(f["code"], Path(f["file"]).name, f["pointer"],
            f["line"] if f["file"].endswith(".csv") else None) for f in report["findings"]}
    assert got == set(broken_sample().planted)
    assert len(got) == len(report["findings"])
    wanted = {"VA201", "VA202", "VA301", "VA302", *(f"VA70{i}" for i in range(1, 7))}
    assert wanted <= {code for code, _, _, _ in got}
    for finding in report["findings"]:
        assert finding["file"].startswith("examples/ssv2-broken/")
        assert finding["line"] and finding["column"]
        assert_located(finding, base=REPO)
