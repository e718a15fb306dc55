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
from bot.tree.engine import Evaluation, descriptor_questions
from bot.trees import current_tree


def labels() -> dict[str, str]:
    """Return every fixed heading and label of the plan, translated."""
    return {
        "document_title": gettext("Service development action plan"),
        "creator": gettext("Parent-infant team self-audit"),
        "draft": gettext("Draft"),
        "final": gettext("Final"),
        "date": gettext("Date"),
        "tree_version": gettext("Audit version"),
        "contributors": gettext("Who contributed"),
        "status": gettext("Status"),
        "result": gettext("Result"),
        "where_you_stand": gettext("Where you stand"),
        "in_progress": gettext(
            "The audit is not finished yet, so there is no result. The plan shows where the "
            "team stands on the questions answered so far."
        ),
        "domain": gettext("Domain"),
        "descriptor": gettext("Descriptor"),
        "met": presenters.status_label(m.MET),
        "partly_met": presenters.status_label(m.PARTLY_MET),
        "not_met": presenters.status_label(m.NOT_MET),
        "not_answered": presenters.status_label(m.NOT_ANSWERED),
        "outside_definition": gettext("Not part of the definition"),
        "priorities": gettext("Priorities"),
        "priority": gettext("Priority"),
        "priority_definition": gettext("Needed to meet the definition"),
        "priority_specialised": gettext("Needed to be a specialised team"),
        "priority_strengthen": gettext("Strengthens the team"),
        "actions_heading": gettext("Action plan"),
        "own_actions_hint": gettext(
            "The first rows are suggestions from the toolkit, chosen from your answers. Add your "
            "own actions in the blank rows, and add rows as you need them."
        ),
        "statement": gettext("What the definition asks"),
        "evidence_needed": gettext("Evidence that would show it is met"),
        "action": gettext("Action"),
        "lead": gettext("Lead"),
        "by_when": gettext("By when"),
        "support_needed": gettext("Support needed"),
        "progress": gettext("Progress"),
        "suggested_from": gettext("From"),
        "next_steps": gettext("Next steps"),
        "review_date": gettext("Review date"),
        "review_date_blank": "____________________",
        "how_to_rerun": gettext(
            "To run the audit again, open your team’s audit link: change any answers that "
            "have changed, then download a new plan.\n\nThe Parent-Infant Foundation can "
            "start a fresh audit for your team, for example a year on, and keep this one for "
            "comparison."
        ),
        "strengths": gettext("Strengths"),
        "appendix": gettext("Appendix: your answers"),
        "question": gettext("Question"),
        "answer": gettext("Your answer"),
        "your_notes": gettext("Your notes"),
        "glossary": gettext("Terms used"),
        "sources": gettext("Sources referred to"),
    }


#: How much an action matters, most pressing first: a gap in the definition; a gap that keeps
#: a targeted team from being specialised (a targeted finding); anything else.
DEFINITION, SPECIALISED, STRENGTHEN = "definition", "specialised", "strengthen"
PRIORITY_ORDER = (DEFINITION, SPECIALISED, STRENGTHEN)
MOST_PRIORITIES = 5
_GAPS = (m.PARTLY_MET, m.NOT_MET)


def priority_of(tree: m.Tree, evaluation: Evaluation, descriptor: m.Descriptor) -> str | None:
    """Say why acting on `descriptor` matters, or None when there is nothing to act on.

    A partly or not met descriptor of the definition is needed to meet it, unless a targeted
    finding explains it: then it is what a targeted team would need to become specialised.
    Everything else the evaluation suggests (outside the definition, or extra steps for a
    descriptor that is met) strengthens the team.
    """
    outcome = evaluation.descriptors[descriptor.id]
    gap = outcome.status in _GAPS
    if gap and tree.domains_by_id[descriptor.domain].definitional:
        flagged = {tree.flags_by_id[flag].descriptor for flag in evaluation.flags}
        return SPECIALISED if descriptor.id in flagged else DEFINITION
    if gap or outcome.actions:
        return STRENGTHEN
    return None


def _answer_row(state: AuditState, question_id: str) -> dict[str, str]:
    question = state.tree.question(question_id)
    record = state.records.get(question_id)
    return {
        "question": gettext(question.text),
        "answer": presenters.display_answer(question, record.value if record else None),
        "note": record.note if record else "",
        "question_id": question_id,
    }


def _add_their_words(state: AuditState, rows: list[dict[str, str]], disputed: dict) -> None:
    """Add to each answer's note, in their writers' names, a colleague's note kept with the
    answer and any answer a member kept as a disagreement ("Keep their answer")."""
    for row in rows:
        question = state.tree.question(row["question_id"])
        record = state.records.get(row["question_id"])
        lines = [row["note"]] if row["note"] else []
        if record is not None and record.kept_note:
            lines.append(
                gettext(
                    "Note by %(who)s, kept with this answer: %(note)s",
                    who=presenters.member_words(record.kept_note_by),
                    note=record.kept_note,
                )
            )
        for apart in disputed.get(row["question_id"], []):
            words = {
                "who": presenters.sentence_start(presenters.member_words(apart.by)),
                "date": format_date(apart.recorded, format="d MMMM yyyy"),
                "answer": presenters.display_answer(question, apart.value),
                "note": apart.note,
            }
            if apart.note:
                line = gettext(
                    "%(who)s disagreed on %(date)s: ‘%(answer)s’. Note: %(note)s", **words
                )
            else:
                line = gettext("%(who)s disagreed on %(date)s: ‘%(answer)s’.", **words)
            lines.append(line)
        row["note"] = "\n".join(lines)


def _answers_by_descriptor(state: AuditState) -> dict[str, list[dict[str, str]]]:
    """Give each answered question of a descriptor's domain to one descriptor, once.

    A question belongs to the first descriptor whose status it decides, else the first whose
    actions' conditions name it; a question that does neither (a follow-up such as when
    referrals start) goes with the question asked before it.
    """
    tree = state.tree
    owner: dict[str, str] = {}
    for descriptor in tree.descriptors:
        for question_id in descriptor_questions(tree, descriptor):
            owner.setdefault(question_id, descriptor.id)
    for descriptor in tree.descriptors:
        for action in descriptor.actions:
            for name in action.when.names if action.when else ():
                if name in tree.questions_by_id:
                    owner.setdefault(name, descriptor.id)
    rows: dict[str, list[dict[str, str]]] = {d.id: [] for d in tree.descriptors}
    previous: str | None = None
    for question_id in state.journey.path:
        question = tree.question(question_id)
        descriptor_id = owner.get(question_id)
        if (
            descriptor_id is None
            and previous
            and tree.descriptors_by_id[previous].domain == (question.domain)
        ):
            descriptor_id = previous
        if descriptor_id is None:
            continue
        rows[descriptor_id].append(_answer_row(state, question_id))
        previous = descriptor_id
    return rows


def _recorded_practice(state: AuditState) -> list[dict[str, str]]:
    """Answers in the optional block, without the question that only offers or skips it."""
    tree = state.tree
    described = set().union(*tree.descriptor_question_ids.values())
    return [
        _answer_row(state, question_id)
        for question_id in state.journey.path
        if tree.domains_by_id[tree.question(question_id).domain].optional
        and question_id not in described
        and not any(option.next for option in tree.question(question_id).options)
    ]


def _chapter_title(tree: m.Tree, action: m.Action) -> str:
    source = tree.sources_by_id.get(action.chapter)
    return gettext(source.title) if source else action.chapter


def _source_text(tree: m.Tree, action: m.Action) -> str:
    """Cite the chapter by its short name ("Toolkit chapter 7"); the appendix has the rest."""
    return gettext(
        "%(source)s, section ‘%(section)s’",
        source=_chapter_title(tree, action).split(": ", 1)[0],
        section=gettext(action.section),
    )


def _titles(tree: m.Tree, descriptor_ids) -> str:
    return "; ".join(gettext(tree.descriptors_by_id[d].title) for d in descriptor_ids)


def _classification(state: AuditState) -> dict[str, Any] | None:
    """The result in plain words: what it is, how much of the definition is met, what next."""
    view = presenters.result_view(state)
    if view is None:
        return None
    tree, evaluation = state.tree, state.evaluation
    definitional = tree.definitional_descriptors
    met = [d for d in definitional if evaluation.descriptors[d].status in tree.counts_as_met]
    unmet = [d for d in definitional if d not in met]
    to_reach = []
    if view.to_reach and view.to_reach_result is not None:
        change = [d.id for d in view.to_reach]
        if view.result.id == "targeted":
            to_reach.append(
                gettext(
                    "If the team wants to become a specialised team, it would need to meet: "
                    "%(descriptors)s.",
                    descriptors=_titles(tree, change),
                )
            )
        else:
            to_reach.append(
                gettext(
                    "Meeting %(descriptors)s would make the team a %(result)s.",
                    descriptors=_titles(tree, change),
                    result=gettext(view.to_reach_result.title).lower(),
                )
            )
            rest = [d for d in unmet if d not in change]
            if rest and view.to_reach_result.id != tree.results[0].id:
                to_reach.append(
                    gettext(
                        "To be a specialised team, it would also need to meet: %(descriptors)s.",
                        descriptors=_titles(tree, rest),
                    )
                )
    return {
        "title": gettext(view.result.title),
        "summary": gettext(view.result.summary),
        "standing": gettext(
            "Descriptors of the definition met: %(met)s of %(total)s.",
            met=len(met),
            total=len(definitional),
        ),
        "to_reach": to_reach,
    }


def _priorities(domains: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The first few things to act on: gaps in the definition first, then the rest."""
    ranked = sorted(
        (
            descriptor
            for domain in domains
            for descriptor in domain["descriptors"]
            if descriptor["priority"]
        ),
        key=lambda descriptor: PRIORITY_ORDER.index(descriptor["priority"]),
    )
    chosen = []
    for descriptor in ranked[:MOST_PRIORITIES]:
        gap = descriptor["status"] in _GAPS
        text = descriptor["because"] if gap else descriptor["actions"][0]["text"]
        chosen.append(
            {
                "id": descriptor["id"],
                "title": descriptor["title"],
                "status": descriptor["status"],
                "priority": descriptor["priority"],
                "text": text,
            }
        )
    return chosen


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
    answers = _answers_by_descriptor(state)
    domains = []
    cited = []  # chapter titles, from the tree rather than split out of translated text
    for domain_result in presenters.domain_results(state):
        descriptors = []
        for item in domain_result.descriptors:
            descriptor = item.descriptor
            # Only what the evaluation selected for this team's answers, in the tree's order.
            actions = list(item.actions)
            cited.extend(_chapter_title(tree, action) for action in actions)
            descriptors.append(
                {
                    "id": descriptor.id,
                    "title": gettext(descriptor.title),
                    "statement": gettext(descriptor.statement),
                    "status": item.status,
                    "because": item.because,
                    "priority": priority_of(tree, evaluation, descriptor),
                    "answers": answers[descriptor.id],
                    "evidence": [gettext(text) for text in descriptor.evidence],
                    "actions": [
                        {
                            "id": action.id,
                            "text": gettext(action.text),
                            "source": _source_text(tree, action),
                        }
                        for action in actions
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
                "descriptors": descriptors,
            }
        )
    optional = next((domain for domain in tree.domains if domain.optional), None)
    practice = _recorded_practice(state)
    disputed = store.disagreements(get_db(), state.audit["id"])
    for rows in [*answers.values(), practice]:
        _add_their_words(state, rows, disputed)
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
        "classification": _classification(state),
        "priorities": _priorities(domains),
        "movement": _movement(state),
        "domains": domains,
        "recorded_practice": {
            "title": gettext(optional.title) if optional else "",
            "note": gettext(optional.note) if optional and optional.note else "",
            "answers": practice,
        },
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
