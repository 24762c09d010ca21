"""Baselines: findings accepted on purpose, so that a check fails only on new ones.

A baseline is a JSON file (``schemas/vidaudit_baseline.schema.json``) listing
findings by rule code and fingerprint. Matching is a multiset match on
``(code, fingerprint)``: each entry suppresses one finding. The fingerprint
hashes what a finding is about (the code, the file's name and the finding's
identity, e.g. ``26864/0/<field>``), never where it sits, so the baseline
survives edits elsewhere in the file and reformatting.

Entries only count for rules that ran (and, for the schema hook, for files that
were checked): deselecting a rule does not make its entries stale. An entry
whose ``expires`` date has passed stops suppressing (VA901); an entry that
matches nothing is reported as stale (VA902), pointing at the entry itself.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from json.encoder import encode_basestring
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from vidaudit import __version__
from vidaudit.errors import ConfigError
from vidaudit.findingtable import FindingTable, field_values
from vidaudit.model import Finding, Severity
from vidaudit.sources import DeferredSource, SourceFile, read_json_source
from vidaudit.values import escape_surrogates

if TYPE_CHECKING:
    from vidaudit.engine import Result

BASELINE_VERSION = 1
SCHEMA_NAME = "vidaudit_baseline"
BASELINE_RULES = ("VA901", "VA902")


class Entry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One entry as the file has it: the ``entries`` items of
    ``schemas/vidaudit_baseline.schema.json``, as a type that msgspec checks and builds in
    C (a baseline of a full-size release has a third of a million entries; the schema's
    validator and an object made in Python per entry took a second). What the type
    accepts, the schema accepts (a test holds the two together; ``\\Z`` is the end of
    the text, as JSON Schema's ``$`` is); what it refuses goes to the schema, which says
    why or accepts it after all (a line written ``3.0``)."""

    code: Annotated[str, msgspec.Meta(pattern=r"^VA[1-9][0-9]{2}\Z")]
    fingerprint: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{8,64}\Z")]
    name: str = ""
    file: str = ""
    pointer: str = ""
    line: Annotated[int, msgspec.Meta(ge=1)] | None = None
    message: str = ""
    reason: str | msgspec.UnsetType = msgspec.UNSET
    expires: date | msgspec.UnsetType = msgspec.UNSET

    @property
    def key(self) -> tuple[str, str]:
        return self.code, self.fingerprint

    def expired(self, today: date) -> bool:
        return isinstance(self.expires, date) and self.expires < today


@dataclass
class Baseline:
    """A baseline's entries as columns, in the file's order (findings about entry ``n``
    point at ``/entries/<n>``): what matching needs of every entry. A whole entry
    (:meth:`entry`) is made again only for the few that are reported: at full size a
    third of a million entries, kept whole, took 300 MB through the check."""

    source: SourceFile
    codes: list[str]
    fingerprints: list[str]
    files: list[str]
    annotated: dict[int, Entry]
    """The entries with a ``reason`` or an ``expires``, by position (people add them)."""
    whole: list[Entry] | None = None
    """Every entry, when they were made one by one (a file the schema had to decide)."""

    @classmethod
    def of(cls, source: SourceFile, entries: list[Entry], keep: bool = False) -> Baseline:
        share: dict[str, str] = {}  # a code or file is one str however many entries name it
        return cls(source, [share.setdefault(e.code, e.code) for e in entries],
                   [e.fingerprint for e in entries],
                   [share.setdefault(e.file, e.file) for e in entries],
                   {n: e for n, e in enumerate(entries)
                    if e.reason is not msgspec.UNSET or e.expires is not msgspec.UNSET},
                   entries if keep else None)

    def __len__(self) -> int:
        return len(self.codes)

    def entry(self, index: int) -> Entry:
        if self.whole is not None:
            return self.whole[index]
        found = self.annotated.get(index)
        if found is not None:
            return found
        return msgspec.convert(self.source.data["entries"][index], Entry)

    def expired(self, index: int, today: date) -> bool:
        found = self.annotated.get(index)
        return found is not None and found.expired(today)


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{what} must be a date like 2026-12-31, not {text!r}") from None


def load_baseline(path: Path) -> Baseline:
    """Read and validate a baseline file; any problem is a one-line ConfigError."""
    source = read_json_source("baseline", path, str(path))
    broken = [f for f in source.findings if f.severity is Severity.ERROR]
    if broken:
        first = broken[0]
        where = f":{first.line}:{first.column or 1}" if first.line else ""
        raise ConfigError(f"baseline {path}{where}: {first.message}")
    entries = _typed_entries(source)
    if entries is None:
        _validate(source)
        return Baseline.of(source, [_entry(item, f"baseline {path}: entries[{index}].expires")
                                    for index, item in enumerate(source.data["entries"])],
                           keep=True)
    # The columns hold all that matching needs; the parsed document (a dict per entry) is
    # let go, and parsed again only if an entry is reported (VA901/VA902).
    return Baseline.of(DeferredSource(role=source.role, path=source.path,
                                      display=source.display, text=source.text,
                                      sha256=source.sha256, size=source.size, columns=None,
                                      shape=dict), entries)


def _typed_entries(source: SourceFile) -> list[Entry] | None:
    """The entries, when the file's head meets the schema and every entry is an
    :class:`Entry`; else None (the schema decides)."""
    from vidaudit.schemacheck import is_valid, load_schema

    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    if not is_valid(load_schema(SCHEMA_NAME), {**data, "entries": []}):
        return None
    try:
        return msgspec.convert(data["entries"], list[Entry])
    except msgspec.ValidationError:
        return None


def _entry(item: dict[str, Any], what: str) -> Entry:
    """An entry the schema accepts but :class:`Entry` does not take as it is."""
    expires = item.get("expires")
    fields = {**item, "line": item.get("line") if item.get("line") is None
              else int(item["line"])}
    fields.pop("expires", None)
    if expires is not None:
        fields["expires"] = parse_date(expires, what)
    return Entry(**fields)


def _validate(source: SourceFile) -> None:
    """Raise a ConfigError that says where and how the file breaks its schema.

    The compiled validator reads a pattern's ``$`` as JSON Schema (ECMA-262) does, the end
    of the text; jsonschema, as Python does, also before a final newline. A text that
    only the compiled one refuses (``"VA206\\n"``) is told with its words."""
    import fastjsonschema
    import jsonschema

    from vidaudit.schemacheck import compiled_validator, load_schema

    schema = load_schema(SCHEMA_NAME)
    try:
        compiled_validator(schema)(source.data)
        return
    except fastjsonschema.JsonSchemaValueException as refused:
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(schema).iter_errors(source.data))
        if error is not None:
            path, message = list(error.absolute_path), error.message
        else:
            path = refused.path[1:]  # after "data"
            message = f"{refused.value!r} {refused.message.removeprefix(f'{refused.name} ')}"
    where = "/".join(str(p) for p in path) or "the top level"
    location = ""
    if source.locator is not None:
        _, span = source.locator.nearest("".join(f"/{p}" for p in path))
        line, column = source.locator.line_column(span.value)
        location = f":{line}:{column}"
    message = message.replace("\n", " ")
    if len(message) > 160:
        message = message[:159] + "…"
    raise ConfigError(f"baseline {source.display}{location}: not a vidaudit baseline "
                      f"({message} at {where})")


# -- applying -----------------------------------------------------------------


def apply_baseline(result: Result, baseline: Baseline | Path, *, today: date | None = None,
                   files: Collection[str] | None = None) -> None:
    """Drop the findings the baseline accepts; add VA901/VA902 for its expired and stale
    entries. ``files``: only entries about these files (by name) count (the schema hook).

    The findings are matched column by column, by position: a baseline of a full-size
    release accepts hundreds of thousands of findings, none of which is made an object."""
    import numpy as np

    from vidaudit.engine import finalize, in_report_order

    if not isinstance(baseline, Baseline):
        baseline = load_baseline(baseline)
    today = today or date.today()
    ran = set(result.rules_run)
    queues = _queues(baseline, ran, today,
                     None if files is None else {PurePath(f).name for f in files})
    findings = FindingTable.of(result.findings)
    kept: list[int] = []
    expired: list[int] = []
    for row, key in enumerate(zip(field_values(findings, "code"),
                                  field_values(findings, "fingerprint"), strict=True)):
        queue = queues.get(key)
        if not queue:
            kept.append(row)
            continue
        spent = queue.pop()
        if baseline.expired(spent, today):
            expired.append(spent)
            kept.append(row)
    stale = sorted(index for queue in queues.values() for index in queue)

    display = baseline.source.display
    own = []
    for code, indices in (("VA901", expired), ("VA902", stale)):
        for index in indices:
            entry = baseline.entry(index)
            what = f"expired on {entry.expires}; the finding is reported again" \
                if code == "VA901" else "matches no finding any more"
            own.append(_entry_finding(code, index, entry, display,
                                      f"baseline entry for {entry.code} {what}: "
                                      f"{_short(entry.message)}"))
    result.findings = in_report_order(FindingTable.concat([
        findings.take(np.asarray(kept, dtype=np.int64)),
        finalize(own, [baseline.source], result.config)]))
    result.suppressed += len(findings) - len(kept)
    selection = result.config.selection
    result.rules_run = [*result.rules_run,
                        *(c for c in BASELINE_RULES if c in selection and c not in ran)]
    source = baseline.source
    result.dataset.stats.setdefault("extra_inputs", []).append(
        {"path": source.display, "sha256": source.sha256, "bytes": source.size})


def _queues(baseline: Baseline, ran: set[str], today: date,
            names: set[str] | None) -> dict[tuple[str, str], list[int]]:
    """(code, fingerprint) -> the positions of the entries that may accept such a finding,
    last to be spent first: entries that still suppress are spent before expired ones,
    each kind in file order. Only entries of rules that ran (and, for the schema hook,
    about the files checked) count."""
    queues: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (code, fingerprint, file) in enumerate(zip(
            baseline.codes, baseline.fingerprints, baseline.files, strict=True)):
        if code in ran and (names is None or PurePath(file).name in names):
            queues[code, fingerprint].append(index)
    for queue in queues.values():
        if len(queue) > 1:
            queue.sort(key=lambda index: (baseline.expired(index, today), index), reverse=True)
    return queues


def _entry_finding(code: str, index: int, entry: Entry, display: str, message: str
                   ) -> Finding:
    from vidaudit.rules.registry import get

    # The identity is what the entry accepts, so that these findings can be baselined too
    # and keep their fingerprint when other entries are added or removed.
    return Finding(code=code, severity=get(code).severity, message=message, file=display,
                   pointer=f"/entries/{index}", identity=f"{entry.code}/{entry.fingerprint}")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- writing ------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    parts: Iterable[str]
    """The file's text in parts, made anew each time they are read."""
    entries: int
    carried: int
    """Entries whose reason/expires were kept from the previous baseline."""

    @property
    def text(self) -> str:
        return "".join(self.parts)


CHUNK = 10_000
"""Entries per part of :attr:`Written.parts`."""


def baseline_text(findings: Sequence[Finding], profile: str, *,
                  previous: Baseline | None = None, reason: str | None = None,
                  expires: date | None = None) -> Written:
    """The baseline file for these findings, one entry per line (reviewable diffs).

    Entries are grouped by rule, in report order within a rule. ``reason`` and
    ``expires`` of a previous baseline's matching entries are kept; new entries
    get the ones given here. Each line is what ``json.dumps(entry, ensure_ascii=False)``
    writes, made column by column in parts (a full-size release has a third of a million
    entries: no dict and no encoder run per entry, and never the whole text at once).
    """
    import numpy as np

    codes = field_values(findings, "code")
    ranks = {code: n for n, code in enumerate(sorted(set(codes)))}
    order = np.argsort(np.fromiter(map(ranks.__getitem__, codes), dtype=np.int64,
                                   count=len(codes)), kind="stable").tolist()
    tails, carried = _tails(findings, order, previous, reason, expires)
    columns = [field_values(findings, name) for name in _LISTED]
    header = json.dumps({"baseline_version": BASELINE_VERSION,
                         "tool": {"name": "vidaudit", "version": __version__},
                         "profile": profile}, ensure_ascii=False)[:-1]
    return Written(_Again(lambda: _parts(header, columns, order, tails)), len(order), carried)


class _Again(Iterable[str]):
    """Parts made anew by each iteration (``Written.text`` read twice, or after the file
    was written from ``parts``, is the whole text each time)."""

    def __init__(self, make: Callable[[], Iterator[str]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[str]:
        return self._make()


_LISTED = ("code", "name", "fingerprint", "file", "pointer", "line", "message")
"""The fields of a finding that its entry lists, in the entry's order."""


def _tails(findings: Sequence[Finding], order: list[int], previous: Baseline | None,
           reason: str | None, expires: date | None) -> tuple[list[str], int]:
    """What follows each entry's message (in ``order``): its reason and expiry, if any,
    and the closing brace; and how many entries kept a previous one's."""
    carry: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for _, entry in sorted(previous.annotated.items()) if previous else []:
        carry[entry.key].append(entry)
    given = _tail(reason, expires)
    if not carry:
        return [given] * len(order), 0
    codes = field_values(findings, "code")
    prints = field_values(findings, "fingerprint")
    tails = []
    carried = 0
    for row in order:
        queue = carry.get((codes[row], prints[row]))
        if queue:
            old = queue.pop(0)
            carried += 1
            tails.append(_tail(old.reason if isinstance(old.reason, str) else None,
                               old.expires if isinstance(old.expires, date) else None))
        else:
            tails.append(given)
    return tails, carried


def _tail(reason: str | None, expires: date | None) -> str:
    return "".join([f", \"reason\": {encode_basestring(reason)}" if reason is not None else "",
                    f", \"expires\": \"{expires.isoformat()}\"" if expires is not None else "",
                    "}"])


def _parts(header: str, columns: list[list[Any]], order: list[int], tails: list[str]
           ) -> Iterator[str]:
    if not order:
        yield f"{header}, \"entries\": []}}\n"
        return
    yield f"{header}, \"entries\": [\n"
    for start in range(0, len(order), CHUNK):
        rows = order[start:start + CHUNK]
        lines = _entry_lines([[column[row] for row in rows] for column in columns],
                             tails[start:start + CHUNK])
        last = start + CHUNK >= len(order)
        yield ",\n".join(lines) + ("\n]}\n" if last else ",\n")


def _entry_lines(columns: list[list[Any]], tails: list[str]) -> list[str]:
    """Each entry's line, as ``"  " + json.dumps(entry, ensure_ascii=False)`` writes it
    (lone surrogates escaped, so that the file is UTF-8), strings encoded by the very
    function that encodes them there. A value not of its declared type goes the general
    way, so the line is the same whatever a finding holds."""
    encode = encode_basestring
    lines = []
    for values, tail in zip(zip(*columns, strict=True), tails, strict=True):
        code, name, fingerprint, file, pointer, line, message = values
        try:
            if not (type(line) is int or line is None):
                raise TypeError("a line is an int or None")
            text = (f'  {{"code": {encode(code)}, "name": {encode(name)}, '
                    f'"fingerprint": {encode(fingerprint)}, "file": {encode(file)}, '
                    f'"pointer": {encode(pointer)}, '
                    f'"line": {"null" if line is None else line}, '
                    f'"message": {encode(message)}{tail}')
        except TypeError:
            text = "  " + json.dumps(dict(zip(_LISTED, values, strict=True)),
                                     ensure_ascii=False)[:-1] + tail
        lines.append(text if text.isascii() else escape_surrogates(text))
    return lines
