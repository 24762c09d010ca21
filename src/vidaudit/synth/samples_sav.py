"""The SA-V samples: ``examples/sav`` (clean: train files, a video, a val split) and
``examples/sav-broken`` (every VA8xx rule, and VA201/VA404/VA405, planted once each).
Generated from fixed seeds; :func:`planted` says what the broken one must report."""

from __future__ import annotations

from typing import Any

import numpy as np

from vidaudit.synth import sav

CLEAN = "examples/sav"
BROKEN = "examples/sav-broken"


def _train(files: dict[str, bytes], video: sav.TrainVideo) -> None:
    for kind, data in (("manual", video.manual), ("auto", video.auto)):
        if data is not None:
            files[f"{video.video_id}_{kind}.json"] = sav.dumps(data)


def _val(files: dict[str, bytes], videos: list[sav.ValVideo], listed: list[str]) -> None:
    for video in videos:
        files.update(video.files)
    files["sav_val.txt"] = "".join(f"{v}\n" for v in listed).encode()


def clean_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for seed, video_id, with_auto in ((1, "sav_000001", True), (2, "sav_000002", True),
                                      (3, "sav_000003", False)):
        _train(files, sav.train_video(seed, video_id, with_auto=with_auto))
    files["sav_000001.mp4"] = sav.video_bytes(37, sav.HEIGHT, sav.WIDTH)
    videos = [sav.val_video(11, "sav_000011"), sav.val_video(12, "sav_000012")]
    _val(files, videos, [v.video_id for v in videos])
    return files


# --- the broken sample -----------------------------------------------------------------

Plant = tuple[str, str, str]
"""(code, file relative to the sample folder, JSON Pointer or "")."""


def _broken_train(files: dict[str, bytes], planted: list[Plant]) -> None:
    written: set[str] = set()
    pending: list[sav.TrainVideo] = []

    def video(seed: int, **options: Any) -> sav.TrainVideo:
        return sav.train_video(seed, f"sav_{100 + seed:06d}", **options)

    def plant(code: str, made: sav.TrainVideo, kind: str, pointer: str) -> None:
        planted.append((code, f"{made.video_id}_{kind}.json", pointer))
        if made.video_id not in written:
            written.add(made.video_id)
            pending.append(made)

    def manual(made: sav.TrainVideo) -> dict[str, Any]:
        assert made.manual is not None
        return made.manual

    def auto(made: sav.TrainVideo) -> dict[str, Any]:
        assert made.auto is not None
        return made.auto

    made = video(1)
    manual(made)["masklet_id"].pop()
    plant("VA801", made, "manual", "/masklet_id")
    made = video(2)
    manual(made)["masklet_frame_count"][0] = 11
    plant("VA802", made, "manual", "/masklet_frame_count/0")
    made = video(3, with_auto=False)
    data = manual(made)
    data["video_frame_count"], data["video_duration"] = 45.0, 45 / 24
    data["video_resolution"] *= 2
    plant("VA802", made, "manual", "/masklet")
    plant("VA805", made, "manual", "/video_resolution")
    made = video(4)
    manual(made)["masklet"][2][0]["size"] = [sav.WIDTH, sav.HEIGHT]
    plant("VA803", made, "manual", "/masklet/2/0/size")
    made = video(5)
    rle = manual(made)["masklet"][1][1]
    rle["counts"] = rle["counts"][: max(1, len(rle["counts"]) // 2)] + "P"
    plant("VA804", made, "manual", "/masklet/1/1/counts")
    made = video(6)
    data = manual(made)
    data["masklet_size_abs"][0] = round(data["masklet_size_abs"][0] * 1.5, 10)
    data["masklet_size_rel"][0] = round(data["masklet_size_abs"][0]
                                        / data["video_resolution"], 10)
    plant("VA805", made, "manual", "/masklet_size_abs/0")
    made = video(7)
    manual(made)["masklet_size_bucket"][0] = "large"
    plant("VA806", made, "manual", "/masklet_size_bucket/0")
    made = video(8)
    manual(made)["masklet_first_appeared_frame"][1] = 0.0
    plant("VA807", made, "manual", "/masklet_first_appeared_frame/1")
    made = video(9)
    manual(made)["masklet_visibility_changes"][0] += 1
    plant("VA808", made, "manual", "/masklet_visibility_changes/0")
    made = video(10, with_auto=False)
    manual(made)["video_duration"] += 1
    plant("VA809", made, "manual", "/video_duration")
    made = video(11)
    auto(made)["video_environment"] = "Outdoor"
    plant("VA810", made, "auto", "/video_environment")
    made = video(12, with_manual=False)
    plant("VA810", made, "auto", "")
    made = video(13)
    manual(made)["masklet_type"][2] = "auto"
    auto(made)["masklet_edited_frame_count"][1] = 3
    plant("VA810", made, "manual", "/masklet_type/2")
    plant("VA810", made, "auto", "/masklet_edited_frame_count/1")
    made = video(14, empty=(2,), with_auto=False)
    plant("VA811", made, "manual", "/masklet_id/2")
    made = video(15, with_auto=False)
    files[f"{made.video_id}.mp4"] = sav.video_bytes(33, sav.HEIGHT, sav.WIDTH)
    plant("VA812", made, "manual", "/video_frame_count")
    made = video(16, with_auto=False)
    files[f"{made.video_id}.mp4"] = b"this is not a video\n"
    planted.append(("VA405", f"{made.video_id}.mp4", ""))
    pending.append(made)
    made = video(17, with_auto=False)
    manual(made)["video_environment"] = "Underwater"
    plant("VA201", made, "manual", "/video_environment")
    for made in pending:
        _train(files, made)


def _broken_val(files: dict[str, bytes], planted: list[Plant]) -> None:
    videos = {n: sav.val_video(200 + n, f"sav_{200 + n:06d}") for n in range(1, 9)}

    def masks(n: int) -> str:
        return f"Annotations_6fps/sav_{200 + n:06d}"

    def frames(n: int) -> str:
        return f"JPEGImages_24fps/sav_{200 + n:06d}"

    blank = np.zeros((24, 16), dtype=np.uint8)
    videos[1].files[f"{masks(1)}/000/00016.png"] = sav.png(_dot(blank))
    planted.append(("VA821", f"{masks(1)}/000/00016.png", ""))
    videos[2].files[f"{masks(2)}/001/00006.png"] = sav.png(_dot(blank))
    planted.append(("VA824", f"{masks(2)}/001/00006.png", ""))
    videos[3].files[f"{masks(3)}/000/00004.png"] = sav.png(_dot(np.zeros((20, 24), np.uint8)))
    planted.append(("VA822", f"{masks(3)}/000/00004.png", ""))
    grey = _dot(blank.copy())
    grey[5:9, 5:9] = 128
    videos[4].files[f"{masks(4)}/000/00008.png"] = sav.png(grey)
    planted.append(("VA823", f"{masks(4)}/000/00008.png", ""))
    videos[5].files[f"{masks(5)}/obj1/00000.png"] = sav.png(_dot(blank))
    planted.append(("VA825", f"{masks(5)}/obj1", ""))
    for index in (4, 8):
        videos[6].files[f"{masks(6)}/001/{index:05d}.png"] = sav.png(blank)
    planted.append(("VA811", f"{masks(6)}/001", ""))
    del videos[7].files[f"{frames(7)}/00005.jpg"]
    planted.append(("VA404", frames(7), ""))
    videos[8].files[f"{masks(8)}/000/00004.png"] = b"not a PNG\n"
    planted.append(("VA405", f"{masks(8)}/000/00004.png", ""))
    extra = sav.val_video(210, "sav_000210")
    for name, content in extra.files.items():
        if name.startswith("JPEGImages_24fps/"):
            files[name] = content
    planted.append(("VA820", "JPEGImages_24fps/sav_000210", ""))
    listed = [v.video_id for v in videos.values()] + ["sav_000209"]
    _val(files, list(videos.values()), listed)
    planted.append(("VA820", "sav_val.txt", ""))  # sav_000209: no frames folder
    planted.append(("VA820", "sav_val.txt", ""))  # ... and no masks folder


def _dot(mask: np.ndarray) -> np.ndarray:
    marked = mask.copy()
    marked[2:6, 2:6] = 255
    return marked


def broken_files() -> tuple[dict[str, bytes], list[Plant]]:
    files: dict[str, bytes] = {}
    planted: list[Plant] = []
    _broken_train(files, planted)
    _broken_val(files, planted)
    return files, planted



def sample_files() -> dict[str, bytes]:
    files = {f"{CLEAN}/{name}": content for name, content in clean_files().items()}
    broken, _ = broken_files()
    files.update({f"{BROKEN}/{name}": content for name, content in broken.items()})
    return files


def planted() -> list[Plant]:
    return broken_files()[1]

