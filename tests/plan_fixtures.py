"""A complete, realistic action plan dict in English, for the document tests."""

from __future__ import annotations

import copy
from typing import Any

LABELS_EN: dict[str, str] = {
    "document_title": "Service development action plan",
    "creator": "Parent-infant team self-audit",
    "draft": "Draft",
    "date": "Audit finished",
    "draft_date": "Answers as on",
    "tree_version": "Audit version",
    "contributors": "Who contributed",
    "status": "Status",
    "result": "Result",
    "where_you_stand": "Where you stand",
    "in_progress": "The audit is not finished yet, so there is no result. The plan shows where "
    "the team stands on the questions answered so far.",
    "domain": "Domain",
    "descriptor": "Descriptor",
    "last_time": "Last time",
    "met": "Met",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "not_answered": "Not answered",
    "moved_forward": "moved forward",
    "moved_back": "moved back",
    "outside_definition": "Not part of the definition",
    "first_steps": "First steps",
    "commissioners": "What we need from our commissioners",
    "commissioners_none": "None of the steps in this plan asks for a change to what is "
    "commissioned.",
    "sign_off": "Agreed by",
    "role": "Role",
    "name": "Name",
    "signature": "Signature",
    "sign_date": "Date",
    "clinical_lead": "Clinical lead",
    "service_manager": "Service manager",
    "commissioner": "Commissioner",
    "priority_definition": "Needed to meet the definition",
    "priority_specialised": "Needed to be a specialised team",
    "priority_strengthen": "Strengthens the team",
    "actions_heading": "Action plan",
    "own_actions_hint": "The steps come from the toolkit, the self-audit page and the 2024 "
    "report, chosen from your answers. Add your own in the blank rows.",
    "action": "Action",
    "done_when": "Done when",
    "lead": "Lead",
    "by_when": "By when",
    "support_needed": "Support needed",
    "action_status": "Status",
    "not_started": "Not started",
    "suggested_from": "From",
    "your_note": "Your note",
    "last_year": "Last time\u2019s actions",
    "last_year_hint": "The steps your last plan suggested. Mark each one done or carried over.",
    "done_or_carried": "Done or carried over",
    "again": "In this plan again",
    "next_steps": "Next steps",
    "review_date": "Review date",
    "review_date_blank": "____________",
    "appendix": "Appendix: your answers where there is a gap",
    "question": "Question",
    "answer": "Your answer",
    "your_notes": "Your notes",
    "glossary": "Terms used",
    "sources": "Sources",
}

CH3 = "Toolkit chapter 3: Funding and Commissioning a Specialised Parent-Infant Relationship Team"
CH4 = "Toolkit chapter 4: Clinical Interventions and Evidence-Informed Practice"
CH5 = (
    "Toolkit chapter 5: Setting Up a Specialised Parent-Infant Relationship Team and Preparing "
    "for Operational Delivery"
)
CH6 = "Toolkit chapter 6: Operational Delivery: Moving from Set-Up to Sustainability"
CH7 = (
    "Toolkit chapter 7: Recruitment, Management and Supervision of a Specialised Parent-Infant "
    "Relationship Team"
)
CH8 = "Toolkit chapter 8: Managing Data and Measuring Outcomes"


def _answer(question: str, answer: str, note: str = "") -> dict[str, str]:
    return {"question": question, "answer": answer, "note": note}


def _action(
    text: str,
    chapter: str,
    section: str,
    done_when: str = "The team agrees it is done.",
    notes: tuple[str, ...] = (),
    commissioners: bool = False,
) -> dict[str, object]:
    return {
        "text": text,
        "source": f"{chapter.split(':')[0]}, \u201c{section}\u201d",
        "done_when": done_when,
        "notes": list(notes),
        "commissioners": commissioners,
    }


#: Descriptors the fixture treats as targeted findings (their flag was raised).
FLAGGED = {"referral_age_range"}


def _priority(descriptor: dict[str, Any], definitional: bool) -> str | None:
    gap = descriptor["status"] in ("partly_met", "not_met")
    if gap and definitional:
        return "specialised" if descriptor["id"] in FLAGGED else "definition"
    return "strengthen" if gap or descriptor["actions"] else None


TEAM_GOVERNANCE = [
    {
        "id": "clinical_supervision",
        "title": "Clinical supervision",
        "statement": "Every practitioner gets reflective clinical supervision at the recommended "
        "level and frequency, separate from line management: 1 hour a week for under three "
        "years' experience with children under two, 1 hour a fortnight for three years or more, "
        "pro rata for part-time staff.",
        "status": "partly_met",
        "because": "Practitioners with under three years' experience get 6 hours in four weeks. "
        "That is less than the 9.6 hours they need between them.",
        "answers": [
            _answer(
                "How many practitioners have less than three years' experience of working with "
                "children under two?",
                "3",
            ),
            _answer("What is their combined whole-time equivalent?", "2.4"),
            _answer(
                "In a typical four weeks, how many hours of reflective clinical supervision do "
                "they receive between them?",
                "6",
                "Supervision was cut back while our senior psychotherapist was on long-term "
                "leave. She returns in January.",
            ),
            _answer(
                "How is clinical supervision kept apart from line management?",
                "Supervision comes from someone other than the line manager",
            ),
        ],
        "evidence": [
            "A supervision policy naming who supervises whom and each person's minimum.",
            "An anonymised supervision log for the last three months (practitioner, supervisor, "
            "date, length).",
            "A note of how the clinical lead is supervised.",
        ],
        "actions": [
            _action(
                "Add 3.6 hours in four weeks of reflective clinical supervision for the "
                "practitioners with under three years' experience, to reach the 9.6 hours "
                "their 2.4 WTE needs.",
                "Self-audit tool for parent-infant teams",
                "Team composition and clinical governance",
                done_when="The supervision log shows at least 9.6 hours in four weeks.",
                notes=(
                    "Supervision was cut back while our senior psychotherapist was on long-term "
                    "leave. She returns in January.",
                ),
            ),
            _action(
                "Write a supervision policy. Name each practitioner's clinical supervisor and "
                "their minimum: 1 hour a week for under three years' experience with under-twos, "
                "1 hour a fortnight after that, pro rata for part-time staff.",
                CH7,
                "Clinical and model-specific supervision",
            ),
            _action(
                "Make sure the clinical lead is supervised too, for example through peer "
                "supervision with leads of other parent-infant teams, or a senior clinician "
                "bought in from outside.",
                CH7,
                "Clinical and model-specific supervision",
            ),
        ],
    },
    {
        "id": "multidisciplinary_team",
        "title": "Multidisciplinary team",
        "statement": "Several professions work together in the team, including very skilled "
        "mental health clinicians whose therapeutic expertise is in building the bond between "
        "babies and their parents. The team can help at different levels of need, using the "
        "THRIVE groupings, and offers evidence-based interventions.",
        "status": "met",
        "because": "The team brings together 4 professions, including mental health "
        "professionals with parent-infant expertise. It covers several levels of need and "
        "offers evidence-based interventions.",
        "answers": [
            _answer(
                "Which professions are in the team?",
                "Clinical psychologist; Child or parent-infant psychotherapist; Health visitor; "
                "Family support worker or keyworker",
            ),
            _answer(
                "How many of the interventions you offer are evidence-based?",
                "Several",
                "VIG and Watch, Wait and Wonder both have EIF ratings.",
            ),
        ],
        "evidence": [
            "A staffing table with role, profession, band, WTE and registration body.",
            "A list of the evidence-based interventions offered, with EIF ratings where they "
            "exist.",
        ],
        "actions": [],
    },
    {
        "id": "clinical_leadership",
        "title": "Clinical leadership",
        "statement": "A consultant psychologist or psychotherapist leads the team or oversees "
        "its clinical work. They have extra training equivalent to AIMH Level 3 and can "
        "understand, explain and screen for adult mental health risk.",
        "status": "met",
        "because": "The lead is at consultant level, has AIMH Level 3-equivalent training and "
        "can screen for adult mental health risk.",
        "answers": [
            _answer("At what pay band, or its equivalent, is the lead paid?", "Band 8C or above"),
            _answer(
                "Has the lead completed extra training equivalent to AIMH Level 3?",
                "Yes",
                "Completed the AIMH self-assessment in March.",
            ),
        ],
        "evidence": [
            "The lead's job description and banding (or Soulbury scale).",
            "Training certificates or an AIMH self-assessment.",
            "An adult mental health risk policy and training records.",
        ],
        "actions": [],
    },
    {
        "id": "staff_competencies",
        "title": "Staff infant mental health competencies",
        "statement": "Everyone who works with families, or delivers training or consultation, "
        "brings infant mental health knowledge and skills, and has shown competencies at AIMH "
        "Level 2 or 3.",
        "status": "partly_met",
        "because": "Most practitioners, but not all, have shown competencies at AIMH Level 2 or 3.",
        "answers": [
            _answer(
                "How many staff have shown infant mental health competencies at AIMH Level 2 or 3?",
                "Most of them",
                "Our two newest family support workers started in September.",
            ),
        ],
        "evidence": [
            "AIMH self-assessments for each practitioner.",
            "A team training plan with dates and funding.",
        ],
        "actions": [
            _action(
                "Ask every practitioner to self-assess against the AIMH competencies framework "
                "and record a level. Use the results in supervision and to plan training.",
                CH7,
                "Competencies, skills and qualities",
            ),
            _action(
                "Write a team training plan that brings every practitioner to Level 2 or 3, "
                "with dates and funding.",
                CH7,
                "Training and Continuous Professional Development (CPD)",
            ),
        ],
    },
]

REFERRALS_ACCESS = [
    {
        "id": "referral_pathway",
        "title": "Referral pathway",
        "statement": "A clear, set-out referral route lets families who need help with the "
        "parent-infant relationship reach the team.",
        "status": "met",
        "because": "The referral pathway is written down and shared with referrers.",
        "answers": [
            _answer(
                "Is there a clear referral pathway into the team?",
                "Yes, it is written down and shared with referrers",
            ),
        ],
        "evidence": [
            "Published referral criteria and a referral form.",
            "Referral numbers by source.",
            "Time from referral to decision and to first contact.",
        ],
        "actions": [],
    },
    {
        "id": "referral_age_range",
        "title": "Age range up to two",
        "statement": "The team accepts referrals for babies up to the age of two.",
        "status": "not_met",
        "because": "The team only accepts referrals up to the first birthday. On its own, this "
        "makes it a targeted team.",
        "answers": [
            _answer(
                "Up to what age do you accept referrals for babies?",
                "Only up to the first birthday",
                "The contract with the ICB says under-ones. We have raised it at the last two "
                "contract meetings.",
            ),
            _answer("From when can families be referred?", "From pregnancy"),
        ],
        "evidence": [
            "The age range in the service specification or contract.",
            "Referral numbers by age (pregnancy, under one, one to two).",
        ],
        "actions": [
            _action(
                "Ask commissioners to extend the age range. Your criteria must match what is "
                "commissioned, so the contract needs changing first.",
                CH5,
                "Eligibility or referral criteria",
                done_when="The contract covers babies up to the second birthday.",
                notes=(
                    "The contract with the ICB says under-ones. We have raised it at the last "
                    "two contract meetings.",
                ),
                commissioners=True,
            ),
            _action(
                "Estimate the extra demand from local birth numbers and prevalence, so the "
                "extension comes with the staff it needs.",
                CH3,
                "Commissioning for local need",
            ),
            _action(
                "Record each baby's age at referral and review it, to check you reach the whole "
                "range, including in pregnancy.",
                CH8,
                "Data management",
            ),
        ],
    },
    {
        "id": "referral_criteria",
        "title": "Relationship concern as a reason for referral",
        "statement": "A concern about the parent-infant relationship is enough for a referral "
        "on its own. The criteria are not limited to families with a defined characteristic.",
        "status": "partly_met",
        "because": "Relationship concern is accepted, but the written criteria still ask for a "
        "parental mental health difficulty, so some referrers hold back.",
        "answers": [
            _answer(
                "Do you accept a referral when the only concern is the parent-infant relationship?",
                "Yes",
                "In practice yes, but the leaflet for referrers is out of date.",
            ),
        ],
        "evidence": [
            "The referral criteria as published.",
            "The share of accepted referrals where the main reason is the relationship.",
        ],
        "actions": [
            _action(
                "Reword your criteria so that a concern about the relationship is enough on its "
                "own. Say clearly that no diagnosis is needed in parent or baby.",
                CH5,
                "Eligibility or referral criteria",
            ),
            _action(
                "Give referrers a simple risks and stresses checklist, so that several smaller "
                "risks together can support a referral.",
                CH6,
                "Screening for suitability",
            ),
        ],
    },
]

CLINICAL_WORK = [
    {
        "id": "assessment_and_package",
        "title": "Individual assessment and tailored package",
        "statement": "Families get an individual assessment and a package of developmentally "
        "appropriate work tailored from a range of parent-infant interventions, at different "
        "THRIVE levels of need and including evidence-based interventions.",
        "status": "met",
        "because": "Every family is assessed and gets a package tailored from a range of "
        "interventions, across levels of need and including evidence-based work.",
        "answers": [
            _answer(
                "Does each family get an individual assessment before work is agreed?",
                "Yes, every family",
            ),
            _answer(
                "How is each family's package of work chosen?",
                "We build a tailored package from a range of interventions",
            ),
        ],
        "evidence": [
            "An assessment protocol.",
            "An intervention menu with levels of need and evidence ratings.",
        ],
        "actions": [],
    },
    {
        "id": "relationship_focus",
        "title": "Dyadic work with a relationship focus",
        "statement": "The team offers dyadic, and ideally triadic, interventions. Their main "
        "therapeutic aim is a better parent-infant relationship, rather than only the baby's "
        "behaviour or the parent's mental health.",
        "status": "met",
        "because": "The team works with parent and baby together, with the relationship as the "
        "main focus. Triadic work, with a second caregiver, is the ideal to build towards.",
        "answers": [
            _answer(
                "Who usually takes part in the therapeutic work?",
                "Parent and baby together, rarely a second parent or carer",
                "Fathers come to the first appointment more often since we moved it to 5pm.",
            ),
        ],
        "evidence": [
            "The share of sessions with parent and baby together.",
            "Relationship-focused measures in use.",
        ],
        "actions": [],
    },
]

WIDER_SYSTEMS = [
    {
        "id": "wider_systems_work",
        "title": "Wider systems work",
        "statement": "The team is the local expert and champion for parent-infant "
        "relationships. It helps the local workforce and others through training, "
        "consultation, supervision or reflective practice, and advice to system leaders. This "
        "is recommended to be 50% of the team's work.",
        "status": "not_met",
        "because": "Wider systems work happens now and then, when asked, rather than as a "
        "regular, planned offer.",
        "answers": [
            _answer(
                "How does the team help the local workforce and system leaders support "
                "parent-infant relationships?",
                "Training in assessment and observation; Consultation and advice to other "
                "professionals",
            ),
            _answer("How is this work delivered?", "Now and then, when asked"),
            _answer(
                "Roughly what share of the team's work goes on wider systems work?",
                "10% to 29%",
                "We think it is nearer 10%, but we do not record it.",
            ),
        ],
        "evidence": [
            "Time records showing the share of team time spent on wider systems work.",
            "Logs of training, consultation and supervision given to others.",
        ],
        "actions": [
            _action(
                "Agree a training, consultation and direct delivery plan with local partners, "
                "linked to their workforce plans. Offer levels from short awareness sessions to "
                "in-depth skills.",
                CH5,
                "Agreeing a training, consultation and direct delivery plan across all partners",
            ),
            _action(
                "Run a regular consultation offer, such as open reflective practice sessions for "
                "health visitors. Write a consultation policy covering notes and accountability.",
                CH4,
                "Consultation, outreach and joint working",
            ),
            _action(
                "Record all non-clinical work, such as consultations, training, supervision of "
                "others and strategy meetings. Use it to show your share of team time against "
                "the recommended 50% and to plan how to grow it.",
                CH6,
                "Recording non-clinical work",
            ),
            _action(
                "Join or help set up a strategic board for babies and families, and help write "
                "a local infant mental health strategy.",
                CH5,
                "Establishing a strategic board",
            ),
        ],
    },
]

OUTCOMES = [
    {
        "id": "outcomes_data",
        "title": "Outcomes data",
        "statement": "The team routinely gathers and collates data on its activity and "
        "outcomes. The data shows the impact of the work clearly, ideally mixing qualitative "
        "data with scores from recognised outcomes tools, and the team reports it to funders "
        "and the public.",
        "status": "partly_met",
        "because": "Outcomes data is collected only sometimes, or for some families.",
        "answers": [
            _answer(
                "Does the team collect and collate output and outcomes data?",
                "Sometimes, or for some families",
                "End-of-work measures are missing for about half of families who stop early.",
            ),
            _answer("Who do you share your impact with?", "Funders and commissioners"),
        ],
        "evidence": [
            "An outcomes dataset with completion rates at start and end of work.",
            "An annual or impact report.",
        ],
        "actions": [
            _action(
                "Adopt a small set of measures that together cover risk, the relationship, the "
                "baby's development and the parent's wellbeing. Include consent to measures in "
                "your consent policy.",
                CH8,
                "The PIP teams' approach to assessment and outcome measures",
            ),
            _action(
                "Set up to three goals with each family early on and rate them at the start and "
                "the end.",
                CH8,
                "Setting and monitoring clinical goals",
            ),
            _action(
                "Publish a regular impact report, with short updates for commissioners and a "
                "summary for the public.",
                CH8,
                "Reporting outcomes",
            ),
        ],
    },
    {
        "id": "funding_commissioning",
        "title": "Funding and commissioning",
        "statement": "Funding is sufficient and commissioning is ongoing. Ideally, the team is "
        "commissioned as part of a wider local strategy and funded from several budgets across "
        "health, social care and public health.",
        "status": "not_answered",
        "because": "",
        "answers": [],
        "evidence": [
            "Contracts or service level agreements and their end dates.",
            "A list of funding sources by budget.",
        ],
        "actions": [],
    },
]


def _domain(
    domain_id: str,
    title: str,
    descriptors: list[dict[str, Any]],
    note: str = "",
    definitional: bool = True,
) -> dict[str, Any]:
    for descriptor in descriptors:
        descriptor["priority"] = _priority(descriptor, definitional)
    return {
        "id": domain_id,
        "title": title,
        "definitional": definitional,
        "note": note,
        "descriptors": descriptors,
    }


DOMAINS = [
    _domain("team_governance", "Team composition and clinical governance", TEAM_GOVERNANCE),
    _domain("referrals_access", "Referrals and accessibility", REFERRALS_ACCESS),
    _domain("clinical_work", "Clinical work", CLINICAL_WORK),
    _domain("wider_systems", "Wider systems work", WIDER_SYSTEMS),
    _domain(
        "outcomes_sustainability",
        "Outcomes and sustainability",
        OUTCOMES,
        note="We audit this domain so it can go into your action plan, but it is not part "
        "of the definition of a specialised team. Your answers here never change your result.",
        definitional=False,
    ),
]
for _descriptor in (d for domain in DOMAINS for d in domain["descriptors"]):
    _descriptor.update(last_time="", moved="")
    if _descriptor["status"] not in ("partly_met", "not_met"):
        _descriptor["answers"] = []  # the plan prints answers only where there is a gap

EXAMPLE_PLAN: dict[str, Any] = {
    "language": "en",
    "labels": LABELS_EN,
    "team": "Northshire Parent-Infant Relationship Service",
    "date": "22 November 2026",
    "date_iso": "2026-11-22",
    "tree_version": "2026.1",
    "contributors": [
        "Dr Amira Okafor, clinical lead",
        "Siân Pritchard, operations manager",
        "Tom Fielding, parent-infant psychotherapist",
    ],
    "draft": False,
    "classification": {
        "title": "Not yet meeting the definition",
        "summary": "One or more descriptors in the definition are not yet met. Partly met "
        "counts as not met here. Each gap comes with steps to close it, and any targeted "
        "findings are named too.",
        "flags": ["Referrals are only accepted up to the first birthday, or younger"],
        "standing": "Descriptors of the definition met: 5 of 10.",
        "to_reach": [
            "Meeting Clinical supervision; Staff infant mental health competencies; Relationship "
            "concern as a reason for referral; Wider systems work would make the team a "
            "targeted parent-infant relationship team.",
            "To be a specialised team, it would also need to meet: Age range up to two.",
        ],
    },
    "movement": None,
    "last_time_actions": [],
    "domains": DOMAINS,
    "recorded_practice": {
        "title": "Further practice from the 2024 report",
        "note": "Optional. These questions come from the 2024 report \u201cWho is holding the "
        "baby?\u201d. They are not part of the definition and never change your result.",
        "answers": [
            _answer(
                "Does the team actively engage fathers and other parents or carers, and record "
                "them as service users?",
                "We are developing this",
                "Both parents are now recorded on the electronic record from first contact.",
            ),
            _answer(
                "Is the baby's voice considered in assessments, decisions and service planning?",
                "In some of our work",
            ),
            _answer("Do parents help design and develop the service?", "Not yet"),
            _answer(
                "Do you share a referral pathway or joint working with the perinatal mental "
                "health team?",
                "Yes, we share a pathway",
            ),
        ],
    },
    "next_steps": [
        "Agree a lead, a date and the support needed for each action above. Share the plan with "
        "your managers and commissioners, and sign it off together.",
        "To audit again, for example a year on, open your team\u2019s audit link and start your "
        "next audit.",
    ],
    "glossary": [
        {
            "term": "WTE (whole-time equivalent)",
            "definition": "Working time counted in full-time posts. 1.0 WTE is one full-time "
            "post, so two people who each work half-time make 1.0 WTE.",
        },
        {
            "term": "Reflective clinical supervision",
            "definition": "Protected, regular time with an experienced clinician to think about "
            "the work with families, how it affects the practitioner and what to do next. It is "
            "not line management, which deals with workload, performance and leave.",
        },
        {
            "term": "AIMH UK competencies (Levels 1 to 3)",
            "definition": "AIMH UK (the Association for Infant Mental Health) publishes an "
            "Infant Mental Health Competencies Framework covering pregnancy to age two. It has "
            "three levels, from Level 1 (core knowledge for anyone working with babies) to "
            "Level 3 (the most specialist, including supervising others).",
        },
        {
            "term": "THRIVE Framework",
            "definition": "A framework for children's mental health services that groups needs "
            "rather than tiers of service: Thriving, Getting Advice, Getting Help, Getting More "
            "Help and Getting Risk Support.",
        },
        {
            "term": "Targeted parent-infant relationship team",
            "definition": "In this audit, a team that meets the definition except that it only "
            "takes babies up to their first birthday, or only takes families with a defined "
            "characteristic.",
        },
    ],
    "sources": [CH3, CH4, CH5, CH6, CH7, CH8],
}


def example_plan() -> dict[str, Any]:
    """Return a deep copy of EXAMPLE_PLAN that a test may change freely."""
    return copy.deepcopy(EXAMPLE_PLAN)
