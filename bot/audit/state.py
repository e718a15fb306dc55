"""An audit as the pages see it: loaded from the store and assessed by `tree.assessment.assess`.

`load_state` (the team's current audit) and `load_audit_state` (any audit, for the console)
both end in the one evaluation, with the tree the audit is on, which is also how the store
works out the standing it keeps (`store.keep_standing`): the team and the console cannot
disagree about an audit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bot import storage_failure, store
from bot.tree.answers import AnswerError, check_answer, fitting_answers
from bot.tree.assessment import FINISHED, Assessment, assess
from bot.tree.engine import Evaluation
from bot.tree.model import Question, Tree
from bot.trees import is_newer, tree_for_audit, tree_for_digest


@dataclass(frozen=True)
class AuditState:
    """An audit as the pages see it: the team, its answers log and the tree it is on.

    Its assessment is made when a page first asks for it, once per request: a POST whose
    answer is saved uses the assessment the store makes of the audit with that answer in it
    (`store.record_answer`), so it evaluates the audit once, not before and after.
    """

    team: dict
    audit: dict
    records: dict[str, store.AnswerRecord]
    tree: Tree  # the tree the audit is on (`bot.trees.tree_for_audit`)
    tree_move: dict | None = field(default=None)

    @cached_property
    def assessment(self) -> Assessment:
        return assess(self.tree, self.audit, self.answers)

    @cached_property
    def fitted(self) -> dict[str, Any]:
        """The latest answers that fit their questions (the assessment's `fitted`), without
        evaluating the audit: what a posted answer is checked against."""
        return fitting_answers(self.tree, self.answers)[0]

    @property
    def evaluation(self) -> Evaluation:
        return self.assessment.evaluation

    @property
    def answers(self) -> dict[str, Any]:
        """Every question's latest stored value, fitting or not (forms show what was typed)."""
        return {question_id: record.value for question_id, record in self.records.items()}

    @property
    def journey(self):
        return self.assessment.journey

    @property
    def finished(self) -> bool:
        return self.audit["status"] == FINISHED


def values_of(records: Mapping[str, store.AnswerRecord]) -> dict[str, Any]:
    return {question_id: record.value for question_id, record in records.items()}


def move_to_current_tree(db, audit: dict, values: dict[str, Any], tree: Tree) -> dict:
    """Move an in-progress audit to the current tree, logging what the team must look at."""
    old = tree_for_digest(db, audit["tree_digest"], tree)
    _, unfit = fitting_answers(tree, values)
    new_questions = sum(1 for q in tree.questions if q.id not in old.questions_by_id) if old else 0
    removed = sum(1 for question_id in values if question_id not in tree.questions_by_id)
    store.move_audit_to_tree(
        db,
        audit["id"],
        tree,
        from_digest=audit["tree_digest"],
        new_questions=new_questions,
        asked_again=len(unfit),
        removed=removed,
    )
    return store.get_audit(db, audit["id"])


def _move_if_free(db, audit: dict, values: dict[str, Any], tree: Tree) -> dict:
    """Move the audit to the current tree unless the database is read-only or busy."""
    try:
        with store.without_waiting(db):
            return move_to_current_tree(db, audit, values, tree)
    except sqlite3.OperationalError as error:
        if storage_failure.problem(error) not in (storage_failure.BUSY, storage_failure.READ_ONLY):
            raise
        return audit


def load_audit_state(db, current: Tree, team: dict, audit: dict) -> AuditState:
    """Load one audit of a team (current or past) and assess it against its own tree."""
    records = store.current_answers(db, audit["id"])
    audit_tree = tree_for_audit(db, audit, current)
    return AuditState(team, audit, records, audit_tree)


def load_state(db, current: Tree, team: dict, *, writing: bool = True) -> AuditState:
    """Load the team's current audit, moving it to the current tree if in progress and older.

    A page that only reads (`writing` False) stores nothing: a team with no audit yet sees the
    one it is about to start, and the move to a newer tree never waits for another
    connection's write: the page never waits for a long one, nor fails on read-only storage
    (the audit is shown on the current tree all the same, and moved on a later visit).
    """
    tree = {"tree_id": current.id, "tree_version": current.version, "tree_digest": current.digest}
    if writing:
        audit = store.current_audit(db, team["id"], **tree)
    else:
        audit = store.latest_audit(db, team["id"]) or store.unsaved_audit(team["id"], **tree)
    records = store.current_answers(db, audit["id"]) if audit["id"] is not None else {}
    if audit["id"] is not None and audit["status"] != FINISHED and is_newer(db, current, audit):
        if writing:
            audit = move_to_current_tree(db, audit, values_of(records), current)
        else:
            audit = _move_if_free(db, audit, values_of(records), current)
    audit_tree = tree_for_audit(db, audit, current)
    move = store.last_tree_move(db, audit["id"]) if audit["tree_digest"] == current.digest else None
    return AuditState(team, audit, records, audit_tree, move)


def load_previous_state(db, current: Tree, state: AuditState) -> AuditState | None:
    """Load "last time": the team's latest finished audit before this one, or None.

    It is assessed like any audit (`load_audit_state`), so with the tree it was answered on.
    """
    audit = store.previous_finished_audit(db, state.team["id"], state.audit["id"])
    return load_audit_state(db, current, state.team, audit) if audit else None


def last_time_answer(previous: AuditState | None, question: Question) -> store.AnswerRecord | None:
    """Return last time's answer to `question` to offer for confirming, or None to ask fresh.

    Only an answer that counted last time (on that audit's path) and still fits the question
    as it is now is offered: a question new since that tree version, or one whose options
    changed under the answer, is asked fresh.
    """
    if previous is None or question.id not in previous.journey.path:
        return None
    record = previous.records.get(question.id)
    if record is None:
        return None
    try:
        check_answer(question, record.value)
    except AnswerError:
        return None
    return record


def load_earlier_states(db, current: Tree, state: AuditState) -> list[AuditState]:
    """Load the team's audits before this one, newest first, each assessed with its own tree."""
    return [
        load_audit_state(db, current, state.team, audit)
        for audit in store.audits_for_team(db, state.team["id"])
        if audit["id"] < state.audit["id"]
    ]
