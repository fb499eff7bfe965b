"""The built-in offline default: made-up bulk files in the real formats imported into an index,
and a made-up debtor file enriched against it by the ``offline`` connector, with no network
(``tools/make_example_index.py`` writes the files, and the answers a correct run gives).
"""

from __future__ import annotations

import asyncio
import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from skiptrace.audit import AuditLog
from skiptrace.connectors._offline import OfflineConnector
from skiptrace.index import Store, Summary, import_file
from skiptrace.index.manifest import bulk_sources
from skiptrace.policy import Policy
from skiptrace.research.enrich import enrich

EXAMPLE = Path(__file__).resolve().parent / "example"
FILES = (
    ("nppes", "npidata_pfile_20050523-20261101.csv"),
    ("nppes", "NPPES_Data_Dissemination_110226_110826_Weekly_V2.zip"),
)
"""The example's bulk files and their sources, in import order (the weekly delta last)."""
COMPARED = ("status", "found_mailing_address", "found_employer")


@dataclass(frozen=True)
class OfflineRun:
    """What the offline demo did: the imports, the enriched rows, the known answers."""

    imports: list[Summary]
    rows: list[dict[str, str]]
    expected: dict[str, dict[str, str]]

    def as_expected(self, row: dict[str, str]) -> bool:
        want = self.expected.get(row["account"], {})
        return all(row[column] == want.get(column) for column in COMPARED)


def run_offline_demo(policy: Policy, audit: AuditLog, folder: Path) -> OfflineRun:
    """Import the example files into the index of the current SKIPTRACE_HOME, enrich
    ``folder/debtors.csv`` (copied from the example) into ``folder/debtors.enriched.csv``."""
    sources, problems = bulk_sources()
    if problems:
        raise RuntimeError("; ".join(problems))
    imports = []
    with Store() as store:
        for source_id, name in FILES:
            imports.append(import_file(store, sources[source_id], EXAMPLE / name))
    debtors, target = folder / "debtors.csv", folder / "debtors.enriched.csv"
    shutil.copyfile(EXAMPLE / "debtors.csv", debtors)
    asyncio.run(
        enrich(debtors, target, policy=policy, audit=audit, connectors=[OfflineConnector()],
               purpose="demonstration", overrides={})
    )  # fmt: skip
    return OfflineRun(
        imports, _read(target), {r["account"]: r for r in _read(EXAMPLE / "expected.csv")}
    )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
