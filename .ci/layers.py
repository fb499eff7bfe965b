"""Check that no module of src/skiptrace imports from a higher layer.

Usage: python .ci/layers.py [SRC]   (SRC defaults to the repository's src/)

Prints one line per import that points up, or per module placed in no layer, and exits 1;
otherwise prints a one-line summary and exits 0. Stdlib only: it reads the source with ``ast``
and imports nothing from the package.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = "skiptrace"

# The architecture, lowest layer first. A module may import from its own layer or a lower one.
# A module belongs to the layer of its longest matching prefix (the prefix itself or anything
# under it), except that "skiptrace" matches only the package __init__, not every module.
LAYERS: list[list[str]] = [
    [
        "skiptrace.errors",
        "skiptrace.records",
        "skiptrace._version",
        "skiptrace.safe_text",
        "skiptrace.small_files",
    ],
    ["skiptrace.state"],
    ["skiptrace.audit", "skiptrace.tables", "skiptrace.normalize"],  # nothing from net or policy
    # pages: bytes in, facts out; index: bulk files in, records out (no network)
    ["skiptrace.net", "skiptrace.policy", "skiptrace.pages", "skiptrace.index"],
    ["skiptrace.connectors", "skiptrace.matching"],  # connectors: the SDK and its private engine
    ["skiptrace.research"],
    ["skiptrace.demo", "skiptrace.testing"],
    ["skiptrace.cli"],
    ["skiptrace", "skiptrace.__main__", "skiptrace._start"],  # the API, the command's start
]
PLACE = {prefix: n for n, prefixes in enumerate(LAYERS) for prefix in prefixes}
TOP = len(LAYERS) - 1
DYNAMIC = "<a module named at run time>"


class Report(NamedTuple):
    problems: list[str]
    modules: int
    imports: int


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if prefix in PLACE and (prefix != ROOT or i == len(parts)):
            return PLACE[prefix]
    return None


def module_name(src: Path, path: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(node: ast.AST, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The skiptrace modules an import statement names (submodules where they exist)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:  # relative: climb from the importing module's package
            package = module.split(".")[: None if is_package else -1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    elif _dynamic(node):
        assert isinstance(node, ast.Call)
        first = node.args[0] if node.args else None
        literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
        names = [first.value] if literal else [DYNAMIC]  # type: ignore[union-attr]
    else:
        return []
    return [name for name in names if name in (ROOT, DYNAMIC) or name.startswith(ROOT + ".")]


def _vouched(path: Path, node: ast.AST) -> bool:
    """A run-time import whose line says it never reaches skiptrace: ``# layers: not skiptrace``."""
    line = path.read_text(encoding="utf-8").splitlines()[getattr(node, "lineno", 1) - 1]
    return line.rstrip().endswith("# layers: not skiptrace")


def _dynamic(node: ast.AST) -> bool:
    """``importlib.import_module(...)``, ``import_module(...)`` or ``__import__(...)``."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def scan(src: Path) -> Report:
    files = sorted((src / ROOT).rglob("*.py"))
    known = {module_name(src, path) for path in files}
    problems: list[tuple[Path, int, str]] = []
    imports = 0
    for path in files:
        module, shown = module_name(src, path), path.relative_to(src.parent)
        layer = layer_of(module)
        if layer is None:
            problems.append((shown, 1, f"{module} is in no layer: place it in a layer"))
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):  # every import: top level, in functions, under TYPE_CHECKING
            for target in imported(node, module, path.name == "__init__.py", known):
                imports += 1
                if target == DYNAMIC and layer < TOP and not _vouched(path, node):
                    message = "imports a module named at run time, which this check cannot follow"
                    problems.append((shown, getattr(node, "lineno", 1), message))
                    continue
                above = layer_of(target)
                if above is not None and above > layer:
                    message = f"layer {layer} module imports {target} (layer {above})"
                    problems.append((shown, getattr(node, "lineno", 1), message))
    lines = [f"{path}:{line}: {message}" for path, line, message in sorted(problems)]
    return Report(lines, len(files), imports)


def check(src: Path) -> list[str]:
    """Every layering problem under src/skiptrace, one line each; empty when the layers hold."""
    return scan(src).problems


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "src"
    report = scan(src)
    for problem in report.problems:
        print(problem)
    if report.problems:
        return 1
    print(f"layers: {report.modules} modules, {report.imports} imports, no import points up")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
