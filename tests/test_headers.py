"""Every page type says no-store, so no browser or shared cache keeps answers or console data."""

from __future__ import annotations

import pytest

from bot import store
from bot.db import get_db
from bot.trees import current_tree
from tests.admin_support import make_admin, open_signup, sign_in_directly
from tests.audit_support import team_at
from tests.profiles import SPECIALISED


@pytest.fixture
def finished_team(app):
    with app.app_context():
        team_id, token = store.create_team(get_db(), "Header team")
        tree = current_tree()
        audit = store.current_audit(
            get_db(), team_id, tree_id=tree.id, tree_version=tree.version, tree_digest=tree.digest
        )
        for question_id, value in SPECIALISED.items():
            store.record_answer(get_db(), audit["id"], question_id, value, tree=tree)
        store.finish_audit(get_db(), audit["id"], tree=tree)
        return team_id, token, audit["id"]


TEAM_PAGES = ["/", "/q/sup_under3_count", "/check", "/result", "/action-plan.docx"]
CONSOLE_PAGES = [
    "/admin/",
    "/admin/teams/new",
    "/admin/teams/{team_id}",
    "/admin/teams/{team_id}/edit",
    "/admin/teams/{team_id}/audits/{audit_id}",
    "/admin/teams/{team_id}/audits/{audit_id}/action-plan.docx",
    "/admin/national",
    "/admin/exports/audits.csv",
    "/admin/exports/answers.csv",
    "/admin/exports/answers.json",
    "/admin/settings",
]


def test_every_team_page_says_no_store(client, finished_team):
    _, token, _ = finished_team
    for path in TEAM_PAGES:
        response = client.get(f"{team_at(client, token)}{path}")
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_every_console_page_says_no_store(app, client, finished_team):
    team_id, _, audit_id = finished_team
    sign_in_directly(client, make_admin(app))
    for path in CONSOLE_PAGES:
        url = path.format(team_id=team_id, audit_id=audit_id)
        response = client.get(url)
        response.get_data()  # read streamed exports to the end
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_sign_in_sign_up_home_and_error_pages_say_no_store(app, client, team):
    open_signup(app)
    for path in ("/", "/admin/login", "/signup/", "/a/unknown-link/", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert client.post("/signup/", data={"name": ""}).headers["Cache-Control"] == "no-store"


def test_static_files_are_not_marked_no_store(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
