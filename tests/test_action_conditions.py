"""Suggested actions follow from the team's answers: the plan never suggests doing what the team
told us it already does, or fixing what it told us is not there.

`CONTRADICTED` is written from each action's text, not from its `when` in the tree: it says which
answers would make the suggestion wrong. Every profile, and any complete set of answers, must
get no contradicted action."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.tree.engine import evaluate
from tests.conftest import proved_tree
from tests.profiles import PROFILES, SPECIALISED
from tests.test_scenarios import draw_a_whole_audit

TREE = proved_tree()
TRAINING = ("training_assessment_observation", "training_interventions")
MH_PROFESSIONS = (
    "clinical_psychologist",
    "counselling_psychologist",
    "child_psychotherapist",
    "adult_psychotherapist",
    "systemic_family_psychotherapist",
    "mental_health_nurse",
    "psychiatrist",
)


def chosen(answers, question_id):
    value = answers.get(question_id)
    return value if isinstance(value, list) else []


#: How often each experience band must have supervision, from the self-audit page: "one-hour
#: reflective clinical supervision a week" under three years, "one hour per fortnight" after.
OFTEN_ENOUGH = {"under3": ("weekly",), "3plus": ("weekly", "fortnightly")}


def supervision_in_place(a):
    bands = [
        (
            a.get("sup_under3_count"),
            a.get("sup_under3_hours"),
            a.get("sup_under3_wte"),
            4,
            "under3",
        ),
        (a.get("sup_3plus_count"), a.get("sup_3plus_hours"), a.get("sup_3plus_wte"), 2, "3plus"),
    ]
    staffed = [band for band in bands if band[0]]
    return bool(staffed) and all(
        hours >= rate * wte
        and a.get(f"sup_{name}_each") == "each_gets_share"
        and a.get(f"sup_{name}_frequency") in OFTEN_ENOUGH[name]
        for _, hours, wte, rate, name in staffed
    )


def band_has_hours(a, name, rate):
    """True when the band has no one, or has at least its pro-rata hours."""
    count, hours, wte = (a.get(f"sup_{name}_{kind}") for kind in ("count", "hours", "wte"))
    return not count or hours >= rate * wte


def band_often_enough(a, name):
    return not a.get(f"sup_{name}_count") or a.get(f"sup_{name}_frequency") in OFTEN_ENOUGH[name]


def each_gets_share(a):
    return all(
        not a.get(f"sup_{name}_count") or a.get(f"sup_{name}_each") == "each_gets_share"
        for name in OFTEN_ENOUGH
    )


PSYCHOLOGY = {"clinical_psychologist", "counselling_psychologist", "educational_psychologist"}


def two_disciplines(a):
    """Psychologists of every kind are one discipline (docs/decisions.md, decision 10)."""
    professions = set(chosen(a, "mdt_professions"))
    return len(professions) >= 2 and not professions <= PSYCHOLOGY


def two_budgets(a):
    held = set(chosen(a, "funding_budgets")) & {"health", "social_care", "public_health"}
    return len(held) >= 2


CONTRADICTED = {
    "add_under3_hours": lambda a: band_has_hours(a, "under3", 4),
    "add_3plus_hours": lambda a: band_has_hours(a, "3plus", 2),
    "weekly_under3": lambda a: band_often_enough(a, "under3"),
    "fortnightly_3plus": lambda a: band_often_enough(a, "3plus"),
    "share_for_each": each_gets_share,
    "supervision_policy": supervision_in_place,
    "separate_from_line_management": lambda a: (
        a.get("sup_line_management") in ("different_person", "separate_sessions")
    ),
    "lead_supervision": lambda a: a.get("sup_3plus_each") in (None, "each_gets_share"),
    "recruit_mh_professional": lambda a: bool(
        {"clinical_psychologist", "child_psychotherapist"} & set(chosen(a, "mdt_professions"))
    ),
    "add_discipline": two_disciplines,
    "map_roles": lambda a: (
        two_disciplines(a) and bool(set(chosen(a, "mdt_professions")) & set(MH_PROFESSIONS))
    ),
    "map_levels_of_need": lambda a: len(chosen(a, "mdt_thrive_levels")) >= 2,
    "evidence_based_offer": lambda a: a.get("mdt_evidence_based") in ("several", "one"),
    "growth_plan": lambda a: (
        (a.get("sup_under3_count") or 0) + (a.get("sup_3plus_count") or 0) >= 3
    ),
    "confirm_lead_level": lambda a: (
        a.get("lead_profession") != "other_profession"
        and (
            a.get("lead_pay_band") in ("band_8c_or_above", "band_8b_former_8c")
            or a.get("lead_soulbury_scale") == "senior_or_principal"
        )
    ),
    "map_local_system": lambda a: a.get("referral_pathway") != "none",
    "create_lead_capacity": lambda a: a.get("lead_arrangement") in ("led_by", "oversight"),
    "lead_aimh_training": lambda a: a.get("lead_aimh_level3") == "yes",
    "adult_risk_policy": lambda a: a.get("lead_adult_risk") == "yes",
    "keep_8b_evidence": lambda a: a.get("lead_pay_band") != "band_8b_former_8c",
    "lead_role_description": lambda a: (
        a.get("lead_arrangement") != "neither"
        and a.get("lead_pay_band") not in ("band_8b", "band_8a_or_below")
    ),
    "aimh_self_assessment": lambda a: a.get("staff_aimh_level") != "not_assessed",
    "antenatal_referrals": lambda a: a.get("referral_age_start") == "from_pregnancy",
    "shared_core_training": lambda a: (
        bool(chosen(a, "staff_modalities")) and "none_yet" not in chosen(a, "staff_modalities")
    ),
    "perinatal_pathway": lambda a: a.get("further_perinatal_pathway") in (None, "established"),
    "co_produce_service": lambda a: a.get("further_coproduction") in (None, "established"),
    "child_protection_pathway": lambda a: (
        a.get("further_child_protection") in (None, "established")
    ),
    "babys_voice": lambda a: a.get("further_babys_voice") in (None, "established"),
    "engage_fathers": lambda a: a.get("further_fathers") in (None, "established"),
    "reword_criteria": lambda a: a.get("referral_relationship_concern") == "yes",
    "risk_checklist": lambda a: a.get("referral_relationship_concern") == "yes",
    "no_ability_to_pay": lambda a: (
        "able_to_pay" not in chosen(a, "referral_limiting_characteristic")
    ),
    "negotiate_broader_route": lambda a: (
        set(chosen(a, "referral_limiting_characteristic")) <= {"able_to_pay", "no_limit"}
    ),
    "write_exclusions": lambda a: (
        a.get("referral_relationship_concern") == "yes"
        and "parental_mental_health" not in chosen(a, "referral_limiting_characteristic")
    ),
    "standard_assessment": lambda a: a.get("clinical_individual_assessment") == "every_family",
    "intervention_menu": lambda a: (
        a.get("clinical_tailored_package") == "tailored_from_range"
        and len(chosen(a, "mdt_thrive_levels")) >= 2
    ),
    "clinical_theory_of_change": lambda a: (
        a.get("clinical_tailored_package") == "tailored_from_range"
        and a.get("mdt_evidence_based") in ("several", "one")
    ),
    "brief_parent_therapy": lambda a: a.get("clinical_tailored_package") == "tailored_from_range",
    "relationship_is_client": lambda a: a.get("clinical_primary_focus") == "relationship",
    "measure_relationship": lambda a: a.get("clinical_primary_focus") == "relationship",
    "dyadic_offer": lambda a: a.get("clinical_dyadic") != "mostly_individual",
    "link_individual_sessions": lambda a: a.get("clinical_dyadic") != "mostly_individual",
    "add_triadic": lambda a: a.get("clinical_dyadic") != "dyadic",
    "consultation_offer": lambda a: (
        bool(
            set(chosen(a, "systems_mechanisms"))
            & {"consultation_advice", "supervision_reflective_practice"}
        )
        and a.get("systems_regular") == "regular_planned"
    ),
    "workforce_programmes": lambda a: bool(set(chosen(a, "systems_mechanisms")) & set(TRAINING)),
    "strategic_board": lambda a: "advice_system_leaders" in chosen(a, "systems_mechanisms"),
    "report_system_impact": lambda a: "none" in chosen(a, "systems_mechanisms"),
    "record_system_work": lambda a: (a.get("systems_share_percent") or 0) >= 50,
    "agree_measures": lambda a: a.get("outcomes_collection") == "routine",
    "measure_set": lambda a: "recognised_tools" in chosen(a, "outcomes_kinds"),
    "goal_based_outcomes": lambda a: a.get("outcomes_collection") == "routine",
    "data_system": lambda a: a.get("outcomes_collection") == "routine",
    "report_to_funders": lambda a: "funders" in chosen(a, "outcomes_reporting"),
    "public_summary": lambda a: "public" in chosen(a, "outcomes_reporting"),
    "add_qualitative": lambda a: (
        "qualitative" in chosen(a, "outcomes_kinds")
        or a.get("outcomes_collection") == "not_collected"
    ),
    "tailored_arguments": lambda a: (
        a.get("funding_sufficiency") == "sufficient" and a.get("funding_term") == "ongoing"
    ),
    "align_outcomes": lambda a: (
        a.get("funding_sufficiency") == "sufficient" and a.get("funding_term") == "ongoing"
    ),
    "pooled_funding": two_budgets,
    "get_into_strategy": lambda a: a.get("funding_strategy") == "yes",
    "charity_funding": lambda a: "charitable" not in chosen(a, "funding_budgets"),
    "funding_calendar": lambda a: a.get("funding_term") == "ongoing",
}

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
