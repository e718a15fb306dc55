"""The console's exports: columns, rows, streaming in batches, and defused CSV cells."""

import csv
import io
import json

import pytest

from bot import store
from bot.console import exports
from bot.db import get_db
from tests.exports_support import TREE, TREE_IDS, seed_labelled_audit
from tests.profiles import PROFILES, SPECIALISED

TARGETED = next(p for p in PROFILES if p.name == "both targeted flags").answers


@pytest.fixture
def seeded(app):
    """Three teams: a re-audited one, one started (with a changed answer), one not started."""
    with app.app_context():
        db = get_db()
        first, _ = store.create_team(
            db, '=HYPERLINK("evil")', nation="england", area="-2+3", host_type="nhs"
        )
        audit = store.current_audit(db, first, **TREE_IDS)
        priya = store.add_respondent(db, first, "Priya", "@lead")
        for question_id, value in TARGETED.items():
            store.record_answer(db, audit["id"], question_id, value, respondent_id=priya, tree=TREE)
        store.finish_audit(db, audit["id"], tree=TREE)
        second_audit = store.start_new_audit(db, first, **TREE_IDS)
        for question_id, value in SPECIALISED.items():
            store.record_answer(db, second_audit["id"], question_id, value, tree=TREE)
        store.finish_audit(db, second_audit["id"], tree=TREE)

        second, _ = store.create_team(db, "Started team", nation="wales")
        started = store.current_audit(db, second, **TREE_IDS)
        store.record_answer(db, started["id"], "sup_under3_count", 1, tree=TREE)
        store.record_answer(db, started["id"], "sup_under3_count", 2, note="\tcorrected", tree=TREE)
        store.record_answer(db, started["id"], "retired_question", "kept", tree=TREE)

        third, _ = store.create_team(db, "Quiet team", nation="scotland")
        return {
            "first": first,
            "first_audits": (audit["id"], second_audit["id"]),
            "second": second,
            "started": started["id"],
            "third": third,
        }


def read_csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    return list(csv.reader(io.StringIO(text[1:])))[0], rows


def test_the_audits_csv_has_one_row_per_audit_and_every_descriptor(console, seeded):
    response = console.get("/admin/exports/audits.csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    columns, rows = read_csv(response)
    assert columns == exports.audit_columns(TREE)
    for column in ("team_name", "nation", "status", "result", "tree_version"):
        assert column in columns
    assert [f"descriptor_{d.id}" for d in TREE.descriptors] == columns[-len(TREE.descriptors) :]
    assert [(row["team_id"], row["audit_id"]) for row in rows] == [
        (str(seeded["first"]), str(seeded["first_audits"][0])),
        (str(seeded["first"]), str(seeded["first_audits"][1])),
        (str(seeded["second"]), str(seeded["started"])),
        (str(seeded["third"]), ""),
    ]
    old, new, started, quiet = rows
    assert old["result"] == "targeted" and old["current_audit"] == "false"
    assert old["flags"] == "targeted_age_under_one; targeted_referral_criteria"
    assert old["descriptor_referral_age_range"] == "not_met"
    assert old["contributors"] == "1"
    assert new["result"] == "specialised" and new["current_audit"] == "true"
    assert new["status"] == "finished" and new["percent_answered"] == "100"
    assert all(new[f"descriptor_{d.id}"] == "met" for d in TREE.descriptors)
    assert new["tree_version"] == str(TREE.version)
    assert started["status"] == "in_progress" and started["result"] == ""
    assert started["descriptor_clinical_supervision"] == "not_answered"
    assert quiet["status"] == "not_started" and quiet["audit_id"] == ""


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(console, seeded):
    _, rows = read_csv(console.get("/admin/exports/audits.csv"))
    assert rows[0]["team_name"] == '\'=HYPERLINK("evil")'
    assert rows[0]["area"] == "'-2+3"
    _, answers = read_csv(console.get("/admin/exports/answers.csv"))
    assert answers[0]["respondent_role"] == "'@lead"
    corrected = next(row for row in answers if row["note"].endswith("corrected"))
    assert corrected["note"] == "'\tcorrected"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (True, "true"),
        (3, "3"),
        (["a", "b"], '["a", "b"]'),
    ],
)
def test_csv_cell(value, cell):
    assert exports.csv_cell(value) == cell


def test_the_answers_csv_has_every_current_answer_in_long_form(console, seeded):
    columns, rows = read_csv(console.get("/admin/exports/answers.csv"))
    assert columns == exports.ANSWER_COLUMNS
    old_audit, new_audit = seeded["first_audits"]
    by_audit = {}
    for row in rows:
        by_audit.setdefault(int(row["audit_id"]), []).append(row)
    assert set(by_audit) == {old_audit, new_audit, seeded["started"]}
    assert len(by_audit[old_audit]) == len(TARGETED)
    assert len(by_audit[new_audit]) == len(SPECIALISED)
    first = by_audit[old_audit][0]
    assert first["question_id"] == next(iter(TARGETED))
    assert json.loads(first["value"]) == next(iter(TARGETED.values()))
    assert first["respondent_name"] == "Priya"
    assert first["answered_at"].startswith("20")
    started = {row["question_id"]: row for row in by_audit[seeded["started"]]}
    assert json.loads(started["sup_under3_count"]["value"]) == 2  # the latest answer only
    assert started["sup_under3_count"]["on_current_path"] == "true"
    assert started["retired_question"]["on_current_path"] == "false"
    lists = [row for row in by_audit[new_audit] if row["question_id"] == "mdt_professions"]
    assert json.loads(lists[0]["value"]) == SPECIALISED["mdt_professions"]


def test_the_json_exports_hold_the_same_records(console, seeded):
    audits = console.get("/admin/exports/audits.json")
    assert audits.mimetype == "application/json"
    records = json.loads(audits.get_data(as_text=True))
    assert [record["audit_id"] for record in records] == [
        *seeded["first_audits"],
        seeded["started"],
        None,
    ]
    assert records[0]["flags"] == ["targeted_age_under_one", "targeted_referral_criteria"]
    assert records[0]["team_name"] == '=HYPERLINK("evil")'  # JSON is data, nothing to defuse
    assert records[1]["self_registered"] is False
    assert list(records[0]) == exports.audit_columns(TREE)
    answers = json.loads(console.get("/admin/exports/answers.json").get_data(as_text=True))
    assert list(answers[0]) == exports.ANSWER_COLUMNS
    assert {tuple(a["value"]) for a in answers if a["question_id"] == "mdt_professions"} == {
        tuple(SPECIALISED["mdt_professions"]),
        tuple(TARGETED["mdt_professions"]),
    }


def test_exports_read_in_batches_and_stream(app, console, monkeypatch):
    with app.app_context():
        db = get_db()
        for number in range(7):
            team_id, _ = store.create_team(db, f"Team {number}")
            audit = store.current_audit(db, team_id, **TREE_IDS)
            store.record_answer(db, audit["id"], "sup_under3_count", number, tree=TREE)
    app.config["EXPORT_BATCH_SIZE"] = 2
    batches = []
    original = store.iter_team_audits

    def spy(db, *, batch_size):
        for batch in original(db, batch_size=batch_size):
            batches.append(len(batch))
            yield batch

    answer_queries = []
    one_query = store.iter_current_answers

    def counted(db):
        answer_queries.append(1)
        return one_query(db)

    monkeypatch.setattr(store, "iter_team_audits", spy)
    monkeypatch.setattr(store, "iter_current_answers", counted)
    _, rows = read_csv(console.get("/admin/exports/audits.csv"))
    _, answers = read_csv(console.get("/admin/exports/answers.csv"))
    assert [row["team_name"] for row in rows] == [f"Team {n}" for n in range(7)]
    assert [json.loads(row["value"]) for row in answers] == list(range(7))
    assert batches == [2, 2, 2, 1]  # the audits export; the answers come from one query
    assert answer_queries == [1]


def test_export_generators_hold_one_batch_at_a_time(app, monkeypatch):
    with app.app_context():
        db = get_db()
        for number in range(5):
            store.create_team(db, f"Team {number}")
        pages = []
        original = store.iter_team_audits

        def counting(db, *, batch_size):
            for batch in original(db, batch_size=batch_size):
                pages.append(batch)
                yield batch

        monkeypatch.setattr(store, "iter_team_audits", counting)
        first = next(exports.audit_records(db, TREE, batch_size=2))
        assert first["team_name"] == "Team 0"
        assert len(pages) == 1  # nothing past the first batch was read yet


# -- human labels beside the ids -------------------------------------------------------------


def label_of(question_id: str, value: str) -> str:
    return TREE.questions_by_id[question_id].option(value).label


@pytest.fixture
def labelled(app):
    return seed_labelled_audit(app)


EXPECTED_ANSWERS = {
    "sup_under3_count": "2",
    "sup_under3_wte": "1.7",
    "sup_under3_each": label_of("sup_under3_each", "each_gets_share"),
    "mdt_professions": (
        f"{label_of('mdt_professions', 'clinical_psychologist')}; "
        f"{label_of('mdt_professions', 'health_visitor')}"
    ),
    "mdt_relationship_expertise": "No",
    "referral_limiting_other": '=HYPERLINK("x")',
    "further_anything_else": "We are growing.\nSlowly.",
    "retired_question": "gone_option",
}


def test_the_answers_export_puts_the_question_and_the_answer_in_words_beside_the_ids(
    console, labelled
):
    columns, rows = read_csv(console.get("/admin/exports/answers.csv"))
    assert columns.index("question") == columns.index("question_id") + 1
    assert columns.index("answer") == columns.index("value") + 1
    by_question = {row["question_id"]: row for row in rows}
    assert set(by_question) == set(EXPECTED_ANSWERS)
    for question_id, answer in EXPECTED_ANSWERS.items():
        expected_cell = exports.csv_cell(answer)
        assert by_question[question_id]["answer"] == expected_cell, question_id
    assert by_question["sup_under3_each"]["answer"] != "each_gets_share"
    assert by_question["referral_limiting_other"]["answer"] == '\'=HYPERLINK("x")'
    for question_id in set(EXPECTED_ANSWERS) - {"retired_question"}:
        assert by_question[question_id]["question"] == TREE.questions_by_id[question_id].text
    retired = by_question["retired_question"]
    assert retired["question"] == "" and json.loads(retired["value"]) == ["gone_option"]
    assert json.loads(by_question["mdt_professions"]["value"]) == [
        "clinical_psychologist",
        "health_visitor",
    ]
    assert json.loads(by_question["sup_under3_each"]["value"]) == "each_gets_share"
    assert json.loads(by_question["sup_under3_wte"]["value"]) == 1.7


def test_the_answers_json_has_the_same_words(console, labelled):
    records = json.loads(console.get("/admin/exports/answers.json").get_data(as_text=True))
    by_question = {record["question_id"]: record for record in records}
    assert {key: record["answer"] for key, record in by_question.items()} == EXPECTED_ANSWERS
    assert by_question["mdt_professions"]["value"] == ["clinical_psychologist", "health_visitor"]
    assert by_question["sup_under3_count"]["value"] == 2
    assert by_question["retired_question"]["question"] == ""
    assert by_question["mdt_professions"]["question"] == "Which professions are in the team?"


def test_the_audits_export_names_the_result_and_the_flags(console, seeded):
    columns, rows = read_csv(console.get("/admin/exports/audits.csv"))
    assert columns.index("result_label") == columns.index("result") + 1
    assert columns.index("flag_labels") == columns.index("flags") + 1
    old, new, started, quiet = rows
    assert old["result_label"] == TREE.results_by_id["targeted"].title
    assert old["flag_labels"] == "; ".join(
        TREE.flags_by_id[flag].title
        for flag in ("targeted_age_under_one", "targeted_referral_criteria")
    )
    assert new["result_label"] == "Specialised parent-infant relationship team"
    assert new["flag_labels"] == ""
    assert started["result_label"] == "" and quiet["result_label"] == ""
    records = json.loads(console.get("/admin/exports/audits.json").get_data(as_text=True))
    assert records[0]["result_label"] == TREE.results_by_id["targeted"].title
    assert records[0]["flag_labels"] == [
        TREE.flags_by_id["targeted_age_under_one"].title,
        TREE.flags_by_id["targeted_referral_criteria"].title,
    ]
    assert records[2]["result_label"] is None and records[2]["flag_labels"] == []


def test_labels_come_from_dicts_built_once_per_export(app, console, labelled, monkeypatch):
    built = []
    original = exports.Labels.__init__

    def counting(self, tree):
        built.append(tree.id)
        original(self, tree)

    monkeypatch.setattr(exports.Labels, "__init__", counting)
    read_csv(console.get("/admin/exports/answers.csv"))
    read_csv(console.get("/admin/exports/audits.csv"))
    assert built == [TREE.id, TREE.id]


def test_a_stored_stamp_is_cut_to_the_second_as_the_parsed_time_would_be():
    from datetime import UTC, datetime

    from bot.console.exports import _stamp_in_seconds, _time

    for moment in (
        datetime(2026, 3, 1, 9, 5, 7, 123456, tzinfo=UTC),
        datetime(2027, 12, 31, tzinfo=UTC),
    ):
        text = store.stamp(moment)
        assert _stamp_in_seconds(text) == _time(store.parse_time(text))
    assert _stamp_in_seconds("2026-03-01T09:05:07+01:00") == "2026-03-01T08:05:07+00:00"
