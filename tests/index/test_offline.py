"""The offline connector: ``needs_config`` until something is imported (never "no result",
and a search never creates the index); its records say which bulk file of which date they
came from; ``lookup --source offline`` works end to end, and a lookup uses the index by
default only once it holds records."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.connectors._offline import OfflineConnector
from skiptrace.connectors._protocol import MAX_TEXT
from skiptrace.connectors._registry import discover
from skiptrace.errors import NotConfigured
from skiptrace.index import Store, import_file, index_path
from skiptrace.index.manifest import bulk_sources
from skiptrace.records import Query, SourceRecord
from skiptrace.testing.outputs import rows as output_rows

BULK = Path(__file__).resolve().parents[2] / "examples" / "bulk"

NPPES = Path(__file__).parent / "fixtures" / "nppes"  # real rows, provenance in PROVENANCE.md
PURPOSE = ["--purpose", "collection of a debt owed"]
runner = CliRunner()


def nppes_file(tmp_path: Path) -> Path:
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_legacy329_head111.csv").read_bytes())
    return path


def search(connector: OfflineConnector, name: str, employer: str = "") -> list[SourceRecord]:
    query = Query.of(full_name=name, employer=employer or None)
    try:
        return asyncio.run(connector.search(None, query))  # type: ignore[arg-type]
    finally:
        asyncio.run(connector.aclose())


def test_no_index_needs_config_and_a_search_does_not_create_one(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    connector = OfflineConnector(path)
    assert not connector.ready
    with pytest.raises(NotConfigured, match="skiptrace index import"):
        search(connector, "David Wiebe")
    assert not path.exists()


def test_an_index_without_records_needs_config_and_is_not_used_by_default(
    tmp_path: Path,
) -> None:
    path = tmp_path / "index.sqlite"
    Store(path).close()
    connector = OfflineConnector(path)
    assert not connector.ready
    with pytest.raises(NotConfigured, match="holds no records"):
        search(connector, "David Wiebe")
    for side in tmp_path.glob("index.sqlite*"):
        assert side.stat().st_mode & 0o077 == 0, side


def test_records_carry_their_file_line_dates_and_page(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(store, bulk_sources()[0]["nppes"], nppes_file(tmp_path))
    connector = OfflineConnector(path)
    assert connector.ready
    [record] = search(connector, "David Wiebe")
    assert record.provenance.connector == "offline"
    assert record.provenance.source_url == "nppes npidata_pfile_20050523-20251109.csv line 2"
    assert record.provenance.fetched_at == "2025-11-09"
    assert (record.record_date, record.source_id) == ("2007-07-08", "1679576722")
    assert record.record_url == "https://npiregistry.cms.hhs.gov/provider-view/1679576722"
    assert record.mailing_address.lines == ("PO BOX 2168",)
    assert record.employer == "" and record.phone == ""


def test_lookup_source_offline_end_to_end(tmp_path: Path) -> None:
    data = nppes_file(tmp_path)
    imported = runner.invoke(app, ["index", "import", "nppes", str(data), "--no-progress"])
    assert imported.exit_code == 0, imported.output
    assert "111 rows read" in imported.stdout
    assert index_path().is_file()
    result = runner.invoke(app, ["lookup", "--name", "David Wiebe", "--source", "offline",
                                 *PURPOSE, "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["sources"][0]["status"] == "hit"
    record = answer["candidates"][0]["record"]
    assert record["person_name"] == "DAVID A WIEBE"
    assert record["provenance"]["fetched_at"] == "2025-11-09"
    again = runner.invoke(app, ["index", "import", "nppes", str(data), "--no-progress"])
    assert "imported already" in again.stdout


def test_the_lookup_table_shows_the_employers_address_below_it() -> None:
    """An authorized official's practice and where it takes mail (the demo's debtor EX-06):
    the table had shown the employer alone, its address only in ``--json``."""
    example = Path(__file__).resolve().parents[2] / "src" / "skiptrace" / "demo" / "example"
    data = example / "npidata_pfile_20050523-20261101.csv"
    imported = runner.invoke(app, ["index", "import", "nppes", str(data), "--no-progress"])
    assert imported.exit_code == 0, imported.output
    asked = ["lookup", "--name", "Thaddeus Okonkwo", "--city", "Chicago", "--source", "offline"]
    result = runner.invoke(app, [*asked, *PURPOSE], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    (row,) = [n for n, line in enumerate(lines) if "THADDEUS OKONKWO" in line]
    assert "LAKESIDE FAMILY DENTAL LLC" in lines[row]
    assert "3 SHORE DR, MADISON, WI 53703, US" in lines[row + 1]


@pytest.mark.parametrize("command", ["lookup", "enrich"])
def test_naming_the_offline_index_before_any_import_is_refused_before_research(
    command: str, tmp_path: Path
) -> None:
    """Every row would get needs_config and be called no_hit: nothing researched, so nothing
    may be marked done; the run stops in one line (exit 2), writing no output."""
    debtors = tmp_path / "debtors.csv"
    debtors.write_text("first_name,last_name\nDavid,Wiebe\n", encoding="utf-8")
    what = ["--name", "David Wiebe"] if command == "lookup" else [str(debtors)]
    result = runner.invoke(app, [command, *what, "--source", "offline", *PURPOSE])
    assert result.exit_code == 2, result.output
    assert "offline: the offline index holds no records yet" in result.stderr
    assert not (tmp_path / "debtors.enriched.csv").exists()
    assert not index_path().exists()


def _default_ids() -> list[str]:
    return [c.info.id for c in discover(entry_points=False).usable([])]


def test_the_index_is_used_by_default_only_while_it_holds_records(tmp_path: Path) -> None:
    assert "offline" not in _default_ids()
    failed = runner.invoke(app, ["index", "import", "nppes", str(tmp_path / "missing.csv")])
    assert failed.exit_code == 2
    assert "offline" not in _default_ids()
    runner.invoke(app, ["index", "import", "nppes", str(nppes_file(tmp_path)), "--no-progress"])
    assert "offline" in _default_ids()
    dropped = runner.invoke(app, ["index", "drop", "nppes"])
    assert "135 records removed" in dropped.stdout
    assert "offline" not in _default_ids()


def test_readiness_of_an_unusable_home_is_false_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("SKIPTRACE_HOME", str(tmp_path / "a-file" / "home"))
    assert not OfflineConnector().ready


def test_an_index_dropped_during_a_run_needs_config_not_no_result(tmp_path: Path) -> None:
    """The connector keeps its store open for the run: a search after `index drop` (another
    process) finds the index empty, and says so, never "no candidate"."""
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(store, bulk_sources()[0]["nppes"], nppes_file(tmp_path))
    connector = OfflineConnector(path)

    async def run() -> list[SourceRecord]:
        try:
            first = await connector.search(None, Query.of(full_name="David Wiebe"))  # type: ignore[arg-type]
            with Store(path) as other, other.writing():
                other.drop("nppes")
            await connector.search(None, Query.of(full_name="David Wiebe"))  # type: ignore[arg-type]
            return first
        finally:
            await connector.aclose()

    with pytest.raises(NotConfigured, match="holds no records"):
        asyncio.run(run())


@pytest.mark.parametrize(
    "others",
    ["J-names", "Janes", "Janes on a road named 62701", "Janes, her ZIP+4 written on",
     "Z-names, she is Zoë"],
)  # fmt: skip
def test_the_debtors_own_record_is_a_candidate_among_many_newer_namesakes(
    tmp_path: Path, others: str
) -> None:
    """A lookup reads at most ``CANDIDATES`` records of a name's keys. They were the newest:
    Jane Quackenbush's own record, older than 60 Texan barbers filed as "QUACKENBUSH, J...",
    was never scored, and the row ended no_hit. Records whose first name and ZIP agree with
    the debtor's now come first (the Janes: the ZIP decides, the ZIP itself, not the same
    digits in a street line, and a ZIP+4 written without its dash, as NPPES writes it; a
    first name with an accent is compared as the index files it)."""
    header = ("License No,Licensee Name,License Type,Status,Last Renewed,Mailing Address 1,"
              "Mailing Address 2,Mailing City,Mailing State,Mailing Zip,Salon Name,"
              "Salon Address,Salon City,Salon State,Salon Zip,Phone\n")  # fmt: skip
    her = "ZOË" if "Zoë" in others else "JANE Q"
    her_zip = "627014321" if "ZIP+4" in others else "62701"
    rows = [f'COS-000001,"QUACKENBUSH, {her}",Cosmetologist,ACTIVE,01/05/2024,12 Birch Ln,,'
            f"Springfield,IL,{her_zip},,,,,,\n"]  # fmt: skip
    firsts = {"J-names": ["JAMES", "JOHN", "JOSEPH", "JACK", "JACOB", "JASON"],
              "Z-names, she is Zoë": ["ZACH", "ZANE", "ZEKE", "ZOLA", "ZORA", "ZED"]}.get(
        others, ["JANE"] * 6)  # fmt: skip
    street = "62701 Highway N" if others.endswith("62701") else "Oak St"
    zips = ["62701"] * 60 if "Zoë" in others else [f"7{i:04d}" for i in range(60)]  # a tie
    rows += [f'COS-9{i:05d},"QUACKENBUSH, {firsts[i % 6]}",Barber,ACTIVE,'
             f"06/{i % 28 + 1:02d}/2026,{100 + i} {street},,Town{i},TX,{zips[i]},,,,,,\n"
             for i in range(60)]  # fmt: skip
    export = tmp_path / "licensees_2026-11-30.csv"
    export.write_text(header + "".join(rows), encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["index", "import", "--bulk-dir", str(BULK), "state_board",
                                   str(export)])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    debtors = tmp_path / "debtors.csv"
    first = "Zoë" if "Zoë" in others else "Jane"
    debtors.write_text("id,first_name,last_name,address,city,state,zip\n"
                       f"D1,{first},Quackenbush,12 Birch Ln,Springfield,IL,62701\n",
                       encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.csv"
    done = runner.invoke(app, ["enrich", str(debtors), "-o", str(out), "--source", "offline",
                               "--purpose", "a test", "--no-progress"])  # fmt: skip
    assert done.exit_code == 0, done.output
    row = output_rows(out)[0]
    assert row["status"] == "hit" and row["found_mailing_address"].startswith(
        "12 Birch Ln, Springfield, IL 62701"
    ), row


def test_an_index_that_cannot_be_read_is_searched_and_fails_never_left_out(
    tmp_path: Path,
) -> None:
    """A truncated index (a disk that filled, a copy cut short) was read as "nothing
    imported": left out of the default sources, its debtors no result with the registry never
    searched, and named it was "holds no records yet". It is searched, and its search is the
    source's error (exit 3: rerun once it is repaired)."""
    runner.invoke(app, ["index", "import", "nppes", str(nppes_file(tmp_path)), "--no-progress"])
    path = index_path()
    with path.open("r+b") as index:
        index.truncate(path.stat().st_size // 2)
    assert "offline" in _default_ids()
    result = runner.invoke(app, ["lookup", "--name", "David Wiebe", "--source", "offline",
                                 *PURPOSE, "--json"])  # fmt: skip
    assert result.exit_code == 3, result.output
    [source] = json.loads(result.stdout)["sources"]
    assert (source["connector"], source["status"]) == ("offline", "error"), source


def test_a_source_whose_first_import_has_not_finished_is_owed_not_no_result(
    tmp_path: Path,
) -> None:
    """A first import killed (or still running) stages its rows where no search reads them:
    with another source imported, the index was searched and a debtor filed only in that
    source was "no result". The search is owed until that import ends; a source already
    imported is searched as its last finished file left it, whatever import of it is under
    way."""
    path = tmp_path / "index.sqlite"
    with Store(path) as store:
        import_file(store, bulk_sources()[0]["nppes"], nppes_file(tmp_path))
    with Store(path) as store, store.writing():
        store.start_file("nppes", "next.csv", "1" * 64, "2025-11-16", False, "now")
        assert search(OfflineConnector(path), "David Wiebe")
        store.start_file("fmcsa_census", "Company_Census_File.csv", "2" * 64, "2025-11-16",
                         False, "now")  # fmt: skip
    with pytest.raises(NotConfigured, match=r"first import of fmcsa_census .* not finished"):
        search(OfflineConnector(path), "David Wiebe")


def test_a_garbled_row_with_a_huge_field_is_a_candidate_cut_not_the_searchs_error(
    tmp_path: Path,
) -> None:
    """A review: every connector's records are held to 64 KiB a field (``_protocol``), and a
    bulk file's garbled row (a quote left open) may hold far more: the index's search was then
    its error, at every lookup of that name, for good. Its field is cut to the bound."""
    header = ("License No,Licensee Name,License Type,Status,Last Renewed,Mailing Address 1,"
              "Mailing Address 2,Mailing City,Mailing State,Mailing Zip,Salon Name,"
              "Salon Address,Salon City,Salon State,Salon Zip,Phone\n")  # fmt: skip
    garbled = "x" * (MAX_TEXT + 5000)
    export = tmp_path / "licensees_2026-11-30.csv"
    export.write_text(header + '"COS-000001","QUACKENBUSH, JANE Q",Cosmetologist,ACTIVE,'
                      f"01/05/2024,12 Birch Ln,{garbled},Springfield,IL,62701,,,,,,\n",
                      encoding="utf-8")  # fmt: skip
    imported = runner.invoke(app, ["index", "import", "--bulk-dir", str(BULK), "state_board",
                                   str(export), "--no-progress"])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["lookup", "--name", "Jane Quackenbush", "--source", "offline",
                                 *PURPOSE, "--json"])  # fmt: skip
    [source] = json.loads(result.stdout)["sources"]
    assert (source["connector"], source["status"]) == ("offline", "hit"), source
    [record] = search(OfflineConnector(index_path()), "Jane Quackenbush")
    assert record.mailing_address.lines == ("12 Birch Ln", garbled[:MAX_TEXT])
