"""What names a run, so that a resumed run reuses only rows found under the same conditions:
a connector's manifest fixed since, or a delta imported into the offline index since, made
a resumed run keep the old answers (1,230 rows kept a superseded address)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skiptrace.connectors._offline import OfflineConnector
from skiptrace.connectors._registry import load_manifest
from skiptrace.index import Store
from skiptrace.policy import load_policy
from skiptrace.research.enrich import run_options
from skiptrace.testing.directory import MANIFEST


def test_a_fixed_manifest_names_a_new_run(tmp_path: Path) -> None:
    path = tmp_path / "demo_directory.toml"
    path.write_text(MANIFEST.format(base="https://directory.example"), encoding="utf-8")
    policy = load_policy()
    before = run_options([load_manifest(path)], {}, policy)
    assert run_options([load_manifest(path)], {}, policy) == before  # the same run again
    path.write_text(path.read_text(encoding="utf-8") + "\n# a field fixed\n", encoding="utf-8")
    assert run_options([load_manifest(path)], {}, policy) != before


@pytest.mark.parametrize("kind", ["manifest", "python"])
def test_a_run_is_named_by_the_connector_it_loaded_not_its_file_read_again(
    tmp_path: Path, kind: str
) -> None:
    """The run's connector is the text read when it was loaded (its worker is handed that
    text, never the file); naming the run read the manifest and code again, whole and
    whatever they had become: a file changed since named a run it did not run (and a FIFO
    put in its place would have held the run before it began)."""
    path = tmp_path / "demo_directory.toml"
    manifest = MANIFEST.format(base="https://directory.example")
    if kind == "python":
        manifest = (
            manifest.split("[request]")[0]
            + 'origins = ["https://directory.example"]\npython = "demo.py"\n'
        )
        (tmp_path / "demo.py").write_text("CONNECTOR = None\n", encoding="utf-8")
    path.write_text(manifest, encoding="utf-8")
    policy = load_policy()
    loaded = load_manifest(path)
    before = run_options([loaded], {}, policy)
    changed = tmp_path / ("demo.py" if kind == "python" else "demo_directory.toml")
    changed.write_text(changed.read_text(encoding="utf-8") + "# changed since\n", "utf-8")
    assert run_options([loaded], {}, policy) == before


def test_a_file_imported_into_the_index_names_a_new_run(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite3"
    connector, policy = OfflineConnector(index), load_policy()
    before = run_options([connector], {}, policy)
    assert not index.exists()  # asking made no index
    with Store(index) as store, store.writing():
        store.start_file("nppes", "weekly.zip", "0" * 64, "2026-11-09", True, "now")
    assert run_options([connector], {}, policy) != before
