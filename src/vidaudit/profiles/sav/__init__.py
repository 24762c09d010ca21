"""Profile ``sav``: SA-V masklets (train JSON, val/test frame and mask folders).

Being built (see its issue): registered so that the name is reserved; it recognises no
folder yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.profiles.base import Profile

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.sources import SourceFile

NAME = "sav"


class _Profile(Profile):
    name = NAME
    description = "SA-V masklets: train JSON with COCO RLE masks, val/test frames and masks"

    def detect(self, folder: Path, config: Config) -> bool:
        return False

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        raise NotImplementedError(f"profile {NAME} is not built yet")


PROFILE = _Profile()
