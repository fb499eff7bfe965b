"""``link`` keeps each file's record ids packed a block at a time: each reads back as written,
across blocks, empty and non-ASCII ones too."""

from __future__ import annotations

import pytest

from skiptrace.cli.link_cmd import _Ids


def test_ids_read_back_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Ids, "BLOCK", 4)
    written = ["A-1", "", "Zoë 7", "x" * 500, "1", "2", "", "😀", "last"]
    ids = _Ids()
    for k, record_id in enumerate(written):
        ids.append(record_id)
        assert len(ids) == k + 1
        assert [ids[i] for i in range(k + 1)] == written[: k + 1]
    for outside in (len(written), -1):
        with pytest.raises(IndexError):
            ids[outside]
