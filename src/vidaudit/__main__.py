from vidaudit.cli import entry

entry()
