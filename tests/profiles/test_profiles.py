"""The profile interface as a user meets it: `vidaudit profiles`, detection, `--profile`,
per-profile configuration, and a profile that another distribution registers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from support import REPO, assert_located, json_report, run_cli

CONTACT_RELEASE = ("video_events_labels.json", "template_to_video_ids_map.json",
                   "train_videos_ids_labeled.json", "validation_videos_ids_labeled.json",
                   "test_videos_ids_labeled.json")


def test_profiles_lists_each_format_with_its_files() -> None:
    done = run_cli("profiles")
    assert done.returncode == 0
    assert "ssv2-contact-release: " in done.stdout and "\nssv2: " in done.stdout
    for name in (*CONTACT_RELEASE, "something-something-v2-labels.json"):
        assert name in done.stdout
    listed = json.loads(run_cli("profiles", "--format", "json").stdout)
    by_name = {p["name"]: p for p in listed}
    assert [f["name"] for f in by_name["ssv2-contact-release"]["files"]] == \
        list(CONTACT_RELEASE)
    labels = by_name["ssv2"]["files"][0]
    assert labels["name"] == "something-something-v2-labels.json" and labels["required"]
    assert "VA701" in by_name["ssv2"]["rules"] and "VA701" not in \
        by_name["ssv2-contact-release"]["rules"]


@pytest.mark.parametrize("folder, profile", [("metadata", "ssv2-contact-release"),
                                             ("examples/ssv2", "ssv2")])
def test_the_profile_is_detected_and_reported(folder: str, profile: str) -> None:
    code, report = json_report(folder, cwd=REPO)
    assert code == 0
    assert report["profile"] == profile


def test_a_folder_no_profile_recognises_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{}")
    done = run_cli("check", tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "matches no dataset profile" in line and "--profile" in line
    assert "ssv2-contact-release" in line and "ssv2" in line


def test_a_folder_two_profiles_recognise_must_be_named(tmp_path: Path) -> None:
    for name in CONTACT_RELEASE:
        shutil.copy(REPO / "metadata" / name, tmp_path / name)
    shutil.copy(REPO / "examples" / "ssv2" / "something-something-v2-labels.json", tmp_path)
    done = run_cli("check", tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "several dataset profiles (ssv2-contact-release, ssv2)" in line
    code, report = json_report(tmp_path, "--profile", "ssv2-contact-release", "--no-manifest")
    assert (code, report["profile"]) == (0, "ssv2-contact-release")


def test_an_unknown_profile_is_refused() -> None:
    done = run_cli("check", "metadata", "--profile", "ssv3", cwd=REPO)
    assert done.returncode == 2
    assert "unknown profile 'ssv3'" in done.stderr


def _broken_actions(folder: Path) -> str:
    """Make the first event's action 'touch' (valid only with a widened vocabulary)."""
    events_path = folder / "video_events_labels.json"
    events = json.loads(events_path.read_text())
    video = sorted(events)[0]
    events[video][0]["action"] = "touch"
    events_path.write_text(json.dumps(events))
    return video


@pytest.mark.parametrize("table", ["", "[profiles.ssv2-contact-release]\n"])
def test_vocabularies_are_profile_settings(tmp_path: Path, table: str) -> None:
    """The top-level keys of earlier releases and the profile's own table mean the same."""
    folder = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", folder)
    video = _broken_actions(folder)
    code, report = json_report(folder, "--no-manifest")
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["code"], finding["video_id"]) == ("VA203", video)
    assert_located(finding)
    config = tmp_path / "vidaudit.toml"
    config.write_text(f'{table}actions = ["contact", "release", "touch"]\n')
    code, report = json_report(folder, "--no-manifest", "--config", config)
    assert (code, report["findings"]) == (0, [])


@pytest.mark.parametrize("text, message", [
    ('[profiles.ssv2-contact-release]\naction = ["x"]\n',
     "unknown key(s) action for profile ssv2-contact-release"),
    ('[profiles.ssv3]\nfiles = {}\n', "settings for unknown profile 'ssv3'"),
    ('actions = ["a"]\n[profiles.ssv2-contact-release]\nactions = ["b"]\n',
     "actions set both at the top level and under profiles.ssv2-contact-release"),
    ('profile = "ssv3"\n', "unknown profile 'ssv3'"),
    ('[profiles.ssv2-contact-release]\nagents = []\n', "must be a non-empty list"),
])
def test_bad_profile_settings_are_one_line_errors(tmp_path: Path, text: str,
                                                  message: str) -> None:
    config = tmp_path / "vidaudit.toml"
    config.write_text(text)
    done = run_cli("check", "metadata", "--config", config, cwd=REPO)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert message in line


def test_profile_in_the_configuration_skips_detection(tmp_path: Path) -> None:
    config = tmp_path / "vidaudit.toml"
    config.write_text('profile = "ssv2"\n')
    done = run_cli("check", "metadata", "--config", config, cwd=REPO)
    assert done.returncode == 1  # the contact/release files are not SSv2's: labels missing
    assert "VA101" in done.stdout and "something-something-v2-labels.json" in done.stdout


PLUGIN = '''
from vidaudit.profiles.base import FileSpec, Profile
from vidaudit.rules.registry import check


class Toy(Profile):
    name = "toy"
    description = "a toy format from another distribution: a list of video ids"
    files = (FileSpec("ids", "toy_ids.json", None),)
    rule_prefixes = ("VA202",)

    def build(self, root, sources, config):
        import pandas as pd
        from vidaudit.dataset import Dataset

        source = sources["ids"]
        ids = source.data if isinstance(source.data, list) else []
        table = pd.DataFrame({"video_id": pd.Series(ids, dtype=object),
                              "pointer": [f"/{i}" for i in range(len(ids))]})
        table["file"], table["identity"] = source.display, table["pointer"]
        dataset = Dataset(root=root, profile=self.name, sources=sources,
                          tables={"ids": table})
        dataset.usable = {"ids"} if isinstance(source.data, list) else set()
        dataset.stats = {"videos": len(ids)}
        return dataset


check("VA202", profile="toy", tables="ids",
      predicate=lambda s, c: s.map(lambda v: isinstance(v, str) and v.isdigit()),
      message="{value} is not a video id", columns=("video_id",))
PROFILE = Toy()
'''


def test_a_profile_from_another_distribution_plugs_in(tmp_path: Path) -> None:
    """Registered through the entry-point group, as a package outside this repository."""
    site = tmp_path / "site"
    (site / "toy_profile").mkdir(parents=True)
    (site / "toy_profile" / "__init__.py").write_text(PLUGIN)
    info = site / "toy_profile-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-profile\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[vidaudit.profiles]\ntoy = toy_profile:PROFILE\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "toy_ids.json").write_text('["12", "x1", 7]')
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}

    listing = run_cli("profiles", env=env)
    assert "toy: a toy format from another distribution" in listing.stdout
    done = run_cli("check", data, "--format", "json", env=env)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["profile"] == "toy"
    assert [(f["code"], f["pointer"], f["line"], f["column"]) for f in report["findings"]] == \
        [("VA202", "/1", 1, 8), ("VA202", "/2", 1, 14)]


def test_schema_findings_name_their_video_in_every_profile() -> None:
    """VA201 in an SSv2 list names the row's video, as in the contact/release files."""
    folder = REPO / "examples" / "ssv2-broken"
    code, report = json_report(folder, cwd=REPO)
    assert code == 1
    schema = [f for f in report["findings"] if f["code"] == "VA201"]
    assert schema
    for finding in schema:
        rows = json.loads((REPO / finding["file"]).read_text())
        index = int(finding["pointer"].split("/")[1])
        assert finding["video_id"] == rows[index]["id"]
