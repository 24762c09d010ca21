"""The data every part of vidaudit shares: severities, rules' identities and findings."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """Ordered so that ``a >= b`` means *a is at least as serious as b*."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None


@dataclass(slots=True)
class Finding:
    """One problem at one place.

    ``file`` is the path as the user gave it; ``pointer`` is an RFC 6901 JSON
    Pointer into that file (or ``/<row>`` style for CSV/text sources, with
    ``line`` always set). ``identity`` names the offending thing independently
    of where it sits in the file (``"26864/0"`` for an event, ``"test/26864#1"``
    for a split entry) and, with the code and the file's name, makes the
    fingerprint, so that a baseline survives edits elsewhere.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    video_id: str | None = None
    identity: str = ""
    name: str = ""
    fingerprint: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.code, self.pointer)

    def location(self) -> str:
        """``file:line:col`` as editors and terminals understand it."""
        if not self.file:
            return "(dataset)"
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


def fingerprint(code: str, file_name: str, identity: str) -> str:
    """A stable hash of what the finding is about, never of where it sits."""
    return fingerprints(code, file_name, [identity])[0]


def fingerprints(code: str, file_name: str, identities: Iterable[str]) -> list[str]:
    """:func:`fingerprint` of each identity (findings of one rule in one file by the
    hundred thousand: the shared part of the hashed text is made once)."""
    # surrogatepass: an id or key may hold a lone surrogate (a valid JSON escape, \ud800)
    prefix = f"{code}\x1f{file_name}\x1f"
    return [hashlib.sha256((prefix + identity).encode("utf-8", "surrogatepass"))
            .hexdigest()[:32] for identity in identities]
