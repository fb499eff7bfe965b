"""The README's Layout names every module under src/ in its folder's entry, and no module that
is not there (modules split or added had been left out of it); its Dependencies table lists
every package pyproject.toml requires, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "skiptrace"


def layout_entries() -> dict[str, str]:
    """Each top-level entry of the Layout's tree under src/skiptrace/ (``cli/``, ``state.py``),
    with its text, continuation and nested lines included."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout") :]
    block = section[section.index("```\nsrc/skiptrace/\n") + 4 : section.index("\npolicies/")]
    entries: dict[str, str] = {}
    name = ""
    for line in block.splitlines()[1:]:
        starts = re.match(r"  (\S+)", line)
        if starts:
            name = starts.group(1)
            entries[name] = ""
        entries[name] += line + "\n"
    return entries


def modules_in(folder: Path) -> set[str]:
    """The modules of a folder and its subfolders, by file stem (``__init__`` aside)."""
    return {p.stem for p in folder.rglob("*.py") if p.stem != "__init__"}


def test_every_module_is_named_in_its_folders_entry() -> None:
    entries = layout_entries()
    missing = []
    for folder in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        text = entries.get(folder.name + "/", "")
        missing += [f"{folder.name}/{stem}" for stem in sorted(modules_in(folder))
                    if not re.search(rf"(?<![\w.]){re.escape(stem)}\b", text)]  # fmt: skip
    top = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    missing += sorted(top - set(entries))
    assert not missing, f"not in the README's Layout: {missing}"


def test_every_file_the_layout_names_exists() -> None:
    absent = []
    for name, text in layout_entries().items():
        folder = PACKAGE / name.rstrip("/") if name.endswith("/") else PACKAGE
        named = set(re.findall(r"(?<![\w/])(\w+\.py)\b", text)) - {"__main__.py"}
        absent += [f"{name} {file}" for file in sorted(named)
                   if not any(folder.rglob(file)) and not (PACKAGE / file).exists()]  # fmt: skip
    assert not absent, f"named in the README's Layout but absent: {absent}"


def test_the_dependencies_table_lists_each_dependency_and_no_other() -> None:
    """Every package pyproject.toml requires, in any extra, has its row; every row names one."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    required = {re.match(r"[\w.-]+", spec).group().lower() for spec in wanted}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Dependencies") : readme.index("## Security model")]
    listed = set()
    for row in re.findall(r"^\| ([^|]+) \|", table, flags=re.M)[1:]:  # past the header
        names = re.sub(r"\([^)]*\)", "", row)
        listed |= {re.match(r"[\w.-]+", n.strip()).group().lower() for n in names.split(",")}
    assert required - listed == set() and listed - required == set()
