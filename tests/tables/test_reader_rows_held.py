"""A stray quote that a later row's quoted field closes, into a record of the header's width:
csv.reader reads every row between as one field of the first, so those debtors vanished from
the output (10 rows in, 5 out, exit 0). Each line is now a row of its own, in its place, none
researched: a stray quote and a note of lines that read as rows cannot be told apart."""

from __future__ import annotations

from pathlib import Path

from skiptrace.tables.reader import read_rows


def _file(tmp_path: Path) -> Path:
    lines = ["account,first_name,last_name,notes"]
    for n in range(10):
        note = {2: '"Said ""call later""', 7: '"Left msg"'}.get(n, "")  # 2: its closing quote lost
        lines.append(f"A{n},Jane,Roe{n},{note}")
    path = tmp_path / "debtors.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rows_inside_a_stray_quote_closed_at_the_right_width_are_each_in_their_place(
    tmp_path: Path,
) -> None:
    rows = list(read_rows(_file(tmp_path))[1])
    assert [(r.index, r.cells[0]) for r in rows] == [(n, f"A{n}") for n in range(10)]
    assert [r.index for r in rows if r.problem] == [2, 3, 4, 5, 6, 7]
    assert rows[2].problem.startswith("a quoted field opens here")
    assert all(r.problem.startswith("not researched: ") for r in rows[3:8])
    assert rows[3].cells == ["A3", "Jane", "Roe3", ""]
    assert rows[8].cells == ["A8", "Jane", "Roe8", ""] and not rows[8].problem


def test_a_note_of_lines_that_are_no_rows_is_still_one_record(tmp_path: Path) -> None:
    path = tmp_path / "note.csv"
    note = "Called, no answer\nLeft msg\nWill call back Monday"
    path.write_text(f'account,first_name,last_name,notes\nA1,Jane,Roe,"{note}"\nA2,Bob,Lee,\n')
    rows = list(read_rows(path)[1])
    assert [(r.cells, r.problem) for r in rows] == [
        (["A1", "Jane", "Roe", note], ""), (["A2", "Bob", "Lee", ""], "")
    ]  # fmt: skip
