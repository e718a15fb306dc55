"""The task list's pure rules (bot/tree/tasks.py), on a small branching tree, without an app."""

from pathlib import Path

import pytest

from bot.tree import tasks
from bot.tree.loader import load_tree

TREE = load_tree(Path(__file__).parent / "trees" / "shared_out.yaml")


def statuses(answers):
    return {task.domain.id: task.status for task in tasks.domain_tasks(TREE, answers)}


def test_the_expected_route_follows_given_answers_past_a_gap():
    assert tasks.expected_route(TREE, {}) == (
        "team_lead",
        "team_size",
        "visits_home",
        "visits_led",
        "records_kept",
        "records_where",
        "more_choice",
        "more_note",
    )
    no_lead = tasks.expected_route(TREE, {"team_lead": "no", "more_choice": "no"})
    assert "visits_led" not in no_lead and "more_note" not in no_lead


def test_a_domain_routing_on_another_domains_answer_waits_for_it():
    assert tasks.domain_dependencies(TREE, "visits") == {"team_lead"}
    assert tasks.domain_dependencies(TREE, "records") == frozenset()
    waiting = next(t for t in tasks.domain_tasks(TREE, {}) if t.domain.id == "visits")
    assert (waiting.status, waiting.waiting_on) == (tasks.CANNOT_START_YET, ("team",))


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"team": "not_started", "visits": "cannot_start_yet", "records": "not_started"}),
        ({"team_lead": "yes"}, {"team": "in_progress", "visits": "not_started"}),
        ({"team_lead": "no", "visits_home": "yes"}, {"visits": "completed"}),
        ({"team_lead": "yes", "visits_home": "yes"}, {"visits": "in_progress"}),
        ({"records_kept": "yes", "records_where": "EPR"}, {"records": "completed"}),
        ({"more_choice": "no"}, {"more": "completed"}),
    ],
)
def test_domain_statuses(answers, expected):
    got = statuses(answers)
    assert {domain: got[domain] for domain in expected} == expected


def test_the_next_question_after_one_skips_what_colleagues_answered():
    answers = {"records_kept": "yes", "team_lead": "yes"}
    assert tasks.next_unanswered_after(TREE, answers, "team_lead") == "team_size"
    assert tasks.next_unanswered_after(TREE, answers, "visits_led") == "records_where"
    assert tasks.next_unanswered_after(TREE, answers, "more_note") is None
    route = tasks.expected_route(TREE, answers)
    assert tasks.next_unanswered_after(TREE, answers, "team_lead", route) == "team_size"


ROUTE = ("a", "b", "c", "d")


@pytest.mark.parametrize(
    ("answers", "taken", "after", "expected"),
    [
        ({}, set(), None, "a"),
        ({}, {"a"}, None, "b"),
        ({}, {"a", "b"}, None, "c"),
        ({"a": 1}, {"c"}, "b", "d"),  # after b: c is open elsewhere, so d
        ({"a": 1, "d": 1}, {"c"}, "b", "b"),  # nothing free after b: the journey's next, b
        ({"a": 1, "d": 1}, {"b", "c"}, "d", None),  # every unanswered one is open elsewhere
    ],
)
def test_the_next_free_question_passes_over_questions_colleagues_have_open(
    answers, taken, after, expected
):
    first = next((q for q in ROUTE if q not in answers), None)
    assert tasks.next_free_question(ROUTE, answers, taken, first, after) == expected
