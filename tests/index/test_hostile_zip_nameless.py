"""A ZIP member whose name is empty: zipfile lists it, and asking whether it is a folder
(``ZipInfo.is_dir``, the name's last character) raises IndexError, a traceback and exit 1
when the download was planned. It is a damaged ZIP: one line, exit 2, nothing kept."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file
from tests.index.test_import import HEADER, board, names, row


def _nameless(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + row(1))
        archive.writestr(zipfile.ZipInfo(""), "no name")


def test_a_member_with_no_name_is_a_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "board_20250101.zip"
    _nameless(path)
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"board_20250101\.zip: a damaged ZIP: .*no name"):
            import_file(store, board(tmp_path), path)
        assert (store.files(), store.unfinished(), names(store)) == ([], [], {})
