"""Suggested actions follow from the team's answers: the plan never suggests doing what the team
told us it already does, or fixing what it told us is not there.

`CONTRADICTED` is written from each action's text, not from its `when` in the tree: it says which
answers would make the suggestion wrong. Every profile, and any complete set of answers, must
get no contradicted action."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.tree.engine import evaluate, walk
from bot.tree.model import DECIMAL, MULTIPLE_CHOICE, WHOLE_NUMBER
from tests.action_support import CONTRADICTED
from tests.conftest import question_tree
from tests.profiles import PROFILES, SPECIALISED

TREE = question_tree()


def answer_strategy(question):
    if question.type == MULTIPLE_CHOICE:
        plain = [o.value for o in question.options if not o.exclusive]
        exclusive = [[o.value] for o in question.options if o.exclusive]
        subsets = (
            st.lists(st.sampled_from(plain), min_size=1, unique=True) if plain else st.nothing()
        )
        return subsets | st.sampled_from(exclusive) if exclusive else subsets
    if question.options:
        return st.sampled_from(question.option_values)
    if question.type == WHOLE_NUMBER:
        return st.integers(int(question.min), int(question.max))
    if question.type == DECIMAL:
        steps = int(round((question.max - question.min) / question.step))
        return st.integers(0, steps).map(lambda n: round(question.min + n * question.step, 6))
    return st.text(max_size=50)


def draw_a_whole_audit(data, *, within_limits: bool = False) -> dict:
    """Answer the tree's questions as they come, each with a drawn valid answer, to the end.

    The route alone is followed (`walk`): evaluating every step would grade each one too.
    `within_limits` keeps a count no larger than the count it is part of (a question's
    `at_most`), as the site's own check does.
    """
    answers = {}
    while not (journey := walk(TREE, answers)).complete:
        question = TREE.question(journey.next)
        value = data.draw(answer_strategy(question), label=question.id)
        if within_limits and question.at_most and isinstance(value, (int, float)):
            value = min(value, answers.get(question.at_most.question, value))
        answers[question.id] = value
    return answers


# Actions that apply to every team with the gap (no `when`, a `for_every_gap` reason instead):
# shown only while it is a gap.
FOR_EVERY_GAP = {
    "team_training_plan",
    "write_pathway",
    "visit_referrers",
    "model_extra_demand",
    "extend_commission",
    "state_age_range",
    "training_consultation_plan",
}


def contradictions(answers):
    result = evaluate(TREE, answers)
    found = []
    for descriptor_id, outcome in result.descriptors.items():
        for action in outcome.actions:
            if action.when is None:
                if outcome.status == "met":
                    found.append(f"{descriptor_id}.{action.id} shown while met")
            elif CONTRADICTED[action.id](result_answers(result, answers)):
                found.append(f"{descriptor_id}.{action.id}")
    return found


def result_answers(result, answers):
    return {question_id: answers[question_id] for question_id in result.journey.path}


def test_every_action_has_a_condition_or_applies_to_every_team_with_the_gap():
    actions = {action.id: action for d in TREE.descriptors for action in d.actions}
    assert {a for a, action in actions.items() if action.when is None} == FOR_EVERY_GAP
    assert all(actions[a].for_every_gap.strip() for a in FOR_EVERY_GAP)
    assert {a for a, action in actions.items() if action.when is not None} == set(CONTRADICTED)


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_no_profile_is_told_to_do_what_it_already_does(profile):
    assert contradictions(profile.answers) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_set_of_answers_is_told_to_do_what_it_already_does(data):
    assert contradictions(draw_a_whole_audit(data, within_limits=True)) == []


def actions_for(answers, descriptor_id):
    return {action.id for action in evaluate(TREE, answers).descriptors[descriptor_id].actions}


def test_a_team_with_a_lead_who_screens_adult_risk_is_told_neither_to_find_a_lead_nor_a_policy():
    answers = {**SPECIALISED, "lead_aimh_level3": "working_towards"}
    assert actions_for(answers, "clinical_leadership") == {"lead_aimh_training"}


def test_a_team_without_a_lead_is_told_to_create_the_role():
    answers = {**SPECIALISED, "lead_arrangement": "neither"}
    for question_id in ("lead_profession", "lead_pay_band", "lead_aimh_level3", "lead_adult_risk"):
        answers.pop(question_id)
    assert "create_lead_capacity" in actions_for(answers, "clinical_leadership")
    assert "adult_risk_policy" not in actions_for(answers, "clinical_leadership")


def test_the_citations_for_rules_from_the_self_audit_page_cite_it():
    by_id = {action.id: action for d in TREE.descriptors for action in d.actions}
    for action_id in (
        "supervision_policy",
        "add_under3_hours",
        "weekly_under3",
        "add_3plus_hours",
        "fortnightly_3plus",
        "confirm_lead_level",
        "keep_8b_evidence",
    ):
        assert by_id[action_id].chapter == "self_audit", action_id
    # Where the 2024 report, not the toolkit, says it (issue 33's citations).
    for action_id in ("antenatal_referrals", "report_system_impact", "engage_fathers"):
        assert (by_id[action_id].chapter, by_id[action_id].section) == (
            "who_holds_baby",
            "Recommendations",
        ), action_id
    # The eligibility section, not the one on joint funding, says to broaden the criteria.
    assert by_id["negotiate_broader_route"].section == "Eligibility or referral criteria"


def test_a_descriptor_suggests_at_most_three_actions_in_the_order_they_must_happen():
    # A team that only takes babies to one: costed demand, then the contract, then the criteria.
    answers = {**SPECIALISED, "referral_age_range": "to_first_birthday"}
    assert [a.id for a in evaluate(TREE, answers).descriptors["referral_age_range"].actions] == [
        "model_extra_demand",
        "extend_commission",
        "state_age_range",
    ]
    for profile in PROFILES:
        for outcome in evaluate(TREE, profile.answers).descriptors.values():
            assert len(outcome.actions) <= 3


def test_a_team_trained_in_parent_infant_models_is_not_told_to_train_in_one():
    answers = {**SPECIALISED, "staff_aimh_level": "most_practitioners"}
    assert answers["staff_modalities"] == ["vig", "circle_of_security"]
    assert "shared_core_training" not in actions_for(answers, "staff_competencies")
    answers["staff_modalities"] = ["none_yet"]
    assert "shared_core_training" in actions_for(answers, "staff_competencies")
