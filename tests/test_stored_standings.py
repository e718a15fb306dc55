"""Each audit's standing is kept with the answer that changes it; a cold console reads it."""

from __future__ import annotations

import itertools

import pytest

from bot import store
from bot.console import national
from bot.console import standings as standings_module
from bot.db import get_db
from bot.tree.assessment import assess
from tests.admin_support import make_admin, progress_cell, sign_in_directly
from tests.audit_support import form_data, team_at, walk
from tests.profiles import SPECIALISED

ADMINS = itertools.count()


def kept(app, team_id: int) -> dict:
    with app.app_context():
        audit = store.audits_for_team(get_db(), team_id)[0]
        return audit, store.kept_standings(get_db(), [audit["id"]]).get(audit["id"])


@pytest.fixture
def cold_console(app, new_app):
    """Return a console on a worker just started on the app's database: nothing in memory."""

    def start():
        fresh = new_app()  # the app's own file, restarted
        console = fresh.test_client()
        admin = make_admin(fresh, email=f"cold{next(ADMINS)}@foundation.example")
        sign_in_directly(console, admin)
        return console

    return start


@pytest.fixture
def no_evaluation(monkeypatch):
    """Make the console's standings fail loudly if they evaluate any audit."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the console evaluated an audit instead of reading its standing")

    monkeypatch.setattr(standings_module, "assess", refuse)


def test_an_answer_keeps_the_audits_new_standing_in_the_same_write(app, client, make_team):
    team_id, token = make_team("Kept team")
    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    audit, row = kept(app, team_id)
    assert row is not None
    assert row["updated"] == store.stamp(audit["updated"]) and row["status"] == "in_progress"
    with app.app_context():
        values = {q: r.value for q, r in store.current_answers(get_db(), audit["id"]).items()}
    fresh = national.Standing.of(assess(app.extensions["question_tree"], audit, values))
    assert national.Standing.from_data(row["standing"]) == fresh


def test_a_cold_console_reads_progress_and_results_without_evaluating(
    app, client, make_team, no_evaluation, cold_console
):
    _, token = make_team("Finished team")
    _, other = make_team("Halfway team")
    walk(client, token, SPECIALISED)
    client.post(f"{team_at(client, token)}/finish")
    other_client = app.test_client()
    for question_id in list(SPECIALISED)[:3]:
        other_client.post(
            f"{team_at(other_client, other)}/q/{question_id}",
            data=form_data(SPECIALISED[question_id]),
        )
    page = cold_console().get("/admin/").text
    assert "Specialised" in progress_cell(page, "Finished team")
    assert "In progress" in progress_cell(page, "Halfway team")


def test_a_standing_that_no_longer_fits_its_audit_is_evaluated_and_kept(
    app, client, make_team, monkeypatch, cold_console
):
    team_id, token = make_team("Reopened team")
    walk(client, token, SPECIALISED)
    client.post(f"{team_at(client, token)}/finish")
    audit, before = kept(app, team_id)
    assert before["status"] == "finished"
    with app.app_context():
        store.reopen_audit(get_db(), audit["id"])  # changes the audit, not its kept standing
    evaluated = []
    real = standings_module.assess
    monkeypatch.setattr(
        standings_module, "assess", lambda *args: evaluated.append(1) or real(*args)
    )
    page = cold_console().get("/admin/").text
    assert "Specialised" not in progress_cell(page, "Reopened team")
    assert evaluated == [1]
    _, after = kept(app, team_id)
    assert after["status"] == "in_progress"
    cold_console().get("/admin/")
    assert evaluated == [1]  # kept, so the next cold worker reads it
