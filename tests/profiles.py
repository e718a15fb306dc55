"""Team profiles for the real self-audit tree: answers, and the result the seed's words give.

Each profile is written from the self-audit page (seed 000, "Self-audit tool for parent-infant
teams", kept in tests/data/self-audit-page.txt) alone: `seed` quotes the words that decide it,
and `decision` names the decision in docs/decisions.md where the page leaves the case open.
tests/test_definition_rules.py runs every profile through the engine and through HTTP, and
checks docs/decisions.md's table of profiles against this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPECIALISED: dict[str, Any] = {
    "sup_under3_count": 2,
    "sup_under3_wte": 1.7,
    "sup_under3_hours": 6.8,
    "sup_under3_frequency": "weekly",
    "sup_under3_each": "each_gets_share",
    "sup_3plus_count": 3,
    "sup_3plus_wte": 2.4,
    "sup_3plus_hours": 5,
    "sup_3plus_frequency": "fortnightly",
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
    "referral_limiting_characteristic": ["no_limit"],
    "clinical_individual_assessment": "every_family",
    "clinical_tailored_package": "tailored_from_range",
    "clinical_dyadic": "dyadic_and_triadic",
    "clinical_primary_focus": "relationship",
    "systems_mechanisms": ["consultation_advice", "supervision_reflective_practice"],
    "systems_share_percent": 50,
    "systems_regular": "regular_planned",
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

OPTIONAL_BLOCK = (
    "further_fathers",
    "further_babys_voice",
    "further_coproduction",
    "further_child_protection",
    "further_perinatal_pathway",
    "further_anything_else",
)


@dataclass(frozen=True)
class Profile:
    name: str
    changes: dict[str, Any]
    classification: str
    seed: str  # words of the self-audit page that decide it (fragments joined by " ... ")
    decision: int | None = None  # the decision in docs/decisions.md where the page is open
    flags: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    to_reach: tuple[str, tuple[str, ...]] | None = None
    drop: tuple[str, ...] = ()
    says: tuple[str, ...] = ()  # words the result page must show (the reason names the case)

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
        "Key characteristics of a specialised parent-infant relationship team",
        decision=1,
        statuses={
            "clinical_supervision": "met",
            "wider_systems_work": "met",
            "referral_criteria": "met",
            "outcomes_data": "met",
        },
    ),
    Profile(
        "skips the optional block in one answer",
        {"further_choice": "skip_extra"},
        "specialised",
        "Key characteristics of a specialised parent-infant relationship team",
        decision=6,
        drop=OPTIONAL_BLOCK,
    ),
    # --- Clinical supervision -------------------------------------------------------------
    Profile(
        "weekly band exactly pro rata: 1.7 WTE with 6.8 hours",
        {"sup_under3_wte": 1.7, "sup_under3_hours": 6.8},
        "specialised",
        "less than three years' experience of working with children under two should have"
        " one-hour reflective clinical supervision a week ... These amounts can be adjusted on a"
        " pro-rata basis for part-time staff",
        statuses={"clinical_supervision": "met"},
        says=("6.8",),
    ),
    Profile(
        "weekly band one step below pro rata: 1.7 WTE with 6.79 hours",
        {"sup_under3_wte": 1.7, "sup_under3_hours": 6.79},
        "not_yet_meeting",
        "Clinical supervision is offered to all practitioners at the recommended level and"
        " frequency",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
        to_reach=("specialised", ("clinical_supervision",)),
        says=("6.79", "6.8"),
    ),
    Profile(
        "fortnightly band exactly pro rata: 2.4 WTE with 4.8 hours",
        {"sup_3plus_wte": 2.4, "sup_3plus_hours": 4.8},
        "specialised",
        "over three years' experience should have one hour per fortnight ... These amounts can"
        " be adjusted on a pro-rata basis for part-time staff",
        statuses={"clinical_supervision": "met"},
    ),
    Profile(
        "fortnightly band one step below pro rata: 2.4 WTE with 4.79 hours",
        {"sup_3plus_wte": 2.4, "sup_3plus_hours": 4.79},
        "not_yet_meeting",
        "over three years' experience should have one hour per fortnight",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
        says=("4.79", "4.8"),
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
        "Practitioners with over three years' experience should have one hour per fortnight",
        decision=7,
        statuses={"clinical_supervision": "met"},
        drop=("sup_under3_wte", "sup_under3_hours", "sup_under3_frequency", "sup_under3_each"),
    ),
    Profile(
        "part-time staff pro rata: exactly their share",
        {"sup_under3_count": 3, "sup_under3_wte": 1.5, "sup_under3_hours": 6},
        "specialised",
        "These amounts can be adjusted on a pro-rata basis for part-time staff",
        statuses={"clinical_supervision": "met"},
    ),
    # --- Supervision frequency: how often, as well as how much ----------------------------
    Profile(
        "new staff weekly, experienced staff fortnightly",
        {"sup_under3_frequency": "weekly", "sup_3plus_frequency": "fortnightly"},
        "specialised",
        "less than three years' experience of working with children under two should have"
        " one-hour reflective clinical supervision a week ... over three years' experience"
        " should have one hour per fortnight",
        decision=8,
        statuses={"clinical_supervision": "met"},
    ),
    Profile(
        "experienced staff weekly, more often than asked",
        {"sup_3plus_frequency": "weekly"},
        "specialised",
        "Recommended minimum supervision frequency",
        decision=8,
        statuses={"clinical_supervision": "met"},
    ),
    Profile(
        "new full-time staff fortnightly: one two-hour session a fortnight",
        {
            "sup_under3_count": 2,
            "sup_under3_wte": 2,
            "sup_under3_hours": 8,
            "sup_under3_frequency": "fortnightly",
        },
        "not_yet_meeting",
        "less than three years' experience of working with children under two should have"
        " one-hour reflective clinical supervision a week",
        decision=8,
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
        to_reach=("specialised", ("clinical_supervision",)),
        says=("every fortnight",),
    ),
    Profile(
        "new full-time staff monthly: one four-hour session a month",
        {
            "sup_under3_count": 2,
            "sup_under3_wte": 2,
            "sup_under3_hours": 8,
            "sup_under3_frequency": "less_often",
        },
        "not_yet_meeting",
        "Clinical supervision is offered to all practitioners at the recommended level and"
        " frequency",
        decision=8,
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "not_met"},
        says=("less often than every fortnight",),
    ),
    Profile(
        "part-time new staff weekly with pro-rata hours",
        {
            "sup_under3_count": 4,
            "sup_under3_wte": 2,
            "sup_under3_hours": 8,
            "sup_under3_frequency": "weekly",
        },
        "specialised",
        "one-hour reflective clinical supervision a week ... These amounts can be adjusted on"
        " a pro-rata basis for part-time staff",
        decision=8,
        statuses={"clinical_supervision": "met"},
    ),
    Profile(
        "part-time new staff fortnightly with pro-rata hours",
        {
            "sup_under3_count": 4,
            "sup_under3_wte": 2,
            "sup_under3_hours": 8,
            "sup_under3_frequency": "fortnightly",
        },
        "not_yet_meeting",
        "These amounts can be adjusted on a pro-rata basis for part-time staff ... Recommended"
        " minimum supervision frequency",
        decision=8,
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
    ),
    Profile(
        "experienced staff less often than fortnightly",
        {"sup_3plus_frequency": "less_often"},
        "not_yet_meeting",
        "Practitioners with over three years' experience should have one hour per fortnight",
        decision=8,
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
    ),
    Profile(
        "part-time staff pro rata: half an hour short",
        {"sup_under3_count": 3, "sup_under3_wte": 1.5, "sup_under3_hours": 5.5},
        "not_yet_meeting",
        "Clinical supervision is offered to all practitioners at the recommended level and"
        " frequency",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "partly_met"},
        to_reach=("specialised", ("clinical_supervision",)),
    ),
    Profile(
        "supervision less than half of what is needed",
        {"sup_3plus_hours": 2},
        "not_yet_meeting",
        "Clinical supervision is offered to all practitioners at the recommended level and"
        " frequency",
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "not_met"},
    ),
    Profile(
        "supervision combined with line management",
        {"sup_line_management": "combined"},
        "not_yet_meeting",
        "Clinical supervision is offered to all practitioners ... and is separate from line"
        " management",
        decision=9,
        unmet=("clinical_supervision",),
        statuses={"clinical_supervision": "not_met"},
    ),
    # --- Multidisciplinary team: disciplines, not job titles --------------------------------
    Profile(
        "a clinical and a counselling psychologist alone are one discipline",
        {"mdt_professions": ["clinical_psychologist", "counselling_psychologist"]},
        "not_yet_meeting",
        "A multi-disciplinary team which includes highly skilled mental health professionals",
        decision=10,
        unmet=("multidisciplinary_team",),
        statuses={"multidisciplinary_team": "not_met"},
        says=("one discipline",),
    ),
    Profile(
        "a clinical psychologist and a health visitor are two disciplines",
        {"mdt_professions": ["clinical_psychologist", "health_visitor"]},
        "specialised",
        "A multi-disciplinary team which includes highly skilled mental health professionals",
        decision=10,
        statuses={"multidisciplinary_team": "met"},
    ),
    # --- Clinical leadership --------------------------------------------------------------
    Profile(
        "systemic psychotherapist lead",
        {"lead_profession": "systemic_family_psychotherapist"},
        "specialised",
        "led by (or has clinical oversight from) a consultant psychotherapist or psychologist",
        statuses={"clinical_leadership": "met"},
    ),
    Profile(
        "adult psychotherapist giving clinical oversight",
        {"lead_arrangement": "oversight", "lead_profession": "adult_psychotherapist"},
        "specialised",
        "led by (or has clinical oversight from) a consultant psychotherapist or psychologist",
        statuses={"clinical_leadership": "met"},
    ),
    Profile(
        "8B carrying the former 8C responsibilities is accepted",
        {"lead_pay_band": "band_8b_former_8c"},
        "specialised",
        "many 8C jobs were removed and replaced with 8B pay but with the same responsibility"
        " as the previous 8C job descriptions",
        decision=12,
        statuses={"clinical_leadership": "met"},
    ),
    Profile(
        "8B without consultant responsibilities is partly met",
        {"lead_pay_band": "band_8b"},
        "not_yet_meeting",
        "this means paid at equivalent of 8C or above for clinical/counselling psychologists"
        " and psychotherapists",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "partly_met"},
    ),
    Profile(
        "educational psychologist lead on the Soulbury senior scale",
        {
            "lead_profession": "educational_psychologist",
            "lead_pay_scale": "soulbury",
            "lead_soulbury_scale": "senior_or_principal",
        },
        "specialised",
        "In educational psychology, this means Soulbury scales Senior and Principal (SCP1-18)",
        statuses={"clinical_leadership": "met"},
        drop=("lead_pay_band",),
    ),
    Profile(
        "educational psychologist lead on Agenda for Change band 8C",
        {
            "lead_profession": "educational_psychologist",
            "lead_pay_scale": "agenda_for_change",
            "lead_pay_band": "band_8c_or_above",
        },
        "specialised",
        "According to all professional bodies and the NHS Pay scales, this means paid at"
        " equivalent of 8C or above",
        statuses={"clinical_leadership": "met"},
    ),
    Profile(
        "educational psychologist lead below the Soulbury senior scale",
        {
            "lead_profession": "educational_psychologist",
            "lead_pay_scale": "soulbury",
            "lead_soulbury_scale": "below_senior",
        },
        "not_yet_meeting",
        "In educational psychology, this means Soulbury scales Senior and Principal (SCP1-18)",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "partly_met"},
        drop=("lead_pay_band",),
    ),
    Profile(
        "lead who is not a psychotherapist or psychologist",
        {"lead_profession": "other_profession"},
        "not_yet_meeting",
        "led by (or has clinical oversight from) a consultant psychotherapist or psychologist",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "not_met"},
        drop=("lead_pay_band",),
    ),
    Profile(
        "lead who can only partly screen adult mental health risk",
        {"lead_adult_risk": "partly"},
        "not_yet_meeting",
        "They are able to understand, articulate and screen adult mental health risk",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "partly_met"},
    ),
    Profile(
        "no consultant lead or oversight",
        {"lead_arrangement": "neither"},
        "not_yet_meeting",
        "led by (or has clinical oversight from) a consultant psychotherapist or psychologist",
        unmet=("clinical_leadership",),
        statuses={"clinical_leadership": "not_met"},
        drop=("lead_profession", "lead_pay_band", "lead_aimh_level3", "lead_adult_risk"),
    ),
    # --- Age range ------------------------------------------------------------------------
    Profile(
        "referrals only up to the first birthday",
        {"referral_age_range": "to_first_birthday"},
        "targeted",
        "If referrals are only accepted up to a year, then this would be a targeted team",
        flags=("targeted_age_under_one",),
        unmet=("referral_age_range",),
        to_reach=("specialised", ("referral_age_range",)),
    ),
    Profile(
        "referrals only up to six months",
        {"referral_age_range": "before_first_birthday", "referral_age_months_under_one": 6},
        "targeted",
        "If referrals are only accepted up to a year, then this would be a targeted team",
        flags=("targeted_age_under_one",),
        unmet=("referral_age_range",),
        says=("6 months",),
    ),
    Profile(
        "referrals only up to eighteen months",
        {"referral_age_range": "between_first_and_second", "referral_age_months_under_two": 18},
        "targeted",
        "The team accepts referrals for children aged two years and under. If referrals are"
        " only accepted up to a year, then this would be a targeted team",
        decision=15,
        flags=("targeted_age_under_two",),
        unmet=("referral_age_range",),
        to_reach=("specialised", ("referral_age_range",)),
        says=("18 months",),
    ),
    # --- Referral criteria ----------------------------------------------------------------
    Profile(
        "a paying-families-only practice",
        {"referral_limiting_characteristic": ["able_to_pay"]},
        "targeted",
        "Criteria is not limited to those with a defined characteristic (e.g. the ability to"
        " pay privately",
        flags=("targeted_referral_criteria",),
        unmet=("referral_criteria",),
        statuses={"referral_criteria": "not_met"},
        says=("The family can pay privately",),
    ),
    Profile(
        "relationship concerns only from parents with mental health difficulties",
        {"referral_limiting_characteristic": ["parental_mental_health"]},
        "targeted",
        "Criteria is not limited to those with a defined characteristic (e.g. the ability to"
        " pay privately, parental mental health difficulties",
        flags=("targeted_referral_criteria",),
        unmet=("referral_criteria",),
    ),
    Profile(
        "referrals limited to a defined characteristic",
        {
            "referral_relationship_concern": "no",
            "referral_limiting_characteristic": ["parental_mental_health"],
        },
        "targeted",
        "If the answer to this question alone is 'No', then your service may qualify as a"
        " targeted parent-infant team",
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
        "If the answer to this question alone is 'No', then your service may qualify as a"
        " targeted parent-infant team",
        decision=3,
        flags=("targeted_age_under_one", "targeted_referral_criteria"),
        unmet=("referral_age_range", "referral_criteria"),
        to_reach=("specialised", ("referral_age_range", "referral_criteria")),
    ),
    Profile(
        "a targeted flag plus another gap",
        {"referral_age_range": "to_first_birthday", "staff_aimh_level": "few_or_none"},
        "not_yet_meeting",
        "If the answer to this question alone is 'No', then your service may qualify as a"
        " targeted parent-infant team",
        decision=4,
        flags=("targeted_age_under_one",),
        unmet=("staff_competencies", "referral_age_range"),
        to_reach=("targeted", ("staff_competencies",)),
    ),
    # --- Wider systems work ---------------------------------------------------------------
    Profile(
        "wider systems work exactly half of the work",
        {"systems_share_percent": 50, "systems_regular": "occasional"},
        "specialised",
        "This is recommended to comprise 50% of the work of a parent-infant team",
        statuses={"wider_systems_work": "met"},
        says=("50%",),
    ),
    Profile(
        "wider systems work at 45%, around half",
        {"systems_share_percent": 45},
        "specialised",
        "This is recommended to comprise 50% of the work of a parent-infant team",
        decision=20,
        statuses={"wider_systems_work": "met"},
        says=("45%",),
    ),
    Profile(
        "wider systems work at 44%, clearly less than half",
        {"systems_share_percent": 44},
        "not_yet_meeting",
        "This is recommended to comprise 50% of the work of a parent-infant team",
        unmet=("wider_systems_work",),
        statuses={"wider_systems_work": "partly_met"},
        says=("44%",),
    ),
    Profile(
        "wider systems work at 10%, regular and planned",
        {"systems_share_percent": 10, "systems_regular": "regular_planned"},
        "not_yet_meeting",
        "This is recommended to comprise 50% of the work of a parent-infant team",
        unmet=("wider_systems_work",),
        statuses={"wider_systems_work": "partly_met"},
        says=("10%",),
    ),
    Profile(
        "no wider systems work",
        {"systems_mechanisms": ["none"]},
        "not_yet_meeting",
        "This work can happen through the following mechanisms",
        unmet=("wider_systems_work",),
        statuses={"wider_systems_work": "not_met"},
        drop=("systems_share_percent", "systems_regular"),
    ),
    # --- Other domains --------------------------------------------------------------------
    Profile(
        "no outcomes data collected",
        {"outcomes_collection": "not_collected"},
        "specialised",
        "NB. This domain is not part of a team definition but used for the self-audit",
        statuses={"outcomes_data": "not_met"},
        drop=("outcomes_kinds", "outcomes_reporting"),
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
        "NB. This domain is not part of a team definition but used for the self-audit",
        statuses={"outcomes_data": "not_met", "funding_commissioning": "not_met"},
        drop=("outcomes_kinds", "outcomes_reporting"),
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
        "A multi-disciplinary team ... a variety of parent-infant interventions ... not just on"
        " infant behavioural indicators or parental mental health status",
        unmet=("multidisciplinary_team", "assessment_and_package", "relationship_focus"),
    ),
]
