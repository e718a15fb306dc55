"""Public sign-up: a new team gets its own working link, unless the foundation closed it."""

import pytest

from bot import store
from bot.db import get_db
from tests.admin_support import make_admin, open_signup, shown_link, sign_in_directly, token_of
from tests.national_support import table_cell as cell

GOOD = {"name": "Harbour Parent-Infant Team", "nation": "scotland", "contact_email": "Hi@H.example"}


@pytest.fixture(autouse=True)
def signup_opened(request):
    """Sign-up starts closed: these tests open it first, unless they build their own app."""
    if "app" in request.fixturenames:
        open_signup(request.getfixturevalue("app"))


def test_sign_up_creates_a_self_registered_team_with_a_working_link(app, client):
    page = client.get("/signup/")
    assert page.status_code == 200
    assert "Northern Ireland" in page.text
    response = client.post("/signup/", data=GOOD)
    assert response.headers["Location"] == "/signup/done"
    done = client.get("/signup/done")
    assert done.headers["Cache-Control"] == "no-store"
    assert "Bookmark it" in done.text and "send it to the colleagues" in done.text
    link = shown_link(done.text)
    token = token_of(link)
    start = app.test_client().get(f"/a/{token}/", follow_redirects=True)
    assert start.status_code == 200
    assert "Harbour Parent-Infant Team" in start.text
    with app.app_context():
        team = store.team_by_token(get_db(), token)
    assert team["self_registered"] is True
    assert team["nation"] == "scotland"
    assert team["contact_email"] == "hi@h.example"


def test_the_link_is_shown_only_once(client):
    client.post("/signup/", data=GOOD)
    token = token_of(shown_link(client.get("/signup/done").text))
    again = client.get("/signup/done")
    assert again.status_code == 302
    assert token not in client.get("/signup/").text


def test_the_console_marks_self_registered_teams(app, client):
    client.post("/signup/", data=GOOD)
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    teams = console.get("/admin/").text
    assert "Sign-ups waiting for approval" in teams
    assert "Harbour Parent-Infant Team" in teams.split('id="pending"')[1].split("</table>")[0]
    team_page = console.get("/admin/teams/1").text
    assert "Self-registered" in team_page and "Waiting for approval" in team_page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "Enter your team’s name"),
        ({"nation": ""}, "Select the nation your team works in"),
        ({"nation": "mars"}, "Select the nation your team works in"),
        ({"contact_email": ""}, "Enter a contact email address"),
        ({"contact_email": "nope"}, "Enter an email address like"),
        ({"name": "x" * 121}, "120 characters or fewer"),
    ],
)
def test_a_sign_up_with_a_mistake_is_shown_again_with_the_input(app, client, change, message):
    response = client.post("/signup/", data={**GOOD, **change})
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert store.team_overview(get_db()) == []


def test_sign_up_can_be_switched_off_and_on_from_the_console(app, client):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    settings = console.get("/admin/settings")
    assert "http://localhost/signup/" in settings.text
    assert console.post("/admin/settings", data={"signup_open": "0"}).status_code == 302
    closed = client.get("/signup/")
    assert closed.status_code == 404
    assert "Sign-up is closed" in closed.text
    refused = client.post("/signup/", data=GOOD)
    assert refused.status_code == 404
    with app.app_context():
        assert store.team_overview(get_db()) == []
    console.post("/admin/settings", data={"signup_open": "1"})
    assert client.post("/signup/", data=GOOD).status_code == 302


def test_a_bad_setting_is_refused(app):
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    assert console.post("/admin/settings", data={"signup_open": "maybe"}).status_code == 422


def test_sign_ups_from_one_address_are_throttled(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, SIGNUP_LIMIT="2 per hour")
    open_signup(app)
    client = app.test_client()
    assert client.post("/signup/", data=GOOD).status_code == 302
    assert client.post("/signup/", data={**GOOD, "name": "x"}).status_code == 302
    refused = client.post("/signup/", data={**GOOD, "name": "y"})
    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.text
    with app.app_context():
        assert len(store.team_overview(get_db())) == 2


def test_the_sign_up_form_needs_its_csrf_token(csrf_app):
    app = csrf_app
    open_signup(app)
    response = app.test_client().post("/signup/", data=GOOD)
    assert response.status_code == 422
    with app.app_context():
        assert store.team_overview(get_db()) == []


def test_control_characters_never_reach_a_team_name(app, client):
    client.post("/signup/", data={**GOOD, "name": " Harbour\x00 Team\x1b \x07"})
    with app.app_context():
        names = [row[0] for row in get_db().execute("SELECT name FROM teams")]
    assert names == ["Harbour Team"]


# -- pending until approved -----------------------------------------------------------------


def test_a_sign_up_is_pending_can_audit_and_counts_nationally_only_once_approved(app, client):
    from tests.national_support import TREE
    from tests.profiles import SPECIALISED

    done = client.post("/signup/", data=GOOD, follow_redirects=True)
    assert done.status_code == 200
    with app.app_context():
        db = get_db()
        (item,) = store.team_overview(db)
        team = item["team"]
        assert team["pending"] is True
        for name in ("Alder team", "Birch team", "Cedar team"):
            team_id, _ = store.create_team(db, name, nation=GOOD["nation"])
            assert store.get_team(db, team_id)["pending"] is False
        for team_id in (team["id"], *(t["team"]["id"] for t in store.team_overview(db))):
            audit = store.current_audit(
                db, team_id, tree_id=TREE.id, tree_version=TREE.version, tree_digest=TREE.digest
            )
            if audit["status"] != "finished":
                for question_id, value in SPECIALISED.items():
                    store.record_answer(db, audit["id"], question_id, value, tree=TREE)
                store.finish_audit(db, audit["id"], tree=TREE)
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    teams_page = console.get("/admin/").text
    pending_table = teams_page.split('id="pending"')[1].split("</table>")[0]
    assert GOOD["name"] in pending_table
    assert "Alder team" not in pending_table

    def specialised_total():
        return cell(console.get("/admin/national/live").text, "results", "specialised", "uk")

    assert specialised_total() == "3"  # the sign-up is not counted yet
    console.post(f"/admin/teams/{team['id']}/approve")
    assert specialised_total() == "4"
    assert 'id="pending"' not in console.get("/admin/").text


def test_sign_up_is_closed_until_the_console_opens_it(new_app):
    app = new_app(WTF_CSRF_ENABLED=False)
    assert app.test_client().get("/signup/").status_code == 404
    assert app.test_client().post("/signup/", data=GOOD).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["harbour parent-infant team", "Harbour Parent Infant Team.", "HÄRBOUR PARENT–INFANT TEAM"],
)
def test_a_name_already_used_is_refused_after_folding_case_accents_and_punctuation(
    app, client, name
):
    assert client.post("/signup/", data=GOOD).status_code == 302
    again = client.post("/signup/", data={**GOOD, "name": name})
    assert again.status_code == 422
    assert "already signed up" in again.text
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    added = console.post("/admin/teams/new", data={"name": name, "nation": "wales"})
    assert added.status_code == 422 and "already exists" in added.text
    with app.app_context():
        assert len(store.team_overview(get_db())) == 1


def test_bidirectional_controls_are_stripped_from_names(app, client):
    spoof = "Harbour \u202etsil\u202c Team\u2066"
    client.post("/signup/", data={**GOOD, "name": spoof, "contact_name": "Ann\u200f"})
    with app.app_context():
        (item,) = store.team_overview(get_db())
    assert item["team"]["name"] == "Harbour tsil Team"
    assert item["team"]["contact_name"] == "Ann"


def test_sign_ups_stop_at_the_pending_cap_with_a_clear_message(new_app):
    app = new_app(WTF_CSRF_ENABLED=False, SIGNUP_PENDING_LIMIT=2)
    open_signup(app)
    client = app.test_client()
    for name in ("One Team", "Two Team"):
        assert client.post("/signup/", data={**GOOD, "name": name}).status_code == 302
    paused = client.post("/signup/", data={**GOOD, "name": "Three Team"})
    assert paused.status_code == 503 and "Sign-up is paused" in paused.text


def test_a_rejected_sign_up_loses_its_link_and_is_counted_nowhere(app, client):
    client.post("/signup/", data=GOOD)
    token = token_of(shown_link(client.get("/signup/done").text))
    client.post("/signup/", data={**GOOD, "name": "Other Team", "nation": "wales"})
    console = app.test_client()
    sign_in_directly(console, make_admin(app))
    teams = console.get("/admin/?nation=wales").text
    pending = teams.split('id="pending"')[1].split("</table>")[0]
    assert "Other Team" in pending and "Harbour" not in pending  # the filters hold
    with app.app_context():
        team_id = store.team_by_token(get_db(), token)["id"]
    asked = console.get(f"/admin/teams/{team_id}/reject")
    assert "Reject the sign-up of Harbour Parent-Infant Team?" in asked.text
    console.post(f"/admin/teams/{team_id}/reject", data={"confirmed": "yes"})
    assert app.test_client().get(f"/a/{token}/").status_code == 404
    table = console.get("/admin/").text.split("<h1>", 1)[1]  # past the flashed message
    assert "Harbour Parent-Infant Team" not in table
    assert "Sign-up rejected" in console.get(f"/admin/teams/{team_id}").text
    assert "Rejected the sign-up" in console.get("/admin/record").text
