"""The profile interface: what a dataset format declares so that vidaudit can check it.

A profile is one package under ``vidaudit/profiles/<name>/`` (or in another
distribution) exposing a :class:`Profile` instance through the ``vidaudit.profiles``
entry-point group. It declares its files, how to recognise a folder of them, its
JSON Schemas, how the files become tables, and its rules (importing the profile
registers them). The engine, the reporters, the release diff and the audit take the
profile as a parameter and never name a file, table, column or vocabulary.

Optional parts (``glance``, ``release_view``, ``gx_suite``, ``reference``) are
``None`` when a profile has none; the commands then say what was not available.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidaudit.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from vidaudit.config import Config
    from vidaudit.dataset import Dataset
    from vidaudit.frames.paths import Entry, FrameNaming
    from vidaudit.frames.rows import MediaRow
    from vidaudit.model import Finding
    from vidaudit.profiles.parts import ReportSection
    from vidaudit.profiles.releaseview import ReleaseView
    from vidaudit.sources import SourceFile


@dataclass(frozen=True)
class FileSpec:
    """One file a profile reads."""

    role: str
    """The profile's name for the file (``events``, ``labels``, ``train``, ...)."""
    name: str
    """Its default file name inside the dataset folder."""
    schema: str | None = None
    """The stem of its JSON Schema under ``schemas/`` (``<stem>.schema.json``)."""
    required: bool = True
    """A required file that is absent is VA101; an optional one is a note."""
    description: str = ""
    kind: str = "json"
    """``json`` (read with positions) or ``text`` (read by the profile itself)."""


@dataclass(frozen=True)
class SettingSpec:
    """A per-profile configuration key (``[tool.vidaudit.profiles.<name>]``)."""

    key: str
    parse: Callable[[Any, str], Any]
    """(value, where) -> the parsed value; raises ConfigError with ``where`` in it."""
    default: Any
    description: str = ""


@dataclass
class Reference:
    """What a dataset's source annotation says about each video (SSv2's own files, for
    the datasets built on SSv2): its split and, where known, its class."""

    split_of: dict[str, str]
    class_of: dict[str, str]
    files: list[str]
    """The files it was read from, as given."""
    inputs: list[dict[str, Any]]
    """path, sha256, bytes of each file, for the report."""

    def where(self, video_id: str) -> str:
        """A fix hint: where the reference has the video."""
        split = self.split_of.get(video_id)
        if split is None:
            return "SSv2 does not have it"
        known = self.class_of.get(video_id)
        return f"SSv2 has it in {split}" + (f" as {known!r}" if known else "")


class Profile:
    """Base class of the dataset formats. Subclasses set the class attributes and
    implement :meth:`build`; the rest has sensible defaults."""

    name: str = ""
    description: str = ""
    files: tuple[FileSpec, ...] = ()
    settings_spec: tuple[SettingSpec, ...] = ()
    rule_prefixes: tuple[str, ...] = ()
    """The rule codes (or prefixes) this profile runs, besides the shared file rules."""
    counts: tuple[tuple[str, str], ...] = (("videos", "videos"),)
    """(stats key, label) pairs the summary line and the JSON summary show."""
    frame_naming: FrameNaming | None = None
    """How frames are named in a video's frames folder (``--frames``); None: vidaudit's
    own ``frame_%05d.jpg`` from 0."""


    # --- files -----------------------------------------------------------------------

    def file_names(self, config: Config) -> dict[str, str]:
        """Role -> file name, with the configured names in place of the defaults."""
        names: dict[str, str] = self.settings(config).get("files", {})
        return {spec.role: names.get(spec.role, spec.name) for spec in self.files}

    def spec(self, role: str) -> FileSpec:
        return next(s for s in self.files if s.role == role)

    def detect(self, folder: Path, config: Config) -> bool:
        """Whether ``folder`` looks like a release of this format: by default, any of its
        required files is there. Profiles whose names are ambiguous also look inside."""
        names = self.file_names(config)
        return any((folder / names[s.role]).is_file() for s in self.files if s.required)

    def read_sources(self, root: str, config: Config,
                     files: Mapping[str, Path] | None = None) -> dict[str, SourceFile]:
        """Read each file (JSON with positions). ``files`` maps roles to where a file
        really is when it is not ``root/<name>`` (a release read from git)."""
        from vidaudit.sources import read_missing

        folder = Path(root)
        sources: dict[str, SourceFile] = {}
        for role, name in self.file_names(config).items():
            spec = self.spec(role)
            display = str(folder / name) if root not in ("", ".") else name
            path = files[role] if files is not None and role in files else folder / name
            if not spec.required and not path.exists() and not path.is_symlink():
                sources[role] = read_missing(role, display)
                continue
            sources[role] = self.read_file(
                role, path, display, config,
                root=None if config.follow_links or files is not None else folder)
        return sources

    def read_file(self, role: str, path: Path, display: str, config: Config,
                  root: Path | None) -> SourceFile:
        """Read one file (``root``: the folder a symbolic link may not leave). JSON files
        are parsed with positions; a profile with other kinds of files overrides this."""
        from vidaudit.sources import read_json_source

        return read_json_source(role, path, display, config.max_bytes, root=root)

    def quick_stats(self, sources: Iterable[SourceFile]) -> dict[str, int]:
        """Counts for a structure-only run (`vidaudit schema`), from the parsed files."""
        return {}

    def absent(self, sources: Mapping[str, SourceFile]) -> list[str]:
        """Optional files that are not there."""
        return [s.display for s in sources.values() if s.absent]

    # --- schemas and tables --------------------------------------------------------

    def schema(self, role: str, config: Config) -> dict[str, Any] | None:
        """The JSON Schema a file is checked against (customised by settings if needed)."""
        from vidaudit.schemacheck import load_schema

        stem = self.spec(role).schema
        return load_schema(stem) if stem else None

    def build(self, root: str, sources: dict[str, SourceFile], config: Config) -> Dataset:
        """Flatten the sources into tables (tolerantly: what has the wrong shape is left
        to the schema pass) and compute the join columns the rules read."""
        raise NotImplementedError

    def video_at(self, source: SourceFile, pointer: str) -> str | None:
        """The video a JSON Pointer into ``source`` lies under, for findings of the shared
        phases (the schema pass) that do not know the format."""
        return None

    def message_context(self, config: Config) -> dict[str, Any]:
        """Extra names a rule's message template may use (``{actions}``)."""
        return {}

    # --- frames ----------------------------------------------------------------------

    def annotated_videos(self, dataset: Dataset) -> list[str]:
        """The video ids whose frames the frame rules need (valid ids only)."""
        return []

    def media_entries(self, dataset: Dataset, root: Path, kind: str
                      ) -> dict[str, Entry] | None:
        """Where each video's media lie under ``root`` (``kind``: "frames" or "videos"),
        for formats whose media are not ``root/<numeric id>``; None: that default. The
        profile builds the entries only from names it validated."""
        return None

    def attach_frames(self, dataset: Dataset, rows: Mapping[str, MediaRow],
                      where: Mapping[str, str], missing: str) -> None:
        """Join frame counts and sizes onto the profile's tables (see
        :mod:`vidaudit.frames.join`)."""

    # --- optional parts: None when the profile has none ---------------------------------

    def offers(self, part: str) -> bool:
        """Whether this profile has the optional ``part`` (``release_view``,
        ``report_section``, ``gx_tables``), so a command can refuse at once rather than
        after the slow steps."""
        return getattr(type(self), part) is not getattr(Profile, part)

    def release_view(self, dataset: Dataset) -> ReleaseView | None:
        """The release as the release diff compares it (``vidaudit audit``)."""
        return None

    def report_section(self, dataset: Dataset, findings: Mapping[str, Sequence[Finding]],
                       frame_dir: Path | None) -> ReportSection | None:
        """The HTML report's "dataset at a glance" for this format."""
        return None

    def gx_tables(self, dataset: Dataset) -> dict[str, Any] | None:
        """Tables (pandas) the Great Expectations suite validates, by name."""
        return None

    def gx_expectations(self, config: Config, frames: bool) -> list[Any] | None:
        """The Great Expectations suite's expectations, built from the same rules."""
        return None

    # --- reference -------------------------------------------------------------------

    def attach_reference(self, dataset: Dataset, reference: Reference) -> list[Finding]:
        """Join a reference annotation onto the tables (for VA310/VA311/VA313)."""
        raise UsageError(f"profile {self.name} does not use --reference")

    # --- settings --------------------------------------------------------------------

    def settings(self, config: Config) -> dict[str, Any]:
        """This profile's settings: defaults, then ``[tool.vidaudit.profiles.<name>]``."""
        return _parsed_settings(self, config.profile_options.get(self.name, {}),
                                config.source or "configuration")

    def __repr__(self) -> str:
        return f"<profile {self.name}>"


def _parsed_settings(profile: Profile, table: Mapping[str, Any], where: str) -> dict[str, Any]:
    return _parse_cached(profile, _freeze(table), where)


@functools.cache
def _parse_cached(profile: Profile, frozen: Any, where: str) -> dict[str, Any]:
    table = _thaw(frozen)
    known = {s.key: s for s in profile.settings_spec}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)} for profile {profile.name}; "
            f"known: {', '.join(sorted(known)) or 'none'}")
    return {key: spec.parse(table[key], f"{where}: {profile.name}.{key}") if key in table
            else spec.default for key, spec in known.items()}


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("__list__", tuple(_freeze(v) for v in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if len(value) == 2 and value[0] == "__list__":
            return [_thaw(v) for v in value[1]]
        return {k: _thaw(v) for k, v in value}
    return value


# --- parsers for settings ----------------------------------------------------------------

def string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a non-empty list of strings")
    return tuple(value)


def file_names(roles: tuple[str, ...]) -> Callable[[Any, str], dict[str, str]]:
    def parse(value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict) or set(value) - set(roles):
            raise ConfigError(f"{where} takes the keys {', '.join(roles)}")
        return {str(k): str(v) for k, v in value.items()}
    return parse
