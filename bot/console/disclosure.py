"""Small-number suppression for published tables: primary, secondary, and the check between.

Pure Python. A table is a mapping of cell keys to counts plus its lines: a line says that the
counts of its members add up to the count of its total (a row and its "All nations" cell, a
column and its "All teams" cell). docs/decisions.md, decision 22, gives the rule:

- Primary: a count of 1 or 2 is published as FEWER_THAN_3.
- Secondary: while a reader of the published cells could work out any hidden cell exactly
  from the lines (see `bounds`), one more cell in a line through that cell is published as
  HIDDEN: the one that leaves fewest cells still worked out, then a non-zero member before a
  zero or a total, then the smallest.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass

SMALL_NUMBER = 3
FEWER_THAN_3 = "fewer_than_3"
HIDDEN = "hidden"
Published = int | str  # a count, FEWER_THAN_3 or HIDDEN


@dataclass(frozen=True)
class Line:
    """The counts of `members` add up to the count of `total`."""

    members: tuple[Hashable, ...]
    total: Hashable


def publish(count: int) -> Published:
    """Return the count as it may be published on its own: 1 and 2 become FEWER_THAN_3."""
    return count if count == 0 or count >= SMALL_NUMBER else FEWER_THAN_3


def bounds(
    published: Mapping[Hashable, Published], lines: Iterable[Line], ceiling: int
) -> dict[Hashable, tuple[int, int]]:
    """Return the range a reader of the published cells can narrow each cell down to.

    A shown count is exact; FEWER_THAN_3 is 1 or 2; HIDDEN is anything from 0 to `ceiling`.
    Each line then narrows its cells in turn (a member is at least its total's least value
    less the other members' greatest, and so on) until nothing narrows further.
    """
    lines = list(lines)
    ranges: dict[Hashable, tuple[int, int]] = {}
    for key, value in published.items():
        if isinstance(value, int):
            ranges[key] = (value, value)
        elif value == FEWER_THAN_3:
            ranges[key] = (1, SMALL_NUMBER - 1)
        else:
            ranges[key] = (0, ceiling)
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [ranges[key] for key in line.members]
            low_sum = sum(low for low, _ in members)
            high_sum = sum(high for _, high in members)
            total_low, total_high = ranges[line.total]
            narrowed = (max(total_low, low_sum), min(total_high, high_sum))
            if narrowed != ranges[line.total]:
                ranges[line.total], changed = narrowed, True
            total_low, total_high = narrowed
            for key, (low, high) in zip(line.members, members, strict=True):
                narrowed = (
                    max(low, total_low - (high_sum - high)),
                    min(high, total_high - (low_sum - low)),
                )
                if narrowed != (low, high):
                    ranges[key], changed = narrowed, True
                    low_sum += narrowed[0] - low
                    high_sum += narrowed[1] - high
    return ranges


def disclosed(
    published: Mapping[Hashable, Published], lines: Iterable[Line], ceiling: int
) -> list[Hashable]:
    """Return the hidden cells whose exact count can be worked out from the published ones."""
    ranges = bounds(published, lines, ceiling)
    return [
        key
        for key, value in published.items()
        if not isinstance(value, int) and ranges[key][0] == ranges[key][1]
    ]


def suppress(
    counts: Mapping[Hashable, int],
    lines: Iterable[Line],
    *,
    hidden: Collection[Hashable] = (),
    fixed: Collection[Hashable] = (),
) -> dict[Hashable, Published]:
    """Publish the counts with primary and secondary suppression.

    Cells in `hidden` start hidden; cells in `fixed` are published elsewhere as they are
    (primary suppression only) and are never chosen for secondary suppression.

    Stops as soon as no hidden cell can be worked out (`disclosed` is empty), so it always
    ends: each round hides one more cell, and with every cell hidden nothing is disclosed.
    """
    lines = list(lines)
    order = {key: index for index, key in enumerate(counts)}
    totals = {line.total for line in lines}
    published: dict[Hashable, Published] = {key: publish(count) for key, count in counts.items()}
    for key in hidden:
        published[key] = HIDDEN
    ceiling = max(counts.values(), default=0)
    while exposed := disclosed(published, lines, ceiling):
        key = min(exposed, key=order.__getitem__)
        candidates = _nearest_candidates(key, lines, published, fixed)
        if not candidates:
            break

        def cost(cell: Hashable) -> tuple:
            # A shown count first; "fewer than 3" turns into "hidden" only when nothing else
            # can be hidden, as it tells the reader the count is at least 1.
            shown = isinstance(published[cell], int)
            return (not shown, counts[cell] == 0, cell in totals, counts[cell], order[cell])

        chosen = min(candidates, key=cost)
        published[chosen] = HIDDEN
    return published


def _nearest_candidates(
    key: Hashable,
    lines: list[Line],
    published: Mapping[Hashable, Published],
    fixed: Collection[Hashable],
) -> set[Hashable]:
    """Return the not-yet-hidden cells nearest to `key`: on its lines, else one line further.

    Hiding a cell far from the one worked out cannot help it, so the search widens a line at
    a time from `key` and stops at the first ring that has any cell left to hide.
    """
    reached, ring = {key}, {key}
    while ring:
        cells = {
            cell
            for line in lines
            if line.total in ring or ring.intersection(line.members)
            for cell in (*line.members, line.total)
        } - reached
        candidates = {c for c in cells if published[c] != HIDDEN and c not in fixed}
        if candidates:
            return candidates
        reached |= cells
        ring = cells
    return set()
