"""Where a team stands, and the progress table's filter and sort: pure Python over standings."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.console import national
from bot.console.national import FINISHED, IN_PROGRESS, NOT_STARTED
from bot.tree import model as m
from tests.national_support import (
    BOTH_FLAGS,
    HALF_DONE,
    NO_LEAD,
    TREE,
    finished,
    standing_for,
)
from tests.profiles import SPECIALISED

# -- one team -------------------------------------------------------------------------------


def test_a_team_with_no_audit_or_no_answers_has_not_started():
    assert standing_for(None, {}).status == NOT_STARTED
    assert standing_for("in_progress", {}).status == NOT_STARTED
    assert standing_for("in_progress", {"no_such_question": 1}).status == NOT_STARTED


def test_an_unfinished_audit_shows_the_share_of_its_current_path_answered():
    standing = standing_for("in_progress", HALF_DONE)
    assert standing.status == IN_PROGRESS
    assert standing.answered == 10
    assert standing.percent == round(100 * 10 / standing.total)
    assert 0 < standing.percent < 100
    assert standing.result is None


def test_only_a_finished_audit_has_a_result():
    assert standing_for("in_progress", SPECIALISED).result is None
    assert standing_for("in_progress", SPECIALISED).percent == 100
    standing = finished(BOTH_FLAGS)
    assert standing.result == "targeted"
    assert set(standing.flags) == {"targeted_age_under_one", "targeted_referral_criteria"}
    assert standing.descriptors["referral_age_range"] == m.NOT_MET
    assert standing.percent == 100


# -- the progress table's filter and sort ---------------------------------------------------


def _row(name, nation, standing, days_ago=0, contributors=0):
    now = datetime(2026, 3, 1, tzinfo=UTC)
    team = {"id": hash(name), "name": name, "nation": nation, "created": now}
    audit = {"updated": now - timedelta(days=days_ago), "status": standing.status}
    return national.ProgressRow(team, audit, None, contributors, 1, standing)


ROWS = [
    _row("beech", "wales", finished(SPECIALISED), days_ago=3, contributors=2),
    _row("Ash", "england", standing_for("in_progress", HALF_DONE), days_ago=1),
    _row("cherry", None, standing_for(None, {}), days_ago=9, contributors=5),
    _row("Damson", "england", finished(NO_LEAD), days_ago=5),
]


def names(rows):
    return [row.team["name"] for row in rows]


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("name", False, ["Ash", "beech", "cherry", "Damson"]),
        ("name", True, ["Damson", "cherry", "beech", "Ash"]),
        ("nation", False, ["Ash", "Damson", "beech", "cherry"]),
        ("status", False, ["cherry", "Ash", "beech", "Damson"]),
        ("result", False, ["beech", "Damson", "Ash", "cherry"]),
        ("last_activity", True, ["Ash", "beech", "Damson", "cherry"]),
        ("contributors", True, ["cherry", "beech", "Ash", "Damson"]),
        ("unknown", False, ["Ash", "beech", "cherry", "Damson"]),
    ],
)
def test_sort_rows(key, descending, expected):
    assert names(national.sort_rows(TREE, ROWS, key, descending)) == expected


def test_filter_rows_by_nation_and_status():
    assert names(national.filter_rows(ROWS, nation="england")) == ["Ash", "Damson"]
    assert names(national.filter_rows(ROWS, nation="not_recorded")) == ["cherry"]
    assert names(national.filter_rows(ROWS, status=FINISHED)) == ["beech", "Damson"]
    assert names(national.filter_rows(ROWS, nation="england", status=FINISHED)) == ["Damson"]
    assert names(national.filter_rows(ROWS)) == names(ROWS)
