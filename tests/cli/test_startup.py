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

from skiptrace.audit.key import KEY_ENV, KEY_FILE_ENV
from skiptrace.cli import app

LIGHT = {"skiptrace", "skiptrace._version", "skiptrace.errors", "skiptrace.safe_text",
         "skiptrace.net", "skiptrace.net.wall", "skiptrace.tables", "skiptrace.tables.reader",
         "skiptrace.tables.writer"}  # fmt: skip
"""The skiptrace modules a cli module may import at its top: they need only the stdlib."""

_LOADED = """
import json, os, sys
from skiptrace.cli import app
for args in json.loads(sys.argv[1]):
    read, write = os.pipe()
    if os.fork() == 0:  # a fresh process's modules: these, and what the command loads
        os.close(read)
        try:
            app(args)
        except SystemExit:
            pass
        os.write(write, json.dumps(sorted(sys.modules)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as said:
        print("loaded:", said.read(), file=sys.stderr)
    os.wait()
"""


Loaded = dict[str, set[str]]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    """The modules a fresh process has loaded once ``skiptrace ARGS`` has run, for each
    command the module's tests name: each forked from one process that has loaded what a fresh
    one has before it runs a command (a Python and its imports for each had been most of
    these tests' time)."""
    folder = tmp_path_factory.mktemp("startup")
    left, right = folder / "left.csv", folder / "right.csv"
    for path in (left, right):
        path.write_text("name,city\nJane Roe,Austin\n", encoding="utf-8")
    commands = {
        "--version": ["--version"],
        "--help": ["--help"],
        "link --help": ["link", "--help"],
        "link": ["link", str(left), str(right), "-o", str(folder / "links.csv")],
        "enrich": ["enrich", str(folder / "debtors.csv"), "-o", str(folder / "out.csv"),
                   "--purpose", "a test"],  # a missing input
    }  # fmt: skip
    done = subprocess.run([sys.executable, "-c", _LOADED, json.dumps(list(commands.values()))],
                          capture_output=True, text=True, check=True)  # fmt: skip
    found = [set(json.loads(line.removeprefix("loaded:")))
             for line in done.stderr.splitlines() if line.startswith("loaded:")]  # fmt: skip
    assert len(found) == len(commands), done.stderr
    return dict(zip(commands, found, strict=True))


@pytest.mark.parametrize("command", ["--version", "--help", "link --help"])
def test_help_and_version_load_no_commands_code(command: str, loaded: Loaded) -> None:
    modules = loaded[command]
    ours = {name for name in modules if name.startswith("skiptrace.")}
    heavy = {name for name in ours - LIGHT if not name.startswith("skiptrace.cli")}
    assert heavy == set()
    assert {"numpy", "phonenumbers", "nameparser", "publicsuffixlist"} & modules == set()


def test_typers_help_and_error_pages_load_only_when_one_is_shown(loaded: Loaded) -> None:
    """typer's rich help and error pages (with rich's Markdown, syntax and traceback modules:
    some 90 ms of CPU) had loaded as every command started, to be patched (``readable_help``);
    they are patched as they load, for a help page or an error."""
    assert all("typer.rich_utils" not in loaded[command] for command in ("--version", "link"))
    assert "typer.rich_utils" in loaded["--help"]


def test_audit_help_names_the_variables_the_log_reads_its_key_from() -> None:
    for command in ("verify", "anchor"):
        shown = CliRunner().invoke(app, ["audit", command, "--help"], terminal_width=200)
        words = " ".join(shown.stdout.replace("│", " ").split())
        assert f"needs its key: {KEY_FILE_ENV} naming a file" in words
        assert f"or {KEY_ENV} holding it." in words


def test_link_loads_no_research_audit_or_network_code(loaded: Loaded) -> None:
    """link matches two files: it sends no request, so it loads none of the code that does."""
    assert "skiptrace.matching.link" in loaded["link"]  # it did link
    kept_out = ("skiptrace.research", "skiptrace.connectors", "skiptrace.audit",
                "skiptrace.policy", "httpx", "publicsuffixlist")  # fmt: skip
    assert sorted(name for name in loaded["link"] if name.startswith(kept_out)) == []


def test_enrich_says_its_input_is_missing_before_loading_the_research_code(
    tmp_path: Path, loaded: Loaded
) -> None:
    """A mistyped input file was said only once the research stack had loaded (about 0.2 s of
    imports, with numpy's): the input is checked first."""
    missing, out = tmp_path / "debtors.csv", tmp_path / "out.csv"
    args = ["enrich", str(missing), "-o", str(out), "--purpose", "a test"]
    said = CliRunner().invoke(app, args)
    assert said.exit_code == 2 and f"cannot read {missing}" in said.output, said.output
    assert "skiptrace.research.enrich" not in loaded["enrich"] and "numpy" not in loaded["enrich"]
