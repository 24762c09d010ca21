"""Which symbolic links vidaudit follows, and what it says about the others.

Datasets kept with git-annex, DataLad or DVC are trees of links: a locked annexed file
is a link into ``.git/annex/objects``, a DVC checkout may link into ``.dvc/cache``.
Those must just work. A hostile dataset, though, can hold a link to ``/etc/shadow``
or a secret that a report would then quote. The rule:

- a link that resolves inside the folder vidaudit was given is followed;
- so is one that resolves inside the git repository enclosing that folder (found from
  the folder upwards by its ``.git`` entry), except into a ``.git`` folder other than
  its ``annex/objects`` store, or into a ``.dvc`` folder other than its ``cache``: the
  rest of those folders is configuration, which may hold credentials, never data;
- anything else is refused, with a message that names ``follow-links``;
- a link whose target does not exist is refused too, and an annexed (or DVC-cached)
  file whose content was never fetched is named as such, with how to fetch it.

Finding the repository only looks at (``stat``) the ``.git`` entry of each folder
above the given one; nothing above it is opened or listed.
"""

from __future__ import annotations

import functools
import os
import stat

FOLLOW_HINT = "set follow-links = true in the configuration to follow links anywhere"

# Inside the repository, only these parts of its tool folders hold data.
_DATA_STORES = {".git": ("annex", "objects"), ".dvc": ("cache",)}


def within(base: str, real: str) -> bool:
    """Whether the resolved path ``real`` is ``base`` or lies under it (both resolved)."""
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=256)
def repository_of(folder_real: str) -> str | None:
    """The work tree of the git repository enclosing the resolved folder, or None.

    A folder holding a ``.git`` folder (a repository) or a ``.git`` file (a submodule
    or a linked work tree) is the top of one.
    """
    current = folder_real
    while True:
        try:
            mode = os.stat(os.path.join(current, ".git")).st_mode
        except OSError:
            mode = 0
        if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _in_data_part(top: str, real: str) -> bool:
    """Whether ``real`` (inside the work tree ``top``) avoids the tool folders' non-data
    parts: ``.git`` only through ``annex/objects``, ``.dvc`` only through ``cache``."""
    parts = real[len(top):].strip(os.sep).split(os.sep)
    for index, part in enumerate(parts):
        store = _DATA_STORES.get(part)
        if store is not None and tuple(parts[index + 1:index + 1 + len(store)]) != store:
            return False
    return True


def allowed(root_real: str, real: str) -> bool:
    """Whether the resolved path ``real`` may be read for a dataset rooted at the
    resolved folder ``root_real``: inside it, or inside the data of its repository
    (never into the configuration part of a ``.git`` or ``.dvc`` folder, even one
    inside the dataset folder: the repository's top may be that folder)."""
    if within(root_real, real):
        return _in_data_part(root_real, real)
    top = repository_of(root_real)
    return top is not None and within(top, real) and _in_data_part(top, real)


def refusal(path: str | os.PathLike[str], root_real: str) -> str | None:
    """Why ``path`` (under the dataset folder ``root_real``, already resolved) is not
    read, or None when it may be. Only links are ever refused."""
    name = os.path.basename(os.fspath(path))
    real = os.path.realpath(path)
    if not allowed(root_real, real):
        top = repository_of(root_real)
        where = (f"the dataset folder {root_real}" if top is None else
                 f"the dataset folder {root_real} and its git repository {top}")
        return (f"{name} is a symbolic link to {real}, outside {where} (not followed; "
                f"{FOLLOW_HINT})")
    try:
        os.stat(path)
    except FileNotFoundError:  # a dangling link (a loop is left to the reader: ELOOP)
        if os.path.islink(path):
            return f"{name} is {missing_content(real)}"
    except OSError:
        pass
    return None


def missing_content(real: str) -> str:
    """What a link whose target ``real`` does not exist is, as "a link ..." (the caller
    puts the name and "is" before it)."""
    if f"{os.sep}annex{os.sep}objects{os.sep}" in real:
        return ("an annexed file whose content is not present (fetch it with "
                "`git annex get` or `datalad get`)")
    if f"{os.sep}.dvc{os.sep}cache{os.sep}" in real:
        return ("a link into the DVC cache, which does not hold its content (fetch it with "
                "`dvc pull`)")
    return f"a symbolic link to {real}, which does not exist"
