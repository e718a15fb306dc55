"""The one evaluation of an audit: its stored answer values against the tree it is scored with.

`assess` turns (tree, audit, latest answer values) into the audit's assessment: the answers
that still fit the tree, the journey, each descriptor's status and the classification. The
team's pages, the console's team page, the standings behind the progress table, the national
picture and the exports all come from it, so they cannot disagree about an audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.tree.answers import fitting_answers
from bot.tree.engine import Evaluation, evaluate
from bot.tree.model import Tree

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"  # the audit statuses the store keeps
FINISHED = "finished"


@dataclass(frozen=True)
class Assessment:
    """What one audit's answers amount to against its tree."""

    tree: Tree
    status: str  # NOT_STARTED, IN_PROGRESS or FINISHED
    fitted: Mapping[str, Any]  # the answers that still fit their questions
    unfit: tuple[str, ...]  # questions whose stored answer no longer fits: asked again
    evaluation: Evaluation

    @property
    def journey(self):
        return self.evaluation.journey

    @property
    def result(self) -> str | None:
        """The classification, given only to a finished audit."""
        return self.evaluation.classification if self.status == FINISHED else None


def assess(tree: Tree, audit: Mapping[str, Any] | None, values: Mapping[str, Any]) -> Assessment:
    """Evaluate an audit's latest answer values against the tree it is scored with.

    No audit, or one with no answer to any question of the tree, is not started. Answers that
    no longer fit their question are left out, so the question is asked again; they stay in
    the log.
    """
    fitted, unfit = fitting_answers(tree, values)
    if audit is None or not (fitted or unfit):
        status = NOT_STARTED
    else:
        status = FINISHED if audit["status"] == FINISHED else IN_PROGRESS
    return Assessment(tree, status, fitted, tuple(unfit), evaluate(tree, fitted))
