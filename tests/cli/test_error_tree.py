"""The tree drawn in ``skiptrace.errors``' docstring is every class it defines, each under its
own parent: it is what a caller reads to know what to catch, and IndexBusy, WriteError and
NoResult were left out of it."""

from __future__ import annotations

import inspect

from skiptrace import errors
from skiptrace.errors import SkiptraceError


def _drawn() -> dict[str, str]:
    """Each class the docstring draws, and the class drawn as its parent."""
    parents: dict[str, str] = {}
    path: list[str] = []  # the classes drawn above, one a level
    for line in (errors.__doc__ or "").splitlines():
        name = line.lstrip(" │├└─").split(" ")[0]
        if not hasattr(errors, name):
            continue
        depth = (len(line) - len(line.lstrip(" │├└─"))) // 4
        path[depth:] = [name]
        parents[name] = path[depth - 1] if depth else ""
    return parents


def test_the_drawn_tree_names_every_error_under_its_parent() -> None:
    defined = {c.__name__: c.__base__.__name__ if c is not SkiptraceError else ""
               for _, c in inspect.getmembers(errors, inspect.isclass)
               if issubclass(c, SkiptraceError)}  # fmt: skip
    assert _drawn() == defined
