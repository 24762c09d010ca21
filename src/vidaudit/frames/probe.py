"""What probing one frames folder or video means: the options, and one chunk of work.

Shared by the local pool (:mod:`.pool`), the per-video timeout guard (:mod:`.guard`)
and the Dask workers (:mod:`.cluster`), none of which import each other for it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidaudit.frames.paths import DEFAULT_NAMING, Entry, FrameNaming
from vidaudit.frames.rows import MediaRow


@dataclass(frozen=True)
class ProbeOptions:
    kind: str
    """"frames" or "videos"."""
    root: Path
    deep: bool = False
    exact: bool = False
    timeout: float = 120.0
    """Seconds one video may take (videos only: see vidaudit.frames.guard)."""
    naming: FrameNaming = DEFAULT_NAMING
    """How frames are named inside a folder (frames only; the profile's)."""


def probe_chunk(options: ProbeOptions, entries: Sequence[Entry]) -> list[MediaRow]:
    root_real = os.path.realpath(options.root)
    if options.kind == "frames":
        from vidaudit.frames.folder import probe_folder

        return [probe_folder(options.root, root_real, e, options.deep, options.naming)
                for e in entries]
    from vidaudit.frames.video import probe_video

    return [probe_video(options.root, root_real, e, options.exact, options.deep)
            for e in entries]
