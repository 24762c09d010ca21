# The public API's types, for type checkers (the module itself imports them lazily).
from vidaudit.api import AuditReport as AuditReport
from vidaudit.api import RuleInfo as RuleInfo
from vidaudit.api import audit as audit
from vidaudit.api import check as check
from vidaudit.api import explain as explain
from vidaudit.api import rule as rule
from vidaudit.api import rules as rules
from vidaudit.errors import ConfigError as ConfigError
from vidaudit.errors import UsageError as UsageError
from vidaudit.report import Finding as Finding
from vidaudit.report import Report as Report

__version__: str
__all__ = ["AuditReport", "ConfigError", "Finding", "Report", "RuleInfo", "UsageError",
           "__version__", "audit", "check", "explain", "rule", "rules"]
