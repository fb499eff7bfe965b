"""A source's API key set or not names another run: a row kept while the key was missing
(the source ``needs_key``, the row final on the others' answers) is not taken by a resumed run
that can ask the source, which would write rows no uninterrupted run writes, some with the
source's answer and some without."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.connectors._registry import load_manifest
from skiptrace.policy import Policy
from skiptrace.research.enrich import run_options

MANIFEST = Path(__file__).resolve().parents[2] / "connectors" / "companies_house.toml"


def test_setting_a_sources_key_names_another_run(
    policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    connector = load_manifest(MANIFEST)
    monkeypatch.delenv("COMPANIES_HOUSE_API_KEY", raising=False)
    without = run_options([connector], {}, policy)
    monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "a-key")
    with_key = run_options([connector], {}, policy)
    assert without != with_key
    monkeypatch.setenv("COMPANIES_HOUSE_API_KEY", "another-key")
    assert run_options([connector], {}, policy) == with_key  # the key itself is not in it
