"""An audit as the pages see it: the team, its stored answers and what the engine makes of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import store
from bot.tree.answers import fitting_answers
from bot.tree.engine import Evaluation, evaluate
from bot.tree.model import Tree
from bot.trees import tree_for_audit, tree_for_digest


@dataclass(frozen=True)
class AuditState:
    tree: Tree
    team: dict
    audit: dict
    records: dict[str, store.AnswerRecord]
    evaluation: Evaluation
    tree_move: dict | None = None

    @property
    def answers(self) -> dict[str, Any]:
        return {question_id: record.value for question_id, record in self.records.items()}

    @property
    def journey(self):
        return self.evaluation.journey

    @property
    def finished(self) -> bool:
        return self.audit["status"] == "finished"


def move_to_current_tree(db, audit: dict, values: dict[str, Any], tree: Tree) -> dict:
    """Move an in-progress audit to the current tree, logging what the team must look at."""
    old = tree_for_digest(db, audit["tree_digest"], tree)
    _, unfit = fitting_answers(tree, values)
    new_questions = sum(1 for q in tree.questions if q.id not in old.questions_by_id) if old else 0
    removed = sum(1 for question_id in values if question_id not in tree.questions_by_id)
    store.move_audit_to_tree(
        db,
        audit["id"],
        from_digest=audit["tree_digest"],
        to_digest=tree.digest,
        to_version=tree.version,
        new_questions=new_questions,
        asked_again=len(unfit),
        removed=removed,
    )
    return store.get_audit(db, audit["id"])


def load_state(db, tree: Tree, team: dict) -> AuditState:
    """Load the team's current audit and evaluate it against the tree it belongs to.

    A finished audit keeps the tree it was answered on; one in progress moves to the current
    tree on this visit. Answers that no longer fit their question are left out, so the
    question is asked again; they stay in the log.
    """
    audit = store.current_audit(
        db, team["id"], tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
    )
    records = store.current_answers(db, audit["id"])
    values = {question_id: record.value for question_id, record in records.items()}
    if audit["status"] != store.FINISHED and audit["tree_digest"] != tree.digest:
        audit = move_to_current_tree(db, audit, values, tree)
    audit_tree = tree_for_audit(db, audit, tree)
    answers, _ = fitting_answers(audit_tree, values)
    move = store.last_tree_move(db, audit["id"]) if audit["tree_digest"] == tree.digest else None
    return AuditState(audit_tree, team, audit, records, evaluate(audit_tree, answers), move)
