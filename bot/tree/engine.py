"""Walk a question tree with a set of answers and work out where the team stands.

Everything is recomputed from the tree and a plain mapping of answers `{question_id: value}`;
nothing about the position is stored. Only answers on the current path count: an answer on a
branch no longer taken is ignored, not an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from bot.tree import model as m
from bot.tree.expressions import Environment

_PLACEHOLDER = m.PLACEHOLDER


@dataclass(frozen=True)
class Reason:
    """A sentence from the tree with the values that fill its `{placeholders}`."""

    text: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(
        self,
        translate: Callable[[str], str] = str,
        format_value: Callable[[Any], str] | None = None,
    ) -> str:
        show = format_value or format_plain
        return _PLACEHOLDER.sub(
            lambda match: show(self.params.get(match.group(1))), translate(self.text)
        )


def format_plain(value: Any) -> str:
    """Show a number without float noise (10.0 -> 10, 0.30000000000000004 -> 0.3)."""
    if isinstance(value, float):
        rounded = round(value, 2)
        return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_plain(item) for item in value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Journey:
    """Where a set of answers puts the team in the tree."""

    path: tuple[str, ...]
    next: str | None
    upcoming: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.next is None

    @property
    def answered(self) -> int:
        return len(self.path)

    @property
    def estimated_total(self) -> int:
        return len(self.path) + len(self.upcoming)

    def position(self, question_id: str) -> int:
        """Return the 1-based number of `question_id` on the path as it stands."""
        if question_id in self.path:
            return self.path.index(question_id) + 1
        return len(self.path) + 1

    def may_visit(self, question_id: str) -> bool:
        return question_id in self.path or question_id == self.next

    def previous(self, question_id: str) -> str | None:
        if question_id in self.path:
            index = self.path.index(question_id)
            return self.path[index - 1] if index else None
        if question_id == self.next and self.path:
            return self.path[-1]
        return None


@dataclass(frozen=True)
class DescriptorOutcome:
    id: str
    status: str
    because: Reason | None
    decided_by: tuple[str, ...]
    actions: tuple[m.Action, ...]
    #: The values that fill the chosen actions' `{placeholders}` ("add {under3_short} hours").
    action_params: Mapping[str, Any] = field(default_factory=dict)

    def action_text(self, action: m.Action) -> Reason:
        """Return a chosen action's sentence with the values that fill it."""
        return Reason(action.text, self.action_params)

    def done_when(self, action: m.Action) -> Reason:
        """Return how the team knows a chosen action is done, with the values that fill it."""
        return Reason(action.done_when, self.action_params)


@dataclass(frozen=True)
class ToReach:
    """The fewest descriptors that would have to be met for a better result."""

    result: str
    change: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    journey: Journey
    descriptors: dict[str, DescriptorOutcome]
    flags: tuple[str, ...]
    classification: str | None
    reasons: tuple[str, ...]
    to_reach: ToReach | None

    def as_dict(self, translate: Callable[[str], str] = str) -> dict[str, Any]:
        """Return the JSON shape printed by `flask tree simulate`."""
        return {
            "classification": self.classification,
            "reasons": list(self.reasons),
            "descriptors": {
                outcome.id: {
                    "status": outcome.status,
                    "because": outcome.because.render(translate) if outcome.because else None,
                    "decided_by": list(outcome.decided_by),
                }
                for outcome in self.descriptors.values()
            },
            "flags": list(self.flags),
            "to_reach": (
                {"result": self.to_reach.result, "change": list(self.to_reach.change)}
                if self.to_reach
                else None
            ),
            "path": list(self.journey.path),
            "next": self.journey.next,
            "progress": {
                "answered": self.journey.answered,
                "estimated_total": self.journey.estimated_total,
            },
        }


def route(tree: m.Tree, question: m.Question, answers: Mapping[str, Any]) -> str:
    """Return the id of the question after `question` (or `end`) given the answers so far."""
    value = answers.get(question.id)
    if question.type != m.MULTIPLE_CHOICE and isinstance(value, str):
        option = question.option(value)
        if option is not None and option.next:
            return option.next
    env = Environment(answers)
    for rule in question.routes:
        if rule.when is None or rule.when.holds(env):
            return rule.goto
    index = tree.question_index[question.id] + 1
    return tree.questions[index].id if index < len(tree.questions) else m.END


def walk(tree: m.Tree, answers: Mapping[str, Any]) -> Journey:
    """Follow the answers from the first question to the first one not yet answered."""
    path: list[str] = []
    on_path: dict[str, Any] = {}
    current = tree.questions[0].id
    while current != m.END and current in answers and len(path) <= len(tree.questions):
        path.append(current)
        on_path[current] = answers[current]
        current = route(tree, tree.question(current), on_path)
    if current == m.END:
        return Journey(tuple(path), None, ())
    return Journey(tuple(path), current, _upcoming(tree, current, on_path))


def _upcoming(tree: m.Tree, start: str, on_path: Mapping[str, Any]) -> tuple[str, ...]:
    """Estimate the rest of the path: unanswered questions take their default route."""
    upcoming: list[str] = []
    current = start
    while current != m.END and len(upcoming) <= len(tree.questions):
        upcoming.append(current)
        current = route(tree, tree.question(current), on_path)
    return tuple(upcoming)


def answers_on_path(journey: Journey, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {question_id: answers[question_id] for question_id in journey.path}


def raised_flags(tree: m.Tree, on_path: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the flags raised by the chosen options, in the tree's flag order."""
    raised: set[str] = set()
    for question_id, value in on_path.items():
        question = tree.questions_by_id.get(question_id)
        if question is None or question.type not in m.CHOICE_TYPES:
            continue
        chosen = value if isinstance(value, list) else [value]
        for option in question.options:
            if option.value in chosen:
                raised.update(option.raises)
    return tuple(flag.id for flag in tree.flags if flag.id in raised)


def descriptor_values(
    descriptor: m.Descriptor, on_path: Mapping[str, Any], flags: tuple[str, ...]
) -> dict[str, Any]:
    """Return the answers on the path plus the descriptor's computed `values`."""
    names = dict(on_path)
    for name, expression in descriptor.values:
        names[name] = expression.evaluate(Environment(names, flags))
    return names


def descriptor_status(
    descriptor: m.Descriptor, on_path: Mapping[str, Any], flags: tuple[str, ...]
) -> tuple[m.StatusRule, dict[str, Any]]:
    """Return the first status rule that holds, and the names it was judged with."""
    names = descriptor_values(descriptor, on_path, flags)
    env = Environment(names, flags)
    for rule in descriptor.rules:
        if rule.when is None or rule.when.holds(env):
            return rule, names
    raise AssertionError(f"descriptor {descriptor.id} has no default status rule")


def descriptor_questions(tree: m.Tree, descriptor: m.Descriptor) -> tuple[str, ...]:
    """Return the questions a descriptor's status depends on, in tree order."""
    return tree.descriptor_question_ids[descriptor.id]


def flag_questions(tree: m.Tree, flag_id: str) -> tuple[str, ...]:
    return tree.flag_question_ids.get(flag_id, ())


def _pending(tree: m.Tree, journey: Journey, question_ids: tuple[str, ...]) -> bool:
    """True if any of the questions may still be asked on the way to the end."""
    if journey.next is None:
        return False
    first_open = tree.question_index[journey.next]
    return any(
        question_id not in journey.path and tree.question_index[question_id] >= first_open
        for question_id in question_ids
    )


#: A descriptor suggests at most this many actions: the first that apply, in the tree's order,
#: which is the order they must happen in. A plan a team works from all year, not a catalogue.
MOST_ACTIONS = 3


def _actions(
    descriptor: m.Descriptor, status: str, names: Mapping[str, Any], flags: tuple[str, ...]
) -> tuple[m.Action, ...]:
    env = Environment({**names, m.GAP: status != m.MET}, flags)
    chosen = []
    for action in descriptor.actions:
        if action.when is None:
            if status != m.MET:
                chosen.append(action)
        elif action.when.holds(env):
            chosen.append(action)
    return tuple(chosen[:MOST_ACTIONS])


def classify(tree: m.Tree, statuses: Mapping[str, str], flags: tuple[str, ...]) -> str:
    """Return the first result whose rule holds for these statuses and flags."""
    unmet = [
        descriptor_id
        for descriptor_id in tree.definitional_descriptors
        if statuses.get(descriptor_id) not in tree.counts_as_met
    ]
    flagged = [tree.flags_by_id[flag_id].descriptor for flag_id in flags]
    env = Environment(
        {"unmet": unmet, "flags": list(flags), "flagged": flagged}, flags, dict(statuses)
    )
    for result in tree.results:
        if result.when is None or result.when.holds(env):
            return result.id
    raise AssertionError("classification has no default result")


def to_reach_better(
    tree: m.Tree, statuses: Mapping[str, str], flags: tuple[str, ...], current: str
) -> ToReach | None:
    """Find the fewest unmet definitional descriptors whose meeting gives a better result."""
    rank = {result.id: index for index, result in enumerate(tree.results)}
    if rank[current] == 0:
        return None
    unmet = [
        descriptor_id
        for descriptor_id in tree.definitional_descriptors
        if statuses.get(descriptor_id) not in tree.counts_as_met
    ]
    for size in range(1, len(unmet) + 1):
        best: ToReach | None = None
        for change in combinations(unmet, size):
            changed = {**statuses, **{descriptor_id: m.MET for descriptor_id in change}}
            kept_flags = tuple(
                flag_id for flag_id in flags if tree.flags_by_id[flag_id].descriptor not in change
            )
            result = classify(tree, changed, kept_flags)
            if rank[result] < rank[current] and (best is None or rank[result] > rank[best.result]):
                best = ToReach(result, change)
        if best is not None:
            return best
    return None


def evaluate(
    tree: m.Tree, answers: Mapping[str, Any], journey: Journey | None = None
) -> Evaluation:
    """Work out path, progress, statuses, flags and (when complete) the classification.

    `journey` is `walk(tree, answers)` when the caller has walked it already.
    """
    if journey is None:
        journey = walk(tree, answers)
    on_path = answers_on_path(journey, answers)
    flags = raised_flags(tree, on_path)
    outcomes: dict[str, DescriptorOutcome] = {}
    for descriptor in tree.descriptors:
        questions = descriptor_questions(tree, descriptor)
        if _pending(tree, journey, questions):
            outcomes[descriptor.id] = DescriptorOutcome(
                descriptor.id, m.NOT_ANSWERED, None, questions, ()
            )
            continue
        rule, names = descriptor_status(descriptor, on_path, flags)
        params = {name: names.get(name) for name in _PLACEHOLDER.findall(rule.because)}
        decided_by = tuple(question_id for question_id in questions if question_id in on_path)
        actions = _actions(descriptor, rule.status, names, flags)
        outcomes[descriptor.id] = DescriptorOutcome(
            descriptor.id,
            rule.status,
            Reason(rule.because, params),
            decided_by,
            actions,
            {
                name: names.get(name)
                for action in actions
                for name in _PLACEHOLDER.findall(action.text + action.done_when)
            },
        )
    classification = reasons = to_reach = None
    if journey.complete:
        statuses = {descriptor_id: outcome.status for descriptor_id, outcome in outcomes.items()}
        classification = classify(tree, statuses, flags)
        deciding = (
            tree.definitional_descriptors
            if classification == tree.results[0].id
            else [
                descriptor_id
                for descriptor_id in tree.definitional_descriptors
                if statuses[descriptor_id] not in tree.counts_as_met
            ]
        )
        reasons = tuple(deciding)
        to_reach = to_reach_better(tree, statuses, flags, classification)
    return Evaluation(journey, outcomes, flags, classification, reasons or (), to_reach)
