"""The national picture: pure counts over team standings, and the page on a seeded database."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.console import national
from bot.console.national import FEWER_THAN_3, FINISHED, IN_PROGRESS, NOT_STARTED
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


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, FEWER_THAN_3), (2, FEWER_THAN_3), (3, 3), (40, 40)]
)
def test_counts_of_one_or_two_are_published_as_fewer_than_3(count, shown):
    assert national.publish(count) == shown


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


# -- the national picture -------------------------------------------------------------------

# Every count here is 0 or 3 and more, so nothing needs hiding.
SEEDED = (
    [("england", finished(SPECIALISED))] * 3
    + [("england", finished(BOTH_FLAGS))] * 3
    + [("wales", finished(NO_LEAD))] * 3
    + [("scotland", standing_for("in_progress", HALF_DONE))] * 4
)


@pytest.fixture(scope="module")
def picture():
    return national.national_picture(TREE, SEEDED)


def test_counts_by_result_and_nation(picture):
    assert picture.columns == ("england", "scotland", "wales", "total")
    assert picture.empty_nations == ("northern_ireland",)
    assert picture.categories == (
        "specialised",
        "targeted",
        "not_yet_meeting",
        "in_progress",
        "not_started",
    )
    cells = picture.by_result
    assert cells["specialised"] == {"england": 3, "scotland": 0, "wales": 0, "total": 3}
    assert cells["targeted"]["england"] == 3
    assert cells["not_yet_meeting"]["wales"] == 3
    assert cells["in_progress"]["scotland"] == 4
    assert cells["all_teams"] == {"england": 6, "scotland": 4, "wales": 3, "total": 13}
    assert picture.teams == 13
    assert picture.finished == 9
    assert not picture.suppressed


def test_a_small_count_hides_it_and_enough_others_to_protect_it():
    teams = [*SEEDED, ("england", finished(FLAG_PLUS_GAP))]
    cells = national.national_picture(TREE, teams).by_result
    assert cells["not_yet_meeting"]["england"] in (FEWER_THAN_3, national.HIDDEN)
    row = cells["not_yet_meeting"]
    column = [cells[key]["england"] for key in national.result_categories(TREE)]
    hidden = (FEWER_THAN_3, national.HIDDEN)
    assert sum(value in hidden for value in row.values()) >= 2
    assert sum(value in hidden for value in column) >= 2


def test_descriptor_statuses_among_finished_teams(picture):
    rows = {row.descriptor: row for row in picture.descriptors}
    assert [row.descriptor for row in picture.descriptors] == [d.id for d in TREE.descriptors]
    # 3 specialised + 3 without a consultant lead meet the age range; 3 limit it to under one.
    assert rows["referral_age_range"].counts == {"met": 6, "partly_met": 0, "not_met": 3}
    assert rows["clinical_supervision"].counts == {"met": 9, "partly_met": 0, "not_met": 0}
    assert rows["clinical_leadership"].counts["met"] == 6
    assert not rows["outcomes_data"].definitional
    assert rows["clinical_supervision"].definitional


def test_bars_are_drawn_from_published_numbers_only():
    teams = [*SEEDED, ("england", finished(AGE_FLAG))]
    rows = {row.descriptor: row for row in national.national_picture(TREE, teams).descriptors}
    supervision = {bar.key: bar.width for bar in rows["clinical_supervision"].bars}
    assert supervision == {"met": 100, "partly_met": 0, "not_met": 0}
    assert rows["clinical_supervision"].hidden_width == 0
    age = rows["referral_age_range"]
    assert age.counts["not_met"] == 4
    assert age.counts["met"] == 6
    assert {bar.key: bar.width for bar in age.bars}["met"] == 60


def test_no_descriptor_figures_or_bars_when_fewer_than_3_teams_finished():
    few = national.national_picture(TREE, SEEDED[:2])
    assert few.finished in (FEWER_THAN_3, national.HIDDEN)
    assert not few.finished_shown
    assert few.descriptors == () and few.flags == ()
    assert few.result_bars == ()
    assert not few.none_missed


def test_the_descriptors_most_often_missed_come_first():
    teams = (
        [("england", finished(NO_LEAD))] * 5
        + [("england", finished(AGE_FLAG))] * 3
        + [("england", finished(SPECIALISED))] * 2
    )
    picture = national.national_picture(TREE, teams)
    assert [(bar.key, bar.count) for bar in picture.most_missed] == [
        ("clinical_leadership", 5),
        ("referral_age_range", 3),
    ]
    assert [bar.width for bar in picture.most_missed] == [50, 30]
    assert picture.missed_hidden == ()
    assert not picture.none_missed
    one_more = national.national_picture(TREE, [*teams, ("england", finished(FLAG_PLUS_GAP))])
    assert "staff_competencies" in one_more.missed_hidden
    assert "staff_competencies" not in [bar.key for bar in one_more.most_missed]


def test_targeted_reasons_count_the_flags(picture):
    flags = {row.flag: row for row in picture.flags}
    assert flags["targeted_age_under_one"].targeted_teams == 3
    assert flags["targeted_age_under_one"].finished_teams == 3
    many = national.national_picture(
        TREE, [("england", finished(AGE_FLAG))] * 3 + [("england", finished(BOTH_FLAGS))]
    )
    flags = {row.flag: row for row in many.flags}
    assert flags["targeted_age_under_one"].targeted_teams == 4
    assert flags["targeted_referral_criteria"].targeted_teams == FEWER_THAN_3


def test_an_empty_picture_is_all_zeros():
    empty = national.national_picture(TREE, [])
    assert empty.teams == 0 and empty.finished == 0
    assert all(v == 0 for row in empty.by_result.values() for v in row.values())
    assert empty.most_missed == ()
    assert empty.columns == ("total",)
    assert len(empty.empty_nations) == 4


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


# -- the page on a seeded database ----------------------------------------------------------
