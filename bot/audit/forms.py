"""WTForms for the audit: one form per question, validated by the tree's own rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, Optional

from bot.store import UNCHECKED
from bot.tree import model as m
from bot.tree.answers import (
    AnswerError,
    check_answer,
    clean_line,
    clean_text,
    improbable,
    limit_of,
)
from bot.tree.engine import Reason

NAME_MAX_LENGTH = 80
TEAM_NAME_MAX_LENGTH = 120

ERROR_MESSAGES = {
    "not_an_option": _l("Select one of the options shown"),
    "exclusive": _l("You cannot select ‘%(option)s’ with other options"),
    "too_many": _l("Select no more than %(max_choices)s options"),
    "not_a_number": _l("Enter a number, like 4 or 2.5"),
    "not_whole": _l("Enter a whole number, like 3"),
    "too_small": _l("Enter a number of %(min)s or more"),
    "too_big": _l("Enter a number of %(max)s or less"),
    "decimal_comma": _l("Use a full stop for decimals, like 1.4"),
    "bad_step": _l("Enter a number in steps of %(step)s, like 2.5"),
    "too_long": _l("Your answer must be %(max_length)s characters or fewer"),
}
TOO_MANY_PLACES = {
    1: _l("Enter a number with no more than 1 decimal place, like 2.5"),
    2: _l("Enter a number with no more than 2 decimal places, like 6.75"),
}
REQUIRED_MESSAGES = {
    m.SINGLE_CHOICE: _l("Select an answer"),
    m.YES_NO: _l("Select yes or no"),
    m.MULTIPLE_CHOICE: _l("Select at least one option"),
    m.WHOLE_NUMBER: _l("Enter a number"),
    m.DECIMAL: _l("Enter a number"),
    m.SHORT_TEXT: _l("Enter your answer"),
    m.LONG_TEXT: _l("Enter your answer"),
}


# Every field is given its label: a field without one asks WTForms' catalogue for a default
# label, and Flask-WTF reads that catalogue's .mo file from disk on each request that does
# (about 0.7 ms of CPU a request, 6 December). The templates write the question's labels.
NO_LABEL = ""

# WTForms' own Length message ("Field cannot be longer than ...") is neither in our
# catalogue nor in our voice, so each length check carries its own translatable message.
NAME_TOO_LONG = _l("Your name must be %(max)d characters or fewer")
ROLE_TOO_LONG = _l("Your role must be %(max)d characters or fewer")
NOTE_TOO_LONG = _l("Your notes must be %(max)d characters or fewer")


CONFIRMED_FIELD = "confirmed_number"


def confirmed_value(number) -> str:
    """The number as the "Yes, this is right" box carries it: 6.8, not 6.80."""
    return format(number, "g") if isinstance(number, float) else str(number)


def clean_input(text):
    """Clean a typed field: drop control characters and lone surrogates, trim the spaces."""
    return clean_text(text).strip() if isinstance(text, str) else text


def error_message(
    question: m.Question, error: AnswerError, answers: Mapping[str, Any] | None = None
) -> str:
    if error.code == "required":
        return str(REQUIRED_MESSAGES[question.type])
    if error.code == "above_answer":  # the tree words this one, naming what caps the answer
        limit = limit_of(question, answers or {})
        return Reason(question.at_most.error, {"limit": limit}).render(
            gettext, lambda value: format_decimal(value, format="#,##0.##")
        )
    if error.code == "too_many_places" and error.params["places"] in TOO_MANY_PLACES:
        return str(TOO_MANY_PLACES[error.params["places"]])
    if error.code == "too_many_places":
        return str(ERROR_MESSAGES["bad_step"]) % {"step": f"{question.step:g}"}
    params = dict(error.params)
    label = params.get("option")
    if label:  # an option label from the tree, named in the user's language
        params["option"] = gettext(label)
    return str(ERROR_MESSAGES[error.code]) % params


class QuestionForm(FlaskForm):
    """Base of the question forms, one per kind of answer field; `question` is the question
    asked, `cleaned` holds the answer to store."""

    question: m.Question
    answers: Mapping[str, Any] = {}  # the team's other answers, for limits such as `at_most`
    cleaned = None
    unconfirmed = False  # an improbable number, shown again for a "Yes, this is right"
    note = TextAreaField(
        NO_LABEL,
        validators=[Optional(), Length(max=m.NOTE_MAX_LENGTH, message=NOTE_TOO_LONG)],
        default="",
        filters=[clean_input],
    )
    revision = HiddenField(NO_LABEL, default="")
    submit = SubmitField(_l("Continue"))

    @property
    def expected_revision(self) -> int | None | object:
        """The id of the answer the form was shown with: None for none, UNCHECKED if unsent.

        A form posted without the field (a page opened before the field existed, or a script)
        is saved without the check.
        """
        if "revision" not in request.form:
            return UNCHECKED
        text = (self.revision.data or "").strip()
        return int(text) if text.isdigit() else None

    def validate_answer(self, field: Field) -> None:
        try:
            self.cleaned = check_answer(self.question, field.data, self.answers)
        except AnswerError as error:
            raise ValidationError(error_message(self.question, error, self.answers)) from None
        if improbable(self.question, self.cleaned, self.answers) and not self.confirmed:
            self.unconfirmed = True
            raise ValidationError(gettext(self.question.improbable.warning))

    @property
    def confirming(self) -> str:
        return confirmed_value(self.cleaned)

    @property
    def confirmed(self) -> bool:
        """The member ticked "Yes, this is right" for this very number."""
        return request.form.get(CONFIRMED_FIELD) == confirmed_value(self.cleaned)


class SingleChoiceField(RadioField):
    """A radio group that refuses, rather than silently trims, more than one value."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if len(valuelist) > 1:
            self.data = list(valuelist)
        else:
            super().process_formdata(valuelist)


class ChoiceForm(QuestionForm):
    # Options are rendered and checked from the tree itself, so the fields need no choices.
    answer = SingleChoiceField(NO_LABEL, validate_choice=False)


class MultipleChoiceForm(QuestionForm):
    answer = SelectMultipleField(NO_LABEL, validate_choice=False)


class LongTextForm(QuestionForm):
    answer = TextAreaField(NO_LABEL)


class TextForm(QuestionForm):
    """Short text and numbers: one line, checked by the tree's rules."""

    answer = StringField(NO_LABEL)


FORMS_BY_TYPE = {
    m.SINGLE_CHOICE: ChoiceForm,
    m.YES_NO: ChoiceForm,
    m.MULTIPLE_CHOICE: MultipleChoiceForm,
    m.LONG_TEXT: LongTextForm,
}


def question_form(
    question: m.Question, answers: Mapping[str, Any] | None = None, **kwargs
) -> QuestionForm:
    """Build the form for `question`; pass `data=` to show a stored answer.

    `answers` are the team's answers so far, which limits such as a WTE within its head count
    are checked against.
    """
    form = FORMS_BY_TYPE.get(question.type, TextForm)(**kwargs)
    form.question = question
    form.answers = answers or {}
    return form


def stored_as_form_data(question: m.Question, value) -> object:
    """Turn a stored answer back into what the form field shows."""
    if value is None:
        return None
    if question.type in m.NUMBER_TYPES:
        return str(value)
    return value


class RespondentForm(FlaskForm):
    name = StringField(
        _l("Your name (optional)"),
        validators=[Optional(), Length(max=NAME_MAX_LENGTH, message=NAME_TOO_LONG)],
        default="",
        filters=[clean_line],
    )
    role = StringField(
        _l("Your role in the team (optional)"),
        validators=[Optional(), Length(max=NAME_MAX_LENGTH, message=ROLE_TOO_LONG)],
        default="",
        filters=[clean_line],
    )
    submit = SubmitField(_l("Start"))


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""

    submit = SubmitField(NO_LABEL)
