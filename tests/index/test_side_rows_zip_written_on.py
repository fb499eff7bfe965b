"""A debtor's ZIP+4 written on (``616021234``: a "zip_plus_4" column, a spreadsheet that
dropped the dash) is the ZIP ``61602`` when a record's side rows are ranked: a lookup reads
at most ``MAX_SIDE_ROWS`` of them, those at the debtor's postcode first, and the nine digits
agreed with none, so the place at the debtor's ZIP, past the bound, was not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.index import Store, import_file, read_bulk_manifest
from skiptrace.index.store import MAX_SIDE_ROWS
from tests.index.test_side_rows_bound import MANIFEST


@pytest.mark.parametrize("given", ["616021234", "61602-1234", "61602"])
def test_a_zip_plus_4_written_on_agrees_with_its_zip(tmp_path: Path, given: str) -> None:
    manifest = tmp_path / "board.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    people = tmp_path / "board_2026-11-30_people.csv"
    row = 'L1,"ROE, JANE",100 Main St,Springfield,IL,62701'
    people.write_text(f"License,Name,Street,City,State,Zip\n{row}\n", encoding="utf-8")
    offices = tmp_path / "board_2026-11-30_offices.csv"
    rows = [f"L1,{n} Office Park,Chicago,IL,6060{n % 10}" for n in range(1, 3 * MAX_SIDE_ROWS)]
    rows.append("L1,7 Harbor Lane,Peoria,IL,61602-4411")  # the debtor's ZIP: the last row
    offices.write_text("License,Street,City,State,Zip\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, source, people)
        import_file(store, source, offices)
        [hit] = store.search("Jane", "Roe", postcode=given)
    assert "7 Harbor Lane" in [place.lines[0] for place in hit.places if place.lines]
