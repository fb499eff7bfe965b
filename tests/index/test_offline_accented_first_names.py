"""A lookup reads at most ``CANDIDATES`` records of a name's keys, those whose first name and
postcode agree with the debtor's first. A source that files first names in a column of their
own (Companies House PSC's ``forename``, NPPES's) keeps them as printed: "Zoë" was compared
unfolded with the debtor's folded "zoe", never agreed, and her record, older than 60
namesakes at her postcode, was never a candidate (a false "no result")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skiptrace.index import Store, import_file
from skiptrace.index.manifest import bulk_sources
from skiptrace.index.store import CANDIDATES


def _statement(number: int, forename: str, notified: str) -> str:
    company = f"0{number:07d}"
    return json.dumps({
        "company_number": company,
        "data": {
            "kind": "individual-person-with-significant-control",
            "links": {"self": f"/company/{company}/persons-with-significant-control/individual/x"},
            "name": f"{forename} Quillon",
            "name_elements": {"forename": forename, "surname": "Quillon"},
            "address": {"premises": str(number), "address_line_1": "Lark Rise",
                        "locality": "Heptonstall", "postal_code": "HX7 7PL"},
            "notified_on": notified,
        },
    })  # fmt: skip


@pytest.mark.parametrize("debtor", ["Zoë", "Zoe", "ZOE"])
def test_an_accented_first_name_filed_in_its_own_column_agrees(tmp_path: Path, debtor: str) -> None:
    namesakes = ["Zara", "Zack", "Zelda", "Zena", "Zia", "Zuri"]
    lines = [_statement(1, "Zoë", "2016-04-06")]
    lines += [_statement(100 + i, namesakes[i % 6], f"2026-06-{i % 28 + 1:02d}") for i in range(60)]
    assert len(lines) > CANDIDATES
    snapshot = tmp_path / "persons-with-significant-control-snapshot-2026-11-20.txt"
    snapshot.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "index.sqlite") as store:
        import_file(store, bulk_sources()[0]["companies_house_psc"], snapshot)
        found = store.search(first=debtor, last="Quillon", postcode="HX7 7PL")
    assert found[0].name == "Zoë Quillon", [hit.name for hit in found[:3]]
