"""The paths of a batch run, checked before anything is read or researched: the input a
regular file, the output one that can be written without harm. ``enrich`` and ``link`` both
check them; here, not in ``research``, so that ``link`` need not load the research stack."""

from __future__ import annotations

import os
from pathlib import Path

from skiptrace.errors import InputError
from skiptrace.state import in_home
from skiptrace.tables.reader import open_input


def check_paths(source: Path, target: Path, evidence: Path | None = None) -> None:
    """InputError unless ``source`` is a regular file (``open_input``: nothing is read) and
    ``target`` can be written without harm: not the input itself however it is spelled
    (another path, a symbolic or hard link), not a symbolic link, a directory, a device or a
    FIFO (the finished output is renamed over it), in a folder that exists; and
    neither the input nor ``evidence`` is the partial output's name, which a run replaces as
    a killed run's leftover. The CLI and the Python API both get it from ``enrich``, before
    any research; ``link`` for its output too."""
    with open_input(source):
        pass
    if target.is_dir():  # "-o ." too, which has no name to put a partial file beside
        raise InputError(f"the output {target} is a directory: name a file")
    partial = partial_path(target)
    for given in (source, evidence):
        if given is not None and _same_existing(given, partial):
            raise InputError(f"{given} is where the output is written while the run goes on "
                             f"({partial.name}): copy it to another name first")  # fmt: skip
    if target.exists() and os.path.samefile(source, target):
        raise InputError(f"the output {target} is the input file itself: name another output")
    if target.is_symlink():  # the finished output would replace the link, its file left stale
        raise InputError(f"the output {target} is a symbolic link: name the file it points to")
    if target.exists() and not target.is_file():  # a device such as /dev/null would be replaced
        kind = "a FIFO" if target.is_fifo() else "not a regular file (a device?)"
        raise InputError(f"the output {target} is {kind}: name a file")
    folder = target.parent
    if not folder.exists():
        raise InputError(f"the output's folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"the output's folder {folder} is not a folder")
    if in_home(target):
        raise InputError(f"the output {target} is in SKIPTRACE_HOME, beside the audit log and "
                         "the index: name a file elsewhere")  # fmt: skip


def partial_path(target: Path) -> Path:
    """Where the output ``target`` is written until the run completes."""
    return target.with_name(f".{target.name}.partial")


def _same_existing(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:  # either is not there
        return False
