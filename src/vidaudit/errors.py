"""Errors that end a run with exit code 2 and one line of explanation."""


class ConfigError(Exception):
    """A problem with options or configuration: exit code 2, one line."""


class UsageError(ConfigError):
    """The command line asks for something impossible or unsafe."""
