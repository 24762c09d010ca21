"""Profile ``kinetics-tps``: Kinetics-TPS part-level boxes (per-frame JSON).

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

NAME = "kinetics-tps"


class _Profile(Profile):
    name = NAME
    description = "Kinetics-TPS per-frame boxes of persons, body parts, states and objects"

    def detect(self, folder: Path, config: Config) -> bool:
        return False

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        raise NotImplementedError(f"profile {NAME} is not built yet")


PROFILE = _Profile()
