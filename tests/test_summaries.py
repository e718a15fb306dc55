"""Each team's summary row follows every change, and the SQL progress table agrees with Python.

The console reads the progress table and the national picture from one summary row per team
(`store.summaries`). These tests check that each change to a team leaves its summary up to
date in the same write, so a cold console reads without evaluating; that a tree change makes
summaries be worked out again; and that filtering, sorting, counting and paging in SQL give
exactly the rows the straightforward evaluation of every team gives.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot import create_app, store
from bot.console import national, progress
from bot.console import standings as standings_module
from bot.db import get_db
from bot.tree.assessment import Standing, assess
from bot.tree.engine import evaluate
from tests.admin_support import make_admin, sign_in_directly
from tests.profiles import PROFILES, SPECIALISED
from tests.test_audit_journey import form_data, walk
from tests.test_standings import progress_cell
from tests.test_tree_versions import version_two

ADMINS = itertools.count()


def cold_console(app, tree_path: str | None = None):
    """A console worker just started on the same database: nothing in its memory."""
    config = {"TESTING": True, "SECRET_KEY": "test", "DB": app.config["DB"]}
    config["WTF_CSRF_ENABLED"] = False
    if tree_path:
        config["QUESTION_TREE"] = tree_path
    fresh = create_app(config)
    console = fresh.test_client()
    sign_in_directly(console, make_admin(fresh, email=f"summary{next(ADMINS)}@foundation.example"))
    return fresh, console


def summary_of(app, team_id: int) -> dict:
    with app.app_context():
        return store.team_summary(get_db(), team_id)


def stale_teams(app) -> list[int]:
    with app.app_context():
        db = get_db()
        tree = app.extensions["question_tree"]
        return store.stale_summaries(db, progress.scored_with(db, tree))


@pytest.fixture
def no_evaluation(monkeypatch):
    """Make the console fail loudly if it evaluates an audit instead of reading it."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the console evaluated an audit instead of reading its summary")

    monkeypatch.setattr(standings_module, "assess", refuse)


def kept_standing(app, audit_id: int) -> Standing:
    with app.app_context():
        return Standing.from_data(store.kept_standings(get_db(), [audit_id])[audit_id]["standing"])


def test_answering_refreshes_the_summary_in_the_same_write(app, client, make_team):
    team_id, token = make_team("Answering team")
    assert summary_of(app, team_id)["status"] == "not_started"
    client.post(f"/a/{token}/q/sup_under3_count", data=form_data(0))
    client.post(f"/a/{token}/q/sup_3plus_count", data=form_data(4))
    summary = summary_of(app, team_id)
    standing = kept_standing(app, summary["audit_id"])
    assert summary["status"] == "in_progress" and summary["answered"] == 2 == standing.answered
    assert summary["percent"] == standing.percent and summary["total"] == standing.total
    assert summary["fresh"] and summary["result"] is None
    assert stale_teams(app) == []


def test_finishing_and_a_re_audit_refresh_the_summary(app, client, make_team, no_evaluation):
    team_id, token = make_team("Finishing team")
    walk(client, token, SPECIALISED)
    client.post(f"/a/{token}/finish")
    finished = summary_of(app, team_id)
    assert (finished["status"], finished["percent"], finished["result"]) == (
        "finished",
        100,
        "specialised",
    )
    assert finished["finished_audit_id"] == finished["audit_id"]
    assert stale_teams(app) == []
    _, console = cold_console(app)
    assert "Specialised" in progress_cell(console.get("/admin/").text, "Finishing team")

    console.post(f"/admin/teams/{team_id}/audits", data={"confirmed": "yes"})
    again = summary_of(app, team_id)
    assert again["audit_id"] != finished["audit_id"] and again["audits"] == 2
    assert (again["status"], again["counted_status"], again["result"]) == (
        "not_started",
        "finished",
        "specialised",
    )
    assert again["finished_audit_id"] == finished["audit_id"]
    assert stale_teams(app) == []
    _, cold = cold_console(app)
    cell = progress_cell(cold.get("/admin/").text, "Finishing team")
    assert "Not started" in cell and "Specialised" in cell and "finished" in cell


def test_archiving_takes_the_team_out_of_the_table_and_the_picture(
    app, client, make_team, no_evaluation
):
    team_id, token = make_team("Archived team", nation="wales")
    walk(client, token, SPECIALISED)
    client.post(f"/a/{token}/finish")
    fresh, console = cold_console(app)
    with fresh.app_context():
        before = progress.national_tally(get_db(), fresh.extensions["question_tree"])
    assert before.finished == 1
    console.post(f"/admin/teams/{team_id}/archive", data={"confirmed": "yes"})
    assert "Archived team" not in console.get("/admin/").text
    assert "Archived team" in console.get("/admin/?archived=1").text
    with fresh.app_context():
        after = progress.national_tally(get_db(), fresh.extensions["question_tree"])
    assert after.finished == 0 and sum(after.teams.values()) == 0
    assert stale_teams(app) == []


def test_a_tree_change_has_summaries_worked_out_again_with_the_new_tree(app, client, tmp_path):
    team_id, token = store_team(app, "Moving team")
    for question_id in list(SPECIALISED)[:24]:
        client.post(f"/a/{token}/q/{question_id}", data=form_data(SPECIALISED[question_id]))
    old = summary_of(app, team_id)
    v2 = tmp_path / "self-audit-v2.yaml"
    v2.write_text(version_two(), encoding="utf-8")
    after, console = cold_console(app, str(v2))
    new_tree = after.extensions["question_tree"]
    assert stale_teams(after) == [team_id]  # scored with the old tree: stale under the new one
    page = console.get("/admin/").text
    summary = summary_of(after, team_id)
    assert summary["scored_digest"] == new_tree.digest != old["scored_digest"]
    with after.app_context():
        db = get_db()
        audit = store.get_audit(db, summary["audit_id"])
        values = {q: r.value for q, r in store.current_answers(db, audit["id"]).items()}
    expected = Standing.of(assess(new_tree, audit, values))
    assert summary["answered"] == expected.answered and summary["percent"] == expected.percent
    assert f"In progress: {expected.percent}%" in progress_cell(page, "Moving team")
    assert stale_teams(after) == []

    after.test_client().get(f"/a/{token}/?intro=1")  # the team's visit moves the audit
    moved = summary_of(after, team_id)
    assert moved["audit_tree_digest"] == new_tree.digest and stale_teams(after) == []


def test_a_write_that_bypasses_the_store_is_noticed(app, client, make_team):
    team_id, token = make_team("Touched team")
    client.post(f"/a/{token}/q/sup_under3_count", data=form_data(0))
    summary = summary_of(app, team_id)
    with app.app_context():
        get_db().execute(
            "UPDATE audits SET updated = ? WHERE id = ?",
            [store.stamp(datetime.now(UTC) - timedelta(weeks=6)), summary["audit_id"]],
        )
    assert stale_teams(app) == [team_id]
    _, console = cold_console(app)
    assert "No activity for 6 weeks" in progress_cell(console.get("/admin/").text, "Touched team")
    assert stale_teams(app) == []


def store_team(app, name: str, **fields) -> tuple[int, str]:
    with app.app_context():
        return store.create_team(get_db(), name, **fields)


# -- the SQL table against the straightforward evaluation -----------------------------------

NAMES = [
    "alpha team",
    "Alpha Team",
    "ALPHA",
    "Éire Babies",
    "éire babies",
    "Straße Team",
    "STRASSE team",
    "Zebra",
    "zebra",
    "Ørsted Families",
    "100 Families",
    "Team 10",
    "Team 9",
    "_under",
]
NATION_CHOICES = [*national.NATIONS, None, ""]
AREAS = [None, "", "North Leeds", "Cardiff and Vale", "straße"]
EMAILS = [None, "lead@example.org", "X@Port.example"]
QUERIES = ["", "team", "ss", "strasse", "ÉIRE", "north", "example.org", "a t", "zzz"]


def varied_teams(app, rng: random.Random, count: int) -> None:
    """Teams of every kind: no audit, part-answered, finished, re-audited, reopened,
    archived, pending and approved, answered with and without standings kept."""
    tree = app.extensions["question_tree"]
    paths = [(p.answers, evaluate(tree, p.answers).journey.path) for p in PROFILES]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with app.app_context():
        db = get_db()
        for number in range(count):
            team_id, _ = store.create_team(
                db,
                rng.choice(NAMES),
                nation=rng.choice(NATION_CHOICES),
                area=rng.choice(AREAS),
                contact_email=rng.choice(EMAILS),
                self_registered=rng.random() < 0.2,
            )
            if rng.random() < 0.3:
                store.approve_team(db, team_id)
            people = [store.add_respondent(db, team_id, f"P{n}", "Lead") for n in range(3)]
            for audit_number in range(rng.choice([0, 1, 1, 2, 3])):
                open_audit = store.current_audit if audit_number == 0 else store.start_new_audit
                audit = open_audit(
                    db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
                )
                answers, path = rng.choice(paths)
                cut = rng.choice([0, 1, len(path) // 3, len(path) // 2, len(path), len(path)])
                when = start + timedelta(days=rng.randrange(200), minutes=number)
                for step, question_id in enumerate(path[:cut]):
                    store.record_answer(
                        db,
                        audit["id"],
                        question_id,
                        answers[question_id],
                        respondent_id=rng.choice([None, *people]),
                        at=when + timedelta(minutes=step),
                    )
                if cut == len(path) and rng.random() < 0.8:
                    store.finish_audit(db, audit["id"])
                    if rng.random() < 0.1:
                        store.reopen_audit(db, audit["id"])
            if rng.random() < 0.15:
                store.archive_team(db, team_id)
        # Some standings kept as the team's pages keep them, the rest left for the console.
        overview = store.team_overview(db, include_archived=True)
        some = [item["audit"] for item in overview if item["audit"] and rng.random() < 0.5]
        standings_module.standings().for_audits(db, tree, some)


def straightforward(db, tree, **options) -> progress.ProgressTable:
    return progress.table_in_python(db, tree, progress.TableQuery(**options))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_table_matches_evaluating_every_team(app, seed):
    rng = random.Random(seed)
    varied_teams(app, rng, 40)
    tree = app.extensions["question_tree"]
    sorts = list(national.SORT_KEYS)
    results = ["", *(result.id for result in tree.results)]
    nations = ["", *national.NATION_LABELS]
    statuses = ["", *national.STATUSES]
    with app.app_context():
        db = get_db()
        combinations = [
            {
                "include_archived": rng.random() < 0.4,
                "nation": rng.choice(nations),
                "status": rng.choice(statuses),
                "result": rng.choice(results),
                "query": rng.choice(QUERIES),
                "sort": rng.choice(sorts),
                "descending": rng.random() < 0.5,
                "page": rng.choice([1, 1, 2, 3, 9]),
                "page_size": rng.choice([3, 7, 50]),
            }
            for _ in range(120)
        ]
        combinations += [
            {**combinations[0], "sort": sort, "descending": descending, "query": "", "page": 1}
            | {"nation": "", "status": "", "result": ""}
            for sort in sorts
            for descending in (False, True)
        ]
        for options in combinations:
            expected = straightforward(db, tree, **options)
            found = progress.progress_table(db, tree, progress.TableQuery(**options))
            assert found == expected, options
        expected_tally = national.tally(
            (row.team["nation"], row.counted)
            for row in progress.rows_in_python(db, tree)
            if national.counts_nationally(row.team)
        )
        assert progress.national_tally(db, tree) == expected_tally
    assert stale_teams(app) == []


@pytest.mark.parametrize(
    ("answered", "total"),
    [(1, 8), (3, 8), (5, 8), (7, 8), (1, 40), (1, 200), (3, 200), (7, 14), (0, 5), (5, 5), (2, 3)],
)
def test_the_summarys_percent_rounds_as_the_standing_does(app, make_team, answered, total):
    team_id, _ = make_team("Rounding team")
    tree = app.extensions["question_tree"]
    standing = Standing("in_progress", answered=answered, total=total)
    with app.app_context():
        db = get_db()
        audit = store.current_audit(
            db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        store.record_answer(db, audit["id"], "sup_under3_count", 0)
        audit = store.get_audit(db, audit["id"])
        kept = store.StoredStanding("in_progress", tree.digest, standing.data())
        store.keep_standings(db, {audit["id"]: (audit["updated"], kept)})
    summary = summary_of(app, team_id)
    assert summary["fresh"] and summary["percent"] == standing.percent


def test_summaries_that_cannot_be_written_fall_back_to_evaluating_every_team(
    app, client, make_team, monkeypatch
):
    team_id, token = make_team("Busy team")
    walk(client, token, SPECIALISED)
    audit_id = summary_of(app, team_id)["audit_id"]
    with app.app_context():  # finished behind the store's back: its summary is stale
        get_db().execute(
            "UPDATE audits SET status = 'finished', finished = ?, updated = ? WHERE id = ?",
            [store.stamp(), store.stamp(), audit_id],
        )

    def busy(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "keep_standings", busy)  # what the console would keep
    monkeypatch.setattr(store, "refresh_summaries", busy)
    fresh, console = cold_console(app)
    assert "Busy team" in console.get("/admin/?status=finished").text
    assert "Busy team" not in console.get("/admin/?status=in_progress").text
    with fresh.app_context():
        assert progress.national_tally(get_db(), fresh.extensions["question_tree"]).finished == 1
    assert stale_teams(app) == [team_id]  # nothing could be written: still stale, still right
