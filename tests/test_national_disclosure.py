"""The national picture never says something untrue and never lets a hidden count be worked out.

The attacker here is written apart from bot.console.disclosure: it reads only the published
figures (the national figures export) and tries every row, column and total of the tables
as the page lays them out, narrowing each hidden cell until nothing narrows further.
"""

import random

import pytest

from bot.console import national
from bot.tree import model as m
from tests.national_support import (
    AGE_FLAG,
    BOTH_FLAGS,
    FLAG_PLUS_GAP,
    HALF_DONE,
    NO_LEAD,
    TREE,
    finished,
    standing_for,
)
from tests.profiles import SPECIALISED

PROFILES = [SPECIALISED, BOTH_FLAGS, AGE_FLAG, NO_LEAD, FLAG_PLUS_GAP]
NATIONS = list(national.NATIONS) + [None]
RESULTS = [result.id for result in TREE.results]
CATEGORIES = [*RESULTS, national.IN_PROGRESS, national.NOT_STARTED]


def teams_with(finished_count: int, seed_value: int):
    """Return (nation, standing) for `finished_count` finished teams and a few others."""
    pick = random.Random(seed_value * 1000 + finished_count)
    teams = [(pick.choice(NATIONS), finished(pick.choice(PROFILES))) for _ in range(finished_count)]
    teams += [(pick.choice(NATIONS), standing_for("in_progress", HALF_DONE))] * pick.randint(0, 4)
    teams += [(pick.choice(NATIONS), standing_for(None, {}))] * pick.randint(0, 2)
    return teams


def published_figures(picture):
    """Return {(table, row, column): count} as the national figures export gives them."""
    return {
        (record["table"], record["row"], record["column"]): record["count"]
        for record in national.picture_records(TREE, picture)
    }


def attack(figures):
    """Return the hidden figures an outsider can work out exactly, by trying every line."""
    grand_total = figures["results", "all_teams", "total"]
    ceiling = grand_total if isinstance(grand_total, int) else 10_000
    ranges = {}
    for key, value in figures.items():
        if isinstance(value, int):
            ranges[key] = (value, value)
        elif value == "fewer than 3":
            ranges[key] = (1, 2)
        else:
            assert value == "hidden", value
            ranges[key] = (0, ceiling)
    columns = {column for table, _, column in figures if table == "results"} - {"total"}
    small = [c for c in columns if figures["results", "all_teams", c] == "fewer than 3"]
    empty = [c for c in columns if figures["results", "all_teams", c] == 0]
    for row in CATEGORIES:  # a nation without its own column: each of its cells is unknown
        for column in small:
            ranges["results", row, column] = (0, 2)
        for column in empty:
            ranges["results", row, column] = (0, 0)
    lines = []
    for row in [*CATEGORIES, "all_teams"]:
        lines.append(([("results", row, c) for c in columns], ("results", row, "total")))
    for column in [*columns, "total"]:
        lines.append(
            ([("results", row, column) for row in CATEGORIES], ("results", "all_teams", column))
        )
    lines.append(
        ([("results", row, "total") for row in RESULTS], ("finished", "finished", "total"))
    )
    for descriptor in TREE.descriptors:
        statuses = [("descriptors", descriptor.id, status) for status in m.STATUSES]
        if statuses[0] in figures:
            lines.append((statuses, ("finished", "finished", "total")))
            if ("most_missed", descriptor.id, "missed") in figures:
                lines.append((statuses[1:], ("most_missed", descriptor.id, "missed")))
    changed = True
    while changed:
        changed = False
        assert all(low <= high for low, high in ranges.values()), "the figures contradict"
        for members, total in lines:
            for target in [*members, total]:
                others = [k for k in members if k != target]
                low_others = sum(ranges[k][0] for k in others)
                high_others = sum(ranges[k][1] for k in others)
                low, high = ranges[target]
                if target == total:
                    new = (max(low, low_others), min(high, high_others))
                else:
                    new = (
                        max(low, ranges[total][0] - high_others),
                        min(high, ranges[total][1] - low_others),
                    )
                if new != (low, high):
                    ranges[target], changed = new, True
    hidden = [key for key in ranges if not isinstance(figures.get(key), int)]
    return sorted(key for key in hidden if key[2] not in empty and len(set(ranges[key])) == 1)


def true_figures(teams):
    """Return the exact counts behind the published figures, computed the plain way."""
    truth = {}
    for nation, standing in teams:
        column = nation or "not_recorded"
        row = national.category(standing)
        for key in [(row, column), (row, "total"), ("all_teams", column), ("all_teams", "total")]:
            truth["results", *key] = truth.get(("results", *key), 0) + 1
    done = [s for _, s in teams if s.status == national.FINISHED]
    truth["finished", "finished", "total"] = len(done)
    for descriptor in TREE.descriptors:
        for status in m.STATUSES:
            truth["descriptors", descriptor.id, status] = sum(
                1 for s in done if s.descriptors.get(descriptor.id) == status
            )
        truth["most_missed", descriptor.id, "missed"] = sum(
            1 for s in done if s.descriptors.get(descriptor.id) != m.MET
        )
    for flag in TREE.flags:
        truth["targeted_reasons", flag.id, "targeted_teams"] = sum(
            1 for s in done if s.result == "targeted" and flag.id in s.flags
        )
        truth["targeted_reasons", flag.id, "finished_teams"] = sum(
            1 for s in done if flag.id in s.flags
        )
    return truth


@pytest.mark.parametrize("seed_value", range(4))
@pytest.mark.parametrize("finished_count", [1, 2, 3, 4, 40])
def test_no_hidden_figure_can_be_worked_out_by_subtraction(finished_count, seed_value):
    teams = teams_with(finished_count, seed_value)
    figures = published_figures(national.national_picture(TREE, teams))
    assert attack(figures) == []


@pytest.mark.parametrize("seed_value", range(4))
@pytest.mark.parametrize("finished_count", [1, 2, 3, 4, 40])
def test_every_published_figure_is_true_and_no_small_count_is_shown(finished_count, seed_value):
    teams = teams_with(finished_count, seed_value)
    truth = true_figures(teams)
    figures = published_figures(national.national_picture(TREE, teams))
    for key, value in figures.items():
        actual = truth.get(key, 0)
        if isinstance(value, int):
            assert value == actual, key
            assert value == 0 or value >= 3, key
        elif value == "fewer than 3":
            assert actual in (1, 2), key
    for key, actual in truth.items():  # every small count that is published is hidden
        if key in figures and actual in (1, 2):
            assert not isinstance(figures[key], int), key


def test_the_attacker_finds_a_lone_hidden_cell():
    """The check can fail: a row with a single hidden cell and a shown total is worked out."""
    picture = national.national_picture(TREE, [("england", finished(SPECIALISED))] * 3)
    figures = published_figures(picture)
    figures["results", "targeted", "england"] = "hidden"
    assert ("results", "targeted", "england") in attack(figures)


def test_a_nation_with_fewer_than_3_teams_has_no_column_and_is_explained():
    teams = [("england", finished(SPECIALISED))] * 4 + [("wales", finished(NO_LEAD))]
    picture = national.national_picture(TREE, teams)
    assert picture.small_nations == ("wales",)
    assert "wales" not in picture.columns
    assert set(picture.empty_nations) == {"scotland", "northern_ireland"}
