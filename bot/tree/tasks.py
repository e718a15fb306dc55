"""The audit as a task list: each domain's questions on the expected route and its status.

The chat-style journey stops at the first unanswered question. A team that shares the work
out answers domains in any order, so the expected route follows the answers given where there
are any and each unanswered question's default route where there are none. A domain whose
questions route on answers still missing in another domain cannot be started yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.tree import model as m
from bot.tree.engine import route

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANNOT_START_YET = "cannot_start_yet"


def expected_route(tree: m.Tree, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Return every question the team is expected to meet, in order, given the answers so far.

    Answered questions route by their answer, unanswered ones by their default route; only
    answers on the route itself steer it, as in `engine.walk`.
    """
    questions: list[str] = []
    steering: dict[str, Any] = {}
    current = tree.questions[0].id
    while current != m.END and current not in questions:
        questions.append(current)
        if current in answers:
            steering[current] = answers[current]
        current = route(tree, tree.question(current), steering)
    return tuple(questions)


def next_unanswered_after(
    tree: m.Tree,
    answers: Mapping[str, Any],
    question_id: str,
    route: tuple[str, ...] | None = None,
) -> str | None:
    """Return the first unanswered question after `question_id` on the expected route.

    `route` is that route when the caller has it already (`Assessment.expected_route`).
    """
    questions = expected_route(tree, answers) if route is None else route
    start = questions.index(question_id) + 1 if question_id in questions else 0
    return next((q for q in questions[start:] if q not in answers), None)


def next_free_question(
    route: tuple[str, ...],
    answers: Mapping[str, Any],
    taken: set[str],
    first: str | None,
    after: str | None = None,
) -> str | None:
    """Return the next unanswered question on `route` that is not `taken` (a colleague has it
    open): the first after `after`, else `first` (the journey's next), else the first before.
    """
    start = route.index(after) + 1 if after in route else 0
    free = [q for q in route if q not in answers and q not in taken]
    ahead = next((q for q in route[start:] if q in free), None)
    if ahead:
        return ahead
    if first and first not in taken:
        return first
    return free[0] if free else None


def _targets(tree: m.Tree, question: m.Question) -> set[str]:
    """Every question (or END) the question's answer may route to, its default included."""
    index = tree.question_index[question.id] + 1
    targets = {tree.questions[index].id if index < len(tree.questions) else m.END}
    targets |= {rule.goto for rule in question.routes}
    return targets | {option.next for option in question.options if option.next}


_dependencies: dict[tuple[str, str], frozenset[str]] = {}


def domain_dependencies(tree: m.Tree, domain_id: str) -> frozenset[str]:
    """Return the questions of other domains that decide this domain's route, cached per tree."""
    key = (tree.digest, domain_id)
    if key not in _dependencies:
        _dependencies[key] = _domain_dependencies(tree, domain_id)
    return _dependencies[key]


def _domain_dependencies(tree: m.Tree, domain_id: str) -> frozenset[str]:
    """Return the questions of other domains that decide where this domain's route goes.

    That is the names in the routing conditions of the domain's questions, and the questions
    before it whose answer decides whether the domain is reached at all or where it is
    entered (routing in at its first question is the ordinary way in, not a dependency).
    """
    inside = [q.id for q in tree.questions if q.domain == domain_id]
    if not inside:
        return frozenset()
    first, last = tree.question_index[inside[0]], tree.question_index[inside[-1]]

    def position(target: str) -> int:
        return len(tree.questions) if target == m.END else tree.question_index[target]

    needed: set[str] = set()
    for question in tree.questions:
        if question.domain == domain_id:
            for rule in question.routes:
                if rule.when is not None:
                    needed |= set(rule.when.names)
            continue
        if tree.question_index[question.id] > last:
            continue
        places = {position(target) for target in _targets(tree, question)}
        enters_midway = any(first < place <= last for place in places)
        skips_or_enters = any(place > last for place in places) and any(
            place <= last for place in places
        )
        if enters_midway or (tree.question_index[question.id] < first and skips_or_enters):
            needed.add(question.id)
    return frozenset(needed & set(tree.questions_by_id) - set(inside))


@dataclass(frozen=True)
class DomainTask:
    """One domain in the task list: its questions on the expected route and where to start."""

    domain: m.Domain
    questions: tuple[str, ...]
    answered: int
    status: str
    first_unanswered: str | None
    waiting_on: tuple[str, ...] = ()  # the domains whose answers it needs first

    @property
    def entry(self) -> str | None:
        """The question to open the domain at: its first unanswered one, else its first."""
        return self.first_unanswered or (self.questions[0] if self.questions else None)


def domain_tasks(tree: m.Tree, answers: Mapping[str, Any]) -> list[DomainTask]:
    """Return each domain of the tree, in order, with its status for the task list."""
    questions = expected_route(tree, answers)
    tasks = []
    for domain in tree.domains:
        own = tuple(q for q in questions if tree.question(q).domain == domain.id)
        answered = sum(1 for q in own if q in answers)
        missing = sorted(
            {
                tree.question(q).domain
                for q in domain_dependencies(tree, domain.id)
                if q not in answers
            },
            key=[d.id for d in tree.domains].index,
        )
        if own and answered == len(own):
            status = COMPLETED
        elif answered:
            status = IN_PROGRESS
        elif missing:
            status = CANNOT_START_YET
        else:
            status = NOT_STARTED
        if not own and status != CANNOT_START_YET:
            continue  # the route skips the domain altogether
        first = next((q for q in own if q not in answers), None)
        tasks.append(DomainTask(domain, own, answered, status, first, tuple(missing)))
    return tasks


def unchanged_run(
    tree: m.Tree, answers: Mapping[str, Any], offered: Mapping[str, Any], start: str
) -> list[str]:
    """Return the questions from `start` on, in its domain, that last time's answers settle.

    `offered` holds last time's answers to questions not answered this time. The run follows
    the routing those answers take and stops at the domain's end, at a question answered this
    time or at one with nothing from last time: a re-audit can confirm it together.
    """
    domain = tree.question(start).domain
    answers = dict(answers)
    run: list[str] = []
    current = start
    while current in tree.questions_by_id and current not in run:
        question = tree.question(current)
        if question.domain != domain or current in answers or current not in offered:
            break
        run.append(current)
        answers[current] = offered[current]
        current = route(tree, question, answers)
    return run
