"""Frame sources for `check`: a manifest file, frame folders or videos.

(Placeholder until the frames work lands: no frame source yet.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.engine import FrameSource


def frame_source_for(*, metadata_dir: Path, manifest: str | None, frames: str | None,
                     videos: str | None, config: Config, auto: bool, deep: bool, exact: bool,
                     workers: int | None) -> FrameSource | None:
    return None
