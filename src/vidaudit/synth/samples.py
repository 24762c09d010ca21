"""The bundled samples as bytes, keyed by their path in the repository."""

from __future__ import annotations

from vidaudit.config import DEFAULT_FILES
from vidaudit.synth import broken, metadata

CLEAN_SEED = 7


def clean_release() -> metadata.Release:
    return metadata.generate(seed=CLEAN_SEED, n_videos=120, n_templates=12)


def sample_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    release = clean_release()
    for role, content in release.file_contents().items():
        files[f"metadata/{DEFAULT_FILES[role]}"] = metadata.dumps(role, content).encode()
    for folder, sample in (("examples/broken", broken.broken_release()),
                           ("examples/unreadable", broken.unreadable_release())):
        for name, content in sample.texts.items():
            files[f"{folder}/{name}"] = content
    return files
