"""The package's layering (.ci/layers.py), and what the connector SDK may load at import."""

from __future__ import annotations

import runpy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

Check = Callable[[Path], list[str]]


@pytest.fixture(scope="module")
def check() -> Check:
    namespace = runpy.run_path(str(REPO / ".ci" / "layers.py"))
    checker: Check = namespace["check"]
    return checker


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_real_tree_has_no_import_pointing_up(check: Check) -> None:
    problems = check(REPO / "src")
    assert problems == [], "\n".join(problems)


def test_the_checker_reports_imports_pointing_up_and_unplaced_modules(
    check: Check, tmp_path: Path
) -> None:
    write(
        tmp_path / "src" / "skiptrace",
        {
            "__init__.py": '__version__ = "0"\n',
            "errors.py": '"""Errors."""\n\n\ndef late() -> None:\n    import skiptrace.cli.x\n',
            "records.py": "from skiptrace import __version__\nfrom skiptrace import errors\n",
            "state.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from .research import enrich\n",
            "stray.py": "import skiptrace.cli\n",
            "normalize/__init__.py": "from . import names\nfrom .. import records\n",
            "normalize/names.py": "from ..net import guard\nfrom .. import state\n",
            "net/__init__.py": "import importlib\n\nimportlib.import_module('skiptrace.cli.x')\n",
            "net/hardrules.py": "name = 'skiptrace.cli'\n__import__(name)\n"
            "__import__(name.replace('skiptrace', 'json'))  # layers: not skiptrace\n",
            "net/guard.py": "",
            "research/__init__.py": "",
            "research/enrich.py": "",
            "cli/__init__.py": "from skiptrace import errors\nfrom skiptrace.cli import x\n",
            "cli/x.py": "from skiptrace.research.enrich import run\nimport httpx\n",
        },
    )
    assert check(tmp_path / "src") == [
        "src/skiptrace/errors.py:5: layer 0 module imports skiptrace.cli.x (layer 7)",
        "src/skiptrace/net/__init__.py:3: layer 3 module imports skiptrace.cli.x (layer 7)",
        "src/skiptrace/net/hardrules.py:2: imports a module named at run time, which this check "
        "cannot follow",
        "src/skiptrace/normalize/names.py:1: layer 2 module imports skiptrace.net.guard (layer 3)",
        "src/skiptrace/records.py:1: layer 0 module imports skiptrace (layer 8)",
        "src/skiptrace/state.py:4: layer 1 module imports skiptrace.research.enrich (layer 5)",
        "src/skiptrace/stray.py:1: skiptrace.stray is in no layer: place it in a layer",
    ]


def test_the_connector_sdk_loads_no_audit_log_sqlite_or_http_stack() -> None:
    heavy = ("sqlite3", "skiptrace.audit", "skiptrace.net", "httpx")
    code = f"import sys, skiptrace.connectors; print(*[m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert loaded == [], f"import skiptrace.connectors loads {', '.join(loaded)}"
