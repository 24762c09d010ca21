"""Every rule has a fixture folder, and each fixture triggers exactly what it says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import REPO, assert_located, json_report, run_cli
from vidaudit.profiles import available
from vidaudit.rules.registry import RULES

available()  # importing the profiles registers their rules

FIXTURES = REPO / "tests" / "fixtures" / "rules"
# Rules whose machinery is still being built: "reference" needs SSv2's own annotation
# files.
NOT_YET = {"reference"}


def rule_folders() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith("VA"))


def test_every_rule_has_a_fixture_folder() -> None:
    missing = [code for code, rule in RULES.items()
               if rule.needs not in NOT_YET and not (FIXTURES / code).is_dir()]
    assert not missing, f"rules without a fixture folder under {FIXTURES}: {missing}"


def base_of(code: str) -> Path:
    """The clean dataset a fixture starts from: ``base/``, or the one ``base.txt`` names."""
    named = FIXTURES / code / "base.txt"
    return FIXTURES / (named.read_text().strip() if named.exists() else "base")


@pytest.mark.parametrize("base", sorted(p.name for p in FIXTURES.iterdir()
                                         if p.name.startswith("base")))
def test_base_is_clean(base: str) -> None:
    code, report = json_report(FIXTURES / base, "--no-manifest")
    assert code == 0
    assert report["findings"] == []


def build(code: str, target: Path) -> Path:
    folder = FIXTURES / code
    dataset = target / "metadata"
    shutil.copytree(base_of(code), dataset)
    for item in (folder / "fail").iterdir() if (folder / "fail").exists() else []:
        destination = dataset / item.name
        if destination.exists():
            shutil.rmtree(destination) if destination.is_dir() else destination.unlink()
        if item.is_dir():
            shutil.copytree(item, destination)
        else:
            shutil.copy2(item, destination)
    remove = folder / "remove.txt"
    for name in remove.read_text().split() if remove.exists() else []:
        (dataset / name).unlink()
    return dataset


@pytest.mark.parametrize("code", rule_folders())
def test_fixture(code: str, tmp_path: Path) -> None:
    folder = FIXTURES / code
    dataset = build(code, tmp_path)
    args: list[str | Path] = [dataset]
    if (folder / "vidaudit.toml").exists():
        args += ["--config", folder / "vidaudit.toml"]
    if not (dataset / "frame_manifest.csv").exists():
        args.append("--no-manifest")
    if RULES[code].needs == "previous":  # base/ is the previous release, the fixture the next
        exit_code, report = audit_report(args, tmp_path / "audit")
    else:
        exit_code, report = json_report(*args)
    expected = json.loads((folder / "expected.json").read_text())
    also_file = folder / "also.txt"
    allowed = {code, *(also_file.read_text().split() if also_file.exists() else [])}

    found = [f for f in report["findings"] if f["code"] == code]
    got = sorted((Path(f["file"]).name, f["pointer"]) for f in found)
    want = sorted((e["file"], e["pointer"]) for e in expected["fail"])
    assert want, f"{folder / 'expected.json'} expects no finding"
    assert got == want, expected["about"]
    others = {f["code"] for f in report["findings"]} - allowed
    assert not others, f"unexpected codes {others}"
    # The default --fail-on error: exit 1 exactly when some finding is an error, whatever
    # the rule's own severity (a warning-only fixture must exit 0).
    errors = [f["code"] for f in report["findings"] if f["severity"] == "error"]
    assert exit_code == (1 if errors else 0), (exit_code, errors)
    for finding in report["findings"]:
        assert finding["name"] == RULES[finding["code"]].name
        assert_located(finding)


def audit_report(args: list[str | Path], out: Path) -> tuple[int, dict[str, object]]:
    completed = run_cli("audit", *args, "--previous", FIXTURES / "base", "--no-gx",
                        "--output-dir", out)
    assert completed.returncode in (0, 1), completed.stderr
    return completed.returncode, json.loads((out / "report.json").read_text())
