"""vidaudit: data validation and quality assurance for video-annotation datasets.

The public Python API (see docs/api.md)::

    import vidaudit

    report = vidaudit.check("metadata")      # the same run as `vidaudit check metadata`
    report.failed, report.counts             # the verdict
    report.to_frame()                        # one row per finding (pandas)
    report.write("html", "reports/vidaudit.html")

    vidaudit.rules(), vidaudit.explain("VA303")
    vidaudit.audit("metadata", previous="git:v1.0")

Errors in the options are :class:`UsageError`/:class:`ConfigError`; a broken dataset is
findings, never an exception. Everything not listed in ``__all__`` is internal.

The API is imported on first use (module ``__getattr__``), so ``import vidaudit`` (done
by the console script on every run) does not import pandas.
"""

import sys

from vidaudit.errors import ConfigError, UsageError

__version__ = "0.1.0"

# Type checkers read __init__.pyi, which names the API's types; this file imports none
# of them, so `import vidaudit` (and every module that reads __version__) stays free of
# the API's imports, and the import layers see no edge from here to vidaudit.api.

_LAZY = {
    "check": "vidaudit.api",
    "audit": "vidaudit.api",
    "rules": "vidaudit.api",
    "rule": "vidaudit.api",
    "explain": "vidaudit.api",
    "RuleInfo": "vidaudit.api",
    "AuditReport": "vidaudit.report",
    "Report": "vidaudit.report",
    "Finding": "vidaudit.report",
}

__all__ = ["AuditReport", "ConfigError", "Finding", "Report", "RuleInfo", "UsageError",
           "__version__", "audit", "check", "explain", "rule", "rules"]


class _Package(type(sys)):  # type: ignore[misc]  # types.ModuleType, without importing types
    """``vidaudit.audit`` and ``vidaudit.rules`` are the API's functions, and also the
    names of subpackages. Importing a subpackage sets it as an attribute of its parent,
    which would hide the function; this module ignores that. The subpackages are still
    imported as usual (``from vidaudit.rules.registry import RULES``: Python finds them in
    ``sys.modules``); only ``import vidaudit.rules.registry as x`` would not work."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWING and isinstance(value, type(sys)):
            return
        super().__setattr__(name, value)


_SHADOWING = frozenset({"audit", "rules"})
sys.modules[__name__].__class__ = _Package
for _name in _SHADOWING:  # a subpackage imported before this module finished
    globals().pop(_name, None)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vidaudit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
