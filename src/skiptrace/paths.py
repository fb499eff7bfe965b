"""Where skiptrace keeps its state and finds its built-in policies and connectors."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The state directory (audit log, cache, checkpoints): ``SKIPTRACE_HOME`` or the user data dir.

    Created on first use, readable by its owner only: it holds research about people.
    """
    configured = os.environ.get("SKIPTRACE_HOME", "").strip()
    path = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("skiptrace"))
    )
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def builtin_dir(name: str) -> Path:
    """A built-in data folder (``policies`` or ``connectors``).

    An installed wheel carries it inside the package; a source checkout or an editable install
    reads the top-level folder of the repository, so there is one copy to edit.
    """
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / name
