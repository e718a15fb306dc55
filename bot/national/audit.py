"""Audit releases as a reader who keeps every one of them would attack them: by integer programming.

The reader writes each release as equations over its finest counts (`layout.variables`):
every shown cell equals its sum; the definition's consequences hold (a specialised team meets
every descriptor of the definition; a targeted team meets all but those its targeted reasons
name, misses at least one of those and has at least one reason; a team not yet meeting misses
at least one; each finished team answered the optional 2024 questions or skipped them, and
each that answered gave each practice one level); and between two releases in a row at most
`changed` teams joined, left or changed. (The layout's choices rest on the teams taking part,
which are shown: they add nothing to this.) Each count is a whole number of at least 0.
HiGHS (`highspy`) then gives the smallest and largest value of any sum.

The rule (docs/decisions.md, decision 22) is checked for:
- every hidden cell of every release: its range is not a single value and does not lie
  within 1 to 2;
- every sensitive cell of two releases in a row: the number of teams that came into it and the
  number that left it (what comparing the releases tells) each may be 0 or at least 3.

Each solve gives a whole solution, kept as a witness: a range a witness already shows to be
wide enough needs no solve of its own (the true counts are the first witness).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from bot.national.facts import (
    NATIONS,
    NOT_MET,
    NOT_RECORDED,
    NOT_YET_MEETING,
    PARTLY_MET,
    PRACTICE_LEVELS,
    SPECIALISED,
    TARGETED,
)
from bot.national.layout import ANSWERED, SKIPPED, Cell, Layout, f, o, p, variables, x, y

SMALL = (1, 2)


@dataclass(frozen=True)
class Sheet:
    """One release as the audit reads it: its layout, what it shows and the true counts.

    `shown` maps each cell key to its published count, None where hidden; `changed` is how
    many teams joined, left or changed between the release before and this one.
    """

    layout: Layout
    shown: Mapping[str, int | None]
    truth: Mapping[str, int]
    changed: int | None = None


@dataclass(frozen=True)
class Finding:
    """A figure a reader can narrow too far: a hidden cell, or teams moving in or out of one."""

    release: int  # index in the audited sequence
    cell: str
    kind: str  # "hidden", "came_in" or "left"
    low: int
    high: int


class _System:
    """The reader's equations over every release, built as sparse rows for HiGHS."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.upper: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, name: str, upper: float) -> int:
        if name not in self.index:
            self.index[name] = len(self.upper)
            self.upper.append(upper)
        return self.index[name]

    def row(self, terms: Mapping[int, float], low: float, high: float) -> None:
        self.rows.append((dict(terms), low, high))

    def fix(self, idx: int, value: float) -> None:
        self.upper[idx] = min(self.upper[idx], value)

    def columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return the rows as a column-wise sparse matrix (starts, indices, values), and
        each row's lower and upper bound."""
        by_column: list[list[tuple[int, float]]] = [[] for _ in self.upper]
        for number, (terms, _, _) in enumerate(self.rows):
            for col, coef in terms.items():
                by_column[col].append((number, coef))
        starts = np.cumsum([0] + [len(entries) for entries in by_column])
        flat = [entry for entries in by_column for entry in entries]
        indices = np.array([row for row, _ in flat], dtype=np.int32)
        values = np.array([coef for _, coef in flat], dtype=float)
        lows = np.array([low for _, low, _ in self.rows], dtype=float)
        highs = np.array([high for _, _, high in self.rows], dtype=float)
        return starts.astype(np.int32), indices, values, lows, highs


def _sum(idx: Mapping[str, int], names) -> dict[int, float]:
    terms: dict[int, float] = {}
    for name in names:
        terms[idx[name]] = terms.get(idx[name], 0) + 1
    return terms


def _release_equations(
    system: _System, number: int, sheet: Sheet, cell_rows: dict[tuple[int, str], int]
) -> dict[str, int]:
    """Add one release's unknowns and equations; return its names → column indices.

    Every cell has its row, its published count as both bounds (a hidden cell's row is
    relaxed by `Audit`), so hiding one more cell changes two bounds, not the system.
    """
    layout, shape = sheet.layout, sheet.layout.shape
    teams = sheet.shown["teams/uk/teams"]
    idx = {name: system.var(f"{number}|{name}", teams) for name in variables(shape)}
    for cell in layout.cells:
        value = sum(sheet.truth[name] for name in cell.terms)
        cell_rows[number, cell.key] = len(system.rows)
        system.row(_sum(idx, cell.terms), value, value)
    results = shape.result_ids
    every_nation = (*NATIONS, NOT_RECORDED)

    def finished_with(result: str) -> dict[int, float]:
        return {idx[x(result, n)]: -1 for n in every_nation}

    for result in results:
        for descriptor in shape.descriptor_ids:
            terms = _sum(idx, [y(descriptor, s, result) for s in ("met", PARTLY_MET, NOT_MET)])
            system.row(terms | finished_with(result), 0, 0)
        for flag in shape.flag_ids:
            system.row({idx[f(flag, result)]: 1} | finished_with(result), -np.inf, 0)
    definitional = shape.definitional
    if SPECIALISED in results:
        for descriptor in definitional:
            for status in (PARTLY_MET, NOT_MET):
                system.fix(idx[y(descriptor, status, SPECIALISED)], 0)
    if TARGETED in results:
        named = {d for _, _, d in shape.flags}
        for descriptor in definitional:
            missed = [idx[y(descriptor, s, TARGETED)] for s in (PARTLY_MET, NOT_MET)]
            if descriptor not in named:
                for column in missed:
                    system.fix(column, 0)
                continue
            reasons = [idx[f(flag, TARGETED)] for flag, _, d in shape.flags if d == descriptor]
            system.row({c: 1 for c in missed} | {c: -1 for c in reasons}, -np.inf, 0)
        missed_named = _sum(
            idx,
            [y(d, s, TARGETED) for d in definitional if d in named for s in (PARTLY_MET, NOT_MET)],
        )
        system.row(missed_named | finished_with(TARGETED), 0, np.inf)
        any_reason = _sum(idx, [f(flag, TARGETED) for flag in shape.flag_ids])
        system.row(any_reason | finished_with(TARGETED), 0, np.inf)
    if NOT_YET_MEETING in results:
        missed = _sum(
            idx, [y(d, s, NOT_YET_MEETING) for d in definitional for s in (PARTLY_MET, NOT_MET)]
        )
        system.row(missed | finished_with(NOT_YET_MEETING), 0, np.inf)
    if shape.practices:
        answered = idx[o(ANSWERED)]
        for key in shape.practice_ids:
            levels = _sum(idx, [p(key, level) for level in PRACTICE_LEVELS])
            system.row(levels | {answered: -1}, 0, 0)
        every_finished = {idx[x(r, n)]: -1 for r in results for n in every_nation}
        system.row({answered: 1, idx[o(SKIPPED)]: 1} | every_finished, 0, 0)

    return idx


def _family(name: str) -> str:
    """Counts of one family add up to the same teams: results, one descriptor, one reason."""
    kind, rest = name.split(":", 1)
    return "x" if kind == "x" else f"{kind}:{rest.split(':', 1)[0]}"


def _same_cells(before: Layout, after: Layout) -> list[Cell]:
    """Return the sensitive cells both layouts publish with the same sum."""
    earlier = {cell.key: cell.terms for cell in before.cells}
    return [c for c in after.cells if c.sensitive and earlier.get(c.key) == c.terms]


@dataclass(frozen=True)
class _Item:
    release: int
    cell: str
    kind: str
    terms: dict[int, float]
    truth: int


def _build(sheets: Sequence[Sheet]):
    system = _System()
    cell_rows: dict[tuple[int, str], int] = {}
    indexes = [_release_equations(system, number, s, cell_rows) for number, s in enumerate(sheets)]
    items: list[_Item] = []
    witness: dict[int, float] = {}
    for number, (sheet, idx) in enumerate(zip(sheets, indexes, strict=True)):
        for name, column in idx.items():
            witness[column] = sheet.truth[name]
        for cell in sheet.layout.cells:
            if cell.sensitive:
                terms = _sum(idx, cell.terms)
                truth = sum(sheet.truth[name] for name in cell.terms)
                items.append(_Item(number, cell.key, "hidden", terms, truth))
        if number == 0:
            continue
        before, changed = indexes[number - 1], sheet.changed or 0
        came_in, left, families = {}, {}, {}
        for name in idx.keys() & before.keys():
            came_in[name] = system.var(f"{number}|in|{name}", changed)
            left[name] = system.var(f"{number}|out|{name}", changed)
            system.row({idx[name]: 1, before[name]: -1, came_in[name]: -1, left[name]: 1}, 0, 0)
            families.setdefault(_family(name), []).append(name)
            delta = sheet.truth[name] - sheets[number - 1].truth[name]
            witness[came_in[name]], witness[left[name]] = max(0, delta), max(0, -delta)
        for names in families.values():
            system.row({came_in[n]: 1 for n in names}, 0, changed)
            system.row({left[n]: 1 for n in names}, 0, changed)
        for cell in _same_cells(sheets[number - 1].layout, sheet.layout):
            for kind, flows in (("came_in", came_in), ("left", left)):
                if all(name in flows for name in cell.terms):
                    terms = _sum(flows, cell.terms)
                    truth = sum(witness[c] for c in terms)
                    items.append(_Item(number, cell.key, kind, terms, int(truth)))
    first = np.zeros(len(system.upper))
    for column, value in witness.items():
        first[column] = value
    return system, items, first, cell_rows


class _Solver:
    """Smallest and largest values of sums over the reader's equations, in whole numbers.

    The linear relaxation is solved first: where its optimum is whole it is the integer
    optimum too (here it nearly always is, at a tenth of the cost of branch and bound);
    otherwise HiGHS solves the integer program. One thread: the problems are tiny, and
    HiGHS's worker threads cost more than they save on a shared two-core machine.
    """

    def __init__(self, system: _System, first_witness: np.ndarray) -> None:
        starts, indices, values, lows, highs = system.columns()
        self.size = len(system.upper)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.size, len(lows)
        lp.col_cost_ = np.zeros(self.size)
        lp.col_lower_ = np.zeros(self.size)
        lp.col_upper_ = np.array(system.upper, dtype=float)
        lp.row_lower_ = np.where(np.isinf(lows), -highspy.kHighsInf, lows)
        lp.row_upper_ = np.where(np.isinf(highs), highspy.kHighsInf, highs)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = indices
        lp.a_matrix_.value_ = values
        self.relaxed = _highs(lp)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * self.size
        self.lp = lp
        self.whole: highspy.Highs | None = None
        self.original = np.array(lows)
        self.row_low, self.row_high = np.array(lows), np.array(highs)
        self.upper = np.array(system.upper, dtype=float)
        self.entry_rows, self.entry_values = indices, values
        self.entry_columns = np.repeat(np.arange(self.size), np.diff(starts))
        self.witnesses = [first_witness]
        self._stacked: np.ndarray | None = None
        self.solves = 0

    def bound_row(self, row: int, low: float, high: float) -> None:
        """Change one row's bounds (a cell hidden or shown again)."""
        self.relaxed.changeRowBounds(row, low, high)
        if self.whole is not None:
            self.whole.changeRowBounds(row, low, high)
        lows, highs = np.array(self.lp.row_lower_), np.array(self.lp.row_upper_)
        lows[row], highs[row] = low, high
        self.lp.row_lower_, self.lp.row_upper_ = lows, highs
        self.row_low[row], self.row_high[row] = low, high

    def keep_witnesses(self, points: list[np.ndarray]) -> None:
        """Keep these solutions as the witnesses (a cell hidden or shown again changed which
        solutions fit), and forget the stack `seen` built from the ones before."""
        self.witnesses = list(points)
        self._stacked = None

    def row_columns(self, row: int) -> set[int]:
        """Return the unknowns a row sums."""
        return set(self.entry_columns[self.entry_rows == row].tolist())

    def seen(self, terms: Mapping[int, float]) -> set[int]:
        """Return the values the witnesses so far give this sum."""
        if self._stacked is None or len(self._stacked) != len(self.witnesses):
            self._stacked = np.vstack(self.witnesses)
        columns = list(terms)
        values = self._stacked[:, columns] @ np.array([terms[c] for c in columns])
        return set(np.rint(values).astype(int).tolist())

    def bound(self, terms: Mapping[int, float], largest: bool, exact: bool = True) -> int | None:
        """Return the smallest (or largest) whole value of the sum, or None when not `exact`
        and the relaxation's optimum is not whole (its rounding is kept as a witness when it
        is a solution: that may be all a check needs)."""
        cost = np.zeros(self.size)
        for column, coef in terms.items():
            cost[column] = -coef if largest else coef
        self.solves += 1
        solution = _solve(self.relaxed, cost)
        if solution is None:
            raise RuntimeError("the published figures admit no counts")
        rounded = np.round(solution)
        if np.allclose(solution, rounded, atol=1e-6):
            self.witnesses.append(rounded)
            return int(round(abs(float(cost @ rounded))))
        if self.feasible(rounded):
            self.witnesses.append(rounded)
        if not exact:
            return None
        if self.whole is None:
            self.whole = _highs(self.lp)
        solution = _solve(self.whole, cost)
        if solution is None:
            raise RuntimeError("the published figures admit no counts")
        solution = np.round(solution)
        self.witnesses.append(solution)
        return int(round(abs(float(cost @ solution))))

    def feasible(self, point: np.ndarray) -> bool:
        if (point < 0).any() or (point > self.upper).any():
            return False
        rows = np.bincount(
            self.entry_rows,
            weights=self.entry_values * point[self.entry_columns],
            minlength=len(self.row_low),
        )
        return bool((rows >= self.row_low - 1e-9).all() and (rows <= self.row_high + 1e-9).all())


def _highs(lp: highspy.HighsLp) -> highspy.Highs:
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    solver.passModel(lp)
    return solver


def _solve(solver: highspy.Highs, cost: np.ndarray) -> np.ndarray | None:
    solver.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.array(solver.getSolution().col_value)


def _check_hidden(solver: _Solver, item: _Item) -> Finding | None:
    if _hidden_ok(solver.seen(item.terms)):
        return None
    low = solver.bound(item.terms, largest=False, exact=False)
    if _hidden_ok(solver.seen(item.terms)):
        return None
    high = solver.bound(item.terms, largest=True, exact=False)
    if _hidden_ok(solver.seen(item.terms)):
        return None
    low = solver.bound(item.terms, largest=False) if low is None else low
    high = solver.bound(item.terms, largest=True) if high is None else high
    if _hidden_ok({low, high}):
        return None
    return Finding(item.release, item.cell, item.kind, low, high)


def _check_flow(solver: _Solver, item: _Item) -> Finding | None:
    if _flow_ok(solver.seen(item.terms)):
        return None
    high = solver.bound(item.terms, largest=True, exact=False)
    if _flow_ok(solver.seen(item.terms)):
        return None
    high = solver.bound(item.terms, largest=True) if high is None else high
    if high >= 3:
        return None
    low = solver.bound(item.terms, largest=False)
    if low == 0:
        return None
    return Finding(item.release, item.cell, item.kind, low, high)


def _spread(solver: _Solver, items: list[_Item]) -> None:
    """Solve for all unproven items at once, smallest and largest together: two solves that
    usually move most of them off their true values, so few need solves of their own."""
    pending = [
        item
        for item in items
        if not (_hidden_ok if item.kind == "hidden" else _flow_ok)(solver.seen(item.terms))
    ]
    if len(pending) < 3:
        return
    together: dict[int, float] = {}
    for item in pending:
        for column, coef in item.terms.items():
            together[column] = together.get(column, 0) + coef
    solver.bound(together, largest=True, exact=False)
    solver.bound(together, largest=False, exact=False)


def _flow_ok(values: set[int]) -> bool:
    return any(v == 0 or v >= 3 for v in values)


def _hidden_ok(values: set[int]) -> bool:
    return len(values) >= 2 and any(v == 0 or v >= 3 for v in values)


class Audit:
    """The reader's equations over releases (oldest first), with the newest one's hidden
    cells free to change while suppression tries them (`hide`, `try_hiding`)."""

    def __init__(self, sheets: Sequence[Sheet]) -> None:
        self.sheets = list(sheets)
        system, self.items, first, self.cell_rows = _build(self.sheets)
        self.solver = _Solver(system, first)
        self.hidden: set[tuple[int, str]] = set()
        for number, sheet in enumerate(self.sheets):
            for key, value in sheet.shown.items():
                if value is None:
                    self.hide(number, key)

    def hide(self, release: int, key: str) -> None:
        self.hidden.add((release, key))
        self.solver.bound_row(self.cell_rows[release, key], -highspy.kHighsInf, highspy.kHighsInf)

    def show(self, release: int, key: str) -> None:
        self.hidden.discard((release, key))
        row = self.cell_rows[release, key]
        value = self.solver.original[row]
        self.solver.bound_row(row, value, value)

    def try_hiding(self, release: int, key: str, finding: Finding) -> bool:
        """Hide a cell if that alone protects `finding`; else leave it shown, as it was."""
        kept = len(self.solver.witnesses)
        self.hide(release, key)
        if not self.findings(only=finding):
            return True
        self.show(release, key)
        # found with the cell hidden: not solutions now
        self.solver.keep_witnesses(self.solver.witnesses[:kept])
        return False

    def try_showing(self, release: int, key: str) -> bool:
        """Show a hidden cell again if the rule still holds for every figure; else hide it
        again, as it was."""
        solver = self.solver
        every = solver.witnesses
        self.show(release, key)
        solver.keep_witnesses([point for point in every if solver.feasible(point)])
        fitting = len(solver.witnesses)
        if not self.findings(first=True, near=self.cell_rows[release, key]):
            return True
        found = solver.witnesses[fitting:]  # solutions with the cell shown fit it hidden too
        self.hide(release, key)
        solver.keep_witnesses(every + found)
        return False

    @property
    def solves(self) -> int:
        return self.solver.solves

    def findings(
        self, only: Finding | None = None, *, first: bool = False, near: int | None = None
    ) -> list[Finding]:
        """Return every figure a reader could narrow too far (`only`: that one, if still so).

        `first` stops at the first found (enough to refuse a change), checking first the
        figures sharing counts with the cell whose row is `near` (just changed), where one is
        likeliest.
        """
        items = [
            item
            for item in self.items
            if item.kind != "hidden" or (item.release, item.cell) in self.hidden
        ]
        if only is not None:
            items = [
                item
                for item in items
                if (item.release, item.cell, item.kind) == (only.release, only.cell, only.kind)
            ]
        solver = self.solver
        if near is not None:
            close = solver.row_columns(near)
            items.sort(key=lambda item: not (close & item.terms.keys()))
        _spread(solver, items)
        found = []
        for item in items:
            if item.kind == "hidden":
                finding = _check_hidden(solver, item)
            else:
                finding = _check_flow(solver, item)
            if finding is not None:
                found.append(finding)
                if first:
                    break
        return found


def audit(sheets: Sequence[Sheet]) -> list[Finding]:
    """Return every figure of these releases (oldest first) a reader could narrow too far."""
    return Audit(sheets).findings()
