"""The built-in offline example is what its generator writes (no hand edits drift from it),
and its bulk files carry the real NPPES header."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "src" / "skiptrace" / "demo" / "example"


def test_the_shipped_example_is_what_the_generator_writes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_example_index.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in SHIPPED.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_the_example_bulk_file_has_the_real_330_column_header() -> None:
    [main] = SHIPPED.glob("npidata_pfile_*.csv")
    with main.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert len(header) == 330
    assert header[:2] == ["NPI", "Entity Type Code"]
    assert "Authorized Official Title or Position" in header
    assert main.read_text(encoding="utf-8").splitlines()[1].startswith('"1000000001","1"')
