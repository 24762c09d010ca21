"""Reading files of a git revision without touching the work tree.

``git:REV`` and ``git:REV:PATH`` name the metadata folder at a revision of the
dataset's repository. The revision is resolved to a commit once, and the files
are read from that commit with one ``git cat-file --batch`` process, so a
branch that moves while we read cannot mix two states. Nothing is checked out.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from vidaudit.errors import UsageError

PREFIX = "git:"
# Branch and tag names, hashes, and the ~ ^ @{...} suffixes; no ranges, no options,
# no whitespace, and no ':' (which separates the path).
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^@{}+-]*")
_TIMEOUT = 120


@dataclass(frozen=True)
class GitSpec:
    """``git:REV[:PATH]`` as written on the command line."""

    text: str
    revision: str
    path: str | None
    """Folder inside the repository (POSIX, relative to its root); None: not given."""


def is_git_spec(text: str) -> bool:
    return text.startswith(PREFIX)


def parse_git_spec(text: str) -> GitSpec:
    """Check the syntax of ``git:REV[:PATH]``; raise UsageError with one line if wrong."""
    body = text[len(PREFIX):]
    revision, _, path = body.partition(":")
    if not revision:
        raise UsageError(f"{text!r}: give a revision after 'git:' (e.g. git:v1.2 or "
                         "git:v1.2:metadata)")
    if not _REVISION.fullmatch(revision) or ".." in revision or revision.endswith((".", "/")):
        raise UsageError(f"{text!r}: {revision!r} is not a valid git revision name")
    return GitSpec(text, revision, _clean_path(text, path) if path else None)


def _clean_path(text: str, path: str) -> str:
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part == ".." for part in pure.parts) or "\n" in path:
        raise UsageError(f"{text!r}: the path after the revision must be relative to the "
                         "repository's root, without '..'")
    return pure.as_posix() if pure.parts else ""


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              timeout=_TIMEOUT, check=False)
    except FileNotFoundError:
        raise UsageError("reading a git revision needs the git command, which is not "
                         "installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} in {repo} did not answer within {_TIMEOUT} s") \
            from None


@dataclass(frozen=True)
class Repository:
    root: Path
    """The work tree's top folder."""

    @classmethod
    def containing(cls, folder: Path) -> Repository:
        done = _git(folder, "rev-parse", "--show-toplevel")
        if done.returncode != 0:
            raise UsageError(f"{folder} is not inside a git repository (needed to read a "
                             "git: revision)")
        return cls(Path(done.stdout.decode("utf-8", "replace").strip()))

    def relative(self, folder: Path) -> str:
        """``folder`` as a path inside this repository (POSIX)."""
        try:
            inside = folder.resolve().relative_to(self.root.resolve())
        except ValueError:
            raise UsageError(f"{folder} is not inside the git repository {self.root}") from None
        return inside.as_posix() if inside.parts else ""

    def commit_of(self, spec: GitSpec) -> str:
        done = _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{spec.revision}^{{commit}}")
        if done.returncode != 0:
            raise UsageError(f"{spec.text!r}: no commit {spec.revision!r} in the git "
                             f"repository {self.root}")
        return done.stdout.decode("ascii").strip()

    def read_files(self, commit: str, paths: list[str]) -> dict[str, GitObject]:
        """Each path's object at ``commit`` (blob content, or why there is none)."""
        request = b"".join(f"{commit}:{path}\n".encode() for path in paths)
        done = _git(self.root, "cat-file", "--batch", stdin=request)
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(f"git cat-file failed in {self.root}: "
                             f"{detail[0] if detail else 'no message'}")
        return dict(zip(paths, _parse_batch(done.stdout, len(paths)), strict=True))


@dataclass(frozen=True)
class GitObject:
    kind: str
    """"blob", "tree", ... or "missing"."""
    oid: str = ""
    content: bytes = b""


def _parse_batch(output: bytes, count: int) -> list[GitObject]:
    """Parse ``git cat-file --batch`` output: a header line, then the object's bytes."""
    objects: list[GitObject] = []
    position = 0
    for _ in range(count):
        end = output.index(b"\n", position)
        header = output[position:end].decode("utf-8", "replace").split(" ")
        position = end + 1
        if header[-1] in ("missing", "ambiguous"):
            objects.append(GitObject("missing"))
            continue
        oid, kind, size = header[0], header[1], int(header[2])
        objects.append(GitObject(kind, oid, output[position:position + size]))
        position += size + 1
    return objects
