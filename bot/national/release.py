"""A dated release of the national picture: laid out, protected and kept as it was published.

Pure Python. `make_release` is the one way a release is made: the counted teams are laid out
(`layout.choose`), counted, and protected together with every earlier release
(`suppression.protect`). A release keeps, besides what it shows, its true counts and a
fingerprint of each team it counted (never published: the audit of later releases needs them
to know how many teams changed in between).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.national.audit import Sheet
from bot.national.facts import Shape, TeamFacts, counted
from bot.national.layout import Cell, Layout, cell_value, choose, true_counts, without_nations
from bot.national.suppression import CannotProtect, protect

HIDDEN = "hidden"
"""How every output marks a hidden cell: the page, both CSVs and the report."""


@dataclass(frozen=True)
class Release:
    """One release: what it shows (`shown`, None where hidden) and what it keeps to itself."""

    published_on: date
    layout: Layout
    shown: Mapping[str, int | None]
    truth: Mapping[str, int]
    fingerprints: Mapping[str, str]
    number: int | None = None  # the store's id, once kept

    def value(self, table: str, row: str, column: str) -> int | None:
        return self.shown.get(f"{table}/{row}/{column}")

    def shown_or_hidden(self, cell: Cell) -> int | str:
        value = self.shown[cell.key]
        return HIDDEN if value is None else value

    @property
    def hidden(self) -> list[str]:
        return [key for key, value in self.shown.items() if value is None]

    def data(self) -> dict[str, Any]:
        """Return the release as JSON-ready data, for the store."""
        return {
            "published_on": self.published_on.isoformat(),
            "layout": self.layout.data(),
            "shown": dict(self.shown),
            "truth": dict(self.truth),
            "fingerprints": dict(self.fingerprints),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any], number: int | None = None) -> Release:
        return cls(
            published_on=date.fromisoformat(data["published_on"]),
            layout=Layout.from_data(data["layout"]),
            shown=data["shown"],
            truth=data["truth"],
            fingerprints=data["fingerprints"],
            number=number,
        )


def changed_between(before: Mapping[str, str], after: Mapping[str, str]) -> int:
    """Count the teams that joined, left or changed what a release counts of them."""
    return sum(1 for team in before.keys() | after.keys() if before.get(team) != after.get(team))


def sheets(releases: Sequence[Release]) -> list[Sheet]:
    """Return releases (oldest first) as the audit reads them."""
    found = []
    for number, release in enumerate(releases):
        changed = (
            changed_between(releases[number - 1].fingerprints, release.fingerprints)
            if number
            else None
        )
        found.append(Sheet(release.layout, release.shown, release.truth, changed))
    return found


def make_release(
    teams: Iterable[TeamFacts],
    shape: Shape,
    earlier: Sequence[Release],
    published_on: date,
    *,
    stats: dict | None = None,
    prune: bool = True,
) -> Release:
    """Lay out, count and protect a new release after `earlier` (oldest first); `prune`
    False leaves the greedy secondary suppression as it is (`suppression.protect`)."""
    teams = counted(teams)
    layout = choose(shape, teams)
    truth = true_counts(shape, teams)
    fingerprints = {str(team.team_id): team.fingerprint() for team in teams}
    changed = changed_between(earlier[-1].fingerprints, fingerprints) if earlier else None
    kept = sheets(earlier)
    try:
        shown = protect(kept, layout, truth, changed, stats=stats, prune=prune)
    except CannotProtect:
        if not layout.by_nation:
            raise
        shown = None
    if layout.by_nation and (shown is None or _mostly_hidden(layout, shown)):
        # Merge every nation rather than publish a table of hidden cells.
        layout = without_nations(layout)
        shown = protect(kept, layout, truth, changed, stats=stats, prune=prune)
    return Release(published_on, layout, shown, truth, fingerprints)


def _mostly_hidden(layout: Layout, shown: Mapping[str, int | None]) -> bool:
    table = layout.table("results_by_nation")
    cells = [cell for cell in table.cells if cell.sensitive]
    return sum(shown[cell.key] is None for cell in cells) * 2 > len(cells)


def live_figures(teams: Iterable[TeamFacts], shape: Shape, today: date) -> Release:
    """Return today's figures laid out as a release would be, nothing hidden: staff only."""
    teams = counted(teams)
    layout = choose(shape, teams)
    truth = true_counts(shape, teams)
    shown = {cell.key: cell_value(cell, truth) for cell in layout.cells}
    fingerprints = {str(team.team_id): team.fingerprint() for team in teams}
    return Release(today, layout, shown, truth, fingerprints)
