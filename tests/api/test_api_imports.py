"""``import vidaudit`` stays light (the console script does it on every run), and the
API's names stay the API's although subpackages share two of them."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import vidaudit
assert "pandas" not in sys.modules and "vidaudit.api" not in sys.modules, "eager import"
from vidaudit.rules.registry import RULES       # the subpackages import as before
from vidaudit.audit.summary import verdict
import vidaudit.audit.run
assert callable(vidaudit.audit) and vidaudit.audit.__module__ == "vidaudit.api"
assert callable(vidaudit.rules) and vidaudit.rules.__module__ == "vidaudit.api"
assert vidaudit.rule("VA303").name == "video-not-in-split" == RULES["VA303"].name
assert sorted(vidaudit.__all__) == sorted(n for n in vidaudit.__all__ if hasattr(vidaudit, n))
print("ok")
"""


def test_import_is_light_and_names_are_the_apis() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout == "ok\n", done.stderr
