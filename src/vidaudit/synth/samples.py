"""The bundled samples as bytes, keyed by their path in the repository."""

from __future__ import annotations

from vidaudit.frames import csvio
from vidaudit.frames.rows import MediaRow
from vidaudit.profiles.ssv2_contact_release import DEFAULT_FILES
from vidaudit.synth import broken, metadata, ssv2

CLEAN_SEED = 7
SAMPLE_MANIFEST_COLUMNS = ("video_id", "frame_count", "width", "height")


def clean_release() -> metadata.Release:
    return metadata.generate(seed=CLEAN_SEED, n_videos=120, n_templates=12)


def manifest_text(release: metadata.Release) -> str:
    """The release's frame manifest in the minimal DESIGN form (counts and sizes)."""
    rows = [MediaRow(**row) for row in metadata.manifest_rows(release)]
    return csvio.render(rows, SAMPLE_MANIFEST_COLUMNS)


def sample_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    release = clean_release()
    for role, content in release.file_contents().items():
        files[f"metadata/{DEFAULT_FILES[role]}"] = metadata.dumps(role, content).encode()
    files["metadata/frame_manifest.csv"] = manifest_text(release).encode()
    for folder, sample in (("examples/broken", broken.broken_release()),
                           ("examples/unreadable", broken.unreadable_release())):
        for name, content in sample.texts.items():
            files[f"{folder}/{name}"] = content
    for folder, ssv2_sample in (("examples/ssv2", ssv2.clean_sample()),
                                ("examples/ssv2-broken", ssv2.broken_sample())):
        for name, content in ssv2_sample.texts.items():
            files[f"{folder}/{name}"] = content
    files.update(_profile_samples())
    return files


def _profile_samples() -> dict[str, bytes]:
    """Samples of the other profiles: every ``vidaudit.synth.samples_<profile>`` module's
    ``sample_files()`` (repository path -> bytes), so a new profile adds one module."""
    import importlib
    import pkgutil

    import vidaudit.synth

    files: dict[str, bytes] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(vidaudit.synth.__path__)
                         if m.name.startswith("samples_")):
        files.update(importlib.import_module(f"vidaudit.synth.{module}").sample_files())
    return files
