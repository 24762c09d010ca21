"""Reading an input file that a hostile dataset may have replaced with something else.

A path inside a dataset can be a symbolic link to anywhere (``/etc/shadow``, a
secret that a report would then quote), a FIFO (opening it for reading waits for
a writer forever), a device (``/dev/zero`` never ends) or a file that grows while
it is read. :func:`read_regular` reads only regular files, only where
:mod:`vidaudit.links` allows for ``root`` when one is given (inside it, or inside the
data of its git repository), and never more than ``max_bytes``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from vidaudit import links


class Refused(Exception):
    """The file was not read; ``code`` is the rule (VA106 or VA107), the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, links resolved, lies inside ``root`` (links resolved too)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_regular(path: Path, max_bytes: int, root: Path | None = None) -> bytes:
    """The bytes of ``path``; raises :class:`Refused`, or OSError when it cannot be read."""
    if root is not None:
        reason = links.refusal(path, os.path.realpath(root))
        if reason is not None:
            raise Refused("VA106", reason)
    # Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("VA106", f"{path.name} is not a regular file (a FIFO, socket or "
                          "device); not read")
        if info.st_size <= max_bytes:  # never more than the limit, even if it grows
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
            if len(data) <= max_bytes:
                return data
    raise Refused("VA107", f"{path.name} is {max(info.st_size, max_bytes + 1):,} bytes, over "
                  f"the limit of {max_bytes:,} (raise it with max-file-mb in the configuration)")
