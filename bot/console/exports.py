"""The console's exports: one row per audit, or every current answer in long form.

Rows are read from the store in batches and turned into text as they go, so an export of a
thousand teams never holds a thousand teams in memory. No Flask: the view wraps these
generators in a streamed response.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot import store
from bot.store.link_status import link_statuses
from bot.tree import model as m

UK = ZoneInfo("Europe/London")
ONE_HOUR = timedelta(hours=1)
BATCH_SIZE = 200
CSV_CHUNK_ROWS = 1000  # lines of the answers CSV a chunk
CHUNK_RECORDS = 200  # records a chunk elsewhere: a record is a dict, so fewer are held
DESCRIPTOR_PREFIX = "descriptor_"
TEAM_COLUMNS = [
    "team_id",
    "team_name",
    "nation",
    "area",
    "host_type",
    "contact_email",
    "contact_name",
    "self_registered",
    "approval",
    "link_status",
    "team_created",
    "team_archived",
]
AUDIT_COLUMNS = [
    "audit_id",
    "current_audit",
    "tree_id",
    "tree_version",
    "status",
    "percent_answered",
    "started",
    "updated",
    "finished",
    "contributors",
    "result",
    "result_label",
    "flags",
    "flag_labels",
]
ANSWER_COLUMNS = [
    "team_id",
    "team_name",
    "audit_id",
    "current_audit",
    "question_id",
    "question",
    "on_current_path",
    "value",
    "answer",
    "note",
    "respondent_name",
    "respondent_role",
    "answered_at",
]
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Labels:
    """The English words for a tree's ids, in dicts built once per export.

    An id the tree no longer has (a removed question, option, result or flag) gets an empty
    label for a question, result or flag, and shows itself in an answer, so nothing is lost.
    """

    def __init__(self, tree: m.Tree) -> None:
        self.questions = {question.id: question.text for question in tree.questions}
        self.options = {
            question.id: {option.value: option.label for option in question.options}
            for question in tree.questions
            if question.type in m.CHOICE_TYPES
        }
        self.results = {result.id: result.title for result in tree.results}
        self.flags = {flag.id: flag.title for flag in tree.flags}

    def answer(self, question_id: str, value: Any) -> str:
        """An answer in words: option labels joined with "; ", numbers and text as given."""
        labels = self.options.get(question_id, {})
        items = value if isinstance(value, list) else [] if value is None else [value]
        return "; ".join(
            labels.get(item, item) if type(item) is str else str(item) for item in items
        )


def audit_columns(tree: m.Tree) -> list[str]:
    """Return the columns of the audits export: team, audit, then one per descriptor."""
    return TEAM_COLUMNS + AUDIT_COLUMNS + [DESCRIPTOR_PREFIX + d.id for d in tree.descriptors]


def _time(moment: datetime | None) -> str | None:
    """A time as the console shows it, UK time, with its offset: "2026-06-01T11:00:00+01:00"."""
    return None if moment is None else moment.astimezone(UK).isoformat(timespec="seconds")


uk_time = _time

_UK_OFFSETS: dict[str, timedelta] = {}


def _stamp_in_seconds(text: str) -> str:
    """A stored stamp ("...T01:46:50.123456+00:00", `store.stamp`) in UK time to the second,
    as `_time` gives it: a million answers are not all parsed and printed again.

    The UK's offset from UTC is found once per hour of stamps: in winter (offset 0) the text is
    cut; in summer the hour is moved on by one.
    """
    if text.endswith("+00:00") and text[10:11] == "T" and len(text) in (25, 32):
        hour = text[:13]
        offset = _UK_OFFSETS.get(hour)
        if offset is None:
            if len(_UK_OFFSETS) > 100_000:
                _UK_OFFSETS.clear()
            moment = datetime.fromisoformat(hour + ":00:00+00:00")
            offset = _UK_OFFSETS[hour] = moment.astimezone(UK).utcoffset()
        if not offset:
            return text[:19] + "+00:00"
        local = datetime.fromisoformat(text[:19]) + offset
        return local.isoformat() + "+01:00" if offset == ONE_HOUR else _time(store.parse_time(text))
    return _time(store.parse_time(text))


def _team_fields(team: dict) -> dict[str, Any]:
    return {
        "team_id": team["id"],
        "team_name": team["name"],
        "nation": team["nation"],
        "area": team["area"],
        "host_type": team["host_type"],
        "contact_email": team["contact_email"],
        "contact_name": team.get("contact_name"),
        "self_registered": team["self_registered"],
        "approval": "rejected"
        if team.get("rejected")
        else "pending"
        if team.get("pending")
        else "approved",
        "link_status": None,
        "team_created": _time(team["created"]),
        "team_archived": _time(team["archived"]),
    }


def audit_records(
    db: sqlite_utils.Database, tree: m.Tree, *, batch_size: int = BATCH_SIZE
) -> Iterator[dict[str, Any]]:
    """Yield one record per audit (and one for each team with none), team by team.

    Three queries a batch: the teams and audits, their kept standings, their contributors.
    """
    labels = Labels(tree)
    for batch in store.iter_team_audits(db, batch_size=batch_size):
        audit_ids = [item["audit"]["id"] for item in batch if item["audit"]]
        standing_of = store.standings(db, audit_ids)
        people = store.contributor_counts(db, audit_ids)
        link_of = link_statuses(db, [item["team"]["id"] for item in batch])
        for item in batch:
            audit = item["audit"]
            standing = standing_of[audit["id"] if audit else None]
            record = _team_fields(item["team"])
            record["link_status"] = link_of.get(item["team"]["id"])
            record.update(
                {
                    "audit_id": audit["id"] if audit else None,
                    "current_audit": item["current"],
                    "tree_id": audit["tree_id"] if audit else None,
                    "tree_version": audit["tree_version"] if audit else None,
                    "status": standing.status,
                    "percent_answered": standing.percent,
                    "started": _time(audit["started"]) if audit else None,
                    "updated": _time(audit["updated"]) if audit else None,
                    "finished": _time(audit["finished"]) if audit else None,
                    "contributors": people.get(audit["id"], 0) if audit else 0,
                    "result": standing.result,
                    "result_label": labels.results.get(standing.result, "")
                    if standing.result
                    else None,
                    "flags": list(standing.flags),
                    "flag_labels": [labels.flags.get(flag, "") for flag in standing.flags],
                }
            )
            for descriptor in tree.descriptors:
                record[DESCRIPTOR_PREFIX + descriptor.id] = standing.descriptors.get(descriptor.id)
            yield record


def _audits_with_answers(
    db: sqlite_utils.Database, *, batch_size: int
) -> Iterator[tuple[tuple, list[tuple], frozenset[str]]]:
    """Yield each audit's current answers with its path: (team and audit, rows, path).

    The rows are `store.iter_current_answers`' tuples, straight from its one joined query;
    the first item is (team id, team name, audit id, whether it is the current audit). Each
    path is the audit's kept standing's, looked up `batch_size` audits at a time.
    """
    pending: list[list[tuple]] = []

    def flush() -> Iterator[tuple[tuple, list[tuple], frozenset[str]]]:
        path_of = store.standing_paths(db, [rows[0][2] for rows in pending])
        for rows in pending:
            yield rows[0][:4], rows, path_of.get(rows[0][2], frozenset())
        pending.clear()

    rows: list[tuple] = []
    for row in store.iter_current_answers(db):
        if rows and row[2] != rows[0][2]:
            pending.append(rows)
            rows = []
            if len(pending) >= batch_size:
                yield from flush()
        rows.append(row)
    if rows:
        pending.append(rows)
    if pending:
        yield from flush()


def answer_records(
    db: sqlite_utils.Database, tree: m.Tree, *, batch_size: int = BATCH_SIZE
) -> Iterator[dict[str, Any]]:
    """Yield every audit's current answer to each question, in the order they were given.

    on_current_path is False for an answer kept on a branch the team no longer takes (the
    result ignores it), and for a question no longer in the tree. `answers_csv` writes the
    same records as CSV cells, from the same rows.
    """
    labels = Labels(tree)
    for (team_id, team_name, audit_id, current), rows, path in _audits_with_answers(
        db, batch_size=batch_size
    ):
        current = bool(current)
        for row in rows:
            question_id, stored, note, name, role, answered_at = row[4:]
            value = json.loads(stored)
            yield {
                "team_id": team_id,
                "team_name": team_name,
                "audit_id": audit_id,
                "current_audit": current,
                "question_id": question_id,
                "question": labels.questions.get(question_id, ""),
                "on_current_path": question_id in path,
                "value": value,
                "answer": labels.answer(question_id, value),
                "note": note,
                "respondent_name": name,
                "respondent_role": role,
                "answered_at": _stamp_in_seconds(answered_at),
            }


CELLS_KEPT = 4096
CELLS_LONGEST = 200


class CsvText:
    """Cells as CSV text, written by the one `csv.writer` dialect the exports use.

    `csv.writer` quotes each cell on its own and puts a comma between cells, so a row's text
    is its groups of cells' texts joined by commas (a group of several cells is never the
    lone empty cell that `csv.writer` writes as `""`). The answers export writes a team's,
    a question's or an answer's cells once and reuses the text for every row that has them.
    """

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def cells(self, cells: Iterable[Any]) -> str:
        """Return the cells as CSV text, commas between them, without a line end."""
        self.writer.writerow(cells)
        return _taken(self.buffer)[:-2]


class _Kept(dict):
    """A dict that forgets everything when full: memory stays flat however many keys."""

    def keep(self, key: Any, value: Any) -> Any:
        if len(self) >= CELLS_KEPT:
            self.clear()
        self[key] = value
        return value


def answers_csv(
    db: sqlite_utils.Database, tree: m.Tree, *, batch_size: int = BATCH_SIZE
) -> Iterator[str]:
    """Yield the answers export as CSV text, `CSV_CHUNK_ROWS` rows a chunk.

    The cells are `answer_records`' values through `csv_cell`, worked out without a record:
    each row is a tuple from the cursor, and its text is put together from the CSV text of
    its groups of cells (`CsvText`): the team's and audit's made once per audit, a question's
    id and words once per question, a stored value's JSON and words once per distinct value,
    and the note and who answered once per distinct short note and person. Most answers are
    one of a few options or numbers, so most rows cost a few dict look-ups.
    """
    labels = Labels(tree)
    text = CsvText()
    question_texts: dict[str, str] = {}
    answer_texts = _Kept()
    people_texts = _Kept()
    yield "\ufeff" + text.cells(ANSWER_COLUMNS) + "\r\n"
    lines: list[str] = []
    for (team_id, team_name, audit_id, current), rows, path in _audits_with_answers(
        db, batch_size=batch_size
    ):
        audit_text = text.cells(
            (team_id, _text_cell(team_name), audit_id, "true" if current else "false")
        )
        for row in rows:
            question_id, stored, note, name, role, answered_at = row[4:]
            question_text = question_texts.get(question_id)
            if question_text is None:
                question_text = question_texts[question_id] = text.cells(
                    (_text_cell(question_id), _text_cell(labels.questions.get(question_id, "")))
                )
            answer_text = answer_texts.get((question_id, stored))
            if answer_text is None:
                answer_text = text.cells(_answer_cells(labels, question_id, stored))
                if len(stored) <= CELLS_LONGEST:
                    answer_texts.keep((question_id, stored), answer_text)
            people = (note, name, role)
            people_text = people_texts.get(people)
            if people_text is None:
                people_text = text.cells((_text_cell(note), _text_cell(name), _text_cell(role)))
                if len(note or "") <= CELLS_LONGEST:
                    people_texts.keep(people, people_text)
            # A stamp is digits and "-T:+." only, which CSV never quotes.
            lines.append(
                f"{audit_text},{question_text},{'true' if question_id in path else 'false'},"
                f"{answer_text},{people_text},{_stamp_in_seconds(answered_at)}\r\n"
            )
            if len(lines) >= CSV_CHUNK_ROWS:
                yield "".join(lines)
                lines.clear()
    yield "".join(lines)


def _answer_cells(labels: Labels, question_id: str, stored: str) -> tuple[str, str]:
    """The value and answer cells of a stored answer (its JSON text)."""
    value = json.loads(stored)
    return _answer_value_cell(value), csv_cell(labels.answer(question_id, value))


def _text_cell(text: str | None) -> str:
    """`csv_cell` for a column of text (or empty): the common case without its type checks."""
    if type(text) is str:
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return csv_cell(text)


def _chunks(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The records `CHUNK_RECORDS` at a time (`itertools.batched` from Python 3.12)."""
    records = iter(records)
    while chunk := list(itertools.islice(records, CHUNK_RECORDS)):
        yield chunk


def _taken(buffer: io.StringIO) -> str:
    """Return the buffer's text and empty it."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# -- text -----------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """Return a value as CSV text, defused so a spreadsheet never runs it as a formula."""
    kind = type(value)
    if kind is str:
        text = value
    elif value is None:
        return ""
    elif kind is bool:
        return "true" if value else "false"
    elif kind is list or kind is dict:
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(columns: list[str], records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield a CSV file (UTF-8 byte-order mark, header, rows), `CHUNK_RECORDS` rows a chunk.

    The mark makes Excel read the file as UTF-8. Lists (flags) are joined with "; ".
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = [(column, _CSV_CELLS.get(column, csv_cell)) for column in columns]
    buffer.write("\ufeff")
    writer.writerow(columns)
    yield _taken(buffer)
    for batch in _chunks(records):
        writer.writerows([cell(record.get(column)) for column, cell in cells] for record in batch)
        yield _taken(buffer)


def _flags_cell(value: Any) -> str:
    return csv_cell("; ".join(value) if isinstance(value, list) else value)


def _answer_value_cell(value: Any) -> str:
    """An answer as its JSON, so numbers, text and lists stay distinct."""
    return csv_cell(json.dumps(value, ensure_ascii=False))


_CSV_CELLS = {"flags": _flags_cell, "flag_labels": _flags_cell, "value": _answer_value_cell}


def json_array(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield a JSON array of the records, one record a line, `CHUNK_RECORDS` lines a chunk."""
    yield "["
    separator = "\n"
    for batch in _chunks(records):
        yield separator + ",\n".join(json.dumps(record, ensure_ascii=False) for record in batch)
        separator = ",\n"
    yield "\n]\n"


# -- the exports as the console serves them ---------------------------------------------------


def audits_csv(db: sqlite_utils.Database, tree: m.Tree, **options: Any) -> Iterator[str]:
    """Yield the audits export as CSV text."""
    return csv_lines(audit_columns(tree), audit_records(db, tree, **options))


def audits_json(db: sqlite_utils.Database, tree: m.Tree, **options: Any) -> Iterator[str]:
    """Yield the audits export as JSON text."""
    return json_array(audit_records(db, tree, **options))


def answers_json(db: sqlite_utils.Database, tree: m.Tree, **options: Any) -> Iterator[str]:
    """Yield the answers export as JSON text."""
    return json_array(answer_records(db, tree, **options))
