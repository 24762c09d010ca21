"""Configuration: ``[tool.vidaudit]`` in pyproject.toml or a ``vidaudit.toml``.

Keys mirror the command-line options (kebab-case). Unknown keys are an error,
not a silent no-op: a typo in ``ignore`` would otherwise hide nothing and
surprise everyone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vidaudit.errors import ConfigError
from vidaudit.model import Severity
from vidaudit.rules import registry
from vidaudit.rules.registry import Selection

LEGACY_PROFILE = "ssv2-contact-release"
LEGACY_KEYS = ("actions", "agents", "files")
"""Top-level keys that predate profiles: they are that profile's settings."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("VA",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR  # None: never fail
    severity: dict[str, Severity] = field(default_factory=dict)
    profile: str | None = None
    """The dataset profile; None: detected from the folder."""
    profile_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Profile name -> its raw settings table; each profile parses and checks its own."""
    reference: tuple[str, ...] = ()
    """Reference annotation files or folders (SSv2's own), for VA310/VA311/VA313."""
    manifest: str | None = None
    baseline: str | None = None
    max_file_mb: float = 256.0
    follow_links: bool = False
    """Read metadata files that are symbolic links out of the dataset folder."""
    scheduler: str | None = None
    """A dask.distributed scheduler's address for the per-video probing."""
    source: str | None = None
    """Where the configuration was read from, for the report."""

    @property
    def selection(self) -> Selection:
        return Selection(self.select, self.ignore)

    def severity_of(self, code: str) -> Severity:
        return self.severity.get(code, registry.get(code).severity)

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def with_options(self, **options: Any) -> Config:
        """Command-line options win over the file; None means "not given"."""
        given = {k: v for k, v in options.items() if v is not None}
        return replace(self, **given)


_KEYS = {"select", "ignore", "fail-on", "severity", "manifest", "baseline", "max-file-mb",
         "follow-links", "profile", "profiles", "reference", "pytest", "scheduler",
         *LEGACY_KEYS}
"""``pytest`` (true, false or the dataset's folder) is read by the pytest plugin only."""


def parse_fail_on(text: str) -> Severity | None:
    if text.strip().lower() == "never":
        return None
    try:
        return Severity.parse(text)
    except ValueError:
        raise ConfigError(f"--fail-on takes error, warning, info or never, not {text!r}") from None


def split_codes(values: list[str] | tuple[str, ...] | str) -> tuple[str, ...]:
    """``"VA1,VA3"`` or ``["VA1", "VA3"]`` -> normalised prefixes."""
    items = [values] if isinstance(values, str) else list(values)
    parts = [p for item in items for p in str(item).split(",")]
    try:
        return registry.validate_prefixes(parts)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def find_config_file(start: Path) -> Path | None:
    """The nearest vidaudit.toml, or pyproject.toml with a [tool.vidaudit] table."""
    for folder in [start, *start.parents]:
        candidate = folder / "vidaudit.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "vidaudit" in _read_toml(pyproject).get("tool", {}):
            return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path | None, *, search_from: Path | None = None) -> Config:
    if path is None:
        path = find_config_file((search_from or Path.cwd()).resolve())
        if path is None:
            return Config()
    elif not path.is_file():
        raise ConfigError(f"configuration file {path} does not exist")
    document = _read_toml(path)
    table = document.get("tool", {}).get("vidaudit", {}) if path.name == "pyproject.toml" \
        else document
    return _from_table(table, str(path))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read configuration {path}: {error}") from None


def _from_table(table: dict[str, Any], source: str) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown configuration key(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(_KEYS))}")
    options: dict[str, Any] = {"source": source}
    if "select" in table:
        options["select"] = split_codes(table["select"])
    if "ignore" in table:
        options["ignore"] = split_codes(table["ignore"])
    if "fail-on" in table:
        options["fail_on"] = parse_fail_on(str(table["fail-on"]))
    if "severity" in table:
        options["severity"] = parse_severity_overrides(table["severity"], source)
    if "profile" in table:
        if not isinstance(table["profile"], str) or not table["profile"]:
            raise ConfigError(f"{source}: profile must be a profile name (see `vidaudit "
                              "profiles`)")
        options["profile"] = table["profile"]
    options["profile_options"] = _profile_options(table, source)
    if "reference" in table:
        values = table["reference"]
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{source}: reference must be a path or a list of paths")
        options["reference"] = tuple(beside(source, v) for v in values)
    if "manifest" in table:
        options["manifest"] = beside(source, str(table["manifest"]))
    if "baseline" in table:
        options["baseline"] = beside(source, str(table["baseline"]))
    if "max-file-mb" in table:
        value = table["max-file-mb"]
        if not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{source}: max-file-mb must be a positive number")
        options["max_file_mb"] = float(value)
    if "follow-links" in table:
        if not isinstance(table["follow-links"], bool):
            raise ConfigError(f"{source}: follow-links must be true or false")
        options["follow_links"] = table["follow-links"]
    if "scheduler" in table:
        if not isinstance(table["scheduler"], str) or not table["scheduler"].strip():
            raise ConfigError(f"{source}: scheduler must be the address of a Dask scheduler")
        options["scheduler"] = table["scheduler"].strip()
    return Config(**options)


def _profile_options(table: dict[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """``[profiles.<name>]`` tables, with the legacy top-level keys folded into theirs.
    Each profile checks its own keys when it is used (see ``Profile.settings``)."""
    profiles = table.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(f"{source}: profiles must hold one table per profile, like "
                          f"[tool.vidaudit.profiles.{LEGACY_PROFILE}]")
    options = {str(name): dict(values) for name, values in profiles.items()}
    legacy = {key: table[key] for key in LEGACY_KEYS if key in table}
    if legacy:
        clash = sorted(set(legacy) & set(options.get(LEGACY_PROFILE, {})))
        if clash:
            raise ConfigError(f"{source}: {', '.join(clash)} set both at the top level and "
                              f"under profiles.{LEGACY_PROFILE}")
        options[LEGACY_PROFILE] = {**options.get(LEGACY_PROFILE, {}), **legacy}
    return options


def beside(config_file: str, value: str) -> str:
    """A path from a configuration file, relative to that file's folder (so the hook, CI
    and a person in a sub-folder all find the same file); shown relative to the current
    folder when it lies below it."""
    path = Path(config_file).parent / value
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_severity_overrides(table: Any, source: str) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: severity must be a table like {{VA206 = \"error\"}}")
    result: dict[str, Severity] = {}
    for key, value in table.items():
        found = registry.lookup(str(key))
        if found is None:
            raise ConfigError(f"{source}: severity names unknown rule {key!r}")
        try:
            result[found.code] = Severity.parse(str(value))
        except ValueError as error:
            raise ConfigError(f"{source}: {error}") from None
    return result
