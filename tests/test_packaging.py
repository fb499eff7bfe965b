"""An installed wheel carries its policies and connectors and finds them without the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_policies_and_connectors_and_uses_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "dist").glob("skiptrace-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for policy in (REPO / "policies").glob("*.toml"):
        assert f"skiptrace/_data/policies/{policy.name}" in names
    assert any(name.startswith("skiptrace/_data/connectors/") for name in names)
    for table in ("us_surnames.csv.gz", "us_first_names.csv.gz", "README.md"):
        assert f"skiptrace/matching/data/{table}" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-compile", "--target", str(target), str(wheel)],  # the probe needs no .pyc
        check=True,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"},  # pip's are not ours
    )  # fmt: skip
    probe = (
        "from skiptrace.state import builtin_dir; from skiptrace.policy import load_policy; "
        "print(builtin_dir('policies')); print(load_policy(['strict'])['retention.days']); "
        "import skiptrace.matching.rarity as r; print(r.__file__); "
        "print(round(r.namesakes('John', 'Smith')))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    where, days, rarity, john_smith = done.stdout.split()
    assert Path(where).is_relative_to(target)
    assert days == "90"
    assert Path(rarity).is_relative_to(target)  # the name tables load from the installed wheel
    assert john_smith == "26811"
