"""Every command line on the "Check your own derivative" page runs and ends as the page says."""

from __future__ import annotations

import re
import shlex

import pytest

from derivations import cli

from .conftest import ROOT

PAGE = ROOT / "docs" / "check.md"
COMMAND = re.compile(r"^python -m derivations (check .+)\n# exit (\d)", re.MULTILINE)
EXAMPLES = COMMAND.findall(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_examples_of_every_outcome():
    assert {int(code) for _, code in EXAMPLES} == {0, 1, 2, 3}
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize(("command", "code"), EXAMPLES, ids=[c[:60] for c, _ in EXAMPLES])
def test_documented_command_ends_as_documented(command, code, capsys):
    assert cli.main(shlex.split(command)) == int(code)
    out = capsys.readouterr()
    if int(code) == 2:
        assert out.err.startswith("error: ") and out.err.count("\n") == 1
