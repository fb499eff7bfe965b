"""Searching the index: a name finds its candidates through blocking keys (surname and first
initial, nicknames both ways; an organisation's normalised name or any of its other names),
newest first and capped, with a referenced employer's name and address filled in at search
time."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.index import Store, import_file, index_path, read_bulk_manifest
from skiptrace.index.manifest import BulkSource
from skiptrace.index.store import CANDIDATES

ORGS = r"""
id = "orgs"
name = "Made-up companies"
licence = "test data"
record_url = "https://example.org/company/{key}"
homepage = "https://example.org/"  # its record pages are at its origin
file_date = ['_(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})']
delta = 'weekly'

[[file]]
member = "orgs_*.csv"
format = "csv"
key = "id"

[[file.record]]
part = "org"
kind = "organisation"
name = "name"

[[file.record.address]]
role = "registered"
lines = ["street"]
city = "city"

[[file.record]]
part = "contact"
kind = "person"
first = "cfirst"
last = "clast"
employer = "name"

[[file]]
member = "aliases_*.csv"
format = "csv"
key = "id"
aliases = ["other"]
"""

PEOPLE = r"""
id = "people"
name = "Made-up people"
licence = "test data"
file_date = ['_(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})']
delta = 'weekly'

[[file]]
member = "people_*.csv"
format = "csv"
key = "id"
updated = "updated"

[[file.record]]
part = "person"
kind = "person"
first = "first"
last = "last"
title = "title"
employer_ref = "org"
employer_source = "orgs"

[[file.record.address]]
role = "mailing"
lines = ["street"]
city = "city"
"""


def manifest(tmp_path: Path, text: str, name: str) -> BulkSource:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return read_bulk_manifest(path)


def people(store: Store, tmp_path: Path, name: str, rows: list[str]) -> None:
    path = tmp_path / name
    path.write_text("id,first,last,title,org,street,city,updated\n" + "".join(
        f"{r}\n" for r in rows), encoding="utf-8")  # fmt: skip
    import_file(store, manifest(tmp_path, PEOPLE, "people"), path)


def orgs(store: Store, tmp_path: Path, name: str, rows: list[str]) -> None:
    path = tmp_path / name
    path.write_text("id,name,street,city,cfirst,clast\n" + "".join(f"{r}\n" for r in rows),
                    encoding="utf-8")  # fmt: skip
    import_file(store, manifest(tmp_path, ORGS, "orgs"), path)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "index.sqlite3")


def keys(hits: list[object]) -> list[str]:
    return [h.key for h in hits]  # type: ignore[attr-defined]


def test_nicknames_meet_both_ways(tmp_path: Path, store: Store) -> None:
    people(store, tmp_path, "people_20250101.csv", [
        "1,Bob,Smith,,,1 Oak St,Springfield,2025-01-01",
        "2,Robert,Smith,,,2 Oak St,Springfield,2025-01-01",
        "3,Ruth,Smith,,,3 Oak St,Springfield,2025-01-01",
        "4,Bill,Smith,,,4 Oak St,Springfield,2025-01-01",
        "5,Tom,Smith,,,5 Oak St,Springfield,2025-01-01",
    ])  # fmt: skip
    # a key only has to never miss: Bob is filed under B and R, and so is every B and R
    assert sorted(keys(store.search("Bob", "Smith"))) == ["1", "2", "3", "4"]
    assert sorted(keys(store.search("Robert", "SMITH"))) == ["1", "2", "3"]
    assert sorted(keys(store.search("William", "Smith"))) == ["4"]
    assert sorted(keys(store.search("Thomas", "Smith"))) == ["5"]


def test_a_record_without_a_first_name_is_found_by_any_first_name(
    tmp_path: Path, store: Store
) -> None:
    people(store, tmp_path, "people_20250101.csv", [
        "1,,Quillfeather,,,1 Oak St,Springfield,2025-01-01",
        "2,Zed,Quillfeather,,,2 Oak St,Springfield,2025-01-01",
    ])  # fmt: skip
    assert sorted(keys(store.search("Margaret", "Quillfeather"))) == ["1"]
    assert sorted(keys(store.search("", "Quillfeather"))) == ["1"]


def test_a_surname_in_words_or_in_one_meets(tmp_path: Path, store: Store) -> None:
    people(store, tmp_path, "people_20250101.csv", [
        "1,Anna,Van der Berg,,,1 Oak St,Springfield,2025-01-01",
        "2,Anne,VANDERBERG,,,2 Oak St,Springfield,2025-01-01",
        "3,Anna,O'Brien-Smith,,,3 Oak St,Springfield,2025-01-01",
    ])  # fmt: skip
    assert sorted(keys(store.search("Anna", "Vanderberg"))) == ["1", "2"]
    assert sorted(keys(store.search("Anna", "van der berg"))) == ["1", "2"]
    assert keys(store.search("Anna", "OBrien Smith")) == ["3"]
    assert store.search("", "") == [] and store.search("Anna", "") == []


def test_organisations_by_normalised_name_and_by_other_names(tmp_path: Path, store: Store) -> None:
    orgs(store, tmp_path, "orgs_20250101.csv", ["A1,The Acme Co.,1 Mill Rd,Leeds,Jane,Doe"])
    path = tmp_path / "aliases_20250101.csv"
    path.write_text("id,other\nA1,Zenith Widgets LLC\n", encoding="utf-8")
    import_file(store, manifest(tmp_path, ORGS, "orgs"), path)
    for name in ("ACME COMPANY", "acme co", "The Acme Co.", "Zenith Widgets"):
        hits = store.search(organisation=name)
        assert [(h.key, h.kind) for h in hits] == [("A1", "organisation")], name
    hit = store.search(organisation="Zenith Widgets")[0]
    assert "Zenith Widgets LLC" in hit.aliases
    assert hit.record_url == "https://example.org/company/A1"
    [contact] = store.search("Jane", "Doe")
    assert (contact.kind, contact.employer) == ("person", "The Acme Co.")


def test_results_are_newest_first_then_by_record_date_and_capped_agreeing_first_names_first(
    tmp_path: Path, store: Store
) -> None:
    people(store, tmp_path, "people_20250101_weekly.csv",
           ["1,John,Smith,,,1 Oak St,Springfield,2024-12-01"])  # fmt: skip
    people(store, tmp_path, "people_20250301_weekly.csv", [
        "2,John,Smith,,,2 Oak St,Springfield,2025-02-01",
        "3,John,Smith,,,3 Oak St,Springfield,2025-02-20",
    ])  # fmt: skip
    hits = store.search("John", "Smith")
    assert keys(hits) == ["3", "2", "1"]
    assert [h.file_date for h in hits] == ["2025-03-01", "2025-03-01", "2025-01-01"]
    people(
        store,
        tmp_path,
        "people_20250401_weekly.csv",
        [f"{i},Jon,Smith,,,{i} Elm St,Springfield,2025-03-01" for i in range(10, 80)],
    )
    hits = store.search("John", "Smith")  # the Johns first, however old, then the newest
    assert len(hits) == CANDIDATES and keys(hits)[:3] == ["3", "2", "1"]
    assert {h.file_date for h in hits[3:]} == {"2025-04-01"}
    hits = store.search("Jon", "Smith")
    assert len(hits) == CANDIDATES and {h.file_date for h in hits} == {"2025-04-01"}


def test_an_employer_reference_is_resolved_at_search_time(tmp_path: Path, store: Store) -> None:
    people(store, tmp_path, "people_20250101.csv",
           ["1,Ann,Lee,Treasurer,A1,1 Oak St,Springfield,2025-01-01"])  # fmt: skip
    [before] = store.search("Ann", "Lee")
    assert (before.employer, before.employer_places) == ("", ())
    orgs(store, tmp_path, "orgs_20250101.csv", ["A1,Acme Ltd,1 Mill Rd,Leeds,,"])
    [hit] = store.search("Ann", "Lee")
    assert (hit.employer, hit.title) == ("Acme Ltd", "Treasurer")
    assert [(p.role, p.lines, p.city) for p in hit.employer_places] == [
        ("registered", ("1 Mill Rd",), "Leeds")
    ]
    orgs(store, tmp_path, "orgs_20250201.csv", ["A1,Acme Holdings Ltd,9 New Rd,York,,"])
    [hit] = store.search("Ann", "Lee")
    assert (hit.employer, hit.employer_places[0].city) == ("Acme Holdings Ltd", "York")


def test_index_search_of_one_word_reads_it_as_a_surname(tmp_path: Path) -> None:
    with Store(index_path()) as store:
        people(store, tmp_path, "people_20250101.csv",
               ["1,,Quillfeather,,,1 Oak St,Springfield,2025-01-01"])  # fmt: skip
    result = CliRunner().invoke(app, ["index", "search", "--name", "Quillfeather", "--json"])
    assert result.exit_code == 0
    assert [json.loads(line)["key"] for line in result.stdout.splitlines()] == ["1"]


def test_closing_waits_for_a_running_search(store: Store) -> None:
    store._lock.acquire()  # a search in another thread
    closer = threading.Thread(target=store.close)
    closer.start()
    closer.join(0.1)
    assert closer.is_alive() and store.has_records() is False
    store._lock.release()
    closer.join(5)
    assert not closer.is_alive()


def test_the_index_is_a_private_sqlite3_file_like_every_store(tmp_path: Path) -> None:
    assert index_path().name == "index.sqlite3"
    with Store(index_path()) as store:
        people(store, tmp_path, "people_20250101.csv",
               ["1,Ann,Lee,,,1 Oak St,Springfield,2025-01-01"])  # fmt: skip
    [found] = index_path().parent.glob("*.sqlite3")
    assert found == index_path() and found.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("first", "last", "asked"),
    [
        ("SEAN", "O'BRIEN", ("Sean", "Obrien")),
        ("José", "NÚÑEZ", ("Jose", "Nunez")),
        ("ANNA", "VAN DER BERG", ("Anna", "Vanderberg")),
        ("MARY-ANN", "SMITH-JONES", ("Mary Ann", "Smith Jones")),
        ("BOB", "LEE", ("Robert", "Lee")),
        ("", "MADONNA", ("", "Madonna")),
    ],
)
def test_a_name_part_is_folded_the_same_way_filed_and_looked_up(
    tmp_path: Path, store: Store, first: str, last: str, asked: tuple[str, str]
) -> None:
    people(store, tmp_path, "people_20250101.csv", [f"1,{first},{last},,,1 Oak St,Leeds,"])
    assert [h.key for h in store.search(*asked)] == ["1"]


PEOPLE_AT = PEOPLE.replace('city = "city"\n', 'city = "city"\npostcode = "postcode"\n')


def among_namesakes(
    store: Store, tmp_path: Path, debtor: str, postcode: str, namesakes: list[str]
) -> None:
    """The debtor's record (key 1, "First,Last" at ``postcode``), then 70 newer records of
    ``namesakes`` elsewhere."""
    header = "id,first,last,title,org,street,city,postcode,updated\n"
    old, new = tmp_path / "people_20250101.csv", tmp_path / "people_20250301_weekly.csv"
    old.write_text(
        f"{header}1,{debtor},,,1 Oak St,London,{postcode},2024-01-01\n", encoding="utf-8"
    )
    new.write_text(header + "".join(
        f"{i},{namesakes[i % len(namesakes)]},,,{i} Elm St,Leeds,LS1 {i % 9}AB,2025-02-01\n"
        for i in range(10, 80)), encoding="utf-8")  # fmt: skip
    for path in (old, new):
        import_file(store, manifest(tmp_path, PEOPLE_AT, "people"), path)


@pytest.mark.parametrize(
    ("filed", "given"),
    [
        ("SW1A 1AA", "sw1a1aa"),
        ("SW1A1AA", "SW1A 1AA"),
        ("sw1a 1aa", "SW1A 1AA"),  # a file that writes its postcodes in lower case
        ("Sw1a1aa", "sw1a 1aa"),
        ("62701 4321", "62701"),  # a ZIP+4 with a blank for its dash
        ("62701 4321", "627014321"),
    ],
)
def test_a_postcode_agrees_however_its_file_writes_it(
    tmp_path: Path, store: Store, filed: str, given: str
) -> None:
    """Records whose postcode agrees come first among a name's many namesakes: a UK postcode
    typed without its space (or filed so), a file's lower-case one, or a ZIP+4 filed with a
    blank had not agreed, and the debtor's own record, older than 70 namesakes, was never
    read."""
    among_namesakes(store, tmp_path, "Ann,Lee", filed, ["Ann,Lee"])
    assert keys(store.search("Ann", "Lee"))[0] != "1"  # newest first without a postcode
    assert keys(store.search("Ann", "Lee", postcode=given))[0] == "1"


@pytest.mark.parametrize(("filed", "given"), [("Robert", "Bob"), ("Bob", "Robert")])
def test_a_nickname_agrees_as_a_first_name(
    tmp_path: Path, store: Store, filed: str, given: str
) -> None:
    """Bob Smith at his postcode, filed as Robert, against 70 newer Bob and Robert Smiths
    elsewhere: his first name had not agreed, so the namesakes whose did tied with him, and
    the newest were read instead of his record."""
    among_namesakes(store, tmp_path, f"{filed},Smith", "SW1A 1AA", [f"{given},Smith"])
    assert keys(store.search(given, "Smith", postcode="SW1A 1AA"))[0] == "1"


def test_index_search_json_keeps_a_registers_bidi_and_c1_characters_as_escapes(
    tmp_path: Path,
) -> None:
    """``--json`` wrote a stored value's bidi override and C1 control as U+FFFD (the terminal's
    replacement), so the JSON said another value: they are now ``\\u`` escapes, as ``lookup
    --json`` and the evidence file write them, the same value to a JSON reader and nothing a
    terminal acts on."""
    row = "1,Ann,Quillfeather,Treasurer\u202e\u009b,,1 Oak St,Springfield,2025-01-01"
    with Store(index_path()) as store:
        people(store, tmp_path, "people_20250101.csv", [row])
    result = CliRunner().invoke(app, ["index", "search", "--name", "Ann Quillfeather", "--json"])
    assert result.exit_code == 0, result.output
    assert "\\u202e\\u009b" in result.stdout and "\ufffd" not in result.stdout, result.stdout
    [hit] = [json.loads(line) for line in result.stdout.splitlines()]
    assert hit["title"] == "Treasurer\u202e\u009b"
