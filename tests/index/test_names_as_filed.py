"""A person's name reaches the matcher as the source filed it (its parts), not re-parsed from
the printed form: the SEC prints "Last First Middle", which read first-last would make the
right person a stranger."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "sec_insiders" / "2026q3_form345"
runner = CliRunner()


def test_a_name_printed_last_first_is_matched_as_filed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIPTRACE_HOME", str(tmp_path / "home"))
    bundle = tmp_path / "2026q3_form345.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for member in FIXTURE.iterdir():
            archive.write(member, member.name)
    imported = runner.invoke(app, ["index", "import", "sec_insiders", str(bundle), "--no-progress"])
    assert imported.exit_code == 0, imported.output
    found = runner.invoke(app, ["lookup", "--source", "offline", "--name", "Margaret Quillfeather",
                                "--city", "Springfield", "--state", "IL", "--zip", "62701",
                                "--purpose", "test", "--json"])  # fmt: skip
    assert found.exit_code == 0, found.output
    [best, *_] = json.loads(found.stdout)["candidates"]
    assert best["record"]["employer"] == "Orchard Widgets Inc"
    levels = {field: level for field, level, _ in best["fields"]}
    assert levels["first_name"] == levels["last_name"] == "exact", best["words"]
    assert best["band"] == "medium"  # the debtor's ZIP and town, no street: her area
