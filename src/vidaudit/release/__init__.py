"""Releases of a dataset and what changed between two of them.

A release is read from a folder or from a git revision (:mod:`.load`); two releases
are compared into a :class:`~vidaudit.release.diff.ReleaseDiff` (:mod:`.diff`), which
becomes the VA6xx findings (:mod:`.findings`) and a text a person reads (:mod:`.render`).
"""
