"""Serialise an audit into the plain dict the Word action plan is built from.

Every string is translated here, in the user's language, so `action_plan` holds no text of
its own and needs no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from flask_babel import format_date, gettext

from bot import store
from bot.audit import presenters
from bot.audit.state import AuditState, load_previous_state
from bot.db import get_db
from bot.i18n import current_language
from bot.tree import model as m
from bot.tree.engine import descriptor_questions
from bot.trees import current_tree


def labels() -> dict[str, str]:
    """Return every fixed heading and label of the plan, translated."""
    return {
        "document_title": gettext("Service development action plan"),
        "creator": gettext("Parent-infant team self-audit"),
        "draft": gettext("Draft"),
        "final": gettext("Final"),
        "team": gettext("Team"),
        "date": gettext("Date"),
        "tree_version": gettext("Audit version"),
        "contributors": gettext("Who contributed"),
        "status": gettext("Status"),
        "where_you_stand": gettext("Where you stand"),
        "what_would_change": gettext("What would change the result"),
        "in_progress": gettext(
            "The audit is not finished yet, so there is no result. The sections below show "
            "where the team stands on the questions answered so far."
        ),
        "at_a_glance": gettext("At a glance"),
        "domain": gettext("Domain"),
        "met": presenters.status_label(m.MET),
        "partly_met": presenters.status_label(m.PARTLY_MET),
        "not_met": presenters.status_label(m.NOT_MET),
        "not_answered": presenters.status_label(m.NOT_ANSWERED),
        "outside_definition": gettext("Audited, but not part of the definition"),
        "question": gettext("Question"),
        "answer": gettext("Your answer"),
        "your_notes": gettext("Your notes"),
        "strengths": gettext("Strengths"),
        "evidence": gettext("Evidence"),
        "evidence_needed": gettext("Evidence that would show it is met"),
        "actions_heading": gettext("Actions"),
        "action": gettext("Action"),
        "lead": gettext("Lead"),
        "by_when": gettext("By when"),
        "support_needed": gettext("Support needed"),
        "progress": gettext("Progress"),
        "suggested_from": gettext("From"),
        "own_actions_hint": gettext(
            "The first rows are suggestions from the toolkit. Add your own actions in the "
            "blank rows, and add rows as you need them."
        ),
        "next_steps": gettext("Next steps"),
        "review_date": gettext("Review date"),
        "review_date_blank": "____________________",
        "how_to_rerun": gettext(
            "To run the audit again, open your team’s audit link: change any answers that "
            "have changed, then download a new plan.\n\nThe Parent-Infant Foundation can "
            "start a fresh audit for your team, for example a year on, and keep this one for "
            "comparison."
        ),
        "extra_answers": gettext("Further practice (optional questions)"),
        "glossary": gettext("Terms used"),
        "sources": gettext("Toolkit chapters referred to"),
        "appendix": gettext("Appendix"),
    }


def _answers_for(state: AuditState, question_ids: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for question_id in question_ids:
        if question_id not in state.journey.path:
            continue
        question = state.tree.question(question_id)
        record = state.records.get(question_id)
        rows.append(
            {
                "question": gettext(question.text),
                "answer": presenters.display_answer(question, record.value if record else None),
                "note": record.note if record else "",
            }
        )
    return rows


def _chapter_title(tree: m.Tree, action: m.Action) -> str:
    source = tree.sources_by_id.get(action.chapter)
    return gettext(source.title) if source else action.chapter


def _source_text(tree: m.Tree, action: m.Action) -> str:
    return gettext(
        "%(source)s, section ‘%(section)s’",
        source=_chapter_title(tree, action),
        section=gettext(action.section),
    )


def _movement(state: AuditState) -> dict[str, Any] | None:
    """Return "Since your last audit" for the plan, or None when there was no last time."""
    view = presenters.movement_view(state, load_previous_state(get_db(), current_tree(), state))
    if view is None:
        return None
    if view.after and view.result_changed:
        summary = gettext(
            "Last time (%(date)s) your result was %(before)s. Now it is %(after)s.",
            date=view.since,
            before=view.before,
            after=view.after,
        )
    elif view.after:
        summary = gettext(
            "Your result is %(result)s, as it was last time (%(date)s).",
            result=view.after,
            date=view.since,
        )
    else:
        summary = gettext(
            "Last time (%(date)s) your result was %(before)s. Answer every question to see "
            "your result now.",
            date=view.since,
            before=view.before,
        )
    return {
        "heading": gettext("Since your last audit"),
        "summary": summary,
        "table_heading": gettext("Descriptors whose status moved"),
        "columns": [gettext("Descriptor"), gettext("Last time"), gettext("Now")],
        "rows": [
            {
                "descriptor": move.title,
                "before": move.before,
                "after": move.after,
                "direction": move.direction,
            }
            for move in view.moves
        ],
        "none_moved": (
            gettext("No descriptor has moved: each is where it was last time.")
            if view.unchanged and not view.moves
            else ""
        ),
    }


def plan_dict(state: AuditState, today: date | None = None) -> dict[str, Any]:
    """Return the plan for this audit as a plain dict of translated strings."""
    tree = state.tree
    today = today or date.today()
    evaluation = state.evaluation
    view = presenters.result_view(state)
    classification = None
    if view is not None:
        targeted = view.result.id == "targeted" or bool(view.flags)
        classification = {
            "title": gettext(view.result.title),
            "summary": gettext(view.result.summary),
            "reasons": [
                f"{gettext(reason.descriptor.title)}: {reason.because}" for reason in view.reasons
            ]
            + [f"{gettext(flag.title)}. {gettext(flag.explanation)}" for flag in view.flags],
            "to_reach": (
                gettext(
                    "To become a %(result)s, the team would need to meet: %(descriptors)s.",
                    result=gettext(view.to_reach_result.title).lower(),
                    descriptors="; ".join(gettext(d.title) for d in view.to_reach),
                )
                if view.to_reach
                else None
            ),
            "targeted_note": (
                gettext(
                    "A targeted team does valuable specialised work, but only for some babies: "
                    "those up to their first birthday, or families with a defined characteristic. "
                    "A specialised team accepts any baby up to at least the second birthday when "
                    "there is a concern about the parent-infant relationship."
                )
                if targeted
                else None
            ),
        }

    domains = []
    cited = []  # chapter titles, from the tree rather than split out of translated text
    for domain_result in presenters.domain_results(state):
        descriptors = []
        for item in domain_result.descriptors:
            descriptor = item.descriptor
            cited.extend(_chapter_title(tree, action) for action in item.actions)
            descriptors.append(
                {
                    "id": descriptor.id,
                    "title": gettext(descriptor.title),
                    "statement": gettext(descriptor.statement),
                    "status": item.status,
                    "because": item.because,
                    "answers": _answers_for(state, descriptor_questions(tree, descriptor)),
                    "evidence": [gettext(text) for text in descriptor.evidence],
                    "actions": [
                        {"text": gettext(action.text), "source": _source_text(tree, action)}
                        for action in item.actions
                    ],
                }
            )
        domain = domain_result.domain
        domains.append(
            {
                "id": domain.id,
                "title": gettext(domain.title),
                "definitional": domain.definitional,
                "optional": domain.optional,
                "note": gettext(domain.note) if domain.note else "",
                "counts": dict(domain_result.counts),
                "descriptors": descriptors,
            }
        )

    described = {
        question_id
        for descriptor in tree.descriptors
        for question_id in descriptor_questions(tree, descriptor)
    }
    optional_questions = tuple(
        question.id
        for question in tree.questions
        if tree.domains_by_id[question.domain].optional and question.id not in described
    )
    people = store.contributors(get_db(), state.audit["id"])
    return {
        "language": current_language(),
        "labels": labels(),
        "team": state.team["name"],
        "date": format_date(today, format="d MMMM yyyy"),
        "date_iso": today.isoformat(),
        "tree_version": str(tree.version),
        "contributors": [
            f"{person['name']} ({person['role']})" if person.get("role") else person["name"]
            for person in people
            if person.get("name")
        ],
        "draft": not (state.finished and evaluation.classification is not None),
        "classification": classification,
        "movement": _movement(state),
        "domains": domains,
        "extra_answers": _answers_for(state, optional_questions),
        "next_steps": [
            gettext(
                "Agree who leads each action and by when, and fill in the tables above. "
                "Share the plan with your managers, funders and commissioners."
            ),
            gettext(
                "Set a date to review the plan, for example in six months, and note "
                "progress in the Progress column."
            ),
        ],
        "glossary": [
            {"term": gettext(term.term), "definition": gettext(term.definition)}
            for term in tree.glossary
        ],
        "sources": sorted(dict.fromkeys(cited)),
    }


def plan_filename(team_name: str, today: date) -> str:
    """Return `<team-name>-action-plan-<date>.docx`, ASCII and safe in any browser."""
    ascii_name = unicodedata.normalize("NFKD", team_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "team"
    return f"{slug}-action-plan-{today.isoformat()}.docx"
