"""What would make each suggested action wrong, written from the action's text, not from its
`when` in the tree: the plan must never suggest doing what the team said it already does."""

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
