"""The README's commands and the generated docs stay true."""

from __future__ import annotations

import re

from support import REPO, run_cli


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    install_and_check, install_and_test = readme_commands()[:2]
    assert install_and_check.endswith("vidaudit check metadata")
    assert "pytest" in install_and_test
    ci = (REPO / ".ci" / "run").read_text()
    ci_command = ci.strip().splitlines()[-1]
    assert ci_command == install_and_test


def test_rule_catalogue_doc_is_current() -> None:
    generated = run_cli("rules", "--format", "markdown").stdout
    assert (REPO / "docs" / "rules.md").read_text() == generated
