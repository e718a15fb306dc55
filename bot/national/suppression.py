"""Choose which cells of a new release to hide: as few as the rule needs, small ones first.

Primary: every sensitive count of 1 or 2 is hidden. Secondary: while the audit
(`bot.national.audit`, over this release and every earlier one) finds a figure narrowed too
far, one more cell of the new release is hidden, chosen near the figure found (the cell
itself, then cells sharing its counts or its row or column, then any) and cheapest first:
a cell that is not a total before a total, a non-zero count before a zero, the smallest
first; of those, the first that alone protects the figure is taken. Then every secondary
cell is offered back, totals and the largest first, and shown again wherever the audit still
finds nothing: the greedy steps hide cells a later step makes needless (on the test cases,
up to 27 of 45; docs/decisions.md, decision 22), and after this pass no hidden cell can be
shown without breaking the rule. Earlier releases are published and never change. Nation
columns and the merged "not finished" row (`layout`) keep most cells large enough that little
needs hiding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.national.audit import SMALL, Audit, Finding, Sheet
from bot.national.layout import Cell, Layout, cell_value

TRIES = 3  # candidates tried, cheapest first, for the one that alone protects a figure


def primary(layout: Layout, truth: Mapping[str, int]) -> dict[str, int | None]:
    """Return every cell as shown before secondary suppression: 1 and 2 hidden."""
    shown: dict[str, int | None] = {}
    for cell in layout.cells:
        value = cell_value(cell, truth)
        shown[cell.key] = None if cell.sensitive and value in SMALL else value
    return shown


def _candidates(layout: Layout, shown: Mapping[str, int | None], target: str) -> list[Cell]:
    """Return the shown sensitive cells to try for `target`, nearest ring first."""
    open_cells = [c for c in layout.cells if c.sensitive and shown[c.key] is not None]
    by_key = {cell.key: cell for cell in layout.cells}
    aim = by_key.get(target)
    if aim is None:
        return open_cells
    if shown.get(target) is not None:
        return [aim]
    near = [
        c
        for c in open_cells
        if set(c.terms) & set(aim.terms)
        or (c.table == aim.table and (c.row == aim.row or c.column == aim.column))
    ]
    same_table = [c for c in open_cells if c.table == aim.table]
    for ring in (near, same_table):
        if any(not c.total for c in ring):
            return [c for c in ring if not c.total]
    return near or same_table or open_cells


def protect(
    earlier: Sequence[Sheet],
    layout: Layout,
    truth: Mapping[str, int],
    changed: int | None,
    *,
    stats: dict | None = None,
    prune: bool = True,
) -> dict[str, int | None]:
    """Return the new release's cells as published: counts, None where hidden.

    `prune` False skips offering secondary cells back (to measure what that pass saves).
    """
    shown = primary(layout, truth)
    order = {cell.key: index for index, cell in enumerate(layout.cells)}
    newest = len(earlier)
    reader = Audit([*earlier, Sheet(layout, shown, truth, changed)])

    def cost(cell: Cell) -> tuple:
        return (cell.total, cell_value(cell, truth), order[cell.key])

    def hide(cell: Cell) -> None:
        shown[cell.key] = None
        reader.hide(newest, cell.key)

    try:
        while findings := reader.findings():
            hid_any = False
            for finding in _in_turn(findings, newest):
                if hid_any and not reader.findings(only=finding):
                    continue
                candidates = sorted(_candidates(layout, shown, finding.cell), key=cost)
                if not candidates:
                    continue
                hid_any = True
                for cell in candidates[:TRIES]:
                    if reader.try_hiding(newest, cell.key, finding):
                        shown[cell.key] = None
                        break
                else:
                    hide(candidates[0])
            if not hid_any:
                raise CannotProtect(findings)
        if prune:
            first = primary(layout, truth)
            secondary = [
                c for c in layout.cells if shown[c.key] is None and first[c.key] is not None
            ]
            for cell in sorted(secondary, key=lambda c: (not c.total, -cell_value(c, truth))):
                if reader.try_showing(newest, cell.key):
                    shown[cell.key] = cell_value(cell, truth)
        return shown
    finally:
        if stats is not None:
            stats["solves"] = stats.get("solves", 0) + reader.solves


def _in_turn(findings: list[Finding], newest: int) -> list[Finding]:
    """Take findings in the new release first, one per row: hiding one more cell of a row
    may be enough for all of its findings."""
    rows: dict[tuple, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.release != newest, f.kind != "hidden")):
        table, row, _ = finding.cell.split("/")
        rows.setdefault((finding.release, table, row), finding)
    return list(rows.values())


class CannotProtect(Exception):
    """No cell of the new release is left to hide, and a figure is still narrowed too far."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"nothing left to hide to protect {findings[0]}")
        self.findings = findings
