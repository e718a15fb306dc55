"""An audit as the pages see it: the team, its stored answers and what the engine makes of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import store
from bot.engine import Evaluation, evaluate
from bot.tree_model import Tree


@dataclass(frozen=True)
class AuditState:
    tree: Tree
    team: dict
    audit: dict
    records: dict[str, store.AnswerRecord]
    evaluation: Evaluation

    @property
    def answers(self) -> dict[str, Any]:
        return {question_id: record.value for question_id, record in self.records.items()}

    @property
    def journey(self):
        return self.evaluation.journey

    @property
    def finished(self) -> bool:
        return self.audit["status"] == "finished"


def load_state(db, tree: Tree, team: dict) -> AuditState:
    """Load the team's current audit and evaluate its answers against the tree."""
    audit = store.current_audit(
        db, team["id"], tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
    )
    records = store.current_answers(db, audit["id"])
    answers = {
        question_id: record.value
        for question_id, record in records.items()
        if question_id in tree.questions_by_id
    }
    return AuditState(tree, team, audit, records, evaluate(tree, answers))
