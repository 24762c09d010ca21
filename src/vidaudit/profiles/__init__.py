"""Dataset formats vidaudit understands, found through the ``vidaudit.profiles``
entry-point group (the built-in ones register there too, in ``pyproject.toml``).

Loading a profile imports its package, which registers its rules; so
:func:`available` also completes the rule catalogue.
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.errors import UsageError
from vidaudit.profiles.base import Profile

if TYPE_CHECKING:
    from vidaudit.config import Config

GROUP = "vidaudit.profiles"
BUILT_IN = {
    "ssv2-contact-release": "vidaudit.profiles.ssv2_contact_release",
    "ssv2": "vidaudit.profiles.ssv2",
    "sav": "vidaudit.profiles.sav",
    "something-else": "vidaudit.profiles.something_else",
    "kinetics-tps": "vidaudit.profiles.kinetics_tps",
}
"""Used when the package's metadata is not installed (running from a source tree)."""


@functools.cache
def available() -> dict[str, Profile]:
    """Every profile, by name, built-in first."""
    found: dict[str, Profile] = {}
    for name, module in BUILT_IN.items():
        found[name] = importlib.import_module(module).PROFILE
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if entry.name in found:
            continue
        try:
            profile = entry.load()
        except Exception as error:  # a broken plugin must not break the built-in ones
            raise UsageError(f"profile plugin {entry.name} ({entry.value}) cannot be "
                             f"loaded: {type(error).__name__}: {error}") from None
        if not isinstance(profile, Profile) or profile.name != entry.name:
            raise UsageError(f"profile plugin {entry.name} ({entry.value}) is not a "
                             "vidaudit Profile of that name")
        found[entry.name] = profile
    return found


def get(name: str) -> Profile:
    profiles = available()
    if name not in profiles:
        raise UsageError(f"unknown profile {name!r} (known: {', '.join(profiles)}; "
                         "see `vidaudit profiles`)")
    return profiles[name]


def resolve(folder: Path, config: Config, given: str | None = None) -> Profile:
    """The profile named by ``--profile``/the configuration, or the one that recognises
    ``folder``. None or several matching is a usage error naming the candidates."""
    name = given or config.profile
    if name:
        return get(name)
    matches = [p for p in available().values() if p.detect(folder, config)]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(available())
    if not matches:
        raise UsageError(f"{folder} matches no dataset profile (known: {names}); name one "
                         "with --profile (see `vidaudit profiles`)")
    raise UsageError(f"{folder} matches several dataset profiles "
                     f"({', '.join(p.name for p in matches)}); choose one with --profile")


def validate_options(config: Config) -> None:
    """Every ``[tool.vidaudit.profiles.<name>]`` names a profile and parses."""
    for name in config.profile_options:
        if name not in available():
            raise UsageError(f"{config.source}: settings for unknown profile {name!r} "
                             f"(known: {', '.join(available())})")
        available()[name].settings(config)


__all__ = ["Profile", "available", "get", "resolve", "validate_options"]
