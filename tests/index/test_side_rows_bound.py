"""A record's side-file rows (NPPES's secondary practice locations, other names) are read for
a lookup at most ``MAX_SIDE_ROWS`` of each kind, those agreeing with the debtor's postcode
first: a hostile or garbled side file of 200,000 places for one record (452 kB zipped) had made
every lookup of it read them all (1.4 s and 62 MB each)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from skiptrace.index import Store, import_file, read_bulk_manifest
from skiptrace.index.store import MAX_SIDE_ROWS

MANIFEST = """
id = "board"
name = "A board's licensees and their other offices"
licence = "public record"
homepage = "https://board.example.gov/"
file_date = 'board_(?P<y>\\d{4})-(?P<m>\\d{2})-(?P<d>\\d{2})'

[[file]]
member = "board_*_people.csv"
format = "csv"
key = "License"

[[file.record]]
part = "licensee"
kind = "person"
name = "Name"

[[file.record.address]]
role = "mailing"
lines = ["Street"]
city = "City"
region = "State"
postcode = "Zip"

[[file]]
member = "board_*_offices.csv"
format = "csv"
key = "License"

[[file.address]]
role = "business"
lines = ["Street"]
city = "City"
region = "State"
postcode = "Zip"
"""


@pytest.mark.parametrize(
    ("stored", "given"),
    [("61602", "61602"), ("61602-4411", "61602"), ("61602-4411", "61602-1234"),
     ("61602-4411", "616021234"),  # a ZIP+4 written on: a "zip_plus_4" column, no dash
     ("61602 4411", "61602"), ("sw1a 1aa", "SW1A1AA")],  # a blank for the dash; lower case
)  # fmt: skip
def test_a_record_with_thousands_of_places_is_read_to_a_bound(
    tmp_path: Path, stored: str, given: str
) -> None:
    """The place at the debtor's ZIP is read though it is the last of 300; a ZIP+4 written
    on ("616021234") had agreed with none, so that place, past the bound, was not read."""
    manifest = tmp_path / "board.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    people = tmp_path / "board_2026-11-30_people.csv"
    row = 'L1,"ROE, JANE",100 Main St,Springfield,IL,62701'
    people.write_text(f"License,Name,Street,City,State,Zip\n{row}\n", encoding="utf-8")
    offices = tmp_path / "board_2026-11-30_offices.csv"
    many = 3 * MAX_SIDE_ROWS
    rows = [f"L1,{n} Office Park,Chicago,IL,6060{n % 10}" for n in range(1, many)]
    rows.append(f"L1,7 Harbor Lane,Peoria,IL,{stored}")  # the debtor's town: the last row
    offices.write_text("License,Street,City,State,Zip\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, source, people)
        import_file(store, source, offices)
        assert store._db.execute("SELECT count(*) FROM extras").fetchone()[0] == many
        started = time.process_time()
        [hit] = store.search("Jane", "Roe", postcode=given)
        spent = time.process_time() - started
    streets = [place.lines[0] for place in hit.places if place.lines]
    assert "7 Harbor Lane" in streets  # agreeing with the debtor first
    assert len(streets) <= MAX_SIDE_ROWS + 1  # its own address, and its side rows' first
    assert spent < 1.0
