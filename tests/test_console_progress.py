"""Where each team stands, as the console's progress table shows it, after every change."""

import json

from bot import create_app, store
from bot.tree.assessment import Standing
from bot.tree.loader import DEFAULT_TREE
from tests.admin_support import make_admin, sign_in_directly
from tests.audit_support import form_data, team_at, walk
from tests.conftest import BASE_CONFIG, question_tree
from tests.profiles import SPECIALISED

TARGETED_BY_AGE = {
    **SPECIALISED,
    "referral_age_range": "to_first_birthday",
    "sup_under3_count": 0,
    "sup_3plus_count": 4,
    "sup_3plus_wte": 3,
    "sup_3plus_hours": 6,
}


def progress_cell(page: str, team_name: str) -> str:
    start = page.index(team_name)
    return page[start : page.index("</tr>", start)]


def signed_in_console(app, email: str = "staff@foundation.example"):
    console = app.test_client()
    sign_in_directly(console, make_admin(app, email))
    return console


def test_progress_follows_answers_finishing_and_reopening(app, client, make_team):
    _, token = make_team("Followed team")
    console = signed_in_console(app)
    assert "Not started" in progress_cell(console.get("/admin/").text, "Followed team")

    client.post(f"{team_at(client, token)}/q/sup_under3_count", data=form_data(0))
    first = progress_cell(console.get("/admin/").text, "Followed team")
    client.post(f"{team_at(client, token)}/q/sup_3plus_count", data=form_data(4))
    second = progress_cell(console.get("/admin/").text, "Followed team")
    assert "In progress" in first and first != second

    walk(client, token, TARGETED_BY_AGE)
    client.post(f"{team_at(client, token)}/finish")
    assert "Targeted" in progress_cell(console.get("/admin/").text, "Followed team")
    client.post(
        f"{team_at(client, token)}/q/referral_age_range?return_to=check",
        data=form_data("to_second_birthday_or_beyond"),
    )  # an answer changed after finishing reopens the audit
    reopened = progress_cell(console.get("/admin/").text, "Followed team")
    assert "In progress" in reopened and "Targeted" not in reopened
    client.post(f"{team_at(client, token)}/finish")
    assert "Specialised" in progress_cell(console.get("/admin/").text, "Followed team")

    client.post(f"{team_at(client, token)}/reopen")
    reopened = progress_cell(console.get("/admin/").text, "Followed team")
    assert "In progress" in reopened and "Specialised" not in reopened
    assert "Followed team" in console.get("/admin/?status=in_progress").text
    assert "Followed team" not in console.get("/admin/?status=finished").text


def test_a_console_worker_just_started_shows_where_each_team_stands(
    app, client, make_team, new_app
):
    finished_id, finished = make_team("Finished team")
    _, halfway = make_team("Halfway team")
    walk(client, finished, SPECIALISED)
    client.post(f"{team_at(client, finished)}/finish")
    other = app.test_client()
    for question_id in list(SPECIALISED)[:3]:
        other.post(
            f"{team_at(other, halfway)}/q/{question_id}", data=form_data(SPECIALISED[question_id])
        )

    console = signed_in_console(new_app(WTF_CSRF_ENABLED=False))  # the app's file, restarted
    page = console.get("/admin/").text
    assert "Specialised" in progress_cell(page, "Finished team")
    assert "In progress" in progress_cell(page, "Halfway team")

    console.post(f"/admin/teams/{finished_id}/audits", data={"confirmed": "yes"})
    restarted = new_app(WTF_CSRF_ENABLED=False)
    again = signed_in_console(restarted, "other@foundation.example").get("/admin/").text
    cell = progress_cell(again, "Finished team")
    assert "Not started" in cell and "Specialised" in cell and "finished" in cell
    assert "Finished team" in console.get("/admin/?result=specialised").text
    assert "Finished team" not in console.get("/admin/?status=finished").text


def test_the_search_matches_names_however_they_are_cased_or_spelt(app, make_team):
    make_team("Straße Families")
    make_team("Éire Babies")
    console = signed_in_console(app)

    def found(words: str) -> bool:
        return "Straße Families" in console.get("/admin/", query_string={"q": words}).text

    assert found("STRASSE") and found("straße") and found("families strasse")
    assert not found("strasse babies")
    assert "Éire Babies" in console.get("/admin/", query_string={"q": "éIRE"}).text


def test_a_database_from_before_one_standing_per_audit_shows_where_each_team_stands(tmp_path):
    """The upgrade works out every answered audit's standing, whatever was kept before."""
    path = tmp_path / "before.db"
    db = store.connect(path)
    with store.write_transaction(db):
        store.migrations.apply(db, stop_before="m013_one_standing_per_audit")
    content = DEFAULT_TREE.read_text(encoding="utf-8")
    tree = question_tree()
    store.save_tree(db, tree.digest, tree.id, tree.version, content)
    now = store.stamp()
    for name, status, answers in (
        ("Finished team", "finished", SPECIALISED),
        ("Halfway team", "in_progress", dict(list(SPECIALISED.items())[:10])),
    ):
        team_id = db.table("teams").insert({"name": name, "created": now}).last_pk
        audit_id = (
            db.table("audits")
            .insert(
                {
                    "team_id": team_id,
                    "tree_id": tree.id,
                    "tree_version": tree.version,
                    "tree_digest": tree.digest,
                    "status": status,
                    "started": now,
                    "updated": now,
                    "finished": now if status == "finished" else None,
                }
            )
            .last_pk
        )
        db.table("answers").insert_all(
            {"audit_id": audit_id, "question_id": q, "value": json.dumps(v), "answered_at": now}
            for q, v in answers.items()
        )
        # A kept standing that no longer fits its audit, as the old cache could hold.
        db.table("standings").insert(
            {
                "audit_id": audit_id,
                "updated": "2020-01-01T00:00:00.000000+00:00",
                "status": "in_progress",
                "tree_digest": tree.digest,
                "standing": json.dumps({**Standing("in_progress").data(), "path": []}),
                "path": "",
            }
        )
    db.conn.close()

    upgraded = create_app({**BASE_CONFIG, "WTF_CSRF_ENABLED": False, "DB": str(path)})
    page = signed_in_console(upgraded).get("/admin/").text
    assert "Specialised" in progress_cell(page, "Finished team")
    halfway = progress_cell(page, "Halfway team")
    assert "In progress" in halfway and "In progress: 0%" not in halfway
