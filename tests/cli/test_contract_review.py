"""The product's interface as the design fixes it (CLI contract and output columns: they may
only grow), pinned where no other test pins it: written out here, not read back from the
constants the code writes with, so a reordered or renamed column or key fails."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import skiptrace
from skiptrace.cli import app
from skiptrace.records import normalised_field
from skiptrace.research.enrich import Summary
from skiptrace.tables import flags
from skiptrace.testing.directory import DEBTORS, MANIFEST, directory
from skiptrace.testing.outputs import rows as output_rows
from skiptrace.testing.replay import ReplayServer, loopback_policy_file

runner = CliRunner()
PURPOSE = ["--purpose", "collection of a debt owed"]
CONTRACT_COLUMNS = [
    "status", "status_detail", "match_score", "match_band", "matched_on",
    "found_mailing_address", "found_mailing_address_source", "found_mailing_address_score",
    "found_employer", "found_employer_address", "found_employer_source", "found_employer_score",
    "sources_checked",
]  # fmt: skip
"""The design's enrich columns, in its order, after every input column."""
EVIDENCE_COLUMNS = [
    "evidence_source", "evidence_name", "evidence_id", "evidence_url", "evidence_fetched_at",
    "evidence_record_date",
]  # fmt: skip
"""Grown after them (README's table)."""


@pytest.fixture
def reach(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The connectors folder and the policy file that put the made-up directory on loopback
    in reach."""
    with ReplayServer(directory) as server:
        folder = tmp_path / "connectors"
        folder.mkdir()
        (folder / "demo_directory.toml").write_text(MANIFEST.format(base=server.base_url))
        yield folder, loopback_policy_file(tmp_path / "fast.toml", server)


@pytest.fixture
def directory_args(reach: tuple[Path, Path]) -> list[str]:
    """The same as the command line's global options."""
    folder, policy = reach
    return ["--connectors-dir", str(folder), "--policy", str(policy)]


def test_enrich_keeps_the_input_then_appends_the_contract_columns_in_order(
    directory_args: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "debtors.csv"
    source.write_text(DEBTORS, encoding="utf-8")
    args = [*directory_args, "enrich", str(source), "--source", "demo_directory", *PURPOSE,
            "--no-progress"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # stdout stays clean: the rows go to the file
    text = (tmp_path / "debtors.enriched.csv").read_text(encoding="utf-8")  # the default -o
    header, *rows = list(csv.reader(io.StringIO(text)))
    given = DEBTORS.splitlines()
    assert header == [*given[0].split(","), *CONTRACT_COLUMNS, *EVIDENCE_COLUMNS]
    assert [row[: len(given[0].split(","))] for row in rows] == [
        line.split(",") for line in given[1:]
    ]  # every input cell as it was, in input order
    written = [dict(zip(header, row, strict=True)) for row in rows]
    assert {r["status"] for r in written} <= {"hit", "possible", "no_hit", "skipped_flag",
                                             "error", "incomplete"}  # fmt: skip
    assert {r["match_band"] for r in written} <= {"high", "medium", "low", ""}
    scores = [r[c] for r in written for c in header if c.endswith("score") and r[c]]
    assert scores and all(0.0 <= float(score) <= 1.0 for score in scores)


def test_lookup_json_has_the_documented_keys(directory_args: list[str]) -> None:
    args = [*directory_args, "lookup", "--name", "Jane Roe", "--zip", "62701", "--source",
            "demo_directory", *PURPOSE, "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"sources", "candidates", "not_searched"}
    assert payload["sources"] == [{"connector": "demo_directory", "status": "hit", "reason": "",
                                   "detail": "", "partly": "", "unread": ""}]  # fmt: skip
    best = payload["candidates"][0]
    assert {"score", "band", "matched_on", "words", "fields", "record"} <= set(best)
    assert {"source_id", "record_url"} <= set(best["record"])
    assert re.fullmatch(r"(\w+=[^,]*)(,\w+=[^,]*)*", best["matched_on"])  # name=,zip=
    assert best["band"] in {"high", "medium", "low"} and 0.0 <= best["score"] <= 1.0


def test_lookup_that_finds_no_one_exits_1_with_an_empty_json_answer(
    directory_args: list[str],
) -> None:
    args = [*directory_args, "lookup", "--name", "Tom Nobody", "--source", "demo_directory",
            *PURPOSE, "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["candidates"] == []
    assert [(s["connector"], s["status"]) for s in payload["sources"]] == [
        ("demo_directory", "no_result")
    ]


def test_audit_export_columns_and_anchor_line(directory_args: list[str]) -> None:
    args = [*directory_args, "lookup", "--name", "Jane Roe", "--source", "demo_directory",
            *PURPOSE]  # fmt: skip
    assert runner.invoke(app, args).exit_code == 0
    exported = runner.invoke(app, ["audit", "export"])
    assert exported.exit_code == 0, exported.output
    header, *rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert header == ["seq", "ts", "event", "method", "url", "status", "rule", "connector",
                      "purpose", "debtor_ref", "detail", "reason", "prev_hash", "hash"]  # fmt: skip
    anchor = runner.invoke(app, ["audit", "anchor"])
    assert anchor.exit_code == 0, anchor.output
    assert anchor.stdout == f"row {rows[-1][0]} {rows[-1][-1]}\n"
    shown = runner.invoke(app, ["audit", "show", "--json", "--last", "1"])
    assert [json.loads(line)["hash"] for line in shown.stdout.splitlines()] == [rows[-1][-1]]


def _parameters(function: Callable[..., object]) -> list[tuple[str, str, object]]:
    """Each parameter's name, kind and default, as a caller relies on them."""
    parameters = inspect.signature(function).parameters.values()
    return [(p.name, p.kind.name, p.default) for p in parameters]


EMPTY = inspect.Parameter.empty
POSITIONAL = "POSITIONAL_OR_KEYWORD"
KEYWORD = "KEYWORD_ONLY"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lookup", [("query", POSITIONAL, EMPTY), ("purpose", KEYWORD, ""),
                    ("sources", KEYWORD, ()), ("policies", KEYWORD, ()),
                    ("connectors_dirs", KEYWORD, ())]),
        ("enrich", [("source", POSITIONAL, EMPTY), ("target", POSITIONAL, None),
                    ("purpose", KEYWORD, ""), ("mapping", KEYWORD, None),
                    ("sources", KEYWORD, ()), ("jobs", KEYWORD, 4), ("progress", KEYWORD, None),
                    ("policies", KEYWORD, ()), ("connectors_dirs", KEYWORD, ()),
                    ("refresh", KEYWORD, False), ("evidence", KEYWORD, None)]),
        ("link_records", [("left", POSITIONAL, EMPTY), ("right", POSITIONAL, EMPTY),
                          ("threshold", KEYWORD, 0.5), ("all_pairs", KEYWORD, False),
                          ("relatives", KEYWORD, True)]),
    ],
)  # fmt: skip
def test_the_python_api_takes_what_the_readme_table_says(
    name: str, expected: list[tuple[str, str, object]]
) -> None:
    assert _parameters(getattr(skiptrace, name)) == expected


def test_score_pair_and_query_of_and_the_summary_as_documented() -> None:
    assert _parameters(skiptrace.score_pair)[:2] == [
        ("left", POSITIONAL, EMPTY),
        ("right", POSITIONAL, EMPTY),
    ]
    assert _parameters(skiptrace.Query.of) == [
        ("debtor_ref", POSITIONAL, ""),
        ("fields", "VAR_KEYWORD", EMPTY),
    ]
    pair = skiptrace.score_pair({"full_name": "Jane Roe"}, {"full_name": "ROE, JANE"})
    for attribute in ("score", "band", "matched_on", "words", "fields", "relation",
                      "namesakes", "rare_name"):  # fmt: skip
        assert hasattr(pair, attribute), attribute
    summary = Summary()
    for attribute in ("rows", "statuses", "filled", "sources", "seconds", "incomplete"):
        assert hasattr(summary, attribute), attribute


def test_lookup_from_python_answers_with_the_documented_attributes(
    reach: tuple[Path, Path],
) -> None:
    folder, policy = reach
    found = skiptrace.lookup(
        skiptrace.Query.of("A-1", full_name="Jane Roe", zip="62701"),
        purpose="collection of a debt owed",
        sources=["demo_directory"],
        policies=[policy],
        connectors_dirs=[folder],
    )
    [result] = found.results
    assert (result.connector, result.status, result.asked, bool(result.partly)) == (
        "demo_directory",
        "hit",
        True,
        False,
    )
    best = found.candidates[0]
    assert best.source.startswith("demo_directory http://127.0.0.1:")  # connector and URL
    assert (best.record.source_id, best.record.record_url) == ("", "")  # present, none given
    assert best.link.band in {"high", "medium", "low"} and best.link.matched_on == "name=,zip="
    assert best.link.words.startswith("name: exact; ZIP: exact")


class _Stop(Exception):
    """Ends a run part-way, as a kill would: the rows finished so far stay kept."""


def test_a_resumed_run_writes_a_flag_read_since_as_an_uninterrupted_run_would(
    reach: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped under a build that ignored a flag column (today's 'Deceased Ind'), then
    resumed by one that reads it, must write what an uninterrupted run writes: every row
    ``skipped_flag``. The kept row had been written as the earlier build found it
    (``possible``, an address for a deceased debtor)."""
    folder, policy = reach
    source = tmp_path / "debtors.csv"
    source.write_text(
        "account,first_name,last_name,zip,Deceased Ind\nD-1,Jane,Roe,62701,Y\n"
        "D-2,Jane,Roe,62701,Y\nD-3,Jane,Roe,62701,Y\n",
        encoding="utf-8",
    )

    def enrich(progress: Callable[[Summary], None] | None = None) -> None:
        skiptrace.enrich(source, purpose="collection of a debt owed", sources=["demo_directory"],
                         policies=[policy], connectors_dirs=[folder], jobs=1,
                         progress=progress)  # fmt: skip

    def stop(summary: Summary) -> None:
        raise _Stop

    with monkeypatch.context() as earlier:  # a build that did not read 'Ind' after a flag
        earlier.delitem(flags._LOOKUP, normalised_field("deceased_ind"))
        with pytest.raises(_Stop):
            enrich(stop)
    enrich()
    rows = output_rows(tmp_path / "debtors.enriched.csv")
    assert [r["status"] for r in rows] == ["skipped_flag"] * 3
    assert [r["found_mailing_address"] for r in rows] == [""] * 3


def test_connectors_test_fails_when_a_manifest_is_not_loaded(
    directory_args: list[str], reach: tuple[Path, Path]
) -> None:
    """A manifest that does not load (here an HTML source without ``response.expect``, which
    every such manifest written before it was required lacks) had left ``connectors test``
    at exit 0, '... passed, 0 failed': a connector author's check stayed green."""
    folder, _ = reach
    (folder / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    tested = runner.invoke(app, [*directory_args, "connectors", "test", "demo_directory"])
    assert tested.exit_code == 1, tested.output
    assert "1 not loaded" in tested.stdout and "not loaded: " in tested.stderr


DESIGN_COMMANDS = {
    "lookup": ({"--name", "--city", "--state", "--zip", "--address", "--phone", "--email",
                "--dob", "--employer", "--employer-website", "--source", "--purpose", "--json"},
               []),
    "enrich": ({"-o", "--map", "--source", "--purpose", "--jobs", "--no-progress"}, ["INPUT"]),
    "link": ({"-o", "--map", "--threshold", "--all"}, ["LEFT", "RIGHT"]),
    "connectors list": (set(), []),
    "connectors show": (set(), ["ID"]),
    "connectors test": (set(), ["ID"]),
    "policy show": (set(), []),
    "policy check": ({"--method"}, ["URL"]),
    "audit show": (set(), []),
    "audit verify": (set(), []),
    "audit export": (set(), []),
    "": ({"--connectors-dir", "--policy"}, []),
}  # fmt: skip
"""Each command of the design's CLI contract: the options it names and its arguments, in
order. Commands may take more; none of these may go."""


@pytest.mark.parametrize("path", list(DESIGN_COMMANDS), ids=lambda p: p or "skiptrace")
def test_every_command_takes_the_options_and_arguments_the_design_names(path: str) -> None:
    import typer.main

    command: Any = typer.main.get_command(app)
    for name in path.split():
        command = command.commands[name]
    options, arguments = DESIGN_COMMANDS[path]
    taken = [p for p in command.params if p.param_type_name == "option"]
    flags = {flag for param in taken for flag in param.opts}
    assert options <= flags, sorted(options - flags)
    given = [p for p in command.params if p.param_type_name == "argument"]
    assert [(p.metavar or p.name).upper() for p in given] == arguments
    repeatable = {"--source", "--map", "--connectors-dir", "--policy"} & options
    assert all(p.multiple for p in taken if repeatable & set(p.opts))
    if path == "connectors test":
        assert given[0].nargs == -1 and not given[0].required  # test [ID ...]


def test_link_writes_left_id_right_id_score_band_first(tmp_path: Path) -> None:
    left = tmp_path / "left.csv"
    left.write_text("account,first_name,last_name,zip\nL-1,Jane,Roe,62701\n", encoding="utf-8")
    right = tmp_path / "right.csv"
    right.write_text("ref,name,zip\nR-1,ROE JANE,62701\nR-2,Zzyzx Qwerty,10001\n",
                     encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["link", str(left), str(right), "-o", "-", "--workers", "0"])
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))  # stdout: the CSV alone
    assert header[:4] == ["left_id", "right_id", "score", "band"]
    assert [row[:2] for row in rows] == [["L-1", "R-1"]]
    assert 0.0 <= float(rows[0][2]) <= 1.0 and rows[0][3] in {"high", "medium", "low"}


def test_the_shipped_example_enriches_offline_into_the_contract_columns(tmp_path: Path) -> None:
    """README's "With the shipped example" block, offline: the example index imported, the
    example debtors enriched with the offline connector; each of the contract's statuses but
    ``error`` appears, and stdout stays empty."""
    example = Path(skiptrace.__file__).parent / "demo" / "example"
    files = [example / "npidata_pfile_20050523-20261101.csv",
             example / "NPPES_Data_Dissemination_110226_110826_Weekly_V2.zip"]  # fmt: skip
    imported = runner.invoke(app, ["index", "import", "nppes", *map(str, files), "--no-progress"])
    assert imported.exit_code == 0, imported.output
    target = tmp_path / "debtors.enriched.csv"
    args = ["enrich", str(example / "debtors.csv"), "-o", str(target), "--source", "offline",
            "--purpose", "demo", "--no-progress"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    given = (example / "debtors.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    header, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert header[: len(given) + len(CONTRACT_COLUMNS)] == [*given, *CONTRACT_COLUMNS]
    statuses = {dict(zip(header, row, strict=True))["status"] for row in rows}
    assert statuses == {"hit", "possible", "no_hit", "skipped_flag"}


@pytest.mark.parametrize(
    "command",
    [["connectors", "list"], ["connectors", "test"], ["connectors", "show", "offline"],
     ["lookup", "--name", "Jane Roe", "--source", "offline", *PURPOSE]],
    ids=["list", "test", "show", "lookup"],
)  # fmt: skip
def test_a_connectors_dir_that_is_no_folder_is_a_usage_error(
    command: list[str], tmp_path: Path
) -> None:
    """Exit 2 for a usage error, as for a --policy file that is not there: a mistyped
    ``--connectors-dir`` had been one ``not loaded`` line and exit 0, every command then run
    without the connectors it was meant to add (``enrich`` on the built-in ones instead)."""
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    for folder in (tmp_path / "missing", tmp_path / "a-file"):
        result = runner.invoke(app, ["--connectors-dir", str(folder), *command])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.strip().endswith(f"--connectors-dir {folder}: not a folder")
        assert len(result.stderr.splitlines()) == 1
