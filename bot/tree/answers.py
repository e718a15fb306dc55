"""Check and normalise an answer against its question (pure; no Flask).

Errors carry a stable `code` and parameters so the web layer can word them in the user's
language; `str(error)` gives a plain English message for the command line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.tree import model as m
from bot.tree.expressions import Environment

_UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

# A typed number: digits with an optional decimal point, or thousands grouped in threes with
# commas (GOV.UK's pattern). Only ASCII digits: `Decimal` would also take "1_0", "1e3" and
# other scripts' digits, each silently a different number from the one the team meant.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_DIGITS_AND_MARKS = re.compile(r"[+-]?[0-9.,]*[0-9][0-9.,]*")

MESSAGES = {
    "required": "Answer this question",
    "not_an_option": "Choose one of the options",
    "exclusive": "'{option}' cannot be chosen with other options",
    "too_many": "Choose no more than {max_choices} options",
    "not_a_number": "Enter a number",
    "not_whole": "Enter a whole number",
    "decimal_comma": "Use a full stop for decimals, like 1.4",
    "too_many_places": "Enter a number with no more than {places} decimal places",
    "above_answer": "Enter {limit} or less: it cannot be more than the answer to {other}",
    "too_small": "Enter a number of {min} or more",
    "too_big": "Enter a number of {max} or less",
    "bad_step": "Enter a number in steps of {step}",
    "too_long": "Use {max_length} characters or fewer",
    "unknown_question": "There is no question '{question}' in this tree",
}


class AnswerError(ValueError):
    def __init__(self, question_id: str, code: str, **params: Any):
        self.question_id = question_id
        self.code = code
        self.params = params
        super().__init__(f"{question_id}: {MESSAGES[code].format(**params)}")


def clean_text(text: str) -> str:
    """Remove control characters and lone surrogates; keep tabs and line breaks."""
    return _UNSAFE_TEXT.sub("", text.replace("\r\n", "\n"))


def clean_line(text):
    """Clean a one-line field (a name, a role): no control characters, all spacing one space.

    The forms, the bulk import and the command line (`flask team create`) clean names with this.
    """
    return " ".join(clean_text(text).split()) if isinstance(text, str) else text


def check_answer(question: m.Question, value: Any, answers: Mapping[str, Any] | None = None) -> Any:
    """Return `value` normalised for storage, or raise `AnswerError`.

    `answers` are the team's other answers, for a number that may not exceed an earlier one
    (`at_most`); without them that limit is not checked.
    """
    if question.type in (m.SINGLE_CHOICE, m.YES_NO):
        return _check_single(question, value)
    if question.type == m.MULTIPLE_CHOICE:
        return _check_multiple(question, value)
    if question.type in m.NUMBER_TYPES:
        number = _check_number(question, value)
        _check_limit(question, number, answers or {})
        return number
    return _check_text(question, value)


def _blank(question: m.Question, empty: Any) -> Any:
    if question.required:
        raise AnswerError(question.id, "required")
    return empty


def _check_single(question: m.Question, value: Any) -> Any:
    if value is None or value == "" or value == []:
        return _blank(question, None)
    if not isinstance(value, str) or value not in question.option_values:
        raise AnswerError(question.id, "not_an_option")
    return value


def _check_multiple(question: m.Question, value: Any) -> list[str]:
    if value is None or value == "":
        value = []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise AnswerError(question.id, "not_an_option")
    chosen = [option for option in question.option_values if option in set(value)]
    if len(chosen) != len(set(value)):
        raise AnswerError(question.id, "not_an_option")
    if not chosen:
        return _blank(question, [])
    if len(chosen) > 1:
        for value_id in chosen:
            option = question.option(value_id)
            if option is not None and option.exclusive:
                raise AnswerError(question.id, "exclusive", option=option.label)
    if question.max_choices and len(chosen) > question.max_choices:
        raise AnswerError(question.id, "too_many", max_choices=question.max_choices)
    return chosen


def _check_number(question: m.Question, value: Any) -> int | float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return _blank(question, None)
    whole = question.type == m.WHOLE_NUMBER
    number = _parse_number(question, value)
    bounds = {"min": _show(question.min), "max": _show(question.max)}
    if whole and number != number.to_integral_value():
        raise AnswerError(question.id, "not_whole")
    if question.min is not None and number < Decimal(str(question.min)):
        raise AnswerError(question.id, "too_small", **bounds)
    if question.max is not None and number > Decimal(str(question.max)):
        raise AnswerError(question.id, "too_big", **bounds)
    if whole:
        return int(number)
    step = Decimal(str(question.step or 1))
    if (number - Decimal(str(question.min or 0))) % step != 0:
        places = _decimal_places(step)
        if places is not None:
            raise AnswerError(question.id, "too_many_places", places=places)
        raise AnswerError(question.id, "bad_step", step=_show(question.step))
    result = float(number)
    return int(result) if result.is_integer() and math.isfinite(result) else result


def _parse_number(question: m.Question, value: Any) -> Decimal:
    """Read a typed or stored number exactly, or refuse it; never guess what was meant."""
    not_a_number = "not_whole" if question.type == m.WHOLE_NUMBER else "not_a_number"
    if isinstance(value, bool):
        raise AnswerError(question.id, not_a_number)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise AnswerError(question.id, not_a_number)
        return Decimal(str(value))
    if not isinstance(value, str):
        raise AnswerError(question.id, not_a_number)
    text = value.strip()
    if question.unit == "%" and text.endswith("%"):
        text = text[:-1].rstrip()
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    elif "," in text and question.type == m.DECIMAL and _DIGITS_AND_MARKS.fullmatch(text):
        raise AnswerError(question.id, "decimal_comma")
    if not _PLAIN_NUMBER.fullmatch(text):
        raise AnswerError(question.id, not_a_number)
    return Decimal(text)


def _decimal_places(step: Decimal) -> int | None:
    """Return k when `step` is 10 to the power -k (0.1, 0.01), else None."""
    places = -step.normalize().as_tuple().exponent
    return places if places > 0 and step == Decimal(1).scaleb(-places) else None


def _check_limit(question: m.Question, number: Any, answers: Mapping[str, Any]) -> None:
    bound = limit_of(question, answers)
    if number is not None and bound is not None and number > bound:
        raise AnswerError(
            question.id, "above_answer", limit=_show(bound), other=question.at_most.question
        )


def _check_text(question: m.Question, value: Any) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        value = str(value)
    value = clean_text(value).strip()
    if not value:
        return _blank(question, "")
    limit = question.max_length or m.DEFAULT_MAX_LENGTH.get(question.type, 200)
    if len(value) > limit:
        raise AnswerError(question.id, "too_long", max_length=limit)
    return value


def _show(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


def improbable(question: m.Question, value: Any, answers: Mapping[str, Any]) -> bool:
    """Whether `value` is so unlikely, given the earlier answers, that it needs confirming."""
    if question.improbable is None or value is None:
        return False
    names = {**answers, question.id: value}
    return question.improbable.when.holds(Environment(names=names))


def limit_of(question: m.Question, answers: Mapping[str, Any]) -> float | None:
    """Return the earlier answer that caps this one (`at_most`), if it has been given."""
    if question.at_most is None:
        return None
    bound = answers.get(question.at_most.question)
    return bound if isinstance(bound, (int, float)) and not isinstance(bound, bool) else None


def normalise_answers(tree: m.Tree, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check every answer in `raw` against the tree; raise on the first bad one."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", "unknown_question", question="(not a JSON object)")
    answers: dict[str, Any] = {}
    for question_id, value in raw.items():
        question = tree.questions_by_id.get(question_id)
        if question is None:
            raise AnswerError(question_id, "unknown_question", question=question_id)
        answers[question_id] = check_answer(question, value)
    for question_id, value in answers.items():
        _check_limit(tree.question(question_id), value, answers)
    return answers


def fitting_answers(tree: m.Tree, values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Split stored answers into those that still fit the tree and the ids that no longer do.

    Answers to questions the tree no longer has are simply left out (they stay in the log). A
    number above the earlier answer that caps it (a WTE above a head count changed since) no
    longer fits either, so it is asked again.
    """
    kept: dict[str, Any] = {}
    unfit: list[str] = []
    for question_id, value in values.items():
        question = tree.questions_by_id.get(question_id)
        if question is None:
            continue
        try:
            check_answer(question, value)
        except AnswerError:
            unfit.append(question_id)
        else:
            kept[question_id] = value
    for question_id in [qid for qid in kept if tree.question(qid).at_most]:
        try:
            _check_limit(tree.question(question_id), kept[question_id], kept)
        except AnswerError:
            unfit.append(question_id)
            del kept[question_id]
    return kept, unfit
