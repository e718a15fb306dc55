"""Bulk import of teams from a CSV: every row is read and checked before anything is made.

No Flask and no database: `parse_teams` takes the file's bytes and the names already in use
and returns the rows to create, or the errors of each bad row. Nothing is created while any
row has an error.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.tree.answers import clean_line, clean_text

MAX_ROWS = 500
MAX_NAME = 120
MAX_EMAIL = 254
COLUMNS = {
    "name": "name",
    "team": "name",
    "team name": "name",
    "nation": "nation",
    "contact email": "contact_email",
    "contact_email": "contact_email",
    "email": "contact_email",
}


@dataclass(frozen=True)
class ImportRow:
    line: int
    name: str
    nation: str
    contact_email: str | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


def decode(data: bytes) -> str:
    """Read UTF-8 (with or without Excel's byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _clean(value: str | None) -> str:
    return clean_text(value or "").strip()


def parse_teams(
    data: bytes,
    *,
    nations: Mapping[str, str],
    email_pattern: re.Pattern,
    existing_names: Collection[str] = (),
) -> tuple[list[ImportRow], list[RowError]]:
    """Return (rows, errors) for a CSV with the columns name, nation and contact email.

    Nations may be given by label ("Northern Ireland") or id, in any case. A name may not be
    used twice in the file nor by a team that already exists (any case).
    """
    reader = csv.reader(io.StringIO(decode(data)))
    header = next(reader, None)
    keys = [COLUMNS.get(_clean(cell).casefold()) for cell in header or []]
    if "name" not in keys or "nation" not in keys:
        return [], [RowError(1, "The first row must name the columns: name, nation, contact email")]
    by_nation = {key.casefold(): key for key in nations}
    by_nation |= {label.casefold(): key for key, label in nations.items()}
    taken = {name.casefold() for name in existing_names}
    seen: dict[str, int] = {}
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(_clean(cell) for cell in cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"A file may hold at most {MAX_ROWS} teams"))
            break
        values = {key: _clean(cell) for key, cell in zip(keys, cells, strict=False) if key}
        name, email = clean_line(values.get("name", "")), values.get("contact_email", "")
        nation = by_nation.get(values.get("nation", "").casefold())
        problems = []
        if not name:
            problems.append("Enter the team’s name")
        elif len(name) > MAX_NAME:
            problems.append(f"The team’s name must be {MAX_NAME} characters or fewer")
        elif name.casefold() in taken:
            problems.append(f"A team called “{name}” already exists")
        elif name.casefold() in seen:
            problems.append(f"“{name}” is also on row {seen[name.casefold()]}")
        if nation is None:
            problems.append("Give the nation as England, Scotland, Wales or Northern Ireland")
        if email and (len(email) > MAX_EMAIL or not email_pattern.match(email)):
            problems.append("Enter the contact email like name@example.org, or leave it empty")
        if name:
            seen.setdefault(name.casefold(), line)
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
        else:
            rows.append(ImportRow(line, name, nation, email.lower() or None))
    if not rows and not errors:
        errors.append(RowError(2, "The file has no teams in it"))
    return rows, errors
