"""Bulk manifests are checked at load: every mistake is one line naming the file and the key,
never a silent empty column; and no manifest can put a contact channel in the index."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from skiptrace.errors import ManifestError
from skiptrace.index import Store, import_file, read_bulk_manifest
from skiptrace.index.manifest import bulk_sources
from skiptrace.index.mapping import Party, Place

NPPES = Path(__file__).parent / "fixtures" / "nppes"  # real rows, provenance in PROVENANCE.md

GOOD = r"""
id = "board"
name = "A made-up licensing board"
licence = "test data"
record_url = "https://example.org/licensee/{key}"
homepage = "https://example.org/"  # its record pages are at its origin
file_date = ['_(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})']

[[file]]
member = "board_*.csv"
format = "csv"
key = "id"
skip = [{ value = "status", matches = "^X" }]

[[file.record]]
part = "person"
kind = "person"
first = "first"
last = "last"
employer = ["org", "branch"]

[[file.record.address]]
role = "mailing"
lines = ["street"]
city = "city"
"""


def load(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "board.toml"
    path.write_text(text, encoding="utf-8")
    read_bulk_manifest(path)
    return path


def test_the_good_manifest_loads(tmp_path: Path) -> None:
    load(tmp_path, GOOD)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('licence = "test data"', 'licence = "x"\ncolour = "red"', "top level: unknown key"),
        ('kind = "person"', 'kind = "robot"', "file[0].record[0].kind 'robot'"),
        ('role = "mailing"', 'role = "home"', "file[0].record[0].address[0].role 'home'"),
        ('format = "csv"', 'format = "xlsx"', "file[0].format 'xlsx'"),
        ('matches = "^X"', 'matches = "(["', "file[0].skip.matches: not a regular expression"),
        ("'_(?P<y>", "'_(?P<y", "file_date: not a regular expression"),
        ('format = "csv"', 'format = "csv"\nencoding = "klingon"', "unknown encoding 'klingon'"),
        ('format = "csv"', 'format = "csv"\nfallback = "rot13"', "unknown encoding 'rot13'"),
        ("licensee/{key}", "licensee/{key}/view", "record_url"),
        ("https://example.org", "http://example.org", "record_url"),
        # read as www.sec.gov, opened at example.org: every lookup of its records had failed
        ("https://example.org", "https://www.sec.gov@example.org", "record_url"),
        ("https://example.org", "https://example.org\\\\@www.sec.gov", "record_url"),
        ("https://example.org", "https://example.org\\u0000", "record_url"),
        (
            'employer = ["org", "branch"]',
            'employer = ["=ACME", "branch"]',
            "file[0].record[0].employer: a literal ('=...') stands alone",
        ),
        ('first = "first"', 'first = ""', "file[0].record[0].first: a column name"),
        ('last = "last"', "", "file[0].record[0]: a name (one column) or a last name is needed"),
        ('id = "board"', 'id = "Board-1"', "id 'Board-1'"),
        ('last = "last"', 'last = "last"\nphone = "tel"', "unknown key 'phone'"),
        ('last = "last"', 'last = "last"\nemail = "mail"', "unknown key 'email'"),
        ('city = "city"', 'city = "city"\nphone = "tel"', "unknown key 'phone'"),
        ('format = "csv"', 'format = "csv"\nendpoint = "url"', "unknown key 'endpoint'"),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_the_key(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    assert old in GOOD
    with pytest.raises(ManifestError) as caught:
        load(tmp_path, GOOD.replace(old, new, 1))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'board.toml'}: ")
    assert said in message


def test_a_file_that_would_read_nothing_is_refused(tmp_path: Path) -> None:
    text = GOOD.split("[[file.record]]")[0]
    with pytest.raises(ManifestError, match=r"file\[0\]: no \[\[file\[0\]\.record\]\]"):
        load(tmp_path, text)


@pytest.mark.parametrize("text", ["id = ", "\xff", 'id = "x"'], ids=["toml", "utf8", "missing"])
def test_an_unreadable_manifest_is_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "board.toml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ManifestError) as caught:
        read_bulk_manifest(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_a_folder_of_manifests_loads_the_good_and_names_the_bad(tmp_path: Path) -> None:
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(GOOD.replace('kind = "person"', 'kind = "x"'), "utf-8")
    (tmp_path / "nppes.toml").write_text(GOOD.replace('"board"', '"nppes"'), "utf-8")
    sources, problems = bulk_sources([tmp_path])
    assert "board" in sources and sources["nppes"].path != tmp_path / "nppes.toml"
    assert len(problems) == 2
    assert any("bad.toml" in p and "kind" in p for p in problems)
    assert any("nppes.toml" in p and "already taken" in p for p in problems)


@pytest.mark.parametrize("kind", ["fifo", "device", "huge", "deep"])
def test_a_bulk_manifest_that_is_no_small_toml_file_is_one_problem_read_no_further(
    tmp_path: Path, kind: str
) -> None:
    """A bulk source is added by dropping a manifest in a folder, as a connector is, and was
    read as no connector manifest is any more: whole and whatever it was. A FIFO named
    ``*.toml`` held every ``index`` command (waiting for a writer), a link to /dev/zero would
    have been read until memory ran out, a 64 GB sparse file too, and TOML nested past
    Python's recursion limit ended the command in a RecursionError's traceback."""
    (tmp_path / "good.toml").write_text(GOOD, encoding="utf-8")
    path = tmp_path / "x.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "huge":
        path.write_text(GOOD.replace('"board"', '"big"'), encoding="utf-8")
        os.truncate(path, 64 << 30)  # a hole: no disk used, read back as zeros
    else:
        path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    sources, problems = bulk_sources([tmp_path])
    assert "board" in sources  # the good one beside it still loads
    [problem] = problems
    expected = {"fifo": "not a regular file", "device": "not a regular file",
                "huge": "over 1,000,000 bytes", "deep": "nested too deeply"}[kind]  # fmt: skip
    assert problem.startswith(f"{path}: ") and expected in problem, problem


def test_the_index_has_no_field_for_a_contact_channel(tmp_path: Path) -> None:
    channels = ("phone", "fax", "mail", "telephone", "endpoint", "contact")
    fields = {*Party.__dataclass_fields__, *Place.__dataclass_fields__}
    assert not [f for f in fields if any(c in f for c in channels)]
    source = bulk_sources()[0]["nppes"]
    path = tmp_path / "npidata_pfile_20050523-20251109.csv"
    path.write_bytes((NPPES / "npidata_legacy329_head111.csv").read_bytes())
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, source, path)
    db = sqlite3.connect(tmp_path / "index.sqlite3")
    columns = [c for t in ("parties", "extras") for c in
               (r[1] for r in db.execute(f"PRAGMA table_info({t})"))]  # fmt: skip
    assert not [c for c in columns if any(ch in c for ch in channels)]
    text = " ".join(str(v) for r in db.execute("SELECT * FROM parties") for v in r)
    assert "PO BOX 2168" in text
    assert "3088652512" not in text and "3088652506" not in text  # the first row's phone, fax


NOT_EQUALS = r"""
id = "board"
name = "A made-up licensing board"
licence = "test data"

[[file]]
member = "board_*.csv"
format = "csv"
key = "id"
skip = [{ value = "type", not_equals = ["1", "2"] }]

[[file.record]]
part = "person"
kind = "person"
first = "first"
last = "last"
when = [{ value = "status", not_equals = "retired" }]
"""


def test_not_equals_holds_in_when_and_in_skip(tmp_path: Path) -> None:
    source = read_bulk_manifest(load(tmp_path, NOT_EQUALS))
    [condition] = source.files[0].skip
    assert condition.equals == () and condition.not_equals == ("1", "2")
    path = tmp_path / "board_20250101.csv"
    path.write_text(
        "id,type,status,first,last\n1,1,active,Ann,Lee\n2,,active,Bob,Lee\n"
        "3,2,retired,Cy,Lee\n4,2,,Di,Lee\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, source, path)
        found = sorted(k for (k,) in store._db.execute("SELECT key FROM parties"))
    assert found == ["1", "4"]  # 2: a stub without a type, skipped; 3: retired, no record


# A bulk source skiptrace does not ship keeps its record pages at an origin it declares, as a
# connector does: its template could name a registry's page for what its own file held.


@pytest.mark.parametrize(
    ("template", "declared", "loads"),
    [
        ("https://www.sec.gov/Archives/edgar/data/{key}", "", False),
        ("https://example.org.evil.example/licensee/{key}", "", False),  # a prefix, no origin
        ("https://example.org:8443/licensee/{key}", "", False),  # another port
        ("https://ex\u0430mple.org/licensee/{key}", "", False),  # a Cyrillic a: xn--...
        ("https://www.sec.gov/Archives/edgar/data/{key}", "https://www.sec.gov", True),
        ("https://EXAMPLE.org:443/licensee/{key}", "", True),  # the homepage's, spelt so
        ("https://registry.example.org/licensee/{key}", "https://registry.example.org", True),
    ],
    ids=["edgar", "prefix", "port", "idn", "declared-edgar", "homepage", "declared"],
)
def test_a_bulk_sources_page_is_at_an_origin_it_declared(
    tmp_path: Path, template: str, declared: str, loads: bool
) -> None:
    text = GOOD.replace("https://example.org/licensee/{key}", template)
    if declared:
        text = text.replace(
            'licence = "test data"', f'licence = "test data"\norigins = ["{declared}"]'
        )
    if loads:
        assert load(tmp_path, text)
    else:
        with pytest.raises(ManifestError, match=r"record_url .* at none of the origins it"):
            load(tmp_path, text)


def test_a_copy_of_a_shipped_bulk_manifest_declares_where_its_pages_are(tmp_path: Path) -> None:
    """Shipped, NPPES's download page is at download.cms.gov, its records' pages at the
    registry: a copy edited elsewhere says so, as a connector's copy does."""
    shipped = bulk_sources()[0]["nppes"]
    assert shipped.path is not None
    text = shipped.path.read_text(encoding="utf-8")
    with pytest.raises(ManifestError, match="at none of the origins it"):
        load(tmp_path, text)
    declared = 'origins = ["https://npiregistry.cms.hhs.gov"]\n\n[[file]]'
    assert load(tmp_path, text.replace("[[file]]", declared, 1))
