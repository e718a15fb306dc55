"""A date typed as day, month and year: the GOV.UK Design System's date input, as a WTForms field.

The field reads `<name>-day`, `<name>-month` and `<name>-year`, keeps what was typed so a form
shown again with an error shows it too, and words its errors the GOV.UK way, naming the date
("Link expiry date must include a month"). It marks which boxes to highlight: the ones at fault
when that is clear, else the whole date. The template macro `date_input` in
templates/admin/macros.html draws it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from bot.tree.answers import clean_text

PARTS = ("day", "month", "year")
PART_NAMES = {"day": _l("day"), "month": _l("month"), "year": _l("year")}

#: Month names and their usual short forms are accepted as well as numbers, as GOV.UK advises.
MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}

#: Longer than any honest entry; what is kept for showing again is cut to this.
MAX_TYPED = 20

_DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}")


class DateParseError(ValueError):
    """What is wrong with the typed parts, and which boxes show it (none named: all of them)."""

    def __init__(self, message: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.parts = parts


def _joined(names: list[str]) -> str:
    """Join part names as a sentence does: "day", "day and month", "day, month and year"."""
    if len(names) == 1:
        return names[0]
    return str(_l("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1]))


def parse_parts(typed: dict[str, str], subject: str) -> date:
    """Return the date the parts make, or raise DateParseError.

    Missing parts come first, then parts that cannot be right (a month of 13), then dates that
    do not exist (30 February), as GOV.UK orders its date errors.
    """
    missing = [part for part in PARTS if not typed[part]]
    if missing:
        names = _joined([str(PART_NAMES[part]) for part in missing])
        raise DateParseError(
            str(_l("%(subject)s must include a %(parts)s", subject=subject, parts=names)),
            tuple(missing),
        )
    day_text, month_text, year_text = (typed[part] for part in PARTS)
    month = MONTH_NAMES.get(month_text.lower())
    if month is None and _DAY_OR_MONTH.fullmatch(month_text):
        month = int(month_text)
    wrong = []
    if not _DAY_OR_MONTH.fullmatch(day_text) or not 1 <= int(day_text) <= 31:
        wrong.append("day")
    if month is None or not 1 <= month <= 12:
        wrong.append("month")
    if not _YEAR.fullmatch(year_text):
        if year_text.isascii() and year_text.isdigit() and not wrong:
            raise DateParseError(str(_l("Year must include 4 numbers")), ("year",))
        wrong.append("year")
    real_date = str(_l("%(subject)s must be a real date", subject=subject))
    if wrong:
        raise DateParseError(real_date, tuple(wrong) if len(wrong) == 1 else ())
    try:
        return date(int(year_text), month, int(day_text))
    except ValueError:
        raise DateParseError(real_date) from None


class DateInputField(Field):
    """A date in three boxes, optional: three empty boxes give None.

    `subject` names the date in error messages, without "(optional)": "Link expiry date".
    After a post, `typed` holds the cleaned parts as typed, `error_parts` the boxes at fault.
    """

    def __init__(self, label=None, validators=None, *, subject: str, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.subject = subject
        self.typed: dict[str, str] | None = None
        self.error_parts: tuple[str, ...] = ()

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        super().process(formdata, data, extra_filters)
        self.typed, self.error_parts = None, ()
        if formdata is None:
            return
        self.typed = {part: _typed(formdata, f"{self.name}-{part}") for part in PARTS}
        self.raw_data = [self.typed[part] for part in PARTS if self.typed[part]]
        self.data = None
        if not self.raw_data:
            return
        try:
            self.data = parse_parts(self.typed, str(self.subject))
        except DateParseError as error:
            self.error_parts = error.parts
            self.process_errors.append(str(error))

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()

    @property
    def example(self) -> str:
        """A date for the hint, in the form to type it: "27 3 2027" (next year's 27 March)."""
        return f"27 3 {date.today().year + 1}"

    def part_value(self, part: str) -> str:
        """The box's value: as typed after a post, else from the date the form was given."""
        if self.typed is not None:
            return self.typed[part]
        if isinstance(self.data, date):
            return str(getattr(self.data, part))
        return ""

    def part_in_error(self, part: str) -> bool:
        return bool(self.errors) and (not self.error_parts or part in self.error_parts)

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the first box at fault."""
        first = next((part for part in PARTS if self.part_in_error(part)), "day")
        return f"{self.name}-{first}"


def _typed(formdata, key: str) -> str:
    """One box's text without spaces, control or format characters (a right-to-left mark)."""
    values = formdata.getlist(key)
    text = clean_text(values[0]) if values and isinstance(values[0], str) else ""
    kept = (char for char in text if not char.isspace() and unicodedata.category(char) != "Cf")
    return "".join(kept)[:MAX_TYPED]


class TodayOrLater:
    """The date is today or later, `today` being the date where the console's users are."""

    def __init__(self, today: Callable[[], date]) -> None:
        self.today = today

    def __call__(self, _form, field: DateInputField) -> None:
        if field.data is not None and field.data < self.today():
            raise ValidationError(
                str(_l("%(subject)s must be today or in the future", subject=field.subject))
            )


class WithinYears:
    """The date is no more than `years` years from today (which also keeps it storable)."""

    def __init__(self, years: int, today: Callable[[], date]) -> None:
        self.years, self.today = years, today

    def __call__(self, _form, field: DateInputField) -> None:
        if field.data is not None and field.data > self.today() + timedelta(days=366 * self.years):
            raise ValidationError(
                str(
                    _l(
                        "%(subject)s must be within %(years)s years",
                        subject=field.subject,
                        years=self.years,
                    )
                )
            )
