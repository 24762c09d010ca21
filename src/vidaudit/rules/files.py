"""VA1xx: files and parsing. Emitted while reading (see vidaudit.sources)."""

from vidaudit.model import Severity
from vidaudit.rules.registry import rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING

rule("VA101", "file-missing", ERROR,
     "a required metadata file does not exist",
     """
     Every release of the dataset publishes five files: the events per video, the
     template map and one id list per split. A missing one means the release is
     incomplete, and every cross-file check that needs it cannot run.
     """,
     "Add the file, or point vidaudit at the right name with `files` in the configuration.")

rule("VA102", "invalid-json", ERROR,
     "a metadata file is not parseable JSON; reported at the line and column",
     """
     A file that does not parse is unusable for every consumer. The finding points at
     the first place where the parser gave up: the mistake is there or just before it
     (a missing comma, a trailing comma, an unclosed string).
     """,
     "Open the file at the reported line and column and repair the syntax.")

rule("VA103", "duplicate-key", ERROR,
     "an object repeats a key",
     """
     JSON parsers disagree on repeated keys, and Python's keeps the last value
     silently: a video whose key appears twice loses the events of its first entry
     without any error. The finding points at the repeated key.
     """,
     "Merge the two entries into one, or remove the one that is wrong.")

rule("VA104", "non-finite-number", ERROR,
     "a number is NaN, Infinity or -Infinity (or overflows to it)",
     """
     NaN and Infinity are not JSON. Python writes and reads them by default, so they
     slip in when a float column had gaps, but strict parsers (browsers, jq, most
     other languages) reject the whole file.
     """,
     "Replace the value with a real number, or drop the event it belongs to.")

rule("VA105", "bad-encoding", ERROR,
     "a file is not UTF-8 (a UTF-8 byte-order mark is a warning)",
     """
     JSON exchanged between systems must be UTF-8 (RFC 8259). Other encodings break
     parsers outright; a byte-order mark is tolerated by some parsers and rejected by
     others, so it is reported as a warning at severity `warning`.
     """,
     "Re-save the file as UTF-8 without a byte-order mark.")

rule("VA106", "unreadable-file", ERROR,
     "a metadata path exists but cannot be read as a file",
     """
     The path is a directory, a broken or looping symbolic link, or the permissions do
     not allow reading it. Nothing in it can be checked.
     """,
     "Fix the path or its permissions.")

rule("VA107", "file-too-large", ERROR,
     "a metadata file is larger than the configured limit",
     """
     vidaudit reads metadata into memory. A file far larger than any published
     release is more likely an accident (a wrong file, a runaway export) than data,
     so it is refused before it is read rather than exhausting memory.
     """,
     "If the file is genuine, raise `max-file-mb` in the configuration.")
