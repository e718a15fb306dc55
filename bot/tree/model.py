"""The question tree as plain, immutable Python objects (built by `tree_loader`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.tree.expressions import Expression

END = "end"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
YES_NO = "yes_no"
WHOLE_NUMBER = "whole_number"
DECIMAL = "decimal"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
QUESTION_TYPES = (
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    YES_NO,
    WHOLE_NUMBER,
    DECIMAL,
    SHORT_TEXT,
    LONG_TEXT,
)
CHOICE_TYPES = (SINGLE_CHOICE, MULTIPLE_CHOICE, YES_NO)
NUMBER_TYPES = (WHOLE_NUMBER, DECIMAL)
TEXT_TYPES = (SHORT_TEXT, LONG_TEXT)
DEFAULT_MAX_LENGTH = {SHORT_TEXT: 200, LONG_TEXT: 5000}
NOTE_MAX_LENGTH = 5000

MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"
NOT_ANSWERED = "not_answered"
STATUSES = (MET, PARTLY_MET, NOT_MET)
GAP = "gap"  # in an action's `when`: true while its descriptor is partly met or not met


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    line: int
    hint: str = ""
    raises: tuple[str, ...] = ()
    next: str | None = None
    next_line: int = 0
    exclusive: bool = False


@dataclass(frozen=True)
class Route:
    goto: str
    line: int
    when: Expression | None = None
    when_line: int = 0


@dataclass(frozen=True)
class AtMost:
    """A number answer that may not exceed an earlier number answer (WTE within a head count)."""

    question: str
    error: str
    line: int


@dataclass(frozen=True)
class Improbable:
    """A number so far from what is likely (1,000 hours of supervision for 1.4 WTE) that the
    member confirms it before it is stored. `when` names the question itself for the number."""

    when: Expression
    warning: str
    line: int


@dataclass(frozen=True)
class Question:
    id: str
    domain: str
    type: str
    text: str
    line: int
    help: str = ""
    hint: str = ""
    terms: tuple[str, ...] = ()
    note: str = ""
    ready: str = ""
    required: bool = True
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = ""
    max_length: int | None = None
    max_choices: int | None = None
    at_most: AtMost | None = None
    improbable: Improbable | None = None
    routes: tuple[Route, ...] = ()

    @cached_property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True)
class StatusRule:
    status: str
    because: str
    line: int
    when: Expression | None = None


@dataclass(frozen=True)
class Action:
    id: str
    text: str
    chapter: str
    section: str
    line: int
    when: Expression | None = None
    when_line: int = 0
    done_when: str = ""  # how the team knows the action is done, shown beside it in the plan
    for_every_gap: str = ""  # why an action without `when` fits every team with the gap
    commissioners: bool = False  # asks something of commissioners: listed on the plan's page one


@dataclass(frozen=True)
class Descriptor:
    id: str
    domain: str
    title: str
    statement: str
    line: int
    why: str = ""
    evidence: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    values: tuple[tuple[str, Expression], ...] = ()
    rules: tuple[StatusRule, ...] = ()
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    line: int
    definitional: bool = True
    optional: bool = False
    note: str = ""


@dataclass(frozen=True)
class Flag:
    id: str
    descriptor: str
    title: str
    line: int
    explanation: str = ""


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    line: int
    summary: str = ""
    when: Expression | None = None


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    term: str
    definition: str
    line: int


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    line: int


@dataclass(frozen=True)
class Tree:
    id: str
    version: str
    title: str
    file: str
    digest: str
    domains: tuple[Domain, ...]
    questions: tuple[Question, ...]
    descriptors: tuple[Descriptor, ...]
    results: tuple[Result, ...]
    counts_as_met: tuple[str, ...] = (MET,)
    flags: tuple[Flag, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    sources: tuple[Source, ...] = ()
    path_count: int = field(default=0, compare=False)

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def question_index(self) -> dict[str, int]:
        return {question.id: index for index, question in enumerate(self.questions)}

    @cached_property
    def descriptors_by_id(self) -> dict[str, Descriptor]:
        return {descriptor.id: descriptor for descriptor in self.descriptors}

    @cached_property
    def domains_by_id(self) -> dict[str, Domain]:
        return {domain.id: domain for domain in self.domains}

    @cached_property
    def flags_by_id(self) -> dict[str, Flag]:
        return {flag.id: flag for flag in self.flags}

    @cached_property
    def results_by_id(self) -> dict[str, Result]:
        return {result.id: result for result in self.results}

    @cached_property
    def glossary_by_id(self) -> dict[str, GlossaryTerm]:
        return {term.id: term for term in self.glossary}

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def definitional_descriptors(self) -> tuple[str, ...]:
        return tuple(
            descriptor.id
            for descriptor in self.descriptors
            if self.domains_by_id[descriptor.domain].definitional
        )

    @cached_property
    def flag_question_ids(self) -> dict[str, tuple[str, ...]]:
        """Return, per flag, the questions with an option that raises it, in tree order."""
        return {
            flag.id: tuple(
                question.id
                for question in self.questions
                if any(flag.id in option.raises for option in question.options)
            )
            for flag in self.flags
        }

    @cached_property
    def descriptor_question_ids(self) -> dict[str, tuple[str, ...]]:
        """Return, per descriptor, the questions its status depends on, in tree order."""
        found = {}
        for descriptor in self.descriptors:
            names: set[str] = set()
            for _, expression in descriptor.values:
                names |= expression.names
            for rule in descriptor.rules:
                names |= set(PLACEHOLDER.findall(rule.because))
                if rule.when is None:
                    continue
                names |= rule.when.names
                for function, literals in rule.when.calls:
                    if function == "flag" and literals:
                        names |= set(self.flag_question_ids.get(literals[0], ()))
            found[descriptor.id] = tuple(
                question.id for question in self.questions if question.id in names
            )
        return found

    def question(self, question_id: str) -> Question:
        return self.questions_by_id[question_id]
