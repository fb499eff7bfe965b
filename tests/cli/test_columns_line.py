"""``enrich`` and ``link`` say on stderr, before anything else, which column was taken for which
field and which were ignored (issue 11, item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skiptrace.cli import app
from skiptrace.errors import SkiptraceError
from skiptrace.research import enrich as enrich_module

runner = CliRunner()
TRIAL = (
    "Debtor Last,Debtor First,Addr1,Town,ST,Zip5,Balance,Notes\n"
    "Roe,Jane,1 Main St,Austin,TX,78701,10,x\n"
)
LINE = ("columns: last_name=Debtor Last, first_name=Debtor First, address=Addr1, city=Town, "
        "state=ST, zip=Zip5; ignored: Balance, Notes")  # fmt: skip


def test_enrich_says_which_columns_it_reads_before_research(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "trial.csv"
    source.write_text(TRIAL, encoding="utf-8")
    started: list[bool] = []

    async def no_research(*args: Any, **kwargs: Any) -> None:
        started.append(True)
        kwargs["started"]()  # research begins
        raise SkiptraceError("stopped here by the test")

    monkeypatch.setattr(enrich_module, "enrich", no_research)
    result = runner.invoke(app, ["enrich", str(source), "--purpose", "collection of a debt owed",
                                 "--no-progress"])  # fmt: skip
    assert started == [True]
    assert result.stderr.splitlines()[0] == LINE


def test_enrich_with_a_map_says_the_mapped_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "trial.csv"
    source.write_text(TRIAL, encoding="utf-8")

    async def no_research(*args: Any, **kwargs: Any) -> None:
        kwargs["started"]()
        raise SkiptraceError("stopped here by the test")

    monkeypatch.setattr(enrich_module, "enrich", no_research)
    result = runner.invoke(app, ["enrich", str(source), "--purpose", "collection of a debt owed",
                                 "--no-progress", "--map", "address=Notes"])  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        "columns: last_name=Debtor Last, first_name=Debtor First, city=Town, state=ST, "
        "zip=Zip5, address=Notes; ignored: Addr1, Balance"
    )


def test_link_says_which_columns_it_reads_for_each_file(tmp_path: Path) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(TRIAL, encoding="utf-8")
    right.write_text("Name,Cell,Company\nJane Roe,555-0100,Acme\n", encoding="utf-8")
    result = runner.invoke(app, ["link", str(left), str(right)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"{left}: {LINE}"
    assert (
        lines[1] == f"{right}: columns: full_name=Name, phone=Cell, employer=Company; "
        "ignored: (none)"
    )


def test_a_run_refused_before_research_says_only_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "trial.csv"
    source.write_text(TRIAL, encoding="utf-8")

    async def refused(*args: Any, **kwargs: Any) -> None:
        raise SkiptraceError("refused by the test")

    monkeypatch.setattr(enrich_module, "enrich", refused)
    result = runner.invoke(app, ["enrich", str(source), "--purpose", "collection of a debt owed",
                                 "--no-progress"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["skiptrace enrich: refused by the test"]
