"""The Python API: the same runs as the command line, as functions.

``vidaudit check``, ``audit``, ``baseline``, ``rules`` and ``explain`` are thin layers
over the functions here (they parse options into a :class:`CheckRequest` and write what
comes back), so the command and the API cannot drift apart. The public names are
re-exported by ``vidaudit/__init__.py``; everything else here is internal.

Heavy modules (pandas, pandera, the reporters) are imported inside the functions, so
importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from vidaudit.errors import UsageError
from vidaudit.report import AuditReport, Report

if TYPE_CHECKING:
    from datetime import date

    from vidaudit.baseline import Written
    from vidaudit.config import Config
    from vidaudit.engine import FrameSource, Result
    from vidaudit.profiles.base import Profile, Reference
    from vidaudit.rules.registry import Rule

PathArg = str | os.PathLike[str]
PathsArg = PathArg | Sequence[PathArg] | None
CodesArg = str | Sequence[str] | None
DEFAULT_AUDIT_DIR = "reports/audit"
GC_THRESHOLDS = (100_000, 50, 1000)
"""As vidaudit.cli sets them for the whole command."""


@dataclass(frozen=True)
class CheckRequest:
    """Everything one run is asked for, as the command line's options give it.

    Paths stay as given (relative stays relative: they are how findings name files).
    """

    path: str = "metadata"
    profile: str | None = None
    manifest: tuple[str, ...] = ()
    frames: str | None = None
    videos: str | None = None
    reference: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    """error, warning, info or never; None: the configuration's (default error)."""
    baseline: str | None = None
    config: str | None = None
    """A vidaudit.toml or pyproject.toml; None: the nearest one from the working folder."""
    auto_manifest: bool = True
    """Pick up ``<path>/frame_manifest.csv`` by itself (``--no-manifest`` turns it off)."""
    deep: bool = False
    exact: bool = False
    workers: int | None = None
    probe_timeout: float | None = None
    scheduler: str | None = None
    """A dask.distributed scheduler's address for the probing; None: the configuration's
    ``scheduler``, else a local process pool."""

    def inputs(self, *more: str | None) -> list[Path]:
        """Every file and folder the run reads, which no output may land on or in."""
        from vidaudit.release.gitrev import is_git_spec

        given = [self.path, self.frames, self.videos, *self.manifest, self.baseline,
                 *self.reference, *more]
        return [Path(p) for p in dict.fromkeys(given) if p and not is_git_spec(p)]


def _path(value: PathArg) -> str:
    return os.fspath(value)


def _paths(value: PathsArg) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | os.PathLike):
        return (_path(value),)
    return tuple(_path(v) for v in value)


def _codes(value: CodesArg) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _optional(value: PathArg | None) -> str | None:
    return None if value is None else _path(value)


# -- one check -------------------------------------------------------------------


def config_for(request: CheckRequest, *, baseline: bool = True) -> Config:
    """The configuration file (``request.config`` or the nearest one) with the request's
    options over it; ``baseline`` False leaves the baseline option out."""
    from vidaudit.config import load_config, parse_fail_on, split_codes
    from vidaudit.profiles import available, validate_options

    profiles = available()  # every profile's rules are in the catalogue before codes
    config = load_config(Path(request.config) if request.config else None)
    validate_options(config)
    config = _profile_overrides(config, profiles.values(),
                                {"deep": True if request.deep else None,
                                 "workers": request.workers})
    options: dict[str, object] = {
        "profile": request.profile,
        "reference": request.reference or None,
        "select": split_codes(request.select) if request.select else None,
        "ignore": split_codes(request.ignore) if request.ignore else None,
        "baseline": request.baseline if baseline else None,
        "scheduler": request.scheduler,
    }
    config = config.with_options(**options)
    if request.fail_on is not None:  # "never" is None, which with_options would skip
        config = replace(config, fail_on=parse_fail_on(request.fail_on))
    return config


def _profile_overrides(config: Config, profiles: Iterable[Profile],
                       given: dict[str, object]) -> Config:
    """Command-line options that are also a profile's own settings (SA-V's and
    Kinetics-TPS's ``workers``, SA-V's ``deep``) win over its settings table, as every
    option wins over the configuration file."""
    options = dict(config.profile_options)
    for profile in profiles:
        keys = {spec.key for spec in profile.settings_spec}
        mine = {key: value for key, value in given.items() if value is not None and key in keys}
        if mine:
            options[profile.name] = {**options.get(profile.name, {}), **mine}
    return replace(config, profile_options=options)


def check_folder(path: str) -> None:
    """A usage error unless ``path`` is an existing folder."""
    folder = Path(path)
    if not folder.exists():
        raise UsageError(f"metadata folder {path} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{path} is not a folder (give the folder that holds the metadata files)")


def profile_of(path: str, config: Config) -> Profile:
    """The configured profile, or the one that recognises the folder."""
    from vidaudit.profiles import get, resolve

    return get(config.profile) if config.profile else resolve(Path(path), config)


def reference_of(config: Config) -> Reference | None:
    """The reference annotation the configuration names, read once."""
    if not config.reference:
        return None
    from vidaudit.profiles.ssv2.reference import load_reference

    reference: Reference = load_reference(config.reference, config)
    return reference


def frame_source_of(request: CheckRequest, config: Config) -> FrameSource | None:
    """The frame source the request asks for, if any (see :mod:`vidaudit.framesource`)."""
    from vidaudit.framesource import frame_source_for

    if request.probe_timeout is not None and not request.probe_timeout > 0:
        raise UsageError("--probe-timeout must be a positive number of seconds")
    timeout = {} if request.probe_timeout is None else {"timeout": request.probe_timeout}
    return frame_source_for(
        metadata_dir=Path(request.path), manifest=list(request.manifest) or None,
        frames=request.frames, videos=request.videos, config=config,
        auto=request.auto_manifest, deep=request.deep, exact=request.exact,
        workers=request.workers, **timeout,
        scheduler=config.scheduler)


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Cyclic garbage collection far less often while a run allocates its hundreds of
    thousands of small objects (as the command line does; ~20% of a check otherwise);
    the caller's thresholds come back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(request: CheckRequest, *, apply_baseline: bool = True) -> Report:
    """Run one check as ``vidaudit check`` does (``apply_baseline`` False: as
    ``vidaudit baseline`` does, with every finding kept)."""
    with few_collections():
        return _run(request, apply_baseline)


def _run(request: CheckRequest, apply_baseline: bool) -> Report:
    from vidaudit.engine import run_check

    check_folder(request.path)
    config = config_for(request, baseline=apply_baseline)
    profile = profile_of(request.path, config)
    frame_source = frame_source_of(request, config)
    baseline = None
    if apply_baseline and config.baseline:  # read first: a broken one stops the run at once
        from vidaudit.baseline import load_baseline

        baseline = load_baseline(Path(config.baseline))
    result = run_check(request.path, config, frame_source, profile=profile,
                       reference=reference_of(config))
    if baseline is not None:
        from vidaudit.baseline import apply_baseline as apply

        apply(result, baseline)
    protected = tuple(request.inputs(config.baseline if apply_baseline else None))
    return Report(result, protected=protected, frame_dir=request.frames)


def result_of(report: Report) -> Result:
    """The engine's result behind a report (for vidaudit's own command line)."""
    return report._result


def check(path: PathArg = "metadata", *, profile: str | None = None,
          manifest: PathsArg = None, frames: PathArg | None = None,
          videos: PathArg | None = None, reference: PathsArg = None,
          select: CodesArg = None, ignore: CodesArg = None, fail_on: str | None = None,
          baseline: PathArg | None = None, config: PathArg | None = None,
          scheduler: str | None = None) -> Report:
    """Check the dataset in the folder ``path``: the same run as ``vidaudit check``.

    Options mirror the command's and win over the configuration file (``config``, or
    ``[tool.vidaudit]``/``vidaudit.toml`` found from the working folder upwards).
    ``manifest`` and ``reference`` take one path or several; ``select`` and ``ignore``
    take codes, prefixes or rule names (``"VA3"``, ``["VA303", "VA206"]``, comma-separated
    strings too); ``fail_on`` is ``"error"``, ``"warning"``, ``"info"`` or ``"never"``.
    Without ``manifest``, ``frames`` or ``videos``, ``<path>/frame_manifest.csv`` is
    used when it exists. ``scheduler`` sends the probing of ``frames``/``videos`` to a
    dask.distributed cluster (see docs/cluster.md).

    Raises :class:`vidaudit.UsageError`/:class:`vidaudit.ConfigError` (with the one-line
    message the command prints) for impossible options; a broken dataset is findings.
    """
    request = CheckRequest(
        path=_path(path), profile=profile, manifest=_paths(manifest),
        frames=_optional(frames), videos=_optional(videos), reference=_paths(reference),
        select=_codes(select), ignore=_codes(ignore), fail_on=fail_on,
        baseline=_optional(baseline), config=_optional(config), scheduler=scheduler)
    return run(request)


# -- the baseline command ------------------------------------------------------------


def write_baseline(request: CheckRequest, output: str | None, *, reason: str | None = None,
                   expires: str | None = None, allow_write_in_dataset: bool = False
                   ) -> tuple[Report, Path, Written]:
    """Run the check (no baseline applied) and write every finding to a baseline file
    (``output``, or ``baseline`` from the configuration), keeping the ``reason`` and
    ``expires`` of a previous file's entries that still match."""
    from vidaudit.baseline import baseline_text, load_baseline, parse_date
    from vidaudit.errors import ConfigError
    from vidaudit.output import check_outside, write_atomic

    check_folder(request.path)
    target = output or config_for(request, baseline=False).baseline
    if not target:
        raise UsageError("give the baseline file to write with -o FILE "
                         "(or set `baseline` in the configuration)")
    path = Path(target)
    expiry: date | None = parse_date(expires, "--expires") if expires else None
    check_outside(path, request.inputs(), allow_write_in_dataset)
    previous = None
    if path.exists():
        try:
            previous = load_baseline(path)
        except ConfigError as error:  # refuse to overwrite what is not a baseline
            raise UsageError(f"{error}; refusing to overwrite it (remove it or choose "
                             "another path)") from None
    report = run(request, apply_baseline=False)
    result = result_of(report)
    written = baseline_text(result.findings, result.dataset.profile, previous=previous,
                            reason=reason, expires=expiry)
    write_atomic(path, written.parts)
    return report, path, written


# -- the audit -------------------------------------------------------------------


def run_audit(request: CheckRequest, previous: str, *, output_dir: str = DEFAULT_AUDIT_DIR,
              gx: bool = True, allow_write_in_dataset: bool = False,
              progress: bool | None = None) -> AuditReport:
    """The release audit as ``vidaudit audit`` runs it (see :func:`audit`)."""
    import time

    from vidaudit.audit.outputs import prepare_output_dir, write_outputs
    from vidaudit.audit.progress import Steps
    from vidaudit.audit.run import audit as run_release_audit
    from vidaudit.audit.summary import AuditOptions, verdict
    from vidaudit.release.load import detect_profile

    started = time.time()
    out_dir = Path(output_dir)
    prepare_output_dir(out_dir, request.inputs(previous), allow_write_in_dataset)
    config = config_for(request)
    if gx:
        from vidaudit.audit.gx import require_gx

        require_gx()  # before the slow steps: a missing extra is a usage error
    frame_source = frame_source_of(request, config)
    profile = detect_profile(request.path, config)
    if not profile.offers("release_view"):  # before the slow steps, as below
        raise UsageError(f"profile {profile.name} has no release diff")
    if gx and not profile.offers("gx_tables"):
        raise UsageError(f"profile {profile.name} has no Great Expectations suite; run the "
                         "audit with --no-gx")
    reference = reference_of(config)
    steps = Steps(progress)
    with few_collections():
        done = run_release_audit(request.path, previous, config, frame_source, steps,
                                 profile=profile, reference=reference)
    if gx:
        from vidaudit.audit.gx.run import run_gx

        done.gx = run_gx(done.result, out_dir, steps)
    options = AuditOptions(
        metadata_dir=request.path, previous=previous, output_dir=str(out_dir),
        manifest=list(request.manifest) or None,  # type: ignore[arg-type]
        frames=request.frames, videos=request.videos, gx=gx, started=started,
        config_source=config.source, select=list(config.select), ignore=list(config.ignore),
        fail_on=config.fail_on.label if config.fail_on else "never")
    files = write_outputs(done, out_dir, options)
    report = Report(done.result, protected=tuple(request.inputs(previous)),
                    frame_dir=request.frames)
    return AuditReport(report, out_dir, files, verdict(done), done.diff)


def audit(path: PathArg = "metadata", *, previous: str | os.PathLike[str],
          output_dir: PathArg = DEFAULT_AUDIT_DIR, gx: bool = True,
          profile: str | None = None, manifest: PathsArg = None,
          frames: PathArg | None = None, videos: PathArg | None = None,
          reference: PathsArg = None, select: CodesArg = None, ignore: CodesArg = None,
          fail_on: str | None = None, baseline: PathArg | None = None,
          config: PathArg | None = None, allow_write_in_dataset: bool = False,
          progress: bool | None = False, scheduler: str | None = None) -> AuditReport:
    """Audit the release in ``path`` against ``previous`` (a folder, ``git:REV`` or
    ``git:REV:PATH``): the same run and the same files in ``output_dir`` as
    ``vidaudit audit``. ``gx=False`` skips Great Expectations (as ``--no-gx``);
    ``progress`` shows the steps on standard error (None: when it is a terminal).
    The other options are :func:`check`'s."""
    request = CheckRequest(
        path=_path(path), profile=profile, manifest=_paths(manifest),
        frames=_optional(frames), videos=_optional(videos), reference=_paths(reference),
        select=_codes(select), ignore=_codes(ignore), fail_on=fail_on,
        baseline=_optional(baseline), config=_optional(config), scheduler=scheduler)
    return run_audit(request, _path(previous), output_dir=_path(output_dir), gx=gx,
                     allow_write_in_dataset=allow_write_in_dataset, progress=progress)


# -- the catalogue ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    """One rule of the catalogue."""

    code: str
    name: str
    severity: str
    """Default severity: error, warning or info."""
    summary: str
    family: str
    needs: str | None
    """What the rule needs beyond the metadata (frames, previous, reference, baseline)."""
    profiles: tuple[str, ...]
    """The profiles that run it."""
    explanation: str
    fix: str


def _profiles_of() -> dict[str, list[str]]:
    """Rule code -> the profiles that run it."""
    from vidaudit.engine import profile_rules
    from vidaudit.profiles import available

    found: dict[str, list[str]] = {}
    for profile in available().values():
        for code in profile_rules(profile):
            found.setdefault(code, []).append(profile.name)
    return found


def _info(rule: Rule, runs: dict[str, list[str]]) -> RuleInfo:
    return RuleInfo(rule.code, rule.name, rule.severity.label, rule.summary, rule.family,
                    rule.needs or None, tuple(runs.get(rule.code, [])), rule.explanation,
                    rule.fix)


def rules(profile: str | None = None) -> tuple[RuleInfo, ...]:
    """The rule catalogue in code order (only the rules ``profile`` runs, if given)."""
    from vidaudit.profiles import get
    from vidaudit.rules.registry import RULES

    runs = _profiles_of()
    ordered = sorted(RULES.values(), key=lambda r: r.code)
    if profile:
        get(profile)  # a usage error for an unknown profile
        ordered = [r for r in ordered if profile in runs.get(r.code, [])]
    return tuple(_info(rule, runs) for rule in ordered)


def rule(code: str) -> RuleInfo:
    """One rule by code (``VA303``) or name (``video-not-in-split``)."""
    from vidaudit.rules.registry import lookup

    runs = _profiles_of()
    found = lookup(code)
    if found is None:
        raise UsageError(f"no rule {code!r} (see `vidaudit rules`)")
    return _info(found, runs)


def explain(code: str) -> str:
    """What a rule means, why it matters and how to fix it: the text of
    ``vidaudit explain CODE``."""
    import textwrap

    info = rule(code)
    needs = f"\nNeeds: {info.needs} (see `vidaudit check --help`)" if info.needs else ""
    needs += f"\nProfiles: {', '.join(info.profiles) or 'none'}"
    body = "\n".join(textwrap.fill(p, 88) for p in info.explanation.split("\n\n"))
    return (f"{info.code} {info.name} [{info.severity}]\n{info.summary}\n\n"
            f"{body}\n\nHow to fix: {textwrap.fill(info.fix, 88)}{needs}\n")


__all__ = ["AuditReport", "CheckRequest", "Report", "RuleInfo", "audit", "check", "explain",
           "rule", "rules"]
