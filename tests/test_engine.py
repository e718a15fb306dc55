"""The engine on a small tree: paths, branching, progress, statuses, flags, results."""

from pathlib import Path

import pytest

from bot.tree.answers import AnswerError, check_answer
from bot.tree.engine import evaluate, walk
from bot.tree.loader import load_tree

MINI = Path(__file__).parent / "trees" / "mini.yaml"


@pytest.fixture(scope="module")
def tree():
    return load_tree(MINI)


def test_first_question_is_next_with_no_answers(tree):
    journey = walk(tree, {})
    assert journey.path == ()
    assert journey.next == "staff_count"
    assert journey.estimated_total == 6


def test_zero_staff_skips_the_supervision_block(tree):
    journey = walk(tree, {"staff_count": 0})
    assert journey.next == "ages"
    assert journey.path == ("staff_count",)
    assert journey.estimated_total == 4


def test_answers_on_a_branch_no_longer_taken_are_ignored(tree):
    answers = {"staff_count": 0, "staff_wte": 2, "staff_hours": 1, "ages": "to_two", "extras": "no"}
    result = evaluate(tree, answers)
    assert result.journey.path == ("staff_count", "ages", "extras")
    assert result.descriptors["supervision"].status == "not_met"
    assert "staff_wte" not in result.descriptors["supervision"].decided_by


def test_option_routes_to_the_end(tree):
    journey = walk(tree, {"staff_count": 0, "ages": "to_two", "extras": "no"})
    assert journey.complete
    assert journey.next is None


def test_may_visit_only_the_path_and_the_next_question(tree):
    journey = walk(tree, {"staff_count": 2})
    assert journey.may_visit("staff_count")
    assert journey.may_visit("staff_wte")
    assert not journey.may_visit("staff_hours")
    assert journey.previous("staff_wte") == "staff_count"
    assert journey.previous("staff_count") is None


def full(**overrides):
    answers = {
        "staff_count": 3,
        "staff_wte": 2.5,
        "staff_hours": 10,
        "ages": "to_two",
        "extras": "no",
    }
    answers.update(overrides)
    return answers


def test_everything_met_is_the_best_result(tree):
    result = evaluate(tree, full())
    assert result.classification == "specialised"
    assert result.to_reach is None
    assert set(result.reasons) == {"supervision", "ages"}


def test_computed_values_fill_the_reason(tree):
    result = evaluate(tree, full(staff_hours=6))
    supervision = result.descriptors["supervision"]
    assert supervision.status == "partly_met"
    assert supervision.because.render() == "Only 6 of 10 hours."
    assert [action.id for action in supervision.actions] == ["policy"]
    assert result.classification == "not_yet_meeting"


def test_a_flag_explains_a_gap_and_gives_the_targeted_result(tree):
    result = evaluate(tree, full(ages="to_one"))
    assert result.flags == ("young_only",)
    assert result.classification == "targeted"
    assert result.to_reach.result == "specialised"
    assert result.to_reach.change == ("ages",)


def test_a_flag_plus_another_gap_is_not_yet_meeting_and_names_the_nearest_step(tree):
    result = evaluate(tree, full(ages="to_one", staff_hours=1))
    assert result.classification == "not_yet_meeting"
    assert set(result.reasons) == {"supervision", "ages"}
    assert result.to_reach.result == "targeted"
    assert result.to_reach.change == ("supervision",)


def test_non_definitional_descriptors_never_change_the_result(tree):
    result = evaluate(tree, full())
    assert "extra_things" not in result.reasons
    assert result.classification == "specialised"


def test_unfinished_audit_has_no_classification_and_pending_descriptors(tree):
    result = evaluate(tree, {"staff_count": 3, "staff_wte": 2.5})
    assert result.classification is None
    assert result.descriptors["supervision"].status == "not_answered"
    assert result.descriptors["ages"].status == "not_answered"


def test_simulate_shape(tree):
    shape = evaluate(tree, full()).as_dict()
    assert set(shape) >= {"classification", "reasons", "descriptors", "flags", "path", "next"}
    assert shape["descriptors"]["supervision"]["status"] == "met"
    assert shape["descriptors"]["supervision"]["because"] == "10 hours against 10 needed."


@pytest.mark.parametrize(
    ("question_id", "raw", "code"),
    [
        ("staff_count", "", "required"),
        ("staff_count", "2.5", "not_whole"),
        ("staff_count", "51", "too_big"),
        ("staff_count", "-1", "too_small"),
        ("staff_count", "many", "not_whole"),
        ("staff_count", "nan", "not_whole"),
        ("staff_wte", "many", "not_a_number"),
        ("staff_wte", "0.25", "too_many_places"),
        ("staff_hours", "0.25", "bad_step"),
        ("ages", "to_three", "not_an_option"),
        ("ages", ["to_two"], "not_an_option"),
    ],
)
def test_bad_answers_are_refused_with_a_code(tree, question_id, raw, code):
    with pytest.raises(AnswerError) as error:
        check_answer(tree.question(question_id), raw)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("question_id", "raw", "stored"),
    [
        ("staff_count", " 7 ", 7),
        ("staff_wte", "2.5", 2.5),
        ("staff_wte", "3", 3),
        ("extra_note", "", ""),
        ("extra_note", "a\x00b\x0bc\ud800 😀", "abc 😀"),
        ("extras", "no", "no"),
    ],
)
def test_good_answers_are_normalised(tree, question_id, raw, stored):
    assert check_answer(tree.question(question_id), raw) == stored
