"""Serialise an audit into the plain dict the Word action plan is built from.

Every string is translated here, in the user's language, so `action_plan` holds no text of
its own and needs no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from flask_babel import format_date, gettext, to_user_timezone

from bot import store
from bot.audit import presenters
from bot.audit.state import AuditState, load_previous_state
from bot.db import get_db
from bot.i18n import current_language
from bot.tree import model as m
from bot.tree.engine import Evaluation, descriptor_questions
from bot.tree.movement import IMPROVED, movement
from bot.trees import current_tree

#: Page one's first steps: this many actions, the first step of each most pressing descriptor.
FIRST_STEPS = 3


def labels() -> dict[str, str]:
    """Return every fixed heading and label of the plan, translated."""
    return {
        "document_title": gettext("Service development action plan"),
        "creator": gettext("Parent-infant team self-audit"),
        "draft": gettext("Draft"),
        "date": gettext("Audit finished"),
        "draft_date": gettext("Answers as on"),
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
        "last_time": gettext("Last time"),
        "met": presenters.status_label(m.MET),
        "partly_met": presenters.status_label(m.PARTLY_MET),
        "not_met": presenters.status_label(m.NOT_MET),
        "not_answered": presenters.status_label(m.NOT_ANSWERED),
        "moved_forward": gettext("moved forward"),
        "moved_back": gettext("moved back"),
        "outside_definition": gettext("Not part of the definition"),
        "first_steps": gettext("First steps"),
        "commissioners": gettext("What we need from our commissioners"),
        "commissioners_none": gettext(
            "None of the steps in this plan asks for a change to what is commissioned."
        ),
        "sign_off": gettext("Agreed by"),
        "role": gettext("Role"),
        "name": gettext("Name"),
        "signature": gettext("Signature"),
        "sign_date": gettext("Date"),
        "clinical_lead": gettext("Clinical lead"),
        "service_manager": gettext("Service manager"),
        "commissioner": gettext("Commissioner"),
        "priority_definition": gettext("Needed to meet the definition"),
        "priority_specialised": gettext("Needed to be a specialised team"),
        "priority_strengthen": gettext("Strengthens the team"),
        "actions_heading": gettext("Action plan"),
        "own_actions_hint": gettext(
            "The steps come from the toolkit, the self-audit page and the 2024 report, chosen "
            "from your answers: at most three for each descriptor, in the order they need to "
            "happen. Add your own in the blank rows, and keep each step's status up to date: "
            "not started, in progress or done."
        ),
        "action": gettext("Action"),
        "done_when": gettext("Done when"),
        "lead": gettext("Lead"),
        "by_when": gettext("By when"),
        "support_needed": gettext("Support needed"),
        "action_status": gettext("Status"),
        "not_started": gettext("Not started"),
        "suggested_from": gettext("From"),
        "your_note": gettext("Your note"),
        "last_year": gettext("Last time’s actions"),
        "last_year_hint": gettext(
            "The steps your last plan suggested. Mark each one done or carried over."
        ),
        "done_or_carried": gettext("Done or carried over"),
        "again": gettext("In this plan again"),
        "next_steps": gettext("Next steps"),
        "review_date": gettext("Review date"),
        "review_date_blank": "____________________",
        "appendix": gettext("Appendix: your answers where there is a gap"),
        "question": gettext("Question"),
        "answer": gettext("Your answer"),
        "your_notes": gettext("Your notes"),
        "glossary": gettext("Terms used"),
        "sources": gettext("Sources"),
    }


#: How much an action matters, most pressing first: a gap in the definition; a gap that keeps
#: a targeted team from being specialised (a targeted finding); anything else.
DEFINITION, SPECIALISED, STRENGTHEN = "definition", "specialised", "strengthen"
PRIORITY_ORDER = (DEFINITION, SPECIALISED, STRENGTHEN)
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
        "id": question_id,
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

    A question belongs to the first descriptor whose status it decides, else the first of its
    domain whose actions' conditions name it; a question that does neither (a follow-up such
    as when referrals start) goes with the question asked before it. The optional block's
    questions stay with the recorded practice, even where an action's condition names them.
    """
    tree = state.tree
    owner: dict[str, str] = {}
    for descriptor in tree.descriptors:
        for question_id in descriptor_questions(tree, descriptor):
            owner.setdefault(question_id, descriptor.id)
    for descriptor in tree.descriptors:
        for action in descriptor.actions:
            for name in action.when.names if action.when else ():
                question = tree.questions_by_id.get(name)
                if question is not None and question.domain == descriptor.domain:
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


def _with_english(english: str) -> str:
    """Translate a title the sources have only in English, keeping the English in brackets.

    The toolkit, the self-audit page and the 2024 report are in English only: a reader of the
    Welsh plan finds a section by its English title.
    """
    translated = gettext(english)
    return translated if translated == english else f"{translated} ({english})"


def _chapter_title(tree: m.Tree, action: m.Action) -> str:
    source = tree.sources_by_id.get(action.chapter)
    return _with_english(source.title) if source else action.chapter


def _source_text(tree: m.Tree, action: m.Action) -> str:
    """Cite the source by its short name ("Toolkit chapter 7"); Sources has the rest."""
    source = tree.sources_by_id.get(action.chapter)
    short = gettext(source.title).split(": ", 1)[0] if source else action.chapter
    return gettext(
        "%(source)s, section ‘%(section)s’", source=short, section=_with_english(action.section)
    )


def _titles(tree: m.Tree, descriptor_ids) -> str:
    return "; ".join(gettext(tree.descriptors_by_id[d].title) for d in descriptor_ids)


def _met_count(state: AuditState) -> int:
    tree = state.tree
    return sum(
        1
        for descriptor_id in tree.definitional_descriptors
        if state.evaluation.descriptors[descriptor_id].status in tree.counts_as_met
    )


def _classification(state: AuditState) -> dict[str, Any] | None:
    """The result in plain words: what it is, how much of the definition is met, what next."""
    view = presenters.result_view(state)
    if view is None:
        return None
    tree = state.tree
    definitional = tree.definitional_descriptors
    unmet = [
        d for d in definitional if state.evaluation.descriptors[d].status not in tree.counts_as_met
    ]
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
        "flags": [gettext(flag.title) for flag in view.flags],
        "standing": gettext(
            "Descriptors of the definition met: %(met)s of %(total)s.",
            met=_met_count(state),
            total=len(definitional),
        ),
        "to_reach": to_reach,
    }


def _movement(state: AuditState, previous: AuditState | None) -> dict[str, Any] | None:
    """Since the last audit, in words: the direction, "5 → 7 of 10 met", the result then."""
    view = presenters.movement_view(state, previous)
    if view is None or previous is None:
        return None
    before, after = _met_count(previous), _met_count(state)
    total = len(state.tree.definitional_descriptors)
    if after > before:
        direction = gettext("Moved forward since your last audit (%(date)s)", date=view.since)
    elif after < before:
        direction = gettext("Moved back since your last audit (%(date)s)", date=view.since)
    else:
        direction = gettext(
            "No change in the count since your last audit (%(date)s)", date=view.since
        )
    count = gettext(
        "%(before)s → %(after)s of %(total)s descriptors of the definition met",
        before=before,
        after=after,
        total=total,
    )
    if view.after and view.result_changed:
        result = gettext("Result: %(before)s → %(after)s.", before=view.before, after=view.after)
    elif view.after:
        result = gettext("Result: %(result)s, as last time.", result=view.after)
    else:
        result = gettext("Last time’s result: %(result)s.", result=view.before)
    previous_statuses = {
        descriptor_id: outcome.status
        for descriptor_id, outcome in previous.evaluation.descriptors.items()
    }
    moves = movement(previous.assessment, state.assessment).moves
    return {
        "summary": f"{direction}: {count}. {result}",
        "statuses": previous_statuses,
        "moves": {
            move.descriptor: "forward" if move.direction == IMPROVED else "back" for move in moves
        },
    }


def _last_time_actions(state: AuditState, previous: AuditState | None) -> list[dict[str, Any]]:
    """Last plan's steps, each with whether this plan suggests it again."""
    if previous is None:
        return []
    now = {
        (descriptor_id, action.id)
        for descriptor_id, outcome in state.evaluation.descriptors.items()
        for action in outcome.actions
    }
    rows = []
    for view in (v for domain in presenters.domain_results(previous) for v in domain.descriptors):
        for action, text in zip(view.actions, view.action_texts, strict=True):
            rows.append(
                {
                    "descriptor": gettext(view.descriptor.title),
                    "text": text,
                    "again": (view.descriptor.id, action.id) in now,
                }
            )
    return rows


def _notes_beside_actions(
    tree: m.Tree, descriptor: m.Descriptor, actions: list[m.Action], state: AuditState
) -> list[list[str]]:
    """Put each of the team's notes beside the first action it bears on, once.

    A note bears on an action whose condition names its question; a note on a question that
    decides the descriptor, and that no shown action names, goes beside the first action.
    """
    notes: dict[str, str] = {}
    for question_id in descriptor_questions(tree, descriptor):
        record = state.records.get(question_id)
        if record and record.note and question_id in state.journey.path:
            notes[question_id] = record.note
    for action in descriptor.actions:
        for name in action.when.names if action.when else ():
            record = state.records.get(name)
            if record and record.note and name in state.journey.path:
                notes.setdefault(name, record.note)
    beside: list[list[str]] = [[] for _ in actions]
    placed: set[str] = set()
    for index, action in enumerate(actions):
        for name in sorted(action.when.names if action.when else (), key=str):
            if name in notes and name not in placed:
                beside[index].append(notes[name])
                placed.add(name)
    if actions:
        decided = set(descriptor_questions(tree, descriptor))
        beside[0].extend(
            note
            for question_id, note in notes.items()
            if question_id not in placed and question_id in decided
        )
    return beside


def _terms_used(tree: m.Tree, descriptor_ids: set[str], question_ids: set[str]) -> set[str]:
    """The glossary terms the plan uses: those of each descriptor it acts on or answers for,
    and those of each question it prints whose text names the term (a question about models
    links every model's term, but only names them in its options)."""
    used: set[str] = set()
    for descriptor in tree.descriptors:
        if descriptor.id in descriptor_ids:
            used |= set(descriptor.terms)
    terms = {term.id: term for term in tree.glossary}
    for question in tree.questions:
        if question.id not in question_ids:
            continue
        for term_id in question.terms:
            term = terms.get(term_id)
            first_word = re.split(r"[\s(]", term.term, maxsplit=1)[0] if term else ""
            if first_word and re.search(rf"\b{re.escape(first_word)}", question.text, re.I):
                used.add(term_id)
    return used


def plan_date(state: AuditState) -> date:
    """The plan's date: when the audit finished, in the user's time zone; today for a draft."""
    finished = state.audit.get("finished")
    if state.finished and finished is not None:
        return to_user_timezone(finished).date()
    return date.today()


def plan_dict(state: AuditState) -> dict[str, Any]:
    """Return the plan for this audit as a plain dict of translated strings."""
    tree = state.tree
    day = plan_date(state)
    evaluation = state.evaluation
    answers = _answers_by_descriptor(state)
    previous = load_previous_state(get_db(), current_tree(), state)
    moved = _movement(state, previous)
    domains = []
    cited = []  # source titles, from the tree rather than split out of translated text
    shown_descriptors: set[str] = set()
    shown_questions: set[str] = set()
    for domain_result in presenters.domain_results(state):
        descriptors = []
        for item in domain_result.descriptors:
            descriptor = item.descriptor
            outcome = evaluation.descriptors[descriptor.id]
            # Only what the evaluation selected for this team's answers, in the tree's order.
            actions = list(item.actions)
            cited.extend(_chapter_title(tree, action) for action in actions)
            notes = _notes_beside_actions(tree, descriptor, actions, state)
            priority = priority_of(tree, evaluation, descriptor)
            gap = item.status in _GAPS
            if priority:
                shown_descriptors.add(descriptor.id)
            if gap:
                shown_questions |= {row["id"] for row in answers[descriptor.id]}
            descriptors.append(
                {
                    "id": descriptor.id,
                    "title": gettext(descriptor.title),
                    "status": item.status,
                    "because": item.because,
                    "priority": priority,
                    "last_time": (
                        presenters.status_label(moved["statuses"][descriptor.id])
                        if moved and descriptor.id in moved["statuses"]
                        else ""
                    ),
                    "moved": moved["moves"].get(descriptor.id, "") if moved else "",
                    "answers": answers[descriptor.id] if gap else [],
                    "actions": [
                        {
                            "id": action.id,
                            "text": text,
                            "source": _source_text(tree, action),
                            "done_when": presenters.render_reason(tree, outcome.done_when(action)),
                            "notes": action_notes,
                            "commissioners": action.commissioners,
                        }
                        for action, text, action_notes in zip(
                            actions, item.action_texts, notes, strict=True
                        )
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
                "descriptors": descriptors,
            }
        )
    optional = next((domain for domain in tree.domains if domain.optional), None)
    practice = _recorded_practice(state)
    disputed = store.disagreements(get_db(), state.audit["id"])
    for rows in [*answers.values(), practice]:
        _add_their_words(state, rows, disputed)
    shown_questions |= {row["id"] for row in practice}
    terms_used = _terms_used(tree, shown_descriptors, shown_questions)
    people = store.contributors(get_db(), state.audit["id"])
    draft = not (state.finished and evaluation.classification is not None)
    return {
        "language": current_language(),
        "labels": labels(),
        "team": state.team["name"],
        "date": format_date(day, format="d MMMM yyyy"),
        "date_iso": day.isoformat(),
        "tree_version": str(tree.version),
        "contributors": [
            f"{person['name']} ({person['role']})" if person.get("role") else person["name"]
            for person in people
            if person.get("name")
        ],
        "draft": draft,
        "classification": _classification(state),
        "movement": {"summary": moved["summary"]} if moved else None,
        "last_time_actions": _last_time_actions(state, previous),
        "domains": domains,
        "recorded_practice": {
            "title": gettext(optional.title) if optional else "",
            "note": gettext(optional.note) if optional and optional.note else "",
            "answers": practice,
        },
        "next_steps": _next_steps(any(d["actions"] for x in domains for d in x["descriptors"])),
        "glossary": [
            {"term": gettext(term.term), "definition": gettext(term.definition)}
            for term in tree.glossary
            if term.id in terms_used
        ],
        "sources": sorted(dict.fromkeys(cited)),
    }


def _next_steps(has_actions: bool) -> list[str]:
    """What to do with the plan: true of this plan, with or without action tables."""
    steps = []
    if has_actions:
        steps.append(
            gettext(
                "Agree a lead, a date and the support needed for each action above, and put "
                "the first steps on page one. Share the plan with your managers and "
                "commissioners, and sign it off together."
            )
        )
        steps.append(
            gettext(
                "Review the plan, for example every three months: mark each action in progress "
                "or done, and add new steps as you need them."
            )
        )
    else:
        steps.append(
            gettext(
                "Share the plan with your managers and commissioners, and keep the evidence "
                "for each descriptor ready."
            )
        )
    steps.append(
        gettext(
            "To audit again, for example a year on, open your team’s audit link and start your "
            "next audit: your answers are filled in from this one, which is kept with this plan."
        )
    )
    return steps


def plan_filename(team_name: str, day: date, draft: bool = False) -> str:
    """Return `<team-name>-action-plan-<date>.docx`, ASCII and safe in any browser.

    The date is the audit's finish, so last year's plan keeps last year's name; a draft says so.
    """
    ascii_name = unicodedata.normalize("NFKD", team_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "team"
    kind = "action-plan-draft" if draft else "action-plan"
    return f"{slug}-{kind}-{day.isoformat()}.docx"
