"""Wide tables wrap instead of cutting cells short (issue 11, item 6): ``policy show`` and
``connectors list`` at 80 columns show every key, id, field and value whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.cli.common import out
from skiptrace.connectors._registry import discover
from skiptrace.policy import describe, load_policy

runner = CliRunner()


@pytest.fixture(autouse=True)
def eighty_columns() -> Iterator[None]:
    width = out.width
    out.width = 80
    yield
    out.width = width


def _shown(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _words(text: str) -> set[str]:
    return set(text.replace("│", " ").replace("┃", " ").split())


def test_policy_show_at_80_columns_cuts_nothing_short() -> None:
    shown = _shown("policy", "show")
    table = shown.split("hard rules")[0]
    assert "…" not in shown
    assert max(len(line) for line in table.splitlines()) <= 80
    words = _words(table)
    for key, value, _meaning in describe(load_policy()):
        assert key in words, key  # a key is never folded or cut
        assert set(value.split()) <= words | {w for w in value.split() if len(w) > 20}, value


def test_connectors_list_at_80_columns_cuts_nothing_short() -> None:
    shown = _shown("connectors", "list")
    table, _, terms = shown.partition("terms:")
    assert "…" not in shown
    assert max(len(line) for line in table.splitlines()) <= 80
    words = _words(table)
    for connector in discover([]).connectors.values():
        info = connector.info
        assert {info.id, *info.gives, *info.needs} <= words, info.id
        assert f"  {info.id}: {info.terms}" in terms.splitlines()
