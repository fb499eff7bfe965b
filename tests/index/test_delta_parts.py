"""A delta's record keeps the parts it names, whatever order the deltas are imported in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from skiptrace.index import Store, import_file, read_bulk_manifest
from tests.index.test_hostile_bulk import FIRMS

HEADER = "id,firm,first,last,street,city,zip\n"
ACME = "1,Acme Ltd,{},{},1 Main St,Springfield,62701\n"


@contextmanager
def _imported(tmp_path: Path, files: dict[str, str]) -> Iterator[Store]:
    """An index with each of ``files`` (name: its one row) imported, in the order given."""
    manifest = tmp_path / "firms.toml"
    manifest.write_text(FIRMS, encoding="utf-8")
    source = read_bulk_manifest(manifest)
    with Store(tmp_path / "index.sqlite3") as store:
        for name, line in files.items():
            (tmp_path / name).write_text(HEADER + line, encoding="utf-8")
            import_file(store, source, tmp_path / name)
        yield store


def test_an_older_delta_imported_late_does_not_bring_back_an_officer_a_newer_one_removed(
    tmp_path: Path,
) -> None:
    """The week-2 delta names no officer for firm 1 (Ann Lee removed); the week-1 delta,
    imported after it, still names her: she came back as the firm's officer, beside the
    newer firm record that no longer lists her (at the week-1 file's address)."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee"),
        "firms_weekly_20250115.csv": ACME.format("", ""),
        "firms_weekly_20250108.csv": ACME.format("Ann", "Lee").replace("1 Main", "9 Main"),
    }
    with _imported(tmp_path, files) as store:
        assert [(h.key, h.part) for h in store.search("Ann", "Lee")] == []
        assert [(h.key, h.part) for h in store.search(organisation="Acme Ltd")] == [("1", "firm")]
        orphans = "SELECT count(*) FROM keys k WHERE k.part = 'officer'"
        assert store._db.execute(orphans).fetchone() == (0,)


def test_a_newer_delta_imported_first_keeps_an_officer_it_names(tmp_path: Path) -> None:
    """The other way round: the week-2 delta names Bo Kim, the week-1 delta read late names
    Ann Lee in the same part: Bo Kim stays the officer."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee"),
        "firms_weekly_20250115.csv": ACME.format("Bo", "Kim"),
        "firms_weekly_20250108.csv": ACME.format("Cy", "Day"),
    }
    with _imported(tmp_path, files) as store:
        assert [h.key for h in store.search("Bo", "Kim")] == ["1"]
        assert [h.key for h in store.search("Ann", "Lee")] == []
        assert [h.key for h in store.search("Cy", "Day")] == []


def test_a_full_file_read_late_still_removes_what_it_no_longer_holds(tmp_path: Path) -> None:
    """A full file read after a newer delta that holds all its records: each record is the
    delta's, and the full file still removes the records of older files it left out (firm 2,
    struck off before it was written)."""
    files = {
        "firms_20250101.csv": ACME.format("Ann", "Lee") + "2,Bolt Ltd,Bo,Kim,2 Main St,X,1\n",
        "firms_weekly_20250115.csv": ACME.format("Cy", "Day"),
        "firms_20250110.csv": ACME.format("Ann", "Lee").replace("1 Main", "9 Main"),
    }
    with _imported(tmp_path, files) as store:
        assert [h.key for h in store.search(organisation="Bolt Ltd")] == []
        assert [h.key for h in store.search("Cy", "Day")] == ["1"]
        assert [h.key for h in store.search("Ann", "Lee")] == []
