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
from datetime import datetime
from typing import Any

import sqlite_utils

from bot import store
from bot.console.standings import Standings
from bot.tree import model as m

BATCH_SIZE = 200
DESCRIPTOR_PREFIX = "descriptor_"
TEAM_COLUMNS = [
    "team_id",
    "team_name",
    "nation",
    "area",
    "host_type",
    "contact_email",
    "self_registered",
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
    return None if moment is None else moment.isoformat(timespec="seconds")


def _stamp_in_seconds(text: str) -> str:
    """A stored stamp ("...T01:46:50.123456+00:00", `store.stamp`) to the second, as `_time`
    gives it, by cutting the text: a million answers are not parsed and printed again."""
    if len(text) == 32 and text[19] == "." and text.endswith("+00:00"):
        return text[:19] + "+00:00"
    return _time(store.parse_time(text))


def _team_fields(team: dict) -> dict[str, Any]:
    return {
        "team_id": team["id"],
        "team_name": team["name"],
        "nation": team["nation"],
        "area": team["area"],
        "host_type": team["host_type"],
        "contact_email": team["contact_email"],
        "self_registered": team["self_registered"],
        "team_created": _time(team["created"]),
        "team_archived": _time(team["archived"]),
    }


def audit_records(
    db: sqlite_utils.Database,
    tree: m.Tree,
    *,
    batch_size: int = BATCH_SIZE,
    standings: Standings | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one record per audit (and one for each team with none), team by team.

    Three queries a batch: the teams and audits, the current answers of audits whose standing
    is not cached yet, their contributors.
    """
    labels = Labels(tree)
    for batch in store.iter_team_audits(db, batch_size=batch_size):
        audit_ids = [item["audit"]["id"] for item in batch if item["audit"]]
        standing_of = (standings or Standings()).for_audits(
            db, tree, [item["audit"] for item in batch]
        )
        people = store.contributor_counts(db, audit_ids)
        for item in batch:
            audit = item["audit"]
            standing = standing_of[audit["id"] if audit else None]
            record = _team_fields(item["team"])
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


def answer_records(
    db: sqlite_utils.Database,
    tree: m.Tree,
    *,
    batch_size: int = BATCH_SIZE,
    standings: Standings | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield every audit's current answer to each question, in the order they were given.

    The answers come from one joined query (`store.iter_current_answers`); each audit's path
    comes from its standing (kept, so read rather than evaluated), looked up `batch_size`
    audits at a time. on_current_path is False for an answer kept on a branch the team no
    longer takes (the result ignores it), and for a question no longer in the tree.
    """
    standings = standings or Standings()
    labels = Labels(tree)
    pending: list[tuple[dict, list[dict]]] = []

    def flush() -> Iterator[dict[str, Any]]:
        standing_of = standings.for_audits(db, tree, [audit for audit, _ in pending])
        for audit, rows in pending:
            path = set(standing_of[audit["id"]].path)
            for row in rows:
                yield _answer_record(row, path, labels)
        pending.clear()

    for audit_id, rows in itertools.groupby(
        store.iter_current_answers(db), key=lambda row: row["audit_id"]
    ):
        rows = list(rows)
        audit = store.typed_row(
            {
                "id": audit_id,
                "updated": rows[0]["audit_updated"],
                "status": rows[0]["audit_status"],
                "tree_digest": rows[0]["audit_tree_digest"],
            }
        )
        pending.append((audit, rows))
        if len(pending) >= batch_size:
            yield from flush()
    if pending:
        yield from flush()


def _answer_record(row: dict, path: set[str], labels: Labels) -> dict[str, Any]:
    value = json.loads(row["value"])
    return {
        "team_id": row["team_id"],
        "team_name": row["team_name"],
        "audit_id": row["audit_id"],
        "current_audit": bool(row["current_audit"]),
        "question_id": row["question_id"],
        "question": labels.questions.get(row["question_id"], ""),
        "on_current_path": row["question_id"] in path,
        "value": value,
        "answer": labels.answer(row["question_id"], value),
        "note": row["note"],
        "respondent_name": row["respondent_name"],
        "respondent_role": row["respondent_role"],
        "answered_at": _stamp_in_seconds(row["answered_at"]),
    }


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
    """Yield a CSV file (UTF-8 byte-order mark, header, rows) a line at a time.

    The mark makes Excel read the file as UTF-8. Lists (flags) are joined with "; ".
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cells = [(column, _CSV_CELLS.get(column, csv_cell)) for column in columns]

    def line(row: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield "\ufeff" + line(columns)
    for record in records:
        yield line([cell(record.get(column)) for column, cell in cells])


def _flags_cell(value: Any) -> str:
    return csv_cell("; ".join(value) if isinstance(value, list) else value)


def _answer_value_cell(value: Any) -> str:
    """An answer as its JSON, so numbers, text and lists stay distinct."""
    return csv_cell(json.dumps(value, ensure_ascii=False))


_CSV_CELLS = {"flags": _flags_cell, "flag_labels": _flags_cell, "value": _answer_value_cell}


def json_array(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Yield a JSON array of the records, one record a line."""
    yield "["
    separator = "\n"
    for record in records:
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
