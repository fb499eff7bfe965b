"""Hostile ZIP headers that Python's zipfile answers with neither BadZipFile nor OSError: a
member's name that is not UTF-8 under the UTF-8 flag (UnicodeDecodeError) and a version
needed to extract beyond any it reads (NotImplementedError) are a damaged ZIP, one line and
exit 2, like any other, and keep nothing of the file."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file
from tests.index.test_import import HEADER, board, names, row

_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"


def _zip(path: Path) -> bytearray:
    """Two members, ``board_20250101.csv`` read first; the bytes to damage."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("board_20250101.csv", HEADER + row(1) + row(2))
        archive.writestr("board_20250102.csv", HEADER + row(3))
    return bytearray(path.read_bytes())


def _second(data: bytearray, signature: bytes) -> int:
    """Where the second member's header of this kind (central or local) starts."""
    return data.index(signature, data.index(signature) + 1)


def _listed_name_not_utf8(data: bytearray) -> None:
    central = _second(data, _CENTRAL)
    data[central + 9] |= 0x08  # its name is UTF-8 (bit 11)
    data[central + 46] = 0xFF  # and its first byte is not


def _version_beyond(data: bytearray) -> None:
    data[_second(data, _CENTRAL) + 6] = 250  # version needed to extract: 25.0


@pytest.mark.parametrize(
    ("damage", "said"),
    [(_listed_name_not_utf8, "can't decode byte 0xff"), (_version_beyond, "version 25.0")],
    ids=["name-not-utf8", "version"],
)
def test_a_central_directory_zipfile_cannot_list_is_a_damaged_zip(
    tmp_path: Path, damage: Callable[[bytearray], None], said: str
) -> None:
    """Listing it raised UnicodeDecodeError or NotImplementedError: a traceback, exit 1."""
    path = tmp_path / "board_20250101.zip"
    data = _zip(path)
    damage(data)
    path.write_bytes(data)
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=rf"board_20250101\.zip: a damaged ZIP: .*{said}"):
            import_file(store, board(tmp_path), path)
        assert (store.files(), store.unfinished(), names(store)) == ([], [], {})


def test_a_members_own_header_name_not_utf8_is_a_member_that_cannot_be_read(
    tmp_path: Path,
) -> None:
    """Its own header says its name is UTF-8, and it is not: opening it raised
    UnicodeDecodeError after the first member's rows were staged, a traceback that left the
    import under way (resuming could only fail again) instead of one line keeping nothing."""
    path = tmp_path / "board_20250101.zip"
    data = _zip(path)
    local = _second(data, _LOCAL)
    data[local + 7] |= 0x08  # its name is UTF-8 (bit 11)
    data[local + 30] = 0xFF  # and its first byte is not
    path.write_bytes(data)
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"board_20250102\.csv: cannot be read to its end"):
            import_file(store, board(tmp_path), path, batch_size=1)
        staged = store._db.execute("SELECT count(*) FROM staged_parties").fetchone()
        assert (staged, store.files(), store.unfinished(), names(store)) == ((0,), [], [], {})
