"""Changing the question tree never loses an answer or breaks an audit."""

import csv
import io
import json
import re
import sqlite3

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, sign_in_directly
from tests.audit_support import form_data, path_of, team_at, walk
from tests.profiles import SPECIALISED
from tests.tree_support import V1_VERSION, V2_VERSION


def test_an_audit_in_progress_moves_to_the_new_version_and_is_told(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Moving team")
    client = before.test_client()
    early = {**SPECIALISED, "referral_pathway": "informal"}
    for question_id in list(early)[: list(early).index("referral_age_start") + 1]:
        assert (
            client.post(
                f"{team_at(client, token)}/q/{question_id}", data=form_data(early[question_id])
            ).status_code
            == 302
        )

    client = after.test_client()
    page = client.get(f"{team_at(client, token)}/?intro=1")
    assert "The audit questions have been updated" in page.text
    assert "New questions: 1. Questions to answer again: 1." in page.text
    assert (
        "The audit questions have been updated"
        not in client.get(f"{team_at(client, token)}/?intro=1").text
    )

    with after.app_context():
        audit = store.current_audit(get_db(), team_id, tree_id="", tree_version="", tree_digest="")
        assert audit["tree_version"] == V2_VERSION
    assert (
        path_of(client.get(f"{team_at(client, token)}/next"))
        == f"{team_at(client, token)}/q/referral_pathway"
    )
    client.post(
        f"{team_at(client, token)}/q/referral_pathway", data=form_data("written_and_shared")
    )
    assert (
        path_of(client.get(f"{team_at(client, token)}/next"))
        == f"{team_at(client, token)}/q/referral_self_referral"
    )

    with sqlite3.connect(after.config["DB"]) as conn:
        kept = {row[0] for row in conn.execute("SELECT question_id FROM answers")}
    assert {"referral_age_start", "referral_pathway", "sup_under3_count"} <= kept


def test_a_finished_audit_keeps_its_version_and_result(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Finished team")
    client = before.test_client()
    walk(client, token, {**SPECIALISED, "referral_pathway": "informal"})
    client.post(f"{team_at(client, token)}/finish")
    result_before = client.get(f"{team_at(client, token)}/result").text
    assert "Not yet meeting the definition" in result_before

    client = after.test_client()
    result_after = client.get(f"{team_at(client, token)}/result")
    assert result_after.status_code == 200
    assert "Not yet meeting the definition" in result_after.text
    assert "The audit questions have been updated" not in result_after.text
    with after.app_context():
        audit = store.current_audit(get_db(), team_id, tree_id="", tree_version="", tree_digest="")
        assert audit["tree_version"] == V1_VERSION and audit["status"] == "finished"

    admin = make_admin(after)
    console = after.test_client()
    sign_in_directly(console, admin)
    team_page = console.get(f"/admin/teams/{team_id}")
    assert team_page.status_code == 200
    assert V1_VERSION in team_page.text


def test_a_re_audit_uses_the_current_tree(apps):
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Re-audited team")
    walk(before.test_client(), token, SPECIALISED)
    with after.app_context():
        tree = after.extensions["question_tree"]
        audit = store.start_new_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        assert audit["tree_version"] == V2_VERSION


def test_two_app_versions_alternating_never_move_an_audit_back(apps):
    """A rolling deploy: old and new app serve one database in turn."""
    before, after = apps
    with before.app_context():
        team_id, token = store.create_team(get_db(), "Rolling team")
    old_client, new_client = before.test_client(), after.test_client()
    answers = list(SPECIALISED.items())[:6]
    for turn, (question_id, value) in enumerate(answers):
        client = new_client if turn % 2 else old_client
        response = client.post(f"{team_at(client, token)}/q/{question_id}", data=form_data(value))
        assert response.status_code == 302, (turn, question_id)
        assert client.get(f"{team_at(client, token)}/check").status_code == 200
        with before.app_context():
            audit = store.current_audit(
                get_db(), team_id, tree_id="", tree_version="", tree_digest=""
            )
        assert audit["tree_version"] == (V1_VERSION if turn == 0 else V2_VERSION), turn
    with sqlite3.connect(before.config["DB"]) as conn:
        moves = conn.execute("SELECT from_version, to_version FROM audit_tree_moves").fetchall()
    assert moves == [(V1_VERSION, V2_VERSION)]
    # The old app serves the audit on its own, newer questions, exactly as the new app does.
    for path in ("/q/referral_age_start", "/q/referral_self_referral", "/check"):
        old_page, new_page = (
            old_client.get(f"{team_at(old_client, token)}{path}"),
            new_client.get(f"{team_at(new_client, token)}{path}"),
        )
        assert old_page.status_code == new_page.status_code, path
        assert old_page.headers.get("Location") == new_page.headers.get("Location"), path


def test_versions_are_ordered_naturally():
    from bot.trees import version_key

    assert version_key("2026.10") > version_key("2026.9") > version_key("2026.1")
    assert version_key("2") > version_key("1b") > version_key("1")


def test_the_answers_export_is_whole_after_a_new_version_before_teams_return(apps):
    """Two teams answer under version 1; version 2 is deployed; neither team has come back."""
    before, after = apps
    given = {}
    for name, count in (("First team", 5), ("Second team", 9)):
        with before.app_context():
            _, token = store.create_team(get_db(), name)
        team = before.test_client()
        for question_id in list(SPECIALISED)[:count]:
            team.post(
                f"{team_at(team, token)}/q/{question_id}", data=form_data(SPECIALISED[question_id])
            )
        given[name] = list(SPECIALISED)[:count]

    console = after.test_client()
    sign_in_directly(console, make_admin(after))
    csv_text = console.get("/admin/exports/answers.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    records = json.loads(console.get("/admin/exports/answers.json").get_data(as_text=True))
    for exported in (rows, records):
        by_team = {
            name: [row["question_id"] for row in exported if row["team_name"] == name]
            for name in given
        }
        assert by_team == given
        assert {str(row["on_current_path"]).lower() for row in exported} == {"true"}


def test_the_console_shows_an_audit_on_its_own_version_until_the_team_returns(apps):
    before, after = apps
    with before.app_context():
        _, token = store.create_team(get_db(), "Returning team")
    team = before.test_client()
    early = {**SPECIALISED, "referral_pathway": "informal"}
    for question_id in list(early)[:24]:
        team.post(f"{team_at(team, token)}/q/{question_id}", data=form_data(early[question_id]))
    old_console = before.test_client()
    sign_in_directly(old_console, make_admin(before))
    stood = re.search(r"In progress: \d+%", old_console.get("/admin/").text).group(0)

    console = after.test_client()
    sign_in_directly(console, make_admin(after, "new@foundation.example"))
    assert stood in console.get("/admin/").text  # version 2 is deployed; the team is away

    returning = after.test_client()
    page = returning.get(f"{team_at(returning, token)}/?intro=1").text  # the team returns: moved
    answered, total = map(int, re.search(r"answered (\d+) of about (\d+)", page).groups())
    now = console.get("/admin/").text
    assert f"In progress: {round(100 * answered / total)}%" in now and stood not in now
