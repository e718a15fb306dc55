"""Prove a question tree by enumerating every path through it.

Every answer domain is small: choices are their options, numbers are sampled at their bounds
and at every threshold the tree compares them with, text is "something typed" or blank. The
walk branches only where routing differs; answers that route the same way form one class.
Descriptors are grouped by the questions they share and each group is enumerated on its own,
so the proof stays fast while still being exhaustive over the samples.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from typing import Any

from bot.tree import model as m
from bot.tree.engine import (
    classify,
    descriptor_questions,
    descriptor_status,
    flag_questions,
    raised_flags,
    route,
)
from bot.tree.expressions import Environment, Expression, numeric_thresholds
from bot.tree.problems import Problem, TreeError

MAX_LEAVES = 100_000
MAX_GROUP_COMBINATIONS = 1_000_000  # the supervision descriptor needs 746,496 (2026.3)
FULL_PRODUCT_LIMIT = 2_000  # above this, a condition's answers are varied one at a time


@dataclass(frozen=True)
class Proof:
    paths: int
    leaves: int
    results_reached: tuple[str, ...]
    problems: tuple[Problem, ...]


def prove(tree: m.Tree) -> m.Tree:
    """Return the tree with its path count, or raise `TreeError` listing what cannot end."""
    proof = enumerate_tree(tree)
    if proof.problems:
        raise TreeError(list(proof.problems))
    return dataclasses.replace(tree, path_count=proof.paths)


def all_expressions(tree: m.Tree) -> Iterable[Expression]:
    for question in tree.questions:
        yield from (rule.when for rule in question.routes if rule.when)
    for descriptor in tree.descriptors:
        yield from (expression for _, expression in descriptor.values)
        yield from (rule.when for rule in descriptor.rules if rule.when)
        yield from (action.when for action in descriptor.actions if action.when)
    yield from (result.when for result in tree.results if result.when)


def answer_samples(question: m.Question, thresholds: Iterable[float] = ()) -> list[Any]:
    """Return the answers that stand for every answer to `question`."""
    values = [option.value for option in question.options]
    if question.type in (m.SINGLE_CHOICE, m.YES_NO):
        samples: list[Any] = list(values)
    elif question.type == m.MULTIPLE_CHOICE:
        combinable = [option.value for option in question.options if not option.exclusive]
        samples = [[value] for value in values]
        if len(combinable) > 1:
            samples.append(combinable)
            samples += (
                [[value for value in combinable if value != left_out] for left_out in combinable]
                if len(combinable) > 2
                else []
            )
        if not question.required:
            samples.insert(0, [])
    elif question.type in m.NUMBER_TYPES:
        samples = _number_samples(question, thresholds)
    else:
        samples = ["something typed"]
        if not question.required:
            samples.append("")
    return samples


def _number_samples(question: m.Question, thresholds: Iterable[float]) -> list[Any]:
    low, high = question.min or 0, question.max if question.max is not None else 0
    whole = question.type == m.WHOLE_NUMBER
    delta = 1 if whole else (question.step or 1)
    candidates = {low, high, 1, 4}
    for threshold in thresholds:
        candidates |= {threshold - delta, threshold, threshold + delta}
    inside = sorted(value for value in candidates if low <= value <= high)
    return [int(value) if whole else round(float(value), 6) for value in inside]


def _freeze(value: Any) -> Any:
    return json.dumps(value, sort_keys=True)


class _Groups:
    """Descriptors joined by the questions (and flags) they share."""

    def __init__(self, tree: m.Tree):
        parent: dict[str, str] = {}

        def find(item: str) -> str:
            while parent.setdefault(item, item) != item:
                item = parent[item]
            return item

        def union(left: str, right: str) -> None:
            parent[find(left)] = find(right)

        questions_of: dict[str, set[str]] = {}
        for descriptor in tree.descriptors:
            questions_of[descriptor.id] = set(descriptor_questions(tree, descriptor))
        for flag in tree.flags:
            questions_of.setdefault(flag.descriptor, set()).update(flag_questions(tree, flag.id))
        owner: dict[str, str] = {}
        for descriptor_id, question_ids in questions_of.items():
            find(descriptor_id)
            for question_id in question_ids:
                if question_id in owner:
                    union(descriptor_id, owner[question_id])
                owner[question_id] = descriptor_id
        members: dict[str, list[str]] = {}
        for descriptor in tree.descriptors:
            members.setdefault(find(descriptor.id), []).append(descriptor.id)
        self.groups: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
        for descriptor_ids in members.values():
            question_ids = set().union(*(questions_of[d] for d in descriptor_ids))
            flag_ids = tuple(flag.id for flag in tree.flags if flag.descriptor in descriptor_ids)
            ordered = tuple(
                question.id for question in tree.questions if question.id in question_ids
            )
            self.groups.append((tuple(descriptor_ids), ordered, flag_ids))


def enumerate_tree(tree: m.Tree) -> Proof:
    """Walk every path, then prove each ends with a classification and every result is reached."""
    problems: list[Problem] = []
    thresholds: dict[str, set[float]] = {}
    for expression in all_expressions(tree):
        for name, found in numeric_thresholds(expression).items():
            thresholds.setdefault(name, set()).update(found)
    samples = {
        question.id: answer_samples(question, thresholds.get(question.id, ()))
        for question in tree.questions
    }
    referenced_later = {
        name
        for question in tree.questions
        for rule in question.routes
        if rule.when
        for name in rule.when.names
        if name != question.id
    }

    leaves: list[tuple[tuple[str, ...], dict[str, list[Any]]]] = []
    endless: set[str] = set()
    stack: list[tuple[str, dict[str, Any], dict[str, list[Any]], tuple[str, ...]]] = [
        (tree.questions[0].id, {}, {}, ())
    ]
    while stack:
        question_id, on_path, classes, path = stack.pop()
        question = tree.question(question_id)
        by_target: dict[tuple[str, str], list[Any]] = {}
        for value in samples[question_id]:
            try:
                target = route(tree, question, {**on_path, question_id: value})
            except Exception as error:  # a routing rule that fails on real answers
                problems.append(
                    Problem(
                        tree.file,
                        question.line,
                        f"question {question_id}",
                        f"routing fails when {question_id} is {value!r}: {error}",
                    )
                )
                return Proof(0, len(leaves), (), tuple(problems))
            key = (target, _freeze(value) if question_id in referenced_later else "")
            by_target.setdefault(key, []).append(value)
        for (target, _), values in by_target.items():
            step = path + (question_id,)
            next_on_path = {**on_path, question_id: values[0]}
            next_classes = {**classes, question_id: values}
            if target == m.END:
                leaves.append((step, next_classes))
            elif len(step) >= len(tree.questions):
                endless.add(question_id)
            else:
                stack.append((target, next_on_path, next_classes, step))
        if len(leaves) > MAX_LEAVES:
            problems.append(
                Problem(
                    tree.file,
                    question.line,
                    f"question {question_id}",
                    f"more than {MAX_LEAVES} paths; simplify the routing",
                )
            )
            return Proof(0, len(leaves), (), tuple(problems))
    for question_id in sorted(endless):
        question = tree.question(question_id)
        problems.append(
            Problem(
                tree.file,
                question.line,
                f"question {question_id}",
                "a path through this question does not end",
            )
        )

    reached = {question_id for path, _ in leaves for question_id in path}
    for question in tree.questions:
        if question.id not in reached:
            problems.append(
                Problem(
                    tree.file,
                    question.line,
                    f"question {question.id}",
                    "no path reaches this question",
                )
            )

    _evaluate_every_condition(tree, leaves, problems)
    if problems:
        return Proof(len({path for path, _ in leaves}), len(leaves), (), tuple(problems))
    results = _results_reached(tree, leaves, problems)
    for result in tree.results:
        if result.id not in results and leaves:
            problems.append(
                Problem(
                    tree.file,
                    result.line,
                    f"result {result.id}",
                    "no set of answers reaches this result",
                )
            )
    paths = len({path for path, _ in leaves})
    return Proof(paths, len(leaves), tuple(sorted(results)), tuple(problems))


@dataclass(frozen=True)
class _Condition:
    """One expression of a descriptor, with where it is and the questions it reads."""

    expression: Expression
    descriptor: m.Descriptor
    line: int
    where: str
    questions: tuple[str, ...]
    is_action: bool = False


def _conditions(tree: m.Tree) -> list[_Condition]:
    """Every value, status rule and action condition, with the questions each depends on."""
    found = []
    flag_raisers = {question_id for ids in tree.flag_question_ids.values() for question_id in ids}
    for descriptor in tree.descriptors:
        value_names = {name for name, _ in descriptor.values}
        value_questions = {
            name
            for _, expression in descriptor.values
            for name in expression.names
            if name in tree.questions_by_id
        }
        where = f"descriptor {descriptor.id}"
        entries = [
            (expression, descriptor.line, f"{where} value {name}", False)
            for name, expression in descriptor.values
        ]
        entries += [(rule.when, rule.line, where, False) for rule in descriptor.rules if rule.when]
        entries += [
            (action.when, action.when_line or action.line, f"{where} action {action.id}", True)
            for action in descriptor.actions
            if action.when
        ]
        for expression, line, place, is_action in entries:
            names = {name for name in expression.names if name in tree.questions_by_id}
            if expression.names & value_names:
                names |= value_questions
            if any(function == "flag" for function, _ in expression.calls):
                names |= flag_raisers
            ordered = tuple(q.id for q in tree.questions if q.id in names)
            found.append(_Condition(expression, descriptor, line, place, ordered, is_action))
    return found


def _answer_sets(domains: list[list[Any]]) -> Iterable[tuple[Any, ...]]:
    """Every combination when there are few, else each answer varied alone from a base."""
    total = 1
    for domain in domains:
        total *= len(domain)
    if total <= FULL_PRODUCT_LIMIT:
        yield from product(*domains)
        return
    base = [domain[0] for domain in domains]
    yield tuple(base)
    for index, domain in enumerate(domains):
        for value in domain[1:]:
            yield tuple(base[:index] + [value] + base[index + 1 :])


def _evaluate_every_condition(
    tree: m.Tree,
    leaves: list[tuple[tuple[str, ...], dict[str, list[Any]]]],
    problems: list[Problem],
) -> None:
    """Evaluate every descriptor value, status rule and action condition on every path.

    Each question on the path takes the answers that stand for it, plus "not answered yet"
    (an audit in progress is evaluated too); a question off the path is not answered. An
    expression that raises is reported with its file, line and id and the answers that broke
    it, so a tree that passes the check cannot fail when a team reaches that point.
    """
    conditions = _conditions(tree)
    failed: set[int] = set()
    seen: set[tuple[int, tuple[str, ...]]] = set()
    for _, classes in leaves:
        frozen: dict[str, str] = {}
        for index, condition in enumerate(conditions):
            if index in failed:
                continue
            for question_id in condition.questions:
                if question_id not in frozen:
                    frozen[question_id] = _freeze(classes.get(question_id))
            key = (index, tuple(frozen[question_id] for question_id in condition.questions))
            if key in seen:
                continue
            seen.add(key)
            domains = [[*classes.get(question_id, []), None] for question_id in condition.questions]
            for values in _answer_sets(domains):
                answers = {
                    question_id: value
                    for question_id, value in zip(condition.questions, values, strict=True)
                    if value is not None
                }
                try:
                    flags = raised_flags(tree, answers)
                    names = dict(answers)
                    for name, expression in condition.descriptor.values:
                        if expression is condition.expression:
                            break
                        names[name] = expression.evaluate(Environment(names, flags))
                    for gap in (True, False) if condition.is_action else (None,):
                        condition.expression.evaluate(Environment({**names, m.GAP: gap}, flags))
                except Exception as error:
                    failed.add(index)
                    problems.append(
                        Problem(
                            tree.file,
                            condition.line,
                            condition.where,
                            f"{condition.expression.source!r} fails with answers "
                            f"{json.dumps(answers, sort_keys=True)}: {error}",
                        )
                    )
                    break


def _results_reached(
    tree: m.Tree,
    leaves: list[tuple[tuple[str, ...], dict[str, list[Any]]]],
    problems: list[Problem],
) -> set[str]:
    uses_status = any(
        function == "status"
        for result in tree.results
        if result.when
        for function, _ in result.when.calls
    )
    definitional = set(tree.definitional_descriptors)
    groups = _Groups(tree).groups
    group_memo: dict[Any, frozenset] = {}
    combined_memo: dict[Any, set[str]] = {}
    classified: dict[tuple[frozenset, frozenset], str] = {}
    reached: set[str] = set()

    def reduce(descriptor_id: str, status: str) -> str:
        if uses_status:
            return status
        return m.MET if status in tree.counts_as_met else m.NOT_MET

    unanswered = (_freeze(None),)
    frozen_lists: dict[str, tuple[str, ...]] = {}

    def frozen(domain: list[Any]) -> tuple[str, ...]:
        """The list of answer classes, hashable; leaves on a common stretch of path share
        their lists, so each is frozen once."""
        shown = repr(domain)
        if shown not in frozen_lists:
            frozen_lists[shown] = tuple(_freeze(value) for value in domain)
        return frozen_lists[shown]

    for _, classes in leaves:
        outcome_sets, group_keys = [], []
        for index, (descriptor_ids, question_ids, flag_ids) in enumerate(groups):
            domains = [classes.get(question_id, [None]) for question_id in question_ids]
            key = (
                index,
                tuple(
                    frozen(classes[question_id]) if question_id in classes else unanswered
                    for question_id in question_ids
                ),
            )
            if key not in group_memo:
                group_memo[key] = _group_outcomes(
                    tree,
                    descriptor_ids,
                    question_ids,
                    flag_ids,
                    domains,
                    classes,
                    definitional,
                    reduce,
                    problems,
                )
            outcome_sets.append(group_memo[key])
            group_keys.append(key)
        combined_key = tuple(group_keys)
        if combined_key not in combined_memo:
            combined: set[tuple[frozenset, frozenset]] = {(frozenset(), frozenset())}
            for outcomes in outcome_sets:
                combined = {
                    (left_statuses | right_statuses, left_flags | right_flags)
                    for left_statuses, left_flags in combined
                    for right_statuses, right_flags in outcomes
                }
            results = set()
            for outcome in combined:
                if outcome not in classified:
                    statuses, flags = outcome
                    raised = tuple(flag.id for flag in tree.flags if flag.id in flags)
                    classified[outcome] = classify(tree, dict(statuses), raised)
                results.add(classified[outcome])
            combined_memo[combined_key] = results
        reached |= combined_memo[combined_key]
    return reached


def _group_outcomes(
    tree, descriptor_ids, question_ids, flag_ids, domains, classes, definitional, reduce, problems
) -> frozenset:
    counted = [d for d in descriptor_ids if d in definitional]
    ceiling = (3 if reduce("", m.PARTLY_MET) == m.PARTLY_MET else 2) ** len(counted)
    ceiling *= 2 ** len(flag_ids)
    outcomes: set[tuple[frozenset, frozenset]] = set()
    combinations = 1
    for domain in domains:
        combinations *= len(domain)
    if combinations > MAX_GROUP_COMBINATIONS:
        descriptor = tree.descriptors_by_id[descriptor_ids[0]]
        problems.append(
            Problem(
                tree.file,
                descriptor.line,
                f"descriptor {descriptor.id}",
                f"its rules depend on {combinations} combinations of answers; too many to prove",
            )
        )
        return frozenset()
    for values in product(*domains):
        answers = {
            question_id: value
            for question_id, value in zip(question_ids, values, strict=True)
            if question_id in classes
        }
        flags = raised_flags(tree, answers)
        statuses = frozenset(
            (
                descriptor_id,
                reduce(
                    descriptor_id,
                    descriptor_status(tree.descriptors_by_id[descriptor_id], answers, flags)[
                        0
                    ].status,
                ),
            )
            for descriptor_id in counted
        )
        outcomes.add((statuses, frozenset(flag for flag in flags if flag in flag_ids)))
        if len(outcomes) >= ceiling:
            break
    return frozenset(outcomes)
