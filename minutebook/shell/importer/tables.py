"""Word tables as Markdown pipe tables: one header row, one line per row, merged cells laid out flat.

A pipe table has exactly one header row and no merged cells. A cell that
spans several columns or rows keeps its text in its first position and
leaves the others empty; that can change how the table reads, so it is
reported for the clerk to check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .inline import Inline
from .tree import Element


@dataclass
class Grid:
    """A table's cells laid out on a grid, with what was simplified on the way."""

    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0
    merged: list[int] = field(default_factory=list)  # rows (0-based) holding a merged cell


def pipe_table(table: Element, inline: Inline) -> tuple[list[str], list[tuple[int, str]]]:
    """The table's Markdown lines and notes about them as (line offset, message)."""
    grid = _grid(table, inline)
    if not grid.rows:
        return [], []
    width = max(len(row) for row in grid.rows)
    rows = [row + [""] * (width - len(row)) for row in grid.rows]
    lines = [_line(rows[0]), _line(["---"] * width)] + [_line(row) for row in rows[1:]]
    notes = []
    if grid.merged:
        first = grid.merged[0]
        shown = ", ".join(str(r + 1) for r in grid.merged)
        notes.append(
            (
                first + (1 if first else 0),
                f"table with merged cells (row {shown}) was simplified: each merged cell's text is in its "
                "first row and column; check the table reads right",
            )
        )
    if grid.header_rows > 1:
        notes.append((2, f"table had {grid.header_rows} header rows; only the first is a header here"))
    return lines, notes


def _grid(table: Element, inline: Inline) -> Grid:
    grid = Grid()
    spans: dict[tuple[int, int], str] = {}  # (row, column) taken by a cell spanning rows from above
    for index, row in enumerate(_rows(table)):
        cells, column = [], 0
        header = all(cell.tag == "th" for cell in row.elements())
        for cell in row.elements():
            while (index, column) in spans:
                cells.append(spans.pop((index, column)))
                column += 1
            text = _cell_text(cell, inline)
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            if across > 1 or down > 1:
                grid.merged.append(index)
            cells += [text] + [""] * (across - 1)
            for below in range(1, down):
                for offset in range(across):
                    spans[(index + below, column + offset)] = ""
            column += across
        while (index, column) in spans:
            cells.append(spans.pop((index, column)))
            column += 1
        grid.rows.append(cells)
        grid.header_rows += header and grid.header_rows == index
    return grid


def _rows(table: Element) -> list[Element]:
    rows = []
    for child in table.elements():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows += [row for row in child.elements() if row.tag == "tr"]
    return rows


def _cell_text(cell: Element, inline: Inline) -> str:
    """A cell's paragraphs on one line: a pipe table row cannot hold a line break."""
    blocks = [child if isinstance(child, Element) else Element("span", {}, [child]) for child in cell.children]
    parts = [inline.render(block) for block in blocks]
    return " ".join(part.replace("\\\n", " ").replace("\n", " ") for part in parts if part).strip()


def _span(cell: Element, name: str) -> int:
    value = cell.attrs.get(name, "1")
    return max(1, min(int(value), 64)) if value.isdigit() else 1


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("\n", " ") or " " for cell in cells) + " |"
