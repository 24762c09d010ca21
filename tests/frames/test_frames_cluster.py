"""--scheduler: probing on a real dask.distributed cluster (a LocalCluster of worker
processes on the loopback interface, started here) gives the same manifest bytes and the
same check report as the local pool; a worker that dies costs one video (VA405), never
loses it; an unreachable scheduler is a one-line error (exit 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin
from framehelp import of

from support import Media
from vidaudit.cli import main
from vidaudit.frames.csvio import parse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    # One retry after a worker dies (the default is 3): the death test stays short.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0") as local:
        yield local


def broken(copy: Media) -> Media:
    """Media with a gap in one frames folder and one video that is not a video."""
    first, second = copy.ids[:2]
    frames = sorted((copy.frames / first).iterdir())
    frames[len(frames) // 2].unlink()
    video = next(p for p in copy.videos.iterdir() if p.stem == second)
    video.write_bytes(b"\x1aE\xdf\xa3 not really a video" * 50)
    return copy


def manifest(kind: str, media: Media, output: Path, *extra: str) -> bytes:
    assert main(["manifest", f"--{kind}", str(getattr(media, kind)), "-o", str(output),
                 *extra]) == 0
    return output.read_bytes()


@pytest.mark.parametrize("kind", ["frames", "videos"])
def test_manifest_on_the_cluster_is_the_local_one(kind, copy, cluster, tmp_path):
    media = broken(copy)
    local = manifest(kind, media, tmp_path / "local.csv")
    remote = manifest(kind, media, tmp_path / "remote.csv", "--scheduler",
                      cluster.scheduler_address)
    assert remote == local
    rows, problems, _ = parse(local.decode())
    assert not problems and [r.video_id for r in rows] == media.ids
    odd = [r.video_id for r in rows if not r.clean]
    assert odd == [media.ids[0] if kind == "frames" else media.ids[1]]


@pytest.mark.parametrize("kind", ["frames", "videos"])
def test_check_on_the_cluster_reports_what_the_local_check_does(kind, copy, cluster, check):
    media = broken(copy)
    args = [str(media.metadata), f"--{kind}", str(getattr(media, kind)), "--no-manifest"]
    local_code, local = check(*args)
    remote_code, remote = check(*args, "--scheduler", cluster.scheduler_address)
    assert (remote_code, remote) == (local_code, local)
    assert local_code == 1
    expected = "VA404" if kind == "frames" else "VA405"
    assert [f["video_id"] for f in of(local, expected)] == \
        [media.ids[0] if kind == "frames" else media.ids[1]]


class KillOnProbe(WorkerPlugin):
    """Stands for a video whose probing kills the worker process (a node lost, the OOM
    killer): the worker exits as soon as it starts a task that holds ``video_id``, that
    is a task of several videos or the task of that video alone."""

    def __init__(self, video_id: str, prefix: str = "vidaudit-probe-") -> None:
        self.video_id, self.prefix = video_id, prefix

    def setup(self, worker) -> None:
        self.worker = worker

    def transition(self, key, start, finish, **kwargs) -> None:
        name = str(key)
        if finish == "executing" and name.startswith(self.prefix):
            first, size = name.split("-")[2:4]
            if size != "1" or first == self.video_id:
                os._exit(1)


def test_a_worker_that_dies_costs_that_video_only(copy, cluster, check, tmp_path):
    victim = copy.ids[3]
    local_code, local = check(str(copy.metadata), "--frames", str(copy.frames),
                              "--no-manifest")
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(KillOnProbe(victim), name="kill-on-probe")
        try:
            code, report = check(str(copy.metadata), "--frames", str(copy.frames),
                                 "--no-manifest", "--scheduler", cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin("kill-on-probe")
    assert (local_code, of(local, "VA405")) == (0, [])
    assert code == 1
    [lost] = of(report, "VA405")
    assert lost["video_id"] == victim and "killed the Dask worker" in lost["message"]
    others = [f for f in report["findings"] if f["video_id"] != victim]
    assert others == [f for f in local["findings"] if f["video_id"] != victim]
    assert report["summary"]["videos"] == local["summary"]["videos"]


def test_an_unreachable_scheduler_is_a_one_line_error(media, tmp_path, capsys, monkeypatch):
    # From the configuration, so that key is covered too; port 9 (discard) is closed here.
    (tmp_path / "vidaudit.toml").write_text('scheduler = "tcp://127.0.0.1:9"\n')
    monkeypatch.chdir(tmp_path)
    code = main(["check", str(media.metadata), "--frames", str(media.frames),
                 "--format", "json", "--output", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "r.json").exists()
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


def test_the_scheduler_option_is_on_every_probing_command(capsys):
    for command in ("check", "manifest", "audit"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--scheduler ADDRESS" in capsys.readouterr().out


def test_dask_is_imported_only_for_a_cluster(media, tmp_path):
    script = ("import sys; from vidaudit.cli import main; "
              f"code = main(['check', {str(media.metadata)!r}, '--frames', "
              f"{str(media.frames)!r}, '--format', 'json', '--output', "
              f"{str(tmp_path / 'r.json')!r}]); "
              "print(code, 'distributed' in sys.modules, 'dask' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["0", "False", "False"], done.stderr


def test_a_scheduler_without_workers_is_a_one_line_error(media, tmp_path, capsys):
    with LocalCluster(n_workers=0, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as empty:
        code = main(["manifest", "--frames", str(media.frames), "-o",
                     str(tmp_path / "m.csv"), "--scheduler", empty.scheduler_address])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "m.csv").exists()
    assert err.count("\n") == 1 and "has no workers" in err, err


REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("sample", ["sav-broken", "kinetics-tps-broken"])
def test_per_video_annotation_files_on_the_cluster(sample, cluster, check, tmp_path,
                                                   monkeypatch):
    """SA-V's per-video masklet files and frame/mask folders, and Kinetics-TPS's per-frame
    files, are checked on the cluster's workers with --scheduler: the same report as the
    local run, whose findings are those the sample plants. Run from another folder with
    a relative path, so that the workers (whose working folder is not ours) must be
    given absolute paths while the report keeps the paths as given."""
    shutil.copytree(REPO / "examples" / sample, tmp_path / sample)
    monkeypatch.chdir(tmp_path)
    local_code, local = check(sample)
    ran = tmp_path / "ran.txt"
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(RecordTasks(str(ran)), name="record-tasks")
        try:
            remote_code, remote = check(sample, "--scheduler", cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin("record-tasks")
    assert (remote_code, remote) == (local_code, local)
    assert local_code == 1 and local["findings"]
    assert all(f["file"].startswith(sample) for f in local["findings"] if f["file"])
    prefix = "vidaudit-sav-" if sample.startswith("sav") else "vidaudit-kinetics-tps-"
    tasks = [key for key in ran.read_text().split() if key.startswith(prefix)]
    if sample.startswith("sav"):
        videos = local["summary"]["videos"]  # train and val/test videos, one task each
    else:  # a task per folder of per-frame files, in the class folders that are classes
        unknown = {Path(f["file"]).name for f in of(local, "VA411")}
        videos = sum(1 for folder in (tmp_path / sample).glob("train_annotations/*/*")
                     if folder.is_dir() and folder.parent.name not in unknown)
    assert videos > 1 and len(tasks) == videos, "one task per video ran on the workers"


class RecordTasks(WorkerPlugin):
    """Writes the key of every task a worker starts to a file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing":
            with open(self.path, "a") as handle:
                handle.write(f"{key}\n")


def test_a_masklet_file_that_kills_its_worker_is_reported_not_lost(cluster, check, tmp_path,
                                                                   monkeypatch):
    shutil.copytree(REPO / "examples" / "sav", tmp_path / "sav")
    monkeypatch.chdir(tmp_path)
    local_code, local = check("sav")
    victim = "sav_000002"
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(KillOnProbe(victim, "vidaudit-sav-"), name="kill-on-sav")
        try:
            code, report = check("sav", "--scheduler", cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin("kill-on-sav")
    assert (local_code, of(local, "VA106")) == (0, [])
    assert code == 1
    lost = of(report, "VA106")
    assert {f["file"] for f in lost} == {f"sav/{victim}_manual.json", f"sav/{victim}_auto.json"}
    assert all("killed the Dask worker" in f["message"] for f in lost)
    others = [f for f in report["findings"] if f["video_id"] != victim]
    assert others == [f for f in local["findings"] if f["video_id"] != victim]
