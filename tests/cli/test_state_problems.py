"""Every file or state problem is one line on stderr and exit 2, before any research (issue 11,
item 3): an SKIPTRACE_HOME that cannot be made or written, an output folder that cannot be
written. Tests run as root, where mode bits stop nothing: the unusable home is a path under a
regular file, the unwritable folder a read-only mount."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app

runner = CliRunner()
PURPOSE = "collection of a debt owed"


def _one_line_exit_2(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def blocked_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SKIPTRACE_HOME under a regular file: it can be neither made nor written."""
    (tmp_path / "a-file").write_text("not a folder")
    home = tmp_path / "a-file" / "home"
    monkeypatch.setenv("SKIPTRACE_HOME", str(home))
    return home


def _debtors(tmp_path: Path) -> Path:
    source = tmp_path / "debtors.csv"
    source.write_text("account,last_name,city\nA1,Roe,Austin\n", encoding="utf-8")
    return source


@pytest.mark.parametrize(
    "args",
    [
        ["lookup", "--name", "Jane Roe", "--purpose", PURPOSE],
        ["lookup", "--name", "Jane Roe", "--source", "offline", "--purpose", PURPOSE],
        ["audit", "verify"],
        ["audit", "show"],
    ],
    ids=["lookup", "lookup-offline", "audit-verify", "audit-show"],
)
def test_an_unusable_home_is_one_line_and_exit_2(blocked_home: Path, args: list[str]) -> None:
    line = _one_line_exit_2(args)
    assert "SKIPTRACE_HOME" in line and str(blocked_home) in line
    assert "Not a directory" in line


@pytest.mark.parametrize(
    "args",
    [["index", "stats"], ["index", "search", "--name", "Roe"], ["index", "drop", "nppes"]],
    ids=["stats", "search", "drop"],
)
def test_reading_the_index_of_a_home_that_cannot_be_made_is_one_line_and_exit_2(
    blocked_home: Path, args: list[str]
) -> None:
    """The index commands that only read had made the home unchecked: a traceback."""
    line = _one_line_exit_2(args)
    assert "SKIPTRACE_HOME" in line and str(blocked_home) in line
    assert "Not a directory" in line


@pytest.mark.parametrize("keyed", [False, True])
def test_connectors_test_keeps_nothing_in_the_home_so_needs_none(
    blocked_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyed: bool
) -> None:
    """Its replays' audit log and key live in a scratch folder: an unusable home (which a
    lookup refuses, above) is no reason to refuse checking connectors. An audit key file
    must lie outside the home, which is looked at, not made (a traceback had ended it)."""
    if keyed:
        key_file = tmp_path / "audit.key"
        key_file.write_bytes(b"k" * 32)
        monkeypatch.setenv("SKIPTRACE_AUDIT_KEY_FILE", str(key_file))
    result = runner.invoke(app, ["connectors", "test", "nppes"])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.stdout and not blocked_home.exists()


def test_enrich_with_an_unusable_home_stops_before_research(
    blocked_home: Path, tmp_path: Path
) -> None:
    source = _debtors(tmp_path)
    target = tmp_path / "out.csv"
    for only in ([], ["--source", "offline"]):  # the offline index lives in it too
        line = _one_line_exit_2(["enrich", str(source), "-o", str(target), "--purpose", PURPOSE,
                                 "--no-progress", *only])  # fmt: skip
        assert "SKIPTRACE_HOME" in line, line
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _read_only_folder() -> Path:
    for candidate in (Path("/sys"), Path("/proc")):
        try:
            with tempfile.TemporaryFile(dir=candidate):
                pass
        except OSError:
            return candidate
    pytest.skip("no read-only folder here")


def test_enrich_into_an_unwritable_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = _read_only_folder()
    source = _debtors(tmp_path)
    line = _one_line_exit_2(["enrich", str(source), "-o", str(folder / "out.csv"),
                             "--purpose", PURPOSE, "--no-progress"])  # fmt: skip
    assert line.startswith(f"skiptrace enrich: cannot write into the output's folder {folder}:")
    assert ".partial" not in line


def test_enrich_to_stdout_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """enrich writes a file it can resume into; ``-o -`` had made a file named '-'."""
    monkeypatch.chdir(tmp_path)
    source = _debtors(tmp_path)
    line = _one_line_exit_2(["enrich", str(source), "-o", "-", "--purpose", PURPOSE,
                             "--no-progress"])  # fmt: skip
    assert line == ("skiptrace enrich: -o - (stdout) cannot be resumed into: name a file "
                    "(./- for a file named '-')")  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debtors.csv"]  # no home made


@pytest.mark.parametrize(
    ("args", "said"),
    [(["missing.csv"], "cannot read"), (["debtors.csv", "-o", "-"], "-o - (stdout)")],
)
def test_enrich_names_its_input_problem_before_an_empty_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], said: str
) -> None:
    """A review: with ``--source offline`` and nothing imported, a missing input or ``-o -``
    was reported as the empty index (exit 2 either way, but the wrong thing to fix first)."""
    monkeypatch.chdir(tmp_path)
    _debtors(tmp_path)
    line = _one_line_exit_2(["enrich", *args, "--source", "offline", "--purpose", PURPOSE,
                             "--no-progress"])  # fmt: skip
    assert said in line and "offline index" not in line


@pytest.mark.parametrize("command", [["enrich", "debtors.csv"], ["lookup", "--name", "Ann Lee"]])
def test_an_unknown_source_is_named_before_skiptrace_home_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _debtors(tmp_path)
    line = _one_line_exit_2([*command, "--source", "nosuch", "--purpose", PURPOSE])
    assert line.startswith("no connector nosuch (known: ")
    assert not (tmp_path / "home").exists()


INDEX_COMMANDS = [["index", "stats"], ["index", "search", "--name", "Jane Roe"],
                  ["index", "drop", "nppes"]]  # fmt: skip


@pytest.mark.parametrize(
    ("store", "args"),
    [("cache.sqlite3", ["lookup", "--name", "Jane Roe", "--purpose", PURPOSE]),
     ("cache.sqlite3", ["enrich", "debtors.csv", "--purpose", PURPOSE, "--no-progress"]),
     ("checkpoints.sqlite3", ["enrich", "debtors.csv", "--purpose", PURPOSE, "--no-progress"]),
     ("index.sqlite3", ["index", "import", "nppes", "npidata.csv"]),
     *[("index.sqlite3", args) for args in INDEX_COMMANDS]],
)  # fmt: skip
def test_a_store_that_is_no_database_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store: str, args: list[str]
) -> None:
    """A review: a file at a store's name in SKIPTRACE_HOME that SQLite cannot open (another
    program's, one cut short) ended lookup, enrich and every index command in a traceback
    (the audit log's alone was one line). Now each is one line naming the file."""
    monkeypatch.chdir(tmp_path)
    _debtors(tmp_path)
    (tmp_path / "npidata.csv").write_text("NPI\n1\n", encoding="utf-8")
    from skiptrace.state import home

    (home() / store).write_text("not a database, whatever its name says\n", encoding="utf-8")
    command = " ".join(args[:2]) if args[0] == "index" else args[0]
    line = _one_line_exit_2(args)
    assert line == f"skiptrace {command}: cannot open {home() / store}: file is not a database"


@pytest.mark.parametrize("args", [["index", "import", "nppes", "npidata.csv"], *INDEX_COMMANDS])
def test_an_index_damaged_past_its_first_page_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """An index cut short (a copy that stopped, a full disk) opens, then fails as it is
    read: one line too, not a traceback."""
    from skiptrace.index import Store, index_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "npidata.csv").write_text("NPI\n1\n", encoding="utf-8")
    Store(index_path()).close()
    os.truncate(index_path(), 4096 * 2)
    line = _one_line_exit_2(args)
    assert line.startswith(f"skiptrace index {args[1]}: ") and str(index_path()) in line, line
    assert "malformed" in line, line


BROKEN_NAME = "file\nskiptrace: all rows done.csv"
"""A file name holding a line feed: its second line read as a message of its own."""


@pytest.mark.parametrize(
    "args",
    [["link", BROKEN_NAME, BROKEN_NAME], ["enrich", BROKEN_NAME, "--purpose", PURPOSE],
     ["index", "import", "nppes", BROKEN_NAME]],
    ids=["link", "enrich", "index-import"],
)  # fmt: skip
def test_a_file_name_holding_a_line_feed_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    line = _one_line_exit_2(args)
    assert "file\\nskiptrace: all rows done.csv" in line


def test_a_file_name_holding_a_line_feed_keeps_links_messages_one_line_each(
    tmp_path: Path,
) -> None:
    """Its columns line and its bad row's line, each side's."""
    path = tmp_path / BROKEN_NAME
    path.write_text("id,name,zip\nL1,Jane Roe,1\nL2,Ann Lee,3,x\n", encoding="utf-8")
    result = runner.invoke(app, ["link", str(path), str(path)])
    assert result.exit_code == 0, result.output
    shown = str(path).replace("\n", "\\n")
    lines = result.stderr.splitlines()
    assert [line.split(shown)[0] for line in lines[:4]] == ["", "", *["skiptrace link: "] * 2]
    assert len(lines) == 5 and lines[-1].startswith("1 links from"), result.stderr


def test_an_imported_file_s_name_holding_a_line_feed_is_one_line_of_stdout(tmp_path: Path) -> None:
    """Its summary, and the one of its import again, each one line: the name had split it."""
    from skiptrace.demo.offline import EXAMPLE

    path = tmp_path / "npidata_pfile_x\nnppes: all rows.csv"
    path.write_bytes((EXAMPLE / "npidata_pfile_20050523-20261101.csv").read_bytes())
    args = ["index", "import", "nppes", str(path), "--file-date", "2026-11-01", "--no-progress"]
    for said in ("(2026-11-01, full): 7 rows read", "(2026-11-01) was imported already"):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"nppes: npidata_pfile_x\\nnppes: all rows.csv {said}")
        assert result.stdout.count("\n") == 1, result.stdout
