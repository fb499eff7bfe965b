"""Hostile ZIPs: a member whose bytes hold another member (the overlapping ZIP bomb) is
refused before anything is read."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from skiptrace.errors import InputError
from skiptrace.index import Store, import_file
from tests.index.test_import import board


def _header(name: bytes, crc: int, packed: int, size: int) -> bytes:
    """A ZIP local file header of a deflated member."""
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size,
                       len(name), 0) + name  # fmt: skip


def _overlapping(path: Path, names: list[bytes], data: bytes) -> None:
    """A ZIP whose members each quote the next one's header in a stored block and end in
    one shared deflated kernel (Fifield's non-recursive bomb): each member inflates to the
    kernel's data and more, however many there are, from the kernel's bytes once."""
    kernel = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = kernel.compress(data) + kernel.flush()
    body, plain = packed, data
    central = []
    for name in reversed(names):  # the last member first: each quotes the one after it
        crc = zlib.crc32(plain)
        local = _header(name, crc, len(body), len(plain))
        central.append((name, crc, len(body), len(plain)))
        quote = b"\x00" + struct.pack("<HH", len(local), len(local) ^ 0xFFFF)
        body, plain = quote + local + body, local + plain
    stream = bytes(body[5:])  # the first member's header, unquoted, then the rest
    directory, at = b"", 0
    for name, crc, packed, size in reversed(central):  # each header 5 bytes into the last
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                                 packed, size, len(name), 0, 0, 0, 0, 0, at) + name  # fmt: skip
        at += 30 + len(name) + 5
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(names), len(names), len(directory),
                      len(stream), 0)  # fmt: skip
    path.write_bytes(stream + directory + end)


def test_members_that_overlap_are_refused(tmp_path: Path) -> None:
    """Three members sharing one kernel were each read whole (25 records stored of 9); a
    10 MB ZIP of this kind holds 65,534 members of 4.4 GB each (281 TB to read): memory flat,
    and no end in sight."""
    path = tmp_path / "board_20250101.zip"
    lines = "".join(f'{{"id": "{i}", "name": {{"last": "Lee"}}}}\n' for i in range(9))
    _overlapping(path, [b"board_a.jsonl", b"board_b.jsonl", b"board_c.jsonl"], lines.encode())
    with Store(tmp_path / "index.sqlite3") as store:
        with pytest.raises(InputError, match=r"a damaged ZIP: members 'board_a.jsonl' and "
                           r"'board_b.jsonl' overlap"):  # fmt: skip
            import_file(store, board(tmp_path), path)
        assert store.files() == []
