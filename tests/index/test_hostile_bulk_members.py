"""Hostile bulk files of several members: a member refused after others were read keeps
nothing of the file, as a member that cannot be read to its end does."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file
from tests.index.test_import import HEADER, board, row


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
