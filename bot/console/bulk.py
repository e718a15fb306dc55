"""Bulk import of teams from the spreadsheet people have: every row checked before any is made.

No Flask and no database: `parse_teams` takes the file's bytes and the names already in use
and returns a `ParsedFile`: the rows to create, the rows naming teams that already exist, the
errors of each bad row, and what was found about the file (its encoding, its separator, the
columns it has that are not imported). Nothing is created while any row has an error.

Files come as Excel and others save them: UTF-8 with or without a byte-order mark, UTF-16
("Unicode Text", tab-separated), Windows-1252 or Mac Roman ("CSV (Macintosh)", with CR line
ends); commas, semicolons or tabs. The encoding of a file that is neither UTF-8 nor UTF-16 is
worked out by charset-normalizer among those a UK spreadsheet writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from bot.store.names import clean_name, fold_name
from bot.tree.answers import clean_text

MAX_BYTES = 200_000
MAX_ROWS = 500
MAX_COLUMNS = 50
MAX_CELL = 1000
MAX_NAME = 120
MAX_EMAIL = 254
COLUMNS = {
    "name": "name",
    "team": "name",
    "teamname": "name",
    "nation": "nation",
    "country": "nation",
    "contactemail": "contact_email",
    "email": "contact_email",
    "emailaddress": "contact_email",
    "contactname": "contact_name",
    "contact": "contact_name",
}
NATION_ALIASES = {
    "england": "england",
    "eng": "england",
    "lloegr": "england",
    "scotland": "scotland",
    "scot": "scotland",
    "alba": "scotland",
    "yralban": "scotland",
    "wales": "wales",
    "cymru": "wales",
    "northernireland": "northern_ireland",
    "nireland": "northern_ireland",
    "ni": "northern_ireland",
    "nornirn": "northern_ireland",
    "gogleddiwerddon": "northern_ireland",
    "tuaiscirtnaheireann": "northern_ireland",
}
ENCODING_LABELS = {
    "utf_8_sig": "UTF-8 (with a byte-order mark)",
    "utf_8": "UTF-8",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
}
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
NATION_HELP = "England, Scotland, Wales or Northern Ireland"


@dataclass(frozen=True)
class ImportRow:
    line: int
    name: str
    nation: str
    contact_email: str | None
    contact_name: str | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass
class ParsedFile:
    """What a file holds: rows to create, rows already in the console, errors, and notes."""

    rows: list[ImportRow] = field(default_factory=list)
    existing: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    separator: str = ""
    unknown_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""


class UnreadableFile(ValueError):
    """The file is not text this import can read; the message says what to do."""


def decode(data: bytes) -> tuple[str, str]:
    """Return the file's text and its encoding's label; UnreadableFile if it is not text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), ENCODING_LABELS["utf_8_sig"]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), ENCODING_LABELS["utf_16"]
    try:
        return data.decode("utf-8"), ENCODING_LABELS["utf_8"]
    except UnicodeDecodeError:
        pass
    candidates = ["utf_16_le", "utf_16_be"] if b"\x00" in data else ["cp1252", "mac_roman"]
    best = from_bytes(data, cp_isolation=candidates).best()
    if best is None:
        raise UnreadableFile(
            "The file could not be read as text. Save the spreadsheet as “CSV UTF-8” and "
            "upload that file."
        )
    return str(best), ENCODING_LABELS.get(best.encoding, best.encoding)


def _separator(first_line: str) -> str:
    return max(SEPARATORS, key=lambda mark: (first_line.count(mark), mark == ","))


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def nation_of(value: str, nations: Mapping[str, str]) -> str | None:
    """The nation's id for a value given by id, label or a common alias (Cymru, NI, Alba)."""
    key = _key(value)
    by_key = {_key(nation_id): nation_id for nation_id in nations}
    by_key |= {_key(label): nation_id for nation_id, label in nations.items()}
    return by_key.get(key) or NATION_ALIASES.get(key)


def _clean(value: str | None) -> str:
    return clean_text(value or "").strip()


def parse_teams(
    data: bytes,
    *,
    nations: Mapping[str, str],
    email_pattern: re.Pattern,
    existing_names: Collection[str] = (),
) -> ParsedFile:
    """Read a file of teams with the columns name, nation, contact email (and contact name).

    A row naming a team that already exists (names compared folded: `names.fold_name`) is
    left out and listed, not an error; a name used twice in the file is an error.
    """
    parsed = ParsedFile()
    if len(data) > MAX_BYTES:
        parsed.errors.append(
            RowError(1, f"The file is larger than {MAX_BYTES // 1000} KB: split it in two")
        )
        return parsed
    try:
        text, parsed.encoding = decode(data)
    except UnreadableFile as error:
        parsed.errors.append(RowError(1, str(error)))
        return parsed
    parsed.text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = parsed.text.split("\n", 1)[0]
    delimiter = _separator(first_line)
    parsed.separator = SEPARATORS[delimiter]
    reader = csv.reader(io.StringIO(parsed.text, newline=""), delimiter=delimiter)
    try:
        _read_rows(reader, parsed, nations, email_pattern, existing_names)
    except csv.Error as error:
        parsed.errors.append(
            RowError(
                reader.line_num or 1, f"This row could not be read ({error}): check its quotes"
            )
        )
    if parsed.encoding in ("Windows-1252", "Mac Roman") and any(
        "?" in row.name for row in parsed.rows
    ):
        parsed.warnings.append(
            f"The file was saved as {parsed.encoding}, which has no ŵ or ŷ: a “?” in a name may "
            "stand for one. Save the spreadsheet as “CSV UTF-8” to keep every letter."
        )
    return parsed


def _read_rows(reader, parsed: ParsedFile, nations, email_pattern, existing_names) -> None:
    header = next(reader, None) or []
    if len(header) > MAX_COLUMNS:
        parsed.errors.append(RowError(1, f"The file has more than {MAX_COLUMNS} columns"))
        return
    keys = [COLUMNS.get(_key(_clean(cell))) for cell in header]
    parsed.unknown_columns = [
        _clean(cell) for cell, key in zip(header, keys, strict=True) if not key and _clean(cell)
    ]
    if "name" not in keys or "nation" not in keys:
        parsed.errors.append(
            RowError(1, "The first row must name the columns: name, nation, contact email")
        )
        return
    taken = {fold_name(name) for name in existing_names}
    seen: dict[str, int] = {}
    count = 0
    for cells in reader:
        line = reader.line_num
        if not any(_clean(cell) for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            parsed.errors.append(RowError(line, f"A file may hold at most {MAX_ROWS} teams"))
            return
        problems = _row_problems(cells)
        values = {key: _clean(cell) for key, cell in zip(keys, cells, strict=False) if key}
        name = clean_name(values.get("name", ""))
        email = values.get("contact_email", "")
        given_nation = values.get("nation", "")
        nation = nation_of(given_nation, nations)
        folded = fold_name(name)
        if not name:
            problems.append("Enter the team’s name")
        elif len(name) > MAX_NAME:
            problems.append(f"The team’s name must be {MAX_NAME} characters or fewer")
        elif folded in seen:
            problems.append(f"“{name}” is also on row {seen[folded]}")
        if nation is None:
            problems.append(
                f"Give the nation as {NATION_HELP}, not “{given_nation[:40]}”"
                if given_nation
                else f"Give the nation as {NATION_HELP}"
            )
        if email and (len(email) > MAX_EMAIL or not email_pattern.match(email)):
            problems.append(
                f"“{email[:60]}” is not an email address: enter it like name@example.org, or "
                "leave it empty"
            )
        if name:
            seen.setdefault(folded, line)
        if problems:
            parsed.errors.extend(RowError(line, problem) for problem in problems)
            continue
        row = ImportRow(
            line,
            name,
            nation,
            email.lower() or None,
            clean_name(values.get("contact_name", ""))[:MAX_NAME] or None,
        )
        (parsed.existing if folded in taken else parsed.rows).append(row)
    if not parsed.rows and not parsed.errors and not parsed.existing:
        parsed.errors.append(RowError(2, "The file has no teams in it"))


def _row_problems(cells: list[str]) -> list[str]:
    longest = max((len(cell) for cell in cells), default=0)
    if longest > MAX_CELL:
        return [f"A cell is {longest:,} characters long: at most {MAX_CELL:,} are allowed"]
    return []
