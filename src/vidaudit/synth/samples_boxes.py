"""The bundled samples of the box profiles (``something-else``, ``kinetics-tps``): a
clean and a broken one each, as repository path -> bytes."""

from __future__ import annotations

from vidaudit.synth import boxes_kinetics, boxes_something_else


def sample_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for folder, sample in (("examples/something-else", boxes_something_else.clean()),
                           ("examples/something-else-broken", boxes_something_else.broken())):
        for name, content in sample.files().items():
            files[f"{folder}/{name}"] = content
    for folder, release in (("examples/kinetics-tps", boxes_kinetics.clean_sample()),
                            ("examples/kinetics-tps-broken",
                             boxes_kinetics.broken_sample()[0])):
        for name, content in release.files.items():
            files[f"{folder}/{name}"] = content
    return files
