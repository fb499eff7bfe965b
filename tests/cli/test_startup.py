"""A command loads only its own code: ``--help`` and ``--version`` load no command's (the
pattern the cli package's docstring states), and each command's help still says what its
code would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.audit.log import KEY_ENV, KEY_FILE_ENV
from skiptrace.cli import app

LIGHT = {"skiptrace", "skiptrace._version", "skiptrace.errors", "skiptrace.safe_text",
         "skiptrace.net", "skiptrace.net.wall", "skiptrace.tables", "skiptrace.tables.reader",
         "skiptrace.tables.writer"}  # fmt: skip
"""The skiptrace modules a cli module may import at its top: they need only the stdlib."""

_LOADED = """
import json, sys
from skiptrace.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    """The modules a fresh process has loaded once ``skiptrace ARGS`` has run."""
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return set(json.loads(done.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["link", "--help"]])
def test_help_and_version_load_no_commands_code(args: list[str]) -> None:
    loaded = _loaded(*args)
    ours = {name for name in loaded if name.startswith("skiptrace.")}
    heavy = {name for name in ours - LIGHT if not name.startswith("skiptrace.cli")}
    assert heavy == set()
    assert {"numpy", "phonenumbers", "nameparser", "publicsuffixlist"} & loaded == set()


def test_audit_help_names_the_variables_the_log_reads_its_key_from() -> None:
    for command in ("verify", "anchor"):
        shown = CliRunner().invoke(app, ["audit", command, "--help"], terminal_width=200)
        words = " ".join(shown.stdout.replace("│", " ").split())
        assert f"needs its key: {KEY_FILE_ENV} naming a file" in words
        assert f"or {KEY_ENV} holding it." in words


def test_link_loads_no_research_audit_or_network_code(tmp_path: Path) -> None:
    """link matches two files: it sends no request, so it loads none of the code that does."""
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    for path in (left, right):
        path.write_text("name,city\nJane Roe,Austin\n", encoding="utf-8")
    loaded = _loaded("link", str(left), str(right), "-o", str(tmp_path / "links.csv"))
    assert "skiptrace.matching.link" in loaded  # it did link
    kept_out = ("skiptrace.research", "skiptrace.connectors", "skiptrace.audit",
                "skiptrace.policy", "httpx", "publicsuffixlist")  # fmt: skip
    assert sorted(name for name in loaded if name.startswith(kept_out)) == []


def test_enrich_says_its_input_is_missing_before_loading_the_research_code(
    tmp_path: Path,
) -> None:
    """A mistyped input file was said only once the research stack had loaded (about 0.2 s of
    imports, with numpy's): the input is checked first."""
    missing, out = tmp_path / "debtors.csv", tmp_path / "out.csv"
    args = ["enrich", str(missing), "-o", str(out), "--purpose", "a test"]
    said = CliRunner().invoke(app, args)
    assert said.exit_code == 2 and f"cannot read {missing}" in said.output, said.output
    loaded = _loaded(*args)
    assert "skiptrace.research.enrich" not in loaded and "numpy" not in loaded
