"""How a release lays its tables out, and what each published cell adds up.

Pure Python. UK figures come first; results by nation only where at least two columns of
nations have enough teams taking part, a nation with too few merged into one column with the
others ("Scotland, Wales and Northern Ireland"). The choice rests on the teams taking part,
which the release shows anyway, so it tells a reader nothing more (a choice made on finished
teams would tell that a merged nation has fewer than so many). Descriptors and targeted
reasons are always tabled, for the same reason, and so are the optional 2024 practices where
the tree has them. Each cell is a sum of the release's finest counts (`variables`): teams by
(result or not finished, nation), finished teams by (descriptor, status, result), by (targeted
reason, result), by whether they answered the optional 2024 questions, and those that did by
(practice, level). The audit
(`bot.national.audit`) writes those same sums as a reader's equations, so what a cell says
and what the audit checks cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.national.facts import (
    NATION_LABELS,
    NATIONS,
    NOT_FINISHED,
    NOT_RECORDED,
    PRACTICE_LABELS,
    PRACTICE_LEVELS,
    STATUS_LABELS,
    STATUSES,
    TARGETED,
    Shape,
    TeamFacts,
)

MIN_TEAMS = 10
"""Teams taking part a nation needs for a results column of its own (docs/decisions.md,
decision 22)."""

UK = "uk"
ALL = "all"
FINISHED_ROW = "finished"
MERGED = "other_nations"
ANSWERED, SKIPPED = "answered", "skipped"  # finished teams, by the optional 2024 questions


@dataclass(frozen=True)
class Cell:
    """One published figure: the sum of `terms` (finest counts) of the release.

    `sensitive` cells say something about teams' results and may be hidden; the others
    (teams taking part, by nation) are always shown. `total` cells are margins of other
    cells, hidden only when nothing else will do.
    """

    table: str
    row: str
    column: str
    terms: tuple[str, ...]
    sensitive: bool = True
    total: bool = False

    @property
    def key(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: tuple[tuple[str, str], ...]  # (key, label)
    columns: tuple[tuple[str, str], ...]
    cells: tuple[Cell, ...]

    def cell(self, row: str, column: str) -> Cell:
        return next(c for c in self.cells if c.row == row and c.column == column)


@dataclass(frozen=True)
class Layout:
    """Which tables a release has, and the choices (kept with it) that shaped them."""

    shape: Shape
    nations: tuple[str, ...]  # nations listed in the teams table
    own_nations: tuple[str, ...]  # nations with a results column of their own
    merged: tuple[str, ...]  # nations with teams merged into one column
    by_nation: bool
    tables: tuple[Table, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for table in self.tables for cell in table.cells)

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)

    def data(self) -> dict[str, Any]:
        return {
            "shape": self.shape.data(),
            "nations": list(self.nations),
            "own_nations": list(self.own_nations),
            "merged": list(self.merged),
            "by_nation": self.by_nation,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Layout:
        return build(
            Shape.from_data(data["shape"]),
            nations=tuple(data["nations"]),
            own_nations=tuple(data["own_nations"]),
            merged=tuple(data["merged"]),
            by_nation=data["by_nation"],
        )


def x(category: str, nation: str) -> str:
    return f"x:{category}:{nation}"


def y(descriptor: str, status: str, result: str) -> str:
    return f"y:{descriptor}:{status}:{result}"


def f(flag: str, result: str) -> str:
    return f"f:{flag}:{result}"


def p(practice: str, level: str) -> str:
    return f"p:{practice}:{level}"


def o(answer: str) -> str:
    """Finished teams that answered (ANSWERED) or skipped (SKIPPED) the optional questions."""
    return f"o:block:{answer}"


def variables(shape: Shape) -> tuple[str, ...]:
    """Return the finest counts of a release, in a fixed order."""
    categories = (*shape.result_ids, NOT_FINISHED)
    names = [x(c, n) for c in categories for n in (*NATIONS, NOT_RECORDED)]
    names += [y(d, s, r) for d in shape.descriptor_ids for s in STATUSES for r in shape.result_ids]
    names += [f(flag, r) for flag in shape.flag_ids for r in shape.result_ids]
    if shape.practices:
        names += [o(ANSWERED), o(SKIPPED)]
        names += [p(key, level) for key in shape.practice_ids for level in PRACTICE_LEVELS]
    return tuple(names)


def answered_practices(shape: Shape, team: TeamFacts) -> bool:
    """True for a finished team that answered every optional practice question."""
    return all(team.practices.get(key) in PRACTICE_LEVELS for key in shape.practice_ids)


def true_counts(shape: Shape, teams: Iterable[TeamFacts]) -> dict[str, int]:
    """Count the teams into the finest counts (every variable, zeros included)."""
    counts = dict.fromkeys(variables(shape), 0)
    for team in teams:
        counts[x(team.category, team.nation_key)] += 1
        if not team.finished:
            continue
        for descriptor in shape.descriptor_ids:
            status = team.descriptors.get(descriptor, "not_met")
            counts[y(descriptor, status, team.result)] += 1
        for flag in team.flags:
            if flag in shape.flag_ids:
                counts[f(flag, team.result)] += 1
        if shape.practices:
            answered = answered_practices(shape, team)
            counts[o(ANSWERED if answered else SKIPPED)] += 1
            for key in shape.practice_ids if answered else ():
                counts[p(key, team.practices[key])] += 1
    return counts


def join_names(names: list[str]) -> str:
    """Return "A", "A and B" or "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def choose(shape: Shape, teams: list[TeamFacts]) -> Layout:
    """Lay a release out for these teams: which nations get columns, which tables appear."""
    per_nation = {n: 0 for n in (*NATIONS, NOT_RECORDED)}
    for team in teams:
        per_nation[team.nation_key] += 1
    nations = (*NATIONS, *((NOT_RECORDED,) if per_nation[NOT_RECORDED] else ()))
    own = tuple(n for n in NATIONS if per_nation[n] >= MIN_TEAMS)
    merged = tuple(n for n in nations if n not in own and per_nation[n])
    merged_teams = sum(per_nation[n] for n in merged)
    by_nation = len(own) >= 2 or (len(own) == 1 and merged_teams >= MIN_TEAMS)
    return build(
        shape,
        nations=nations,
        own_nations=own if by_nation else (),
        merged=merged if by_nation else (),
        by_nation=by_nation,
    )


def without_nations(layout: Layout) -> Layout:
    """Return the layout with every nation merged: no results-by-nation table."""
    return build(layout.shape, nations=layout.nations, own_nations=(), merged=(), by_nation=False)


def merged_label(merged: Iterable[str]) -> str:
    return join_names([NATION_LABELS[n] for n in merged])


def build(
    shape: Shape,
    *,
    nations: tuple[str, ...],
    own_nations: tuple[str, ...],
    merged: tuple[str, ...],
    by_nation: bool,
) -> Layout:
    """Build the tables of a layout whose choices are made (`choose`) or kept (`from_data`)."""
    results = shape.result_ids
    titles = shape.titles()
    categories = (*results, NOT_FINISHED)
    every_nation = (*NATIONS, NOT_RECORDED)
    tables = []

    teams_rows = tuple((n, NATION_LABELS[n]) for n in nations) + ((UK, "United Kingdom"),)
    tables.append(
        Table(
            "teams",
            "Teams taking part, by nation",
            teams_rows,
            (("teams", "Teams"),),
            tuple(
                Cell(
                    "teams",
                    n,
                    "teams",
                    tuple(x(c, m) for c in categories for m in (every_nation if n == UK else (n,))),
                    sensitive=False,
                    total=n == UK,
                )
                for n, _ in teams_rows
            ),
        )
    )

    def result_rows() -> tuple[tuple[str, str], ...]:
        return (
            *((r, titles[r]) for r in results),
            (FINISHED_ROW, "Finished their audit"),
            (NOT_FINISHED, "Audit not finished yet"),
            (ALL, "All teams taking part"),
        )

    def result_terms(row: str, members: Iterable[str]) -> tuple[str, ...]:
        members = tuple(members)
        rows = {FINISHED_ROW: results, ALL: categories}.get(row, (row,))
        return tuple(x(c, n) for c in rows for n in members)

    tables.append(
        Table(
            "results",
            "Results across the UK",
            result_rows(),
            ((UK, "United Kingdom"),),
            tuple(
                Cell(
                    "results",
                    row,
                    UK,
                    result_terms(row, every_nation),
                    sensitive=row != ALL,
                    total=by_nation or row in (FINISHED_ROW, ALL),
                )
                for row, _ in result_rows()
            ),
        )
    )
    if by_nation:
        groups = [(n, NATION_LABELS[n], (n,)) for n in own_nations]
        if merged:
            groups.append((MERGED, merged_label(merged), merged))
        tables.append(
            Table(
                "results_by_nation",
                "Results by nation",
                result_rows(),
                tuple((key, label) for key, label, _ in groups),
                tuple(
                    Cell(
                        "results_by_nation",
                        row,
                        key,
                        result_terms(row, members),
                        sensitive=row != ALL,
                        total=row in (FINISHED_ROW, ALL),
                    )
                    for row, _ in result_rows()
                    for key, _, members in groups
                ),
            )
        )
    tables.append(
        Table(
            "descriptors",
            "Descriptors among finished teams, across the UK",
            tuple((d, title) for d, title, _ in shape.descriptors),
            tuple((s, STATUS_LABELS[s]) for s in STATUSES),
            tuple(
                Cell("descriptors", d, s, tuple(y(d, s, r) for r in results))
                for d in shape.descriptor_ids
                for s in STATUSES
            ),
        )
    )
    tables.append(
        Table(
            "reasons",
            "Targeted reasons, across the UK",
            tuple((flag, title) for flag, title, _ in shape.flags),
            (
                ("targeted", "Targeted teams with this limit"),
                ("finished", "Finished teams with this limit, any result"),
            ),
            tuple(
                cell
                for flag in shape.flag_ids
                for cell in (
                    Cell("reasons", flag, "targeted", (f(flag, TARGETED),)),
                    Cell("reasons", flag, "finished", tuple(f(flag, r) for r in results)),
                )
            ),
        )
    )
    if shape.practices:
        tables.extend(_practice_tables(shape))
    return Layout(shape, nations, own_nations, merged, by_nation, tuple(tables))


def _practice_tables(shape: Shape) -> tuple[Table, Table]:
    """The optional questions from the 2024 report: who answered them, then the answers."""
    teams = Table(
        "practice_teams",
        "Optional questions from the 2024 report, among finished teams",
        ((ANSWERED, "Answered them"), (SKIPPED, "Skipped them")),
        (("teams", "Finished teams"),),
        (
            Cell("practice_teams", ANSWERED, "teams", (o(ANSWERED),), total=True),
            Cell("practice_teams", SKIPPED, "teams", (o(SKIPPED),)),
        ),
    )
    answers = Table(
        "practices",
        "Practice from the 2024 report, among finished teams that answered the optional questions",
        shape.practices,
        tuple((level, PRACTICE_LABELS[level]) for level in PRACTICE_LEVELS),
        tuple(
            Cell("practices", key, level, (p(key, level),))
            for key in shape.practice_ids
            for level in PRACTICE_LEVELS
        ),
    )
    return teams, answers


def cell_value(cell: Cell, counts: Mapping[str, int]) -> int:
    return sum(counts[term] for term in cell.terms)
