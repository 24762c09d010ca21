"""Reading a release from a folder or from a git revision (``git:REV[:PATH]``).

A git release is read from the repository that holds the other release's folder
(or the current directory), at the same path inside it unless ``:PATH`` says
otherwise. Its files are copied into a private temporary folder only for the
time it takes to parse them; they are shown as ``git:REV:PATH/file`` in findings.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from vidaudit.config import Config
from vidaudit.dataset import Dataset
from vidaudit.errors import UsageError
from vidaudit.profiles.base import Profile
from vidaudit.release.gitrev import GitSpec, Repository, is_git_spec, parse_git_spec
from vidaudit.sources import SourceFile, read_missing


@dataclass
class Release:
    """One release's files as read, and (once built) its tables."""

    profile: Profile
    config: Config
    label: str
    """How the user named it: ``metadata`` or ``git:v1.2``."""
    root: str
    """The folder as shown in paths: ``metadata`` or ``git:v1.2:metadata``."""
    sources: dict[str, SourceFile]
    git: dict[str, str] | None = None
    """repository, revision, commit and path, for a release read from git."""
    blobs: dict[str, str] = field(default_factory=dict)
    """Display path -> git blob id, for a release read from git."""
    _dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = self.profile.build(self.root, self.sources, self.config)
        return self._dataset

    def use(self, dataset: Dataset) -> None:
        """Reuse tables already built from these sources (by the check)."""
        self._dataset = dataset

    @property
    def folder(self) -> Path | None:
        """The folder on disk, for a release that is one."""
        return None if self.git else Path(self.label)

    def inputs(self) -> list[dict[str, Any]]:
        """Each file as read: path, sha256, bytes (None when it could not be read)."""
        rows = []
        for role, source in self.sources.items():
            if source.absent:
                continue
            row: dict[str, Any] = {"role": role, "path": source.display,
                                   "sha256": source.sha256, "bytes": source.size}
            if source.display in self.blobs:
                row["git_blob"] = self.blobs[source.display]
            rows.append(row)
        return rows


def load_pair(new: str, old: str, config: Config, profile: Profile
              ) -> tuple[Release, Release]:
    """Read the release under audit and the previous one; either may be ``git:...``."""
    anchor = Path.cwd() / "metadata" if is_git_spec(new) else Path(new)
    new_release = load(new, config, profile, anchor=anchor)
    default_path = new_release.git["path"] if new_release.git else None
    old_release = load(old, config, profile, anchor=anchor, default_path=default_path)
    if all(any(f.code == "VA101" for f in s.findings) or s.absent
           for s in old_release.sources.values()):
        raise UsageError(f"the previous release {old} has none of the metadata files "
                         f"(looked in {old_release.root})")
    return new_release, old_release


def detect_profile(text: str, config: Config, anchor: Path | None = None) -> Profile:
    """The profile of the release ``text`` names: a folder is recognised as ``check``
    does; a ``git:REV[:PATH]`` by the files its tree holds (default path: ./metadata)."""
    from vidaudit.profiles import available, get, resolve

    if config.profile:
        return get(config.profile)
    if not is_git_spec(text):
        return resolve(Path(text), config)
    spec = parse_git_spec(text)
    anchor = anchor if anchor is not None else Path.cwd() / "metadata"
    repository = Repository.containing(anchor if anchor.is_dir() else Path.cwd())
    commit = repository.commit_of(spec)
    inside = spec.path if spec.path is not None else repository.relative(anchor)
    found = []
    for profile in available().values():
        wanted = [_join(inside, name) for role, name in profile.file_names(config).items()
                  if profile.spec(role).required]
        objects = repository.read_files(commit, wanted)
        if any(objects[path].kind == "blob" for path in wanted):
            found.append(profile)
    if len(found) != 1:
        what = "no" if not found else "several"
        raise UsageError(f"{text} matches {what} dataset profile(s) "
                         f"({', '.join(p.name for p in found) or ', '.join(available())}); "
                         "name one with --profile")
    return found[0]


def load(text: str, config: Config, profile: Profile | None = None, *,
         anchor: Path | None = None, default_path: str | None = None) -> Release:
    """Read a release folder, or ``git:REV[:PATH]`` from the repository holding ``anchor``.

    Without ``:PATH``, a revision is read at ``default_path``, or else at the place of
    ``anchor`` inside its repository (default: ``./metadata``).
    """
    if profile is None:
        profile = detect_profile(text, config, anchor)
    if is_git_spec(text):
        anchor = anchor if anchor is not None else Path.cwd() / "metadata"
        return _load_git(parse_git_spec(text), config, profile, anchor, default_path)
    folder = Path(text)
    if not folder.exists():
        raise UsageError(f"release folder {text} does not exist")
    if not folder.is_dir():
        raise UsageError(f"{text} is not a folder (give the folder that holds the metadata "
                         "files, or git:REV)")
    return Release(profile, config, label=text, root=text,
                   sources=profile.read_sources(text, config))


def _load_git(spec: GitSpec, config: Config, profile: Profile, anchor: Path,
              default_path: str | None) -> Release:
    repository = Repository.containing(anchor if anchor.is_dir() else Path.cwd())
    commit = repository.commit_of(spec)
    if spec.path is not None:
        inside = spec.path
    elif default_path is not None:
        inside = default_path
    else:
        inside = repository.relative(anchor)
    names = profile.file_names(config)
    paths = {role: _join(inside, name) for role, name in names.items()}
    objects = repository.read_files(commit, list(paths.values()))
    root = f"git:{spec.revision}:{inside}" if inside else f"git:{spec.revision}"
    sources: dict[str, SourceFile] = {}
    blobs: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="vidaudit-git-") as temporary:
        for role, name in names.items():
            item = objects[paths[role]]
            display = f"git:{spec.revision}:{paths[role]}"
            if item.kind == "missing" and not profile.spec(role).required:
                sources[role] = read_missing(role, display)
                continue
            local = Path(temporary) / role / PurePosixPath(name).name
            local.parent.mkdir(parents=True, exist_ok=True)
            if item.kind == "blob":
                local.write_bytes(item.content)
            elif item.kind != "missing":
                local.mkdir()  # a tree where a file should be: reported as unreadable
            sources[role] = profile.read_file(role, local, display, config, root=None)
            if item.oid:
                blobs[display] = item.oid
    git = {"repository": str(repository.root), "revision": spec.revision, "commit": commit,
           "path": inside}
    return Release(profile, config, label=spec.text, root=root, sources=sources, git=git,
                   blobs=blobs)


def _join(folder: str, name: str) -> str:
    return (PurePosixPath(folder) / name).as_posix() if folder else PurePosixPath(name).as_posix()
