"""Hostile bulk files of several members: a member refused after others were read keeps
nothing of the file, as a member that cannot be read to its end does; and the members read
are those of the file hashed."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file, importer, read_bulk_manifest, reading
from skiptrace.index.manifest import BulkSource
from tests.index.test_hostile_bulk_memory import imported_traced
from tests.index.test_import import HEADER, JOINED, board, names, row


def test_a_member_refused_after_others_were_read_keeps_nothing_staged(tmp_path: Path) -> None:
    """The ZIP's second member lacks the key column: the first one's rows stayed staged for
    good and the file stayed an import under way, so a source first imported so was owed
    ("its first import has not finished") while running it again could only fail again."""
    path = tmp_path / "board_20250101.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + row(1) + row(2) + row(3))
        archive.writestr("board_20250102.csv", HEADER.replace("id,", "ident,") + row(4))
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"board_20250102\.csv: no column 'id'"):
            import_file(store, board(tmp_path), path, batch_size=1)
        assert store.unfinished() == []
        staged = store._db.execute("SELECT count(*) FROM staged_parties").fetchone()
        assert (staged, store.files()) == ((0,), [])


def _replaced_once_planned(
    monkeypatch: pytest.MonkeyPatch, path: Path, write: Callable[[Path], None]
) -> None:
    """``path`` replaced by what ``write`` makes just after its members are listed."""
    plan = importer.plan

    def planned(file: reading.Download, source: BulkSource) -> list[reading.Member]:
        members = plan(file, source)
        write(path.with_name("new"))
        os.replace(path.with_name("new"), path)
        return members

    monkeypatch.setattr(importer, "plan", planned)


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250102.csv", HEADER + row(1))
        archive.writestr("board_20250101.jsonl", '{"id": "7", "name": {"last": "Kim"}}\n')


def _csv(path: Path) -> None:
    path.write_text(HEADER + row(5) + row(6), encoding="utf-8")


@pytest.mark.parametrize(("first", "then"), [(_zip, _csv), (_csv, _zip)], ids=["csv", "zip"])
def test_a_file_replaced_once_its_members_were_listed_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: Callable[[Path], None],
    then: Callable[[Path], None],
) -> None:
    """Replaced after its members were listed and before it was hashed: a ZIP replaced by a
    CSV had the CSV read once for each member listed (as JSON too: its lines reported bad)
    and recorded done under the CSV's hash; a CSV replaced by a ZIP was a KeyError, its
    import left under way."""
    path = tmp_path / "board_20250101.csv"
    first(path)
    _replaced_once_planned(monkeypatch, path, then)
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"^board_20250101\.csv changed while it was"):
            import_file(store, board(tmp_path), path)
        assert (store.files(), store.unfinished(), names(store)) == ([], [], {})


def test_a_joined_member_is_read_and_its_bad_rows_counted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest whose file kind takes two members joined to one: the joined member was
    read again for each, and its bad row reported and counted for each ("2 rows read, 2
    malformed rows skipped" for two good rows and one bad joined row)."""
    manifest = tmp_path / "filings.toml"
    manifest.write_text(JOINED.replace('"OWNER.tsv"', '"OWNER*.tsv"'), encoding="utf-8")
    path = tmp_path / "filings_2025q1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\na3\tI3\tAcme\nbad row\n")
        archive.writestr("OWNER1.tsv", "ACC\tOWNER\na3\tAnn Lee\n")
        archive.writestr("OWNER2.tsv", "ACC\tOWNER\na3\tBo Kim\n")
    joins = []
    join = importer._joined
    monkeypatch.setattr(importer, "_joined", lambda *a: joins.append(a) or join(*a))
    with Store(tmp_path / "index.sqlite3") as store:
        summary = import_file(store, read_bulk_manifest(manifest), path)
    assert (summary.rows, summary.bad, summary.parties, len(joins)) == (2, 1, 2, 1)
    assert summary.problems == [
        "filings_2025q1.zip:SUBMISSION.tsv line 3: 1 fields where the header has 3"
    ]


def test_a_column_missing_from_many_members_is_listed_once(tmp_path: Path) -> None:
    """Each member lacking a column the manifest reads was one line more, held until the
    import ended: 20,000 one-row NPPES members (a 3 MB ZIP) made 500,000 lines and 240 MB."""
    path = tmp_path / "board_20250101.zip"
    header = HEADER.replace("first,", "")
    with zipfile.ZipFile(path, "w") as archive:
        for key in "abc":
            archive.writestr(f"board_{key}.csv", header + f"{key},Lee,1 Main St,X,62701,\n")
    with Store(tmp_path / "index.sqlite3") as store:
        summary = import_file(store, board(tmp_path), path)
    assert summary.missing_columns == ["board_a.csv: first (and 2 other members)"]


def test_many_members_are_read_in_flat_memory(tmp_path: Path) -> None:
    """Each CSV member's reader reads from the object that holds it (a cycle), and imports
    run with the cycle collector off: every member read stayed in memory, its text buffer
    and its ZIP stream with it, until the import ended (16 kB a member: a ZIP of 1,000,000
    one-row members, 160 MB, would hold 16 GB)."""
    path = tmp_path / "board_20250101.zip"
    members = 1_000
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(members):
            archive.writestr(f"board_{i}.csv", HEADER + row(i))
    summary, (_, peak) = imported_traced(tmp_path, path)
    assert summary.parties == members
    assert peak < 8 << 20, f"peak {peak:,} bytes"  # 2 MB; 21 MB before


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("zipped", [False, True], ids=["plain", "ZIP"])
def test_a_member_read_leaves_its_stream_to_the_import_to_close(
    tmp_path: Path, zipped: bool
) -> None:
    """Its reader dropped once the member is read, the text wrapper around the member's stream
    went with it, still open: a ResourceWarning (an error where warnings are), and the stream
    closed under the import that opened it."""
    path = tmp_path / "board_20250101.csv"
    path.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    if zipped:
        with zipfile.ZipFile(tmp_path / "board_20250101.zip", "w") as archive:
            archive.write(path, path.name)
        path = tmp_path / "board_20250101.zip"
    with Store(tmp_path / "index.sqlite3") as store:
        summary = import_file(store, board(tmp_path), path)
    assert summary.parties == 2


def test_the_joined_member_is_the_one_planned_not_a_mac_resource_copy(tmp_path: Path) -> None:
    """``__MACOSX/SUBMISSION.tsv`` is not data when the download is planned (so not a second
    joined member), but the join took the first member of its name in the ZIP's order: a
    copy packed first there gave Ann Lee another employer."""
    manifest = tmp_path / "filings.toml"
    manifest.write_text(JOINED, encoding="utf-8")
    path = tmp_path / "filings_2025q1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("__MACOSX/SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\na3\tI9\tWrong Inc\n")
        archive.writestr("SUBMISSION.tsv", "ACC\tISSUER\tISSUERNAME\na3\tI3\tAcme Tool Co\n")
        archive.writestr("OWNER.tsv", "ACC\tOWNER\na3\tAnn Lee\n")
    with Store(tmp_path / "index.sqlite3") as store:
        import_file(store, read_bulk_manifest(manifest), path)
        assert [(h.key, h.employer) for h in store.search("Ann", "Lee")] == [
            ("Ann Lee I3", "Acme Tool Co")
        ]
