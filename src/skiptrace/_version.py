"""The version, kept apart so every layer may read it without loading the public API."""

import functools

__version__ = "0.1.0"


@functools.cache
def code_digest(*folders: str) -> str:
    """The version and a SHA-256 over the package's files (those in ``folders`` only, if
    named): what a build computes with, which the version alone does not tell apart between
    two checkouts of one release."""
    import hashlib  # here: the package's import, before the command takes stops, stays short
    from pathlib import Path

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for top in [root / folder for folder in folders] or [root]:
        for path in sorted(top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
