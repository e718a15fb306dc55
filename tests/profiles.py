"""Team profiles for the real self-audit tree: answers, and the result they must give."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPECIALISED: dict[str, Any] = {
    "sup_under3_count": 2,
    "sup_under3_wte": 1.6,
    "sup_under3_hours": 6.5,
    "sup_under3_each": "each_gets_share",
    "sup_3plus_count": 3,
    "sup_3plus_wte": 2.4,
    "sup_3plus_hours": 5,
    "sup_3plus_each": "each_gets_share",
    "sup_line_management": "different_person",
    "mdt_professions": ["clinical_psychologist", "child_psychotherapist", "health_visitor"],
    "mdt_relationship_expertise": "yes",
    "mdt_thrive_levels": ["getting_advice", "getting_help", "getting_more_help"],
    "mdt_evidence_based": "several",
    "lead_arrangement": "led_by",
    "lead_profession": "clinical_psychologist",
    "lead_pay_band": "band_8c_or_above",
    "lead_aimh_level3": "yes",
    "lead_adult_risk": "yes",
    "staff_aimh_level": "all_practitioners",
    "staff_modalities": ["vig", "circle_of_security"],
    "referral_pathway": "written_and_shared",
    "referral_age_range": "to_second_birthday_or_beyond",
    "referral_age_start": "from_pregnancy",
    "referral_relationship_concern": "yes",
    "clinical_individual_assessment": "every_family",
    "clinical_tailored_package": "tailored_from_range",
    "clinical_dyadic": "dyadic_and_triadic",
    "clinical_primary_focus": "relationship",
    "systems_mechanisms": ["consultation_advice", "supervision_reflective_practice"],
    "systems_regular": "regular_planned",
    "systems_share": "thirty_to_49",
    "outcomes_collection": "routine",
    "outcomes_kinds": ["recognised_tools", "qualitative"],
    "outcomes_reporting": ["funders", "public"],
    "funding_sufficiency": "sufficient",
    "funding_term": "ongoing",
    "funding_budgets": ["health", "public_health"],
    "funding_strategy": "yes",
    "further_choice": "answer_extra",
    "further_fathers": "developing",
    "further_babys_voice": "established",
    "further_coproduction": "not_yet",
    "further_child_protection": "established",
    "further_perinatal_pathway": "developing",
    "further_anything_else": "We are growing.",
}


@dataclass(frozen=True)
class Profile:
    name: str
    changes: dict[str, Any]
    classification: str
    flags: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    to_reach: tuple[str, tuple[str, ...]] | None = None
    drop: tuple[str, ...] = ()

    @property
    def answers(self) -> dict[str, Any]:
        answers = {**SPECIALISED, **self.changes}
        for question_id in self.drop:
            answers.pop(question_id, None)
        return answers


PROFILES = [
    Profile(
        "everything met",
        {},
        "specialised",
        statuses={"clinical_supervision": "met", "outcomes_data": "met"},
    ),
    Profile(
        "skips the optional block in one answer",
        {"further_choice": "skip_extra"},
        "specialised",
        drop=(
            "further_fathers",
            "further_babys_voice",
            "further_coproduction",
            "further_child_protection",
            "further_perinatal_pathway",
            "further_anything_else",
        ),
    ),
    Profile(
        "exactly three years counts in the fortnightly band",
        {
            "sup_under3_count": 0,
            "sup_3plus_count": 4,
            "sup_3plus_wte": 3.2,
            "sup_3plus_hours": 6.4,
            "sup_line_management": "separate_sessions",
        },
        "specialised",
        statuses={"clinical_supervision": "met"},
        drop=("sup_under3_wte", "sup_under3_hours", "sup_under3_each"),
    ),
    Profile(
        "part-time staff pro rata: exactly their share",
        {"sup_under3_count": 3, "sup_under3_wte": 1.5, "sup_under3_hours": 6},
        "specialised",
        statuses={"clinical_supervision": "met"},
    ),
    Profile(
        "part-time staff pro rata: half an hour short",
        {"sup_under3_count": 3, "sup_under3_wte": 1.5, "sup_under3_hours": 5.5},
        "not_yet_meeting",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
        to_reach=("specialised", ("clinical_supervision",)),
    ),
    Profile(
        "supervision less than half of what is needed",
        {"sup_3plus_hours": 2},
        "not_yet_meeting",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "not_met"},
    ),
    Profile(
        "supervision combined with line management",
        {"sup_line_management": "combined"},
        "not_yet_meeting",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "not_met"},
    ),
    Profile(
        "8B carrying the former 8C responsibilities is accepted",
        {"lead_pay_band": "band_8b_former_8c"},
        "specialised",
        statuses={"clinical_leadership": "met"},
    ),
    Profile(
        "8B without consultant responsibilities is partly met",
        {"lead_pay_band": "band_8b"},
        "not_yet_meeting",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "partly_met"},
    ),
    Profile(
        "educational psychologist lead on the Soulbury senior scale",
        {
            "lead_profession": "educational_psychologist",
            "lead_soulbury_scale": "senior_or_principal",
        },
        "specialised",
        statuses={"clinical_leadership": "met"},
        drop=("lead_pay_band",),
    ),
    Profile(
        "no consultant lead or oversight",
        {"lead_arrangement": "neither"},
        "not_yet_meeting",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "not_met"},
        drop=("lead_profession", "lead_pay_band", "lead_aimh_level3", "lead_adult_risk"),
    ),
    Profile(
        "referrals only up to the first birthday",
        {"referral_age_range": "to_first_birthday"},
        "targeted",
        flags=("targeted_age_under_one",),
        unmet=("referral_age_range",),
        to_reach=("specialised", ("referral_age_range",)),
    ),
    Profile(
        "referrals limited to a defined characteristic",
        {
            "referral_relationship_concern": "no",
            "referral_limiting_characteristic": ["parental_mental_health"],
        },
        "targeted",
        flags=("targeted_referral_criteria",),
        unmet=("referral_criteria",),
    ),
    Profile(
        "both targeted flags",
        {
            "referral_age_range": "to_first_birthday",
            "referral_relationship_concern": "no",
            "referral_limiting_characteristic": ["care_or_edge_of_care", "other_characteristic"],
            "referral_limiting_other": "Young parents leaving care",
        },
        "targeted",
        flags=("targeted_age_under_one", "targeted_referral_criteria"),
        unmet=("referral_age_range", "referral_criteria"),
        to_reach=("specialised", ("referral_age_range", "referral_criteria")),
    ),
    Profile(
        "a targeted flag plus another gap",
        {"referral_age_range": "to_first_birthday", "staff_aimh_level": "few_or_none"},
        "not_yet_meeting",
        flags=("targeted_age_under_one",),
        unmet=("staff_competencies", "referral_age_range"),
        to_reach=("targeted", ("staff_competencies",)),
    ),
    Profile(
        "another age range is a gap but not targeted",
        {"referral_age_range": "other_range"},
        "not_yet_meeting",
        unmet=("referral_age_range",),
        to_reach=("specialised", ("referral_age_range",)),
    ),
    Profile(
        "everything met but outcomes and sustainability",
        {
            "outcomes_collection": "not_collected",
            "funding_sufficiency": "insufficient",
            "funding_term": "short_or_none",
            "funding_strategy": "no",
            "funding_budgets": ["charitable"],
        },
        "specialised",
        statuses={"outcomes_data": "not_met", "funding_commissioning": "not_met"},
    ),
    Profile(
        "no wider systems work",
        {"systems_mechanisms": ["none"]},
        "not_yet_meeting",
        unmet=("wider_systems_work",),
        drop=("systems_regular",),
    ),
    Profile(
        "wider systems work below 50% is still met",
        {"systems_share": "under_ten"},
        "specialised",
        statuses={"wider_systems_work": "met"},
    ),
    Profile(
        "single-discipline team with one programme for everyone",
        {
            "mdt_professions": ["health_visitor"],
            "clinical_tailored_package": "single_programme",
            "clinical_dyadic": "mostly_individual",
            "clinical_primary_focus": "parental_mental_health",
        },
        "not_yet_meeting",
        unmet=("multidisciplinary_team", "assessment_and_package", "relationship_focus"),
    ),
]
