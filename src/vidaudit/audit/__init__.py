"""The release audit: every check, a diff against the previous release, a Great
Expectations validation with Data Docs, checksums, and an audit trail (``audit.json``)."""
