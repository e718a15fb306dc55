"""An audit with every kind of answer, for the tests of the console's exports."""

from __future__ import annotations

from bot import store
from bot.db import get_db
from tests.conftest import question_tree

TREE = question_tree()
TREE_IDS = {"tree_id": TREE.id, "tree_version": TREE.version, "tree_digest": TREE.digest}


def seed_labelled_audit(app) -> int:
    """One audit with a choice, a multi-choice, a yes-no, numbers, texts and a removed question."""
    with app.app_context():
        db = get_db()
        team_id, _ = store.create_team(db, "Labelled team", nation="england")
        audit = store.current_audit(db, team_id, **TREE_IDS)
        for question_id, value in {
            "sup_under3_count": 2,
            "sup_under3_wte": 1.7,
            "sup_under3_each": "each_gets_share",
            "mdt_professions": ["clinical_psychologist", "health_visitor"],
            "mdt_relationship_expertise": "no",
            "referral_limiting_other": '=HYPERLINK("x")',
            "further_anything_else": "We are growing.\nSlowly.",
            "retired_question": ["gone_option"],
        }.items():
            store.record_answer(db, audit["id"], question_id, value, tree=TREE)
    return audit["id"]
