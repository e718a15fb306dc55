"""The console's cached standings follow every change to an audit."""

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, progress_cell, sign_in_directly
from tests.audit_support import form_data, team_at, walk
from tests.profiles import SPECIALISED


def test_progress_follows_answers_finishing_and_reopening(app, client, make_team):
    _, token = make_team("Cached team")
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    assert "Not started" in progress_cell(console.get("/admin/").text, "Cached team")

    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    first = progress_cell(console.get("/admin/").text, "Cached team")
    client.post(f"{team_at(client, token)}/q/sup_3plus_count", data=form_data(4))
    second = progress_cell(console.get("/admin/").text, "Cached team")
    assert first != second

    walk(
        client,
        token,
        {
            **SPECIALISED,
            "referral_age_range": "to_first_birthday",
            "sup_under3_count": 0,
            "sup_3plus_count": 4,
            "sup_3plus_wte": 3,
            "sup_3plus_hours": 6,
        },
    )
    client.post(f"{team_at(client, token)}/finish")
    assert "Targeted" in progress_cell(console.get("/admin/").text, "Cached team")
    client.post(
        f"{team_at(client, token)}/q/referral_age_range?return_to=check",
        data=form_data("to_second_birthday_or_beyond"),
    )
    client.post(f"{team_at(client, token)}/finish")
    assert "Specialised" in progress_cell(console.get("/admin/").text, "Cached team")


def test_the_cache_is_bounded(app, make_team):
    from bot.console.standings import Standings

    with app.app_context():
        db = get_db()
        tree = app.extensions["question_tree"]
        audits = []
        for number in range(5):
            team_id, _ = make_team(f"Team {number}")
            audits.append(
                store.current_audit(
                    db, team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
                )
            )
        cache = Standings(size=3)
        found = cache.for_audits(db, tree, audits)
        assert set(found) == {audit["id"] for audit in audits}
        assert len(cache._cache) == 3


def test_the_light_values_query_agrees_with_the_full_answers(app, client, make_team):
    _, token = make_team("Agreeing team")
    walk(client, token, SPECIALISED)
    client.post(
        f"{team_at(client, token)}/q/sup_line_management?return_to=check",
        data=form_data("combined"),
    )
    with app.app_context():
        db = get_db()
        audit_ids = [row[0] for row in db.execute("SELECT id FROM audits")]
        full = store.current_answers_for_audits(db, audit_ids)
        light = store.current_values_for_audits(db, audit_ids)
    assert light == {
        audit_id: {q: r.value for q, r in records.items()} for audit_id, records in full.items()
    }
    assert light[audit_ids[0]]["sup_line_management"] == "combined"
