"""The answers CSV is written from cursor rows and reused cell texts, and says the same as its
records would through `csv_lines`: every cell, quote and defused start, byte for byte."""

import csv
import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot import store
from bot.console import exports
from bot.db import get_db
from tests.exports_support import TREE_IDS, seed_labelled_audit

AWKWARD_TEXT = st.text(
    alphabet=st.sampled_from(list("ab ,\"'=+-@\t\r\n\x00é☃")) | st.characters(),
    max_size=12,
)
CELL = st.none() | st.booleans() | st.integers() | AWKWARD_TEXT


@pytest.fixture
def labelled(app):
    return seed_labelled_audit(app)


@given(st.lists(st.lists(CELL, min_size=2, max_size=4), min_size=1, max_size=5))
@example([["", ""], ["", ""]])
@example([[None, "\r\n"], ['"', ","]])
def test_groups_of_cells_joined_by_commas_are_the_row_csv_writer_writes(groups):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell for group in groups for cell in group])
    text = exports.CsvText()
    assert ",".join(text.cells(group) for group in groups) + "\r\n" == buffer.getvalue()


def _records_through_csv_lines(app) -> str:
    with app.app_context():
        return "".join(
            exports.csv_lines(
                exports.ANSWER_COLUMNS,
                exports.answer_records(get_db(), app.extensions["question_tree"]),
            )
        )


def _hostile_audit(app) -> None:
    """A second team whose names, notes and answers are everything a spreadsheet runs or splits."""
    with app.app_context():
        db = get_db()
        team_id, _ = store.create_team(db, '=cmd|"/c calc"!A1, "quoted"', nation="wales")
        audit = store.current_audit(db, team_id, **TREE_IDS)
        people = [
            store.add_respondent(db, team_id, "-Dee\r\nTwo lines", '@role, "x"'),
            store.add_respondent(db, team_id, "Plain", "Therapist"),
        ]
        long_note = "+" + "a long note, with commas. " * 20
        for number, (question_id, value, note) in enumerate(
            [
                ("sup_under3_count", -3, "=SUM(A1)"),
                ("sup_under3_wte", 0.5, long_note),
                ("sup_under3_each", "each_gets_share", "\ttabbed"),
                ("mdt_professions", ["health_visitor", "=gone"], 'say "hi"'),
                ("further_anything_else", "x" * 300 + "\n" + "-y", ""),
                ("referral_limiting_other", "+44 1234 567890", "\r"),
                ("retired_question", {"kept": ["odd", 1]}, ""),
            ]
        ):
            store.record_answer(
                db,
                audit["id"],
                question_id,
                value,
                note=note,
                respondent_id=people[number % 2],
                tree=app.extensions["question_tree"],
            )


def test_the_answers_csv_is_its_records_through_csv_lines(app, console, labelled):
    _hostile_audit(app)
    response = console.get("/admin/exports/answers.csv")
    assert response.status_code == 200 and response.is_streamed
    body = response.get_data(as_text=True)
    assert body == _records_through_csv_lines(app)
    assert "'=cmd|" in body and "'-Dee\r\nTwo lines" in body and "'=SUM(A1)" in body


def test_reused_cell_texts_stay_right_when_their_store_fills(app, console, monkeypatch):
    """With room for one text, every row misses and refills: the file is the same."""
    _hostile_audit(app)
    expected = _records_through_csv_lines(app)
    monkeypatch.setattr(exports, "CELLS_KEPT", 1)
    assert console.get("/admin/exports/answers.csv").get_data(as_text=True) == expected


def test_the_answers_csv_streams_in_chunks_of_rows(app, console, monkeypatch):
    with app.app_context():
        db = get_db()
        for number in range(5):
            team_id, _ = store.create_team(db, f"Team {number}")
            audit = store.current_audit(db, team_id, **TREE_IDS)
            store.record_answer(
                db, audit["id"], "sup_under3_count", number, tree=app.extensions["question_tree"]
            )
    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 2)
    response = console.get("/admin/exports/answers.csv", buffered=False)
    chunks = [chunk.decode("utf-8") for chunk in response.response]
    response.close()
    assert [chunk.count("\r\n") for chunk in chunks if chunk] == [1, 2, 2, 1]


def test_a_stamp_already_to_the_second_is_given_back_as_the_parsed_time_would_be():
    from bot.console.exports import _stamp_in_seconds, _time

    for text in ("2026-01-01T09:05:07+00:00", "2026-01-01 09:05:07+00:00", "2026-01-01T09:05:07"):
        assert _stamp_in_seconds(text) == _time(store.parse_time(text))


def test_the_audits_exports_stream_in_chunks_of_records(app, console, monkeypatch):
    with app.app_context():
        db = get_db()
        for number in range(5):
            store.create_team(db, f"Team {number}")
    monkeypatch.setattr(exports, "CHUNK_RECORDS", 2)

    def chunks(url: str) -> list[str]:
        response = console.get(url, buffered=False)
        texts = [chunk.decode("utf-8") for chunk in response.response]
        response.close()
        return texts

    assert [chunk.count("\r\n") for chunk in chunks("/admin/exports/audits.csv")] == [1, 2, 2, 1]
    records = [chunk.count('"team_id"') for chunk in chunks("/admin/exports/audits.json")]
    assert records == [0, 2, 2, 1, 0]
