"""A statistician's attack on the national releases, written apart from bot.national's audit.

The attacker reads only what a reader keeps (each release's figures, as its long CSV gives
them: table, row, column, count or "hidden", with the column labels) and what anyone may know:
the definition's rules and, at worst, how many teams joined, left or changed between two
releases. It writes its own integer program (HiGHS's modelling interface) over teams by
(result, nation), finished teams by (descriptor, status, result) and by (reason, result), and
solves for the smallest and largest value of every hidden figure of every release, all three
kept together, the optional 2024 practices included. No hidden figure may be pinned, nor
shown to be 1 or 2.

Scenarios come from the seed's team profiles (tests/profiles.py) as the engine scores them,
built straight into facts: no HTTP journey is under test here.
"""

from __future__ import annotations

from datetime import date

import highspy
import numpy as np
import pytest

from bot.national.downloads import long_records
from bot.national.facts import TeamFacts
from bot.national.layout import cell_value
from bot.national.release import make_release
from bot.national.wording import key_facts, protection
from tests.conftest import question_tree
from tests.national_support import (
    CASES,
    LEVELS,
    PRACTICE_TEXT,
    PRACTICES,
    SCORED,
    SHAPE,
    finished_team,
    scenario,
)

TREE = question_tree()
NATIONS = ["england", "scotland", "wales", "northern_ireland", "not_recorded"]
LABELS = {
    "England": "england",
    "Scotland": "scotland",
    "Wales": "wales",
    "Northern Ireland": "northern_ireland",
    "Nation not recorded": "not_recorded",
}
RESULTS = [result.id for result in TREE.results]
CATEGORIES = [*RESULTS, "not_finished"]
STATUSES = ["met", "partly_met", "not_met"]
DEFINITIONAL = set(TREE.definitional_descriptors)
DESCRIPTORS = [descriptor.id for descriptor in TREE.descriptors]
FLAG_DESCRIPTOR = {flag.id: flag.descriptor for flag in TREE.flags}


def changed(before: list[TeamFacts], after: list[TeamFacts]) -> int:
    """Count the counted teams that joined, left or changed, as the attacker may know it."""

    def counted(teams):
        return {t.team_id: (t.nation, t.category, t.flags, tuple(sorted(t.descriptors.items())),
                            tuple(sorted(t.practices.items())))
                for t in teams if t.approved}  # fmt: skip

    old, new = counted(before), counted(after)
    return sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))


class Attacker:
    """The reader's integer program over every release they keep."""

    def __init__(self) -> None:
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("threads", 1)
        self.releases: list[dict] = []
        self.hidden: list[tuple[int, str, object]] = []

    def read(self, records: list[dict], changed_since: int | None) -> None:
        h = self.h
        total = next(r["count"] for r in records if (r["table"], r["row"]) == ("teams", "uk"))
        t = {(c, n): h.addIntegral(lb=0, ub=total) for c in CATEGORIES for n in NATIONS}
        d = {
            (k, s, r): h.addIntegral(lb=0, ub=total)
            for k in DESCRIPTORS
            for s in STATUSES
            for r in RESULTS
        }
        f = {(k, r): h.addIntegral(lb=0, ub=total) for k in FLAG_DESCRIPTOR for r in RESULTS}
        p = {(k, level): h.addIntegral(lb=0, ub=total) for k in PRACTICES for level in LEVELS}
        o = {answer: h.addIntegral(lb=0, ub=total) for answer in ("answered", "skipped")}
        done = {r: sum(t[r, n] for n in NATIONS) for r in RESULTS}
        h.addConstr(o["answered"] + o["skipped"] - sum(done.values()) == 0)
        for k in PRACTICES:  # each team that answered the optional questions answered each
            h.addConstr(sum(p[k, level] for level in LEVELS) - o["answered"] == 0)
        for r in RESULTS:  # the definition, as anyone may read it
            for k in DESCRIPTORS:
                h.addConstr(sum(d[k, s, r] for s in STATUSES) == done[r])
            for k in FLAG_DESCRIPTOR:
                h.addConstr(f[k, r] <= done[r])
        for k in DEFINITIONAL:
            h.addConstr(d[k, "partly_met", "specialised"] + d[k, "not_met", "specialised"] == 0)
            missed = d[k, "partly_met", "targeted"] + d[k, "not_met", "targeted"]
            reasons = [f[flag, "targeted"] for flag, key in FLAG_DESCRIPTOR.items() if key == k]
            if reasons:
                h.addConstr(missed - sum(reasons) <= 0)
            else:
                h.addConstr(missed == 0)
        named = {key for key in FLAG_DESCRIPTOR.values() if key in DEFINITIONAL}
        h.addConstr(
            sum(d[k, s, "targeted"] for k in named for s in ("partly_met", "not_met"))
            - done["targeted"]
            >= 0
        )
        h.addConstr(sum(f[k, "targeted"] for k in FLAG_DESCRIPTOR) - done["targeted"] >= 0)
        h.addConstr(
            sum(d[k, s, "not_yet_meeting"] for k in DEFINITIONAL for s in ("partly_met", "not_met"))
            - done["not_yet_meeting"]
            >= 0
        )
        number = len(self.releases)
        for record in records:
            expression = self.expression(record, t, d, f, p, o)
            if record["count"] == "hidden":
                self.hidden.append(
                    (number, f"{record['table']}/{record['row']}/{record['column']}", expression)
                )
            else:
                h.addConstr(expression == record["count"])
        if self.releases:  # at most `changed_since` teams moved in or out of each family
            before = self.releases[-1]
            for family in ("t", "d", "f", "p", "o"):
                now, then = {"t": t, "d": d, "f": f, "p": p, "o": o}[family], before[family]
                came, went = [], []
                for key, variable in now.items():
                    came_in = h.addIntegral(lb=0, ub=changed_since)
                    went_out = h.addIntegral(lb=0, ub=changed_since)
                    h.addConstr(variable - then[key] - came_in + went_out == 0)
                    came.append(came_in)
                    went.append(went_out)
                if family in ("t", "o"):
                    h.addConstr(sum(came) <= changed_since)
                    h.addConstr(sum(went) <= changed_since)
                else:  # one family per descriptor or reason
                    for key_part in {key[0] for key in now}:
                        picked = [i for i, key in enumerate(now) if key[0] == key_part]
                        h.addConstr(sum(came[i] for i in picked) <= changed_since)
                        h.addConstr(sum(went[i] for i in picked) <= changed_since)
        self.releases.append({"t": t, "d": d, "f": f, "p": p, "o": o})

    @staticmethod
    def expression(record, t, d, f, p, o):
        table, row, column = record["table"], record["row"], record["column"]
        if table == "teams":
            nations = NATIONS if row == "uk" else [row]
            return sum(t[c, n] for c in CATEGORIES for n in nations)
        if table in ("results", "results_by_nation"):
            if column == "uk":
                nations = NATIONS
            elif column in NATIONS:
                nations = [column]
            else:
                label = record["column_label"].replace(" and ", ", ")
                nations = [LABELS[name] for name in label.split(", ")]
            rows = {"finished": RESULTS, "all": CATEGORIES}.get(row, [row])
            return sum(t[c, n] for c in rows for n in nations)
        if table == "descriptors":
            return sum(d[row, column, r] for r in RESULTS)
        if table == "reasons":
            return f[row, "targeted"] if column == "targeted" else sum(f[row, r] for r in RESULTS)
        if table == "practice_teams":
            return o[row]
        if table == "practices":
            return p[row, column]
        raise AssertionError(f"a table the attacker cannot read: {table}")

    def extreme(self, expression, largest: bool) -> int:
        """Solve the linear relaxation first: a whole optimum of it is the integer optimum;
        otherwise solve the integer program itself. The whole optimum is kept as a witness."""
        solve = self.h.maximize if largest else self.h.minimize
        for relaxed in (True, False):
            self.h.setOptionValue("solve_relaxation", relaxed)
            assert solve(expression) == highspy.HighsStatus.kOk
            assert self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            values = np.array(self.h.getSolution().col_value)
            if not relaxed or np.allclose(values, np.round(values), rtol=0, atol=1e-6):
                self.witnesses.append(np.round(values))
                return round(self.h.getObjectiveValue())
        raise AssertionError("unreachable")

    def ranges(self) -> dict[tuple[int, str], tuple[int, int]]:
        """Return each hidden figure's smallest and largest values, or, where whole solutions
        already found (each solve's optimum, kept for every figure) show it can take two values
        one of which is 0 or at least 3, the smallest and largest of those: a range inside the
        true one that is already too wide to give the figure away. A figure they do not clear
        gets solves of its own, up to its exact smallest and largest."""
        self.witnesses: list[np.ndarray] = []
        found = {}
        for number, key, expression in self.hidden:
            if not wide(self.seen(expression)):
                self.extreme(expression, False)
            if not wide(self.seen(expression)):
                self.extreme(expression, True)
            values = self.seen(expression)
            found[number, key] = (min(values), max(values))
        return found

    def seen(self, expression) -> set[int]:
        """Return the values the kept whole solutions give a figure."""
        terms = highspy.highs_linear_expression(expression)
        columns, weights = np.array(terms.idxs), np.array(terms.vals)
        return {round(float(point[columns] @ weights)) for point in self.witnesses}


def wide(values: set[int]) -> bool:
    """Two values at least, one of them 0 or 3 or more: neither pinned nor 1 or 2."""
    return len(values) >= 2 and any(v == 0 or v >= 3 for v in values)


@pytest.fixture(scope="module")
def release_of():
    """Return a scenario's release by number, each built once in this module: the attack
    and the secondary suppression test both read the skewed 40-team scenario's first one."""
    built: dict[tuple[int, bool], list] = {}

    def release(count: int, skewed: bool, number: int):
        rounds, made = scenario(count, skewed), built.setdefault((count, skewed), [])
        while len(made) <= number:
            teams, earlier = rounds[len(made)], list(made)
            made.append(make_release(teams, SHAPE, earlier, date(2026, 1 + len(earlier), 1)))
        return made[number]

    return release


@pytest.mark.parametrize(
    ("count", "skewed"), CASES, ids=[f"{c}{'-skewed' if s else ''}" for c, s in CASES]
)
def test_no_hidden_figure_of_three_releases_in_a_row_can_be_worked_out(count, skewed, release_of):
    rounds = scenario(count, skewed)
    attacker = Attacker()
    for number, teams in enumerate(rounds):
        release = release_of(count, skewed, number)
        since = changed(rounds[number - 1], teams) if number else None
        records = list(long_records(release))
        attacker.read(records, since)
        check_sentences(release, records)
    ranges = attacker.ranges()
    assert ranges, "nothing hidden: the attack tried nothing"
    for (number, key), (low, high) in ranges.items():
        assert low < high, f"release {number + 1}: {key} is pinned to {low}"
        assert not (low >= 1 and high <= 2), f"release {number + 1}: {key} is 1 or 2"


TITLES = {d.id: d.title for d in TREE.descriptors}
PHRASES = {
    "specialised": "specialised parent-infant relationship teams",
    "targeted": "targeted parent-infant relationship teams",
    "not_yet_meeting": "not yet meeting the definition",
}


def check_sentences(release, records):
    """Check every key fact against the published figures, and those against the truth."""
    shown = {(r["table"], r["row"], r["column"]): r["count"] for r in records}
    for cell in release.layout.cells:  # a published figure is the true count
        value = shown[cell.table, cell.row, cell.column]
        if value != "hidden":
            assert value == cell_value(cell, release.truth), cell.key
            assert not (cell.sensitive and value in (1, 2)), cell.key
    finished = shown["results", "finished", "uk"]
    kinds = []
    for fact in key_facts(release):
        kinds.append(fact.kind)
        text = fact.text
        if fact.kind == "teams":
            total = shown["teams", "uk", "teams"]
            assert text.startswith(f"{total} team{'s are' if total != 1 else ' is'} taking part")
            for nation, label in LABELS.items():
                count = shown.get(("teams", label, "teams"), 0)
                named = f" in {nation}" if label != "not_recorded" else " with no nation"
                assert (f"{count}{named}" in text) == bool(count), (nation, text)
        elif fact.kind == "finished_hidden":
            assert finished == "hidden"
        elif fact.kind == "finished":
            assert text == f"{finished} of them have finished their audit."
        elif fact.kind.startswith("result:"):
            result = fact.kind.split(":")[1]
            count = shown["results", result, "uk"]
            share = round(100 * count / finished)
            assert text == (
                f"{count} of the {finished} finished teams ({share}%) are {PHRASES[result]}."
            )
        elif fact.kind == "practices_answered":
            answered = shown["practice_teams", "answered", "teams"]
            assert answered not in ("hidden", 0)
            assert text.startswith(f"{answered} of the {finished} finished teams also answered")
        elif fact.kind == "practice_most_established":
            answered = shown["practice_teams", "answered", "teams"]
            established = {
                k: shown["practices", k, "established"]
                for k in PRACTICES
                if shown["practices", k, "established"] != "hidden"
            }
            best = max(established.values())
            assert best > 0
            assert f": by {best} of them ({round(100 * best / answered)}%)." in text
            for k, count in established.items():
                assert (f"“{PRACTICE_TEXT[k]}”" in text) == (count == best), (k, text)
        else:
            met = {
                key: shown["descriptors", key, "met"]
                for key in DEFINITIONAL
                if shown["descriptors", key, "met"] != "hidden"
            }
            best = (max if fact.kind == "most_met" else min)(met.values())
            assert f"met by {best} of the {finished} finished teams" in text
            assert f"({round(100 * best / finished)}%)" in text
            for key, count in met.items():
                assert (TITLES[key] in text) == (count == best), (key, text)
            assert ("among those whose figures are shown" in text) == (len(met) < len(DEFINITIONAL))
    assert kinds[0] == "teams"
    for result in PHRASES:  # every result whose count is shown is stated
        if finished not in ("hidden", 0) and shown["results", result, "uk"] != "hidden":
            assert f"result:{result}" in kinds
    answered = shown.get(("practice_teams", "answered", "teams"))
    if finished not in ("hidden", 0) and answered not in (None, "hidden", 0):
        assert "practices_answered" in kinds
    said = protection(release)
    assert ("Nothing needed hiding" in said) == (not release.hidden)


def test_the_attacker_finds_a_pinned_cell():
    """The attack can fail: a row with one hidden cell and its total shown is worked out."""
    teams = [finished_team(n, "england", SCORED[0]) for n in range(6)]
    release = make_release(teams, SHAPE, [], date(2026, 1, 1))
    records = list(long_records(release))
    for record in records:
        if (record["table"], record["row"]) == ("results", "specialised"):
            record["count"] = "hidden"
    attacker = Attacker()
    attacker.read(records, None)
    assert attacker.ranges() == {(0, "results/specialised/uk"): (6, 6)}


def test_no_secondary_hidden_figure_could_have_been_shown(release_of):
    """Hiding as little as possible: show any one figure hidden only to protect others, and
    the attacker works out a hidden figure (pinned, or 1 or 2)."""
    from bot.national.suppression import primary

    release = release_of(40, True, 0)
    records = list(long_records(release))
    first = primary(release.layout, release.truth)
    secondary = [
        key for key, value in release.shown.items() if value is None and first[key] is not None
    ]
    assert secondary, "nothing hidden to protect another: the test tries nothing"
    truth = {cell.key: cell_value(cell, release.truth) for cell in release.layout.cells}
    for key in secondary:
        attacker = Attacker()
        attacker.read(
            [
                {**record, "count": truth[key]}
                if f"{record['table']}/{record['row']}/{record['column']}" == key
                else record
                for record in records
            ],
            None,
        )
        ranges = attacker.ranges().values()
        assert any(low == high or 1 <= low <= high <= 2 for low, high in ranges), key
