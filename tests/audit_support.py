"""Helpers that answer a team's audit through HTTP, as a member does."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot import store
from bot.db import get_db


def form_data(value, note=""):
    data = {"note": note}
    if isinstance(value, list):
        data["answer"] = value
    elif value is not None:
        data["answer"] = str(value)
    return data


def path_of(response):
    return urlsplit(response.headers["Location"]).path


def team_at(client, token):
    """Open the team's link in `client`, as a member does; return where its pages are.

    The link (`/a/<token>`) is exchanged for a session and the team's pages are addressed
    without the token, under the returned prefix (`/t/<team id>`).
    """
    response = client.get(f"/a/{token}")
    assert response.status_code == 303, response.status_code
    prefix = path_of(response).rstrip("/")
    assert token not in prefix
    return prefix


def walk(client, token, answers, note=""):
    """Answer every question the site asks from `answers`; return the questions asked."""
    asked = []
    prefix = team_at(client, token)
    location = path_of(client.get(f"{prefix}/next"))
    while "/q/" in location:
        question_id = location.rsplit("/", 1)[1]
        assert question_id in answers, f"site asked {question_id}, not in the profile"
        page = client.get(location)
        assert page.status_code == 200
        response = client.post(location, data=form_data(answers[question_id], note))
        assert response.status_code == 302, response.text[:2000]
        asked.append(question_id)
        location = path_of(response)
    assert location == f"{prefix}/check"
    return asked


def stored_answers(app, team_id):
    with app.app_context():
        db = get_db()
        audit = store.current_audit(db, team_id, tree_id="x", tree_version="x", tree_digest="x")
        return {qid: record.value for qid, record in store.current_answers(db, audit["id"]).items()}
