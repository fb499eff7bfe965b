"""The fence around Python connectors: their source is read, and refused with a message,
before any of it runs. Allowed: parsing and data modules and the connector SDK; refused: any
other import (no HTTP client, sockets, subprocesses or ``os``), ``eval``/``__import__``/``open``
and their kind, private and dunder attributes, and modules reached through other modules.

It is a fence, not a boundary: behind it, the commands that run connectors install the wall
(``skiptrace.net.wall``), which refuses any connection made outside a guarded transport.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

import skiptrace.connectors as sdk
from skiptrace.errors import ConnectorError, ManifestError
from skiptrace.small_files import small_text

ALLOWED_IMPORTS = frozenset(
    {
        "__future__", "typing", "dataclasses", "re", "json", "datetime", "collections",
        "collections.abc", "itertools", "functools", "math", "string", "html", "enum",
        "decimal", "unicodedata", "textwrap", "base64", "urllib.parse", "xml.etree.ElementTree",
        "jmespath", "selectolax", "selectolax.parser", "selectolax.lexbor", "bs4", "rapidfuzz",
        "skiptrace.connectors", "skiptrace.pages", "skiptrace.normalize",
    }
)  # fmt: skip
"""What a Python connector may import: parsing and data handling, nothing that does I/O."""
_MODULE_NAMES = frozenset(
    {"os", "sys", "socket", "ssl", "subprocess", "httpx", "httpcore", "requests", "urllib3",
     "request", "http", "importlib", "builtins", "asyncio", "session", "registry", "client",
     "guard", "ctypes", "shutil", "pathlib", "io"}
)  # fmt: skip
"""Attribute names that would reach an I/O module through an allowed one (``json.os``)."""
_FORBIDDEN_NAMES = frozenset(
    {"__import__", "eval", "exec", "compile", "open", "globals", "locals", "vars", "getattr",
     "setattr", "delattr", "breakpoint", "input", "__builtins__", "__loader__", "__spec__"}
)  # fmt: skip


def check_source(path: Path) -> str:
    """Refuse Python connector source that imports I/O libraries or escapes the sandbox; the
    source read, once passed: the text that runs (``compiled``), never the file read again."""
    source = small_text(path)
    try:
        found = _first_problem(source, str(path))
    except SyntaxError as exc:
        raise ManifestError(f"{path}: cannot read: {exc}") from None
    except (RecursionError, MemoryError):  # how the parser says a nesting is past its depth
        raise ManifestError(f"{path}: cannot read: nested too deeply") from None
    if found is not None:
        line, problem = found
        raise ManifestError(
            f"{path}:{line}: {problem}. Connectors get a Session "
            "and may not make their own requests or reach outside it."
        )
    return source


@functools.lru_cache(maxsize=32)
def compiled(source: str, filename: str) -> CodeType:
    """The code of a source ``check_source`` passed, compiled once: each search's worker is
    handed it and runs it (compiling a large connector costs each search ~8 ms)."""
    return compile(source, filename, "exec", dont_inherit=True)


def connector_object(code: CodeType, connector: str, filename: str, name: str) -> Any:
    """The object ``name`` of connector ``connector``'s module, made by running ``code``
    (``compiled``): in a search's worker, or in this process for a trusted one."""
    module = f"skiptrace_connector_{connector}"
    loaded = ModuleType(module)
    loaded.__file__ = filename
    sys.modules[module] = loaded  # dataclasses and postponed annotations look it up
    try:
        exec(code, loaded.__dict__)
    except BaseException:
        del sys.modules[module]
        raise
    implementation = getattr(loaded, name, None)
    if implementation is None or not callable(getattr(implementation, "search", None)):
        raise ConnectorError(f"{filename}: defines no {name} with a search method")
    return implementation


@functools.lru_cache(maxsize=32)
def _first_problem(source: str, filename: str) -> tuple[object, str] | None:
    """The first refused construct in ``source`` and its line; kept for the same text, as
    the registry is loaded again by every command and test (a parse costs 5-150 ms)."""
    for node in ast.walk(ast.parse(source, filename=filename)):
        problem = _problem(node)
        if problem:
            return getattr(node, "lineno", "?"), problem
    return None


def _imported_name(module: str, name: str) -> str:
    """A name taken from an allowed module must be neither private, nor forbidden, nor a module
    the connector could not import itself (``from typing import sys``); from the SDK, only
    what it exports."""
    if name.startswith("_") or name in _FORBIDDEN_NAMES or name in _MODULE_NAMES:
        return f"imports {name} from {module}"
    if module == "skiptrace.connectors":
        return "" if name in sdk.__all__ else f"imports {name}, which the SDK does not export"
    loaded = importlib.import_module(module)  # layers: not skiptrace
    if hasattr(loaded, name):  # what the import gives: the attribute, if there is one
        gives_module = inspect.ismodule(getattr(loaded, name))
    else:  # else the submodule, imported then (``from json import tool``)
        gives_module = _submodule(module, name)
    if gives_module and f"{module}.{name}" not in ALLOWED_IMPORTS:
        return f"imports the module {name} through {module}"
    return ""


def _submodule(module: str, name: str) -> bool:
    """Whether ``module.name`` is a module, imported by anyone yet or not: the verdict must
    not depend on what this process happened to load."""
    try:
        return importlib.util.find_spec(f"{module}.{name}") is not None
    except (ImportError, ValueError):  # ``module`` is no package: it has no submodules
        return False


def _problem(node: ast.AST) -> str:
    if isinstance(node, ast.Import):
        for alias in node.names:
            # "import skiptrace.connectors" would bind the whole skiptrace package by name
            if alias.name not in ALLOWED_IMPORTS or alias.name.startswith("skiptrace"):
                return f"imports {alias.name}"
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level or module not in ALLOWED_IMPORTS:
            return f"imports from {'.' * node.level}{module}"
        for alias in node.names:
            problem = _imported_name(module, alias.name)
            if problem:
                return problem
    if isinstance(node, ast.Name) and node.id in _FORBIDDEN_NAMES:
        return f"uses {node.id}"
    if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
        return f"reaches for the private attribute {node.attr}"
    if isinstance(node, ast.Attribute) and node.attr in _MODULE_NAMES:
        return f"reaches for the module {node.attr} through another"
    text = node.value if isinstance(node, ast.Constant) else None
    if isinstance(text, str) and len(text) > 4 and text.startswith("__") and text.endswith("__"):
        return f"names {text}"
    return ""
