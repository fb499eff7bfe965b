"""A rerun of the same command after an upgrade (skiptrace's version, a source's manifest, the
policy: what names a run) takes none of the rows the earlier run kept, rightly, but said
nothing: every row was researched again, and the summary read as a first run. It now says
how many rows an earlier run of the same input kept that this run does not reuse, and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skiptrace import policy as policy_module
from skiptrace.cli import app
from skiptrace.research import enrich as enrich_module
from skiptrace.testing.directory import MANIFEST
from skiptrace.testing.replay import Refusing, loopback_policy_text


def _enrich(tmp_path: Path, base_url: str) -> Result:
    """The same command every time: a row the source, down, leaves incomplete, and a flagged
    row, final and kept."""
    connectors, policy = tmp_path / "connectors", tmp_path / "policy.toml"
    source = tmp_path / "debtors.csv"
    if not connectors.exists():
        connectors.mkdir()
        (connectors / "demo_directory.toml").write_text(MANIFEST.format(base=base_url))
        policy.write_text(loopback_policy_text(base_url, reason="tests on loopback"))
        source.write_text("Account,First Name,Last Name,Bankruptcy\nA1,Pat,Roe,\nA2,Kim,Lee,yes\n")
    return CliRunner().invoke(app, ["--connectors-dir", str(connectors), "--policy", str(policy),
                                    "enrich", str(source), "-o", str(tmp_path / "out.csv"),
                                    "--source", "demo_directory", "--purpose", "a debt owed",
                                    "--no-progress"])  # fmt: skip


UPGRADES = {
    "another version": (policy_module, "__version__", "99.0.0"),
    # a checkout of the same release with other code: which flag columns are read, how a name
    # scores (its kept rows had been reused, a flag it now reads given the findings)
    "another build": (enrich_module, "code_digest", lambda: "0.1.0+another"),
}


@pytest.mark.parametrize("upgrade", UPGRADES.values(), ids=UPGRADES.keys())
def test_an_upgrade_that_names_another_run_says_its_kept_rows_are_not_reused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    refused: Refusing,
    upgrade: tuple[object, str, object],
) -> None:
    first = _enrich(tmp_path, refused.base_url)  # only the flagged row is kept
    assert first.exit_code == 3, first.output
    again = _enrich(tmp_path, refused.base_url)
    assert "(1 from an earlier run)" in again.output and "not reused" not in again.output
    monkeypatch.setattr(*upgrade)
    upgraded = _enrich(tmp_path, refused.base_url)
    assert upgraded.exit_code == 3, upgraded.output
    assert "from an earlier run)" not in upgraded.output
    assert "note: 1 row kept by an earlier run of this input is not reused" in upgraded.output
    once_more = _enrich(tmp_path, refused.base_url)  # the upgraded run's own row is taken
    assert "(1 from an earlier run)" in once_more.output and "not reused" not in once_more.output
