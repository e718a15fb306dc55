"""The one evaluation of an audit: its stored answer values against the tree it is scored with.

`assess` turns (tree, audit, latest answer values) into the audit's assessment: the answers
that still fit the tree, the journey, each descriptor's status and the classification. The
team's pages, the console's team page, the standings behind the progress table, the national
picture and the exports all come from it, so they cannot disagree about an audit.

An assessment depends on nothing but the tree, whether the audit is finished and the answer
values; each request makes the ones it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bot.tree.answers import fitting_answers
from bot.tree.engine import Evaluation, Journey, evaluate, walk
from bot.tree.model import SINGLE_CHOICE, Tree
from bot.tree.tasks import expected_route

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"  # the audit statuses the store keeps
FINISHED = "finished"


@dataclass(frozen=True)
class Assessment:
    """What one audit's answers amount to against its tree.

    The journey (the path so far and the next question) is walked when first asked for, and
    the rest of the evaluation (each descriptor's status, the flags, the classification) is
    worked out from it when first asked for: a question page needs the journey alone.
    """

    tree: Tree
    status: str  # NOT_STARTED, IN_PROGRESS or FINISHED
    fitted: Mapping[str, Any]  # the answers that still fit their questions
    unfit: tuple[str, ...]  # questions whose stored answer no longer fits: asked again

    @cached_property
    def journey(self) -> Journey:
        return walk(self.tree, self.fitted)

    @cached_property
    def evaluation(self) -> Evaluation:
        return evaluate(self.tree, self.fitted, self.journey)

    @property
    def result(self) -> str | None:
        """The classification, given only to a finished audit."""
        return self.evaluation.classification if self.status == FINISHED else None

    @cached_property
    def expected_route(self) -> tuple[str, ...]:
        """Every question the team is expected to meet, in order (`tasks.expected_route`)."""
        return expected_route(self.tree, self.fitted)


@dataclass(frozen=True)
class Standing:
    """What an assessment amounts to in a line: status, progress, result and statuses.

    The console's progress table, national picture and exports read audits as standings, and
    the store keeps each audit's standing (as `data()`) beside the answer that changed it.
    """

    status: str
    answered: int = 0
    total: int = 0
    result: str | None = None
    descriptors: Mapping[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    optional_answers: Mapping[str, str] = field(default_factory=dict)
    path: tuple[str, ...] = ()

    @classmethod
    def of(cls, assessment: Assessment) -> Standing:
        """Return the standing an assessment gives: a result only for a finished audit.

        `optional_answers` holds the choices made on the path in optional domains (the 2024
        report's questions), which the national picture counts.
        """
        if assessment.status == NOT_STARTED:
            return cls(NOT_STARTED)
        evaluation = assessment.evaluation
        tree = assessment.tree
        questions, domains = tree.questions_by_id, tree.domains_by_id
        optional = {
            key: assessment.fitted[key]
            for key in evaluation.journey.path
            if key in assessment.fitted
            and questions[key].type == SINGLE_CHOICE
            and domains[questions[key].domain].optional
        }
        return cls(
            status=assessment.status,
            answered=evaluation.journey.answered,
            total=evaluation.journey.estimated_total,
            result=assessment.result,
            descriptors={key: outcome.status for key, outcome in evaluation.descriptors.items()},
            flags=evaluation.flags,
            optional_answers=optional,
            path=evaluation.journey.path,
        )

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Standing:
        """The standing kept as `data()` (JSON: its tuples came back as lists)."""
        return cls(**{**data, "flags": tuple(data["flags"]), "path": tuple(data["path"])})

    def data(self) -> dict[str, Any]:
        """The standing as JSON-ready data (`dataclasses.asdict` without its deep copies)."""
        return {
            "status": self.status,
            "answered": self.answered,
            "total": self.total,
            "result": self.result,
            "descriptors": dict(self.descriptors),
            "flags": list(self.flags),
            "optional_answers": dict(self.optional_answers),
            "path": list(self.path),
        }

    @property
    def percent(self) -> int:
        """Return the share of the current path answered, 0 to 100."""
        if self.status == FINISHED:
            return 100
        return round(100 * self.answered / self.total) if self.total else 0


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
    return Assessment(tree, status, fitted, tuple(unfit))
