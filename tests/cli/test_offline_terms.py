"""The offline connector's terms, printed under ``connectors list``, send the reader to the
command that lists each bulk source's licence: they named ``index stats``, which prints the
records and files imported and no licence."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.connectors._offline import INFO

runner = CliRunner()


def test_the_command_the_offline_terms_name_lists_the_licences() -> None:
    named = re.search(r"\(skiptrace ([a-z ]+) lists them\)", INFO.terms)
    assert named, INFO.terms
    result = runner.invoke(app, named.group(1).split(), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "licence" in result.stdout
    assert "Open Government Licence" in result.stdout  # a shipped source's licence itself
